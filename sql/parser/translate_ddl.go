package parser

import (
	"strconv"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
)

// This file translates the statements pgbench's initialization needs
// beyond plain DDL and DML: CREATE TABLE's storage parameters, ALTER TABLE
// ... ADD PRIMARY KEY and COPY ... FROM STDIN.

// defArg renders a DefElem's argument as PostgreSQL's defGetString does;
// ok is false when there is none.
func defArg(d *pg.DefElem) (s string, ok bool) {
	n := d.Arg
	switch {
	case n == nil:
		return "", false
	case n.GetInteger() != nil:
		return strconv.Itoa(int(n.GetInteger().Ival)), true
	case n.GetFloat() != nil:
		return n.GetFloat().Fval, true
	case n.GetString_() != nil:
		return n.GetString_().Sval, true
	case n.GetBoolean() != nil:
		return strconv.FormatBool(n.GetBoolean().Boolval), true
	case n.GetTypeName() != nil:
		tn := n.GetTypeName()
		return str(tn.Names[len(tn.Names)-1]), true
	}
	return "", true
}

// defBool reads a Boolean option as defGetBoolean does: no argument means
// true.
func (t *translator) defBool(d *pg.DefElem) (bool, error) {
	s, ok := defArg(d)
	if !ok {
		return true, nil
	}
	switch strings.ToLower(s) {
	case "true", "on", "1":
		return true, nil
	case "false", "off", "0":
		return false, nil
	}
	return false, pgerr.New(pgerr.SyntaxError, "%s requires a Boolean value", d.Defname).WithPosition(t.pos(d.Location))
}

// Table storage parameters. cairn stores rows in an LSM tree, not in
// pages, so fillfactor (the share of each heap page that inserts may
// fill) has nothing to act on: it is checked as PostgreSQL checks it and
// then ignored. Parameters PostgreSQL knows but cairn has no equivalent for
// are refused with 0A000; names PostgreSQL does not know with 22023.
const (
	fillfactorMin = 10
	fillfactorMax = 100
)

// unsupportedStorageParams are PostgreSQL's other heap storage parameters.
var unsupportedStorageParams = map[string]bool{
	"autovacuum_enabled": true, "toast_tuple_target": true, "parallel_workers": true,
	"vacuum_index_cleanup": true, "vacuum_truncate": true, "user_catalog_table": true,
	"log_autovacuum_min_duration": true,
}

// storageParams checks the WITH (...) list of CREATE TABLE.
func (t *translator) storageParams(opts []*pg.Node) error {
	seen := make(map[string]bool)
	for _, o := range opts {
		d := o.GetDefElem()
		if d == nil {
			continue
		}
		name := strings.ToLower(d.Defname)
		if d.Defnamespace != "" {
			if d.Defnamespace == "toast" {
				return t.unsupported("toast storage parameters", d.Location)
			}
			return pgerr.New(pgerr.InvalidParameterValue, "unrecognized parameter namespace \"%s\"", d.Defnamespace)
		}
		if seen[name] {
			return pgerr.New(pgerr.InvalidParameterValue, "parameter \"%s\" specified more than once", name)
		}
		seen[name] = true
		switch {
		case name == "fillfactor":
			s, ok := defArg(d)
			if !ok {
				s = "true"
			}
			n, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil {
				return pgerr.New(pgerr.InvalidParameterValue, "invalid value for integer option \"fillfactor\": %s", s)
			}
			if n < fillfactorMin || n > fillfactorMax {
				return pgerr.New(pgerr.InvalidParameterValue, "value %s out of bounds for option \"fillfactor\"", s).
					WithDetail("Valid values are between \"" + strconv.Itoa(fillfactorMin) + "\" and \"" + strconv.Itoa(fillfactorMax) + "\".")
			}
		case name == "oids":
			on, err := t.defBool(d)
			if err != nil {
				return err
			}
			if on {
				return pgerr.New(pgerr.FeatureNotSupported, "tables declared WITH OIDS are not supported")
			}
		case unsupportedStorageParams[name] || strings.HasPrefix(name, "autovacuum_"):
			return t.unsupported("storage parameter \""+name+"\"", d.Location)
		default:
			return pgerr.New(pgerr.InvalidParameterValue, "unrecognized parameter \"%s\"", name)
		}
	}
	return nil
}

