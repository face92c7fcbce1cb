package parser

import (
	"math"
	"strconv"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/cairndb/cairn/internal/pgerr"

	"github.com/cairndb/cairn/sql/ast"
)

// commentOnConstraint translates COMMENT ON CONSTRAINT name ON table, or
// ON DOMAIN domain.
func (t *translator) commentOnConstraint(s *pg.CommentStmt) (ast.Stmt, error) {
	items := s.Object.GetList().GetItems()
	if len(items) < 2 {
		return nil, t.unsupported("this COMMENT ON CONSTRAINT", 0)
	}
	con := TruncateIdent(str(items[len(items)-1]))
	if s.Objtype == pg.ObjectType_OBJECT_DOMCONSTRAINT {
		name, err := t.qualifiedTypeName(items[0].GetTypeName().GetNames())
		if err != nil {
			return nil, err
		}
		return &ast.CommentStmt{Kind: "domain constraint", Relation: ast.TableRef{Name: name}, Constraint: con, Comment: commentText(s.Comment)}, nil
	}
	var names []string
	for _, n := range items[:len(items)-1] {
		names = append(names, str(n))
	}
	out, err := t.commentTarget("constraint", names)
	if err != nil {
		return nil, err
	}
	out.Constraint, out.Comment = con, commentText(s.Comment)
	return out, nil
}

// uniqueConstraint translates a UNIQUE table constraint, or an EXCLUDE
// constraint whose operators are all = (which holds exactly when its
// columns are unique), with their DEFERRABLE clauses.
func (t *translator) uniqueConstraint(c *pg.Constraint) (ast.UniqueConstraint, error) {
	u := ast.UniqueConstraint{Name: TruncateIdent(c.Conname), NullsNotDistinct: c.NullsNotDistinct,
		Deferrable: c.Deferrable, Deferred: c.Initdeferred}
	if len(c.Including) > 0 || len(c.Options) > 0 || (c.Indexspace != "" && c.Indexspace != "pg_default") {
		return u, t.unsupported("INCLUDE, WITH and USING INDEX TABLESPACE on a constraint", c.Location)
	}
	if c.Contype == pg.ConstrType_CONSTR_UNIQUE {
		u.Columns = t.names(c.Keys)
		return u, nil
	}
	u.Exclusion = true
	switch c.AccessMethod {
	case "", "btree":
	case "hash":
		u.Method = "hash"
	default:
		return u, t.unsupported("EXCLUDE USING "+c.AccessMethod, c.Location)
	}
	if c.WhereClause != nil {
		return u, t.unsupported("EXCLUDE with WHERE", c.Location)
	}
	for _, n := range c.Exclusions {
		pair := n.GetList().GetItems()
		if len(pair) != 2 {
			return u, t.unsupported("this EXCLUDE element", c.Location)
		}
		el := pair[0].GetIndexElem()
		ops := pair[1].GetList().GetItems()
		if el == nil || el.Name == "" || len(el.Opclass) > 0 || len(el.Collation) > 0 ||
			el.Ordering != pg.SortByDir_SORTBY_DEFAULT || el.NullsOrdering != pg.SortByNulls_SORTBY_NULLS_DEFAULT {
			return u, t.unsupported("EXCLUDE on expressions or with key options", c.Location)
		}
		if len(ops) == 0 || str(ops[len(ops)-1]) != "=" {
			return u, t.unsupported("EXCLUDE with operators other than =", c.Location)
		}
		u.Columns = append(u.Columns, TruncateIdent(el.Name))
	}
	return u, nil
}

// indexParams checks CREATE INDEX ... WITH (params) as PostgreSQL checks
// an index's reloptions: fillfactor (10 to 100) for btree and hash,
// deduplicate_items for btree. They tune page layout, which cairn's
// store does not have, so valid ones change nothing.
func (t *translator) indexParams(opts []*pg.Node, method string) error {
	if method == "" {
		method = "btree"
	}
	seen := make(map[string]bool)
	for _, o := range opts {
		d := o.GetDefElem()
		if d == nil {
			continue
		}
		name := d.Defname
		if d.Defnamespace != "" {
			return pgerr.New(pgerr.InvalidParameterValue, "unrecognized parameter namespace \"%s\"", d.Defnamespace)
		}
		if seen[name] {
			return pgerr.New(pgerr.InvalidParameterValue, "parameter \"%s\" specified more than once", name)
		}
		seen[name] = true
		switch {
		case name == "fillfactor" && (method == "btree" || method == "hash" || method == "gist"):
			if err := intParam(d, fillfactorMin, fillfactorMax); err != nil {
				return err
			}
		case name == "gin_pending_list_limit" && method == "gin":
			if err := intParam(d, 64, math.MaxInt32); err != nil {
				return err
			}
		case name == "deduplicate_items" && method == "btree":
			if _, err := t.defBool(d); err != nil {
				return err
			}
		case name == "fastupdate" && method == "gin":
			if s, ok := defArg(d); ok {
				switch strings.ToLower(strings.TrimSpace(s)) {
				case "true", "on", "1", "yes", "t", "y", "false", "off", "0", "no", "f", "n":
				default:
					return pgerr.New(pgerr.InvalidParameterValue, "invalid value for boolean option \"fastupdate\": %s", s)
				}
			}
		case name == "buffering" && method == "gist":
			s, _ := defArg(d)
			if s = strings.ToLower(s); s != "on" && s != "off" && s != "auto" {
				return pgerr.New(pgerr.InvalidParameterValue, "invalid value for enum option \"buffering\": %s", s).
					WithDetail("Valid values are \"on\", \"off\", and \"auto\".")
			}
		case method != "btree" && method != "hash" && method != "gin" && method != "gist":
			// Other access methods are refused once the keys are known.
		default:
			return pgerr.New(pgerr.InvalidParameterValue, "unrecognized parameter \"%s\"", name)
		}
	}
	return nil
}

// intParam checks an integer index parameter d within [lo, hi].
func intParam(d *pg.DefElem, lo, hi int) error {
	s, ok := defArg(d)
	if !ok {
		s = "true"
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return pgerr.New(pgerr.InvalidParameterValue, "invalid value for integer option \"%s\": %s", d.Defname, s)
	}
	if n < lo || n > hi {
		return pgerr.New(pgerr.InvalidParameterValue, "value %s out of bounds for option \"%s\"", s, d.Defname).
			WithDetail("Valid values are between \"" + strconv.Itoa(lo) + "\" and \"" + strconv.Itoa(hi) + "\".")
	}
	return nil
}