func (t *translator) alterTableStmt(s *pg.AlterTableStmt) (ast.Stmt, error) {
	if s.Objtype != pg.ObjectType_OBJECT_TABLE {
		return nil, t.unsupported("ALTER "+strings.TrimPrefix(s.Objtype.String(), "OBJECT_"), s.Relation.Location)
	}
	ref, err := t.rangeVar(s.Relation)
	if err != nil {
		return nil, err
	}
	if len(s.Cmds) != 1 {
		return nil, t.unsupported("ALTER TABLE with several subcommands", s.Relation.Location)
	}
	cmd := s.Cmds[0].GetAlterTableCmd()
	if cmd != nil && cmd.Subtype == pg.AlterTableType_AT_AddColumn && cmd.Def.GetColumnDef() != nil {
		col, unique, err := t.columnDef(cmd.Def.GetColumnDef())
		if err != nil {
			return nil, err
		}
		if col.PrimaryKey || len(unique) > 0 {
			return nil, t.unsupported("ALTER TABLE ADD COLUMN with a PRIMARY KEY or UNIQUE constraint", cmd.Def.GetColumnDef().Location)
		}
		return &ast.AlterTableStmt{Table: ref, IfExists: s.MissingOk, AddColumn: &col, IfNotExists: cmd.MissingOk, Pos: col.Pos}, nil
	}
	if cmd != nil && cmd.Subtype == pg.AlterTableType_AT_ChangeOwner && cmd.Newowner != nil {
		owner := cmd.Newowner.Rolename
		switch cmd.Newowner.Roletype {
		case pg.RoleSpecType_ROLESPEC_CSTRING:
		case pg.RoleSpecType_ROLESPEC_PUBLIC:
			owner = "public" // no role: OWNER TO fails with 42704
		default:
			owner = "" // CURRENT_USER, CURRENT_ROLE, SESSION_USER
		}
		return &ast.AlterTableStmt{Table: ref, IfExists: s.MissingOk, Owner: &owner, Pos: t.pos(s.Relation.Location)}, nil
	}
	if cmd == nil || cmd.Subtype != pg.AlterTableType_AT_AddConstraint || cmd.Def.GetConstraint() == nil {
		what := "this form of ALTER TABLE"
		if cmd != nil {
			what = "ALTER TABLE " + strings.ToLower(strings.ReplaceAll(strings.TrimPrefix(cmd.Subtype.String(), "AT_"), "_", " "))
		}
		return nil, t.unsupported(what, s.Relation.Location)
	}
	c := cmd.Def.GetConstraint()
	switch c.Contype {
	case pg.ConstrType_CONSTR_UNIQUE:
		if c.Indexname != "" || len(c.Including) > 0 || len(c.Options) > 0 || c.Indexspace != "" || c.Deferrable || c.NullsNotDistinct {
			return nil, t.unsupported("these UNIQUE options", c.Location)
		}
		out := &ast.AlterTableStmt{Table: ref, IfExists: s.MissingOk, Unique: &ast.UniqueConstraint{Name: TruncateIdent(c.Conname)},
			Pos: t.pos(c.Location)}
		for _, k := range c.Keys {
			out.Unique.Columns = append(out.Unique.Columns, t.name(k))
		}
		return out, nil
	case pg.ConstrType_CONSTR_PRIMARY:
	case pg.ConstrType_CONSTR_FOREIGN:
		return nil, t.unsupported("FOREIGN KEY constraints", c.Location)
	default:
		return nil, t.unsupported("ALTER TABLE ADD "+strings.TrimPrefix(c.Contype.String(), "CONSTR_"), c.Location)
	}
	if c.Indexname != "" || len(c.Including) > 0 || len(c.Options) > 0 || c.Indexspace != "" || c.Deferrable {
		return nil, t.unsupported("these PRIMARY KEY options", c.Location)
	}
	out := &ast.AlterTableStmt{Table: ref, IfExists: s.MissingOk, PKName: TruncateIdent(c.Conname), Pos: t.pos(c.Location)}
	for _, k := range c.Keys {
		out.PrimaryKey = append(out.PrimaryKey, t.name(k))
	}
	return out, nil
}

func (t *translator) copyStmt(s *pg.CopyStmt) (ast.Stmt, error) {
	switch {
	case s.Relation == nil:
		return nil, t.unsupported("COPY of a query", 0)
	case s.IsProgram || s.Filename != "":
		if !s.IsFrom {
			return nil, t.unsupported("COPY to a file or program (use COPY TO STDOUT)", s.Relation.Location)
		}
		return nil, t.unsupported("COPY from a file or program (use COPY FROM STDIN)", s.Relation.Location)
	case s.WhereClause != nil:
		return nil, t.unsupported("COPY FROM with WHERE", s.Relation.Location)
	}
	ref, err := t.rangeVar(s.Relation)
	if err != nil {
		return nil, err
	}
	out := &ast.CopyStmt{Table: ref, Delimiter: '\t', Null: `\N`, Columns: t.names(s.Attlist), To: !s.IsFrom}
	seen := make(map[string]bool)
	for _, o := range s.Options {
		d := o.GetDefElem()
		if d == nil {
			continue
		}
		if seen[d.Defname] {
			return nil, pgerr.New(pgerr.SyntaxError, "conflicting or redundant options").WithPosition(t.pos(d.Location))
		}
		seen[d.Defname] = true
		arg, _ := defArg(d)
		switch d.Defname {
		case "format":
			switch arg {
			case "text":
			case "csv", "binary":
				return nil, t.unsupported("COPY format \""+arg+"\"", d.Location)
			default:
				return nil, pgerr.New(pgerr.InvalidParameterValue, "COPY format \"%s\" not recognized", arg).WithPosition(t.pos(d.Location))
			}
		case "freeze":
			if out.Freeze, err = t.defBool(d); err != nil {
				return nil, err
			}
			if out.Freeze && out.To {
				return nil, pgerr.New(pgerr.FeatureNotSupported, "COPY FREEZE cannot be used with COPY TO")
			}
		case "delimiter":
			if len(arg) != 1 {
				return nil, pgerr.New(pgerr.FeatureNotSupported, "COPY delimiter must be a single one-byte character")
			}
			out.Delimiter = arg[0]
		case "null":
			out.Null = arg
		case "header", "quote", "escape", "force_quote", "force_not_null", "force_null", "encoding":
			return nil, t.unsupported("COPY option \""+d.Defname+"\"", d.Location)
		default:
			return nil, pgerr.New(pgerr.SyntaxError, "option \"%s\" not recognized", d.Defname).WithPosition(t.pos(d.Location))
		}
	}
	switch {
	case out.Delimiter == '\n' || out.Delimiter == '\r':
		return nil, pgerr.New(pgerr.InvalidParameterValue, "COPY delimiter cannot be newline or carriage return")
	case strings.ContainsAny(out.Null, "\r\n"):
		return nil, pgerr.New(pgerr.InvalidParameterValue, "COPY null representation cannot use newline or carriage return")
	case strings.IndexByte(`\.abcdefghijklmnopqrstuvwxyz0123456789`, out.Delimiter) >= 0:
		return nil, pgerr.New(pgerr.InvalidParameterValue, "COPY delimiter cannot be \"%c\"", out.Delimiter)
	case strings.IndexByte(out.Null, out.Delimiter) >= 0:
		return nil, pgerr.New(pgerr.InvalidParameterValue, "COPY delimiter must not appear in the NULL specification")
	}
	return out, nil
}
