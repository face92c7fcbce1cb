package parser

import (
	"slices"
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

// relOptions translates a WITH (...), SET (...) or RESET (...) list of
// storage parameters; the sql package checks them for the relation.
func (t *translator) relOptions(opts []*pg.Node) []ast.RelOption {
	var out []ast.RelOption
	for _, o := range opts {
		d := o.GetDefElem()
		if d == nil {
			continue
		}
		v, ok := defArg(d)
		out = append(out, ast.RelOption{Namespace: d.Defnamespace, Name: d.Defname, Value: v, HasValue: ok, Pos: t.pos(d.Location)})
	}
	return out
}

// storageParams checks the WITH (...) list of CREATE TABLE AS.
func (t *translator) storageParams(opts []*pg.Node) error {
	seen := make(map[string]bool)
	for _, o := range opts {
		d := o.GetDefElem()
		if d == nil {
			continue
		}
		name := d.Defname // a quoted name keeps its case, and is then unknown
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

// commentStmt translates COMMENT ON for the relations and columns cairn
// keeps comments on.
func (t *translator) commentStmt(s *pg.CommentStmt) (ast.Stmt, error) {
	kinds := map[pg.ObjectType]string{pg.ObjectType_OBJECT_TABLE: "table", pg.ObjectType_OBJECT_VIEW: "view",
		pg.ObjectType_OBJECT_SEQUENCE: "sequence", pg.ObjectType_OBJECT_INDEX: "index", pg.ObjectType_OBJECT_COLUMN: "column"}
	kind, ok := kinds[s.Objtype]
	if s.Objtype == pg.ObjectType_OBJECT_TYPE || s.Objtype == pg.ObjectType_OBJECT_DOMAIN {
		name, err := t.qualifiedTypeName(s.Object.GetTypeName().GetNames())
		if err != nil {
			return nil, err
		}
		kind = map[bool]string{true: "type", false: "domain"}[s.Objtype == pg.ObjectType_OBJECT_TYPE]
		return &ast.CommentStmt{Kind: kind, Relation: ast.TableRef{Name: name}, Comment: commentText(s.Comment)}, nil
	}
	if s.Objtype == pg.ObjectType_OBJECT_TABCONSTRAINT || s.Objtype == pg.ObjectType_OBJECT_DOMCONSTRAINT {
		return t.commentOnConstraint(s)
	}
	if s.Objtype == pg.ObjectType_OBJECT_TRIGGER {
		return t.commentOnTrigger(s)
	}
	if s.Objtype == pg.ObjectType_OBJECT_SCHEMA {
		return &ast.AlterSchemaStmt{Name: str(s.Object), IsComment: true, Comment: commentText(s.Comment)}, nil
	}
	if !ok {
		return nil, t.unsupported("COMMENT ON "+strings.ToLower(strings.ReplaceAll(strings.TrimPrefix(s.Objtype.String(), "OBJECT_"), "_", " ")), 0)
	}
	var names []string
	for _, n := range s.Object.GetList().GetItems() {
		names = append(names, str(n))
	}
	if kind == "column" {
		if len(names) < 2 {
			return nil, pgerr.New(pgerr.SyntaxError, "column name must be qualified")
		}
		col := names[len(names)-1]
		names = names[:len(names)-1]
		out, err := t.commentTarget(kind, names)
		if err != nil {
			return nil, err
		}
		out.Column = TruncateIdent(col)
		out.Comment = commentText(s.Comment)
		return out, nil
	}
	out, err := t.commentTarget(kind, names)
	if err != nil {
		return nil, err
	}
	out.Comment = commentText(s.Comment)
	return out, nil
}

// commentTarget resolves the (possibly schema-qualified) relation name of
// COMMENT ON.
func (t *translator) commentTarget(kind string, names []string) (*ast.CommentStmt, error) {
	rv := &pg.RangeVar{}
	switch len(names) {
	case 1:
		rv.Relname = names[0]
	case 2:
		rv.Schemaname, rv.Relname = names[0], names[1]
	default:
		return nil, pgerr.New(pgerr.SyntaxError, "improper relation name (too many dotted names): %s", strings.Join(names, "."))
	}
	ref, err := t.rangeVar(rv)
	if err != nil {
		return nil, err
	}
	return &ast.CommentStmt{Kind: kind, Relation: ref}, nil
}

// commentText is a comment's text, nil when the statement removes it (IS
// NULL, or an empty string, which PostgreSQL also takes as removal).
func commentText(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (t *translator) alterTableStmt(s *pg.AlterTableStmt) (ast.Stmt, error) {
	if s.Objtype == pg.ObjectType_OBJECT_INDEX && len(s.Cmds) == 1 && s.Cmds[0].GetAlterTableCmd().GetSubtype() == pg.AlterTableType_AT_AttachPartition {
		ref, err := t.rangeVar(s.Relation)
		if err != nil {
			return nil, err
		}
		pc := s.Cmds[0].GetAlterTableCmd().Def.GetPartitionCmd()
		if pc == nil || pc.Name == nil {
			return nil, t.unsupported("this ALTER INDEX", s.Relation.Location)
		}
		part, err := t.rangeVar(pc.Name)
		if err != nil {
			return nil, err
		}
		return &ast.AlterTableStmt{Table: ref, Pos: ref.Pos, IndexAttach: true, Attach: &ast.PartitionCmd{Table: part}}, nil
	}
	if (s.Objtype == pg.ObjectType_OBJECT_VIEW || s.Objtype == pg.ObjectType_OBJECT_SEQUENCE) && len(s.Cmds) == 1 &&
		s.Cmds[0].GetAlterTableCmd().GetSubtype() == pg.AlterTableType_AT_ChangeOwner {
		// ALTER VIEW|SEQUENCE ... OWNER TO, as ALTER TABLE does it.
		ref, err := t.rangeVar(s.Relation)
		if err != nil {
			return nil, err
		}
		st, err := t.alterTableCmd(s, ref, s.Cmds[0].GetAlterTableCmd())
		if a, ok := st.(*ast.AlterTableStmt); ok {
			a.OwnerKind = strings.TrimPrefix(s.Objtype.String(), "OBJECT_")
		}
		return st, err
	}
	if s.Objtype == pg.ObjectType_OBJECT_INDEX && len(s.Cmds) == 1 && s.Cmds[0].GetAlterTableCmd().GetSubtype() == pg.AlterTableType_AT_SetStatistics {
		// ALTER INDEX ... ALTER COLUMN n SET STATISTICS.
		ref, err := t.rangeVar(s.Relation)
		if err != nil {
			return nil, err
		}
		if a, ok := columnAttr(s.Cmds[0].GetAlterTableCmd()); ok {
			return &ast.AlterTableStmt{Table: ref, IfExists: s.MissingOk, Pos: ref.Pos, ColumnAttr: a, OwnerKind: "INDEX"}, nil
		}
	}
	viewOptions := s.Objtype == pg.ObjectType_OBJECT_VIEW && len(s.Cmds) > 0 && !slices.ContainsFunc(s.Cmds, func(c *pg.Node) bool {
		st := c.GetAlterTableCmd().GetSubtype()
		return st != pg.AlterTableType_AT_SetRelOptions && st != pg.AlterTableType_AT_ResetRelOptions
	})
	if s.Objtype != pg.ObjectType_OBJECT_TABLE && !viewOptions {
		return nil, t.unsupported("ALTER "+strings.TrimPrefix(s.Objtype.String(), "OBJECT_"), s.Relation.Location)
	}
	ref, err := t.rangeVar(s.Relation)
	if err != nil {
		return nil, err
	}
	kind := ""
	if viewOptions {
		kind = "VIEW"
	}
	if len(s.Cmds) == 1 {
		st, err := t.alterTableCmd(s, ref, s.Cmds[0].GetAlterTableCmd())
		if a, ok := st.(*ast.AlterTableStmt); ok && kind != "" {
			a.OwnerKind = kind
		}
		return st, err
	}
	out := &ast.AlterTableStmt{Table: ref, IfExists: s.MissingOk, Pos: ref.Pos, OwnerKind: kind}
	for _, c := range s.Cmds {
		sub, err := t.alterTableCmd(s, ref, c.GetAlterTableCmd())
		if err != nil {
			return nil, err
		}
		sub.(*ast.AlterTableStmt).OwnerKind = kind
		out.Subcommands = append(out.Subcommands, sub.(*ast.AlterTableStmt))
	}
	return out, nil
}

// alterTableCmd translates one subcommand of ALTER TABLE s on ref.
func (t *translator) alterTableCmd(s *pg.AlterTableStmt, ref ast.TableRef, cmd *pg.AlterTableCmd) (ast.Stmt, error) {
	if cmd != nil {
		out := &ast.AlterTableStmt{Table: ref, IfExists: s.MissingOk, Pos: ref.Pos}
		if ok, err := t.partitionCmd(cmd, out); ok || err != nil {
			return out, err
		}
	}
	if cmd != nil && cmd.Subtype == pg.AlterTableType_AT_DropColumn {
		return &ast.AlterTableStmt{Table: ref, IfExists: s.MissingOk, Pos: ref.Pos, DropColumn: &ast.DropColumn{
			Name: TruncateIdent(cmd.Name), MissingOk: cmd.MissingOk, Cascade: cmd.Behavior == pg.DropBehavior_DROP_CASCADE, Pos: ref.Pos}}, nil
	}
	if cmd != nil && cmd.Subtype == pg.AlterTableType_AT_AlterColumnType {
		def := cmd.Def.GetColumnDef()
		if def == nil || def.TypeName == nil {
			return nil, t.unsupported("this form of ALTER COLUMN TYPE", s.Relation.Location)
		}
		if def.CollClause != nil {
			return nil, t.unsupported("ALTER COLUMN TYPE with COLLATE", def.Location)
		}
		tn, err := t.typeName(def.TypeName)
		if err != nil {
			return nil, err
		}
		at := &ast.AlterColumnType{Column: TruncateIdent(cmd.Name), Type: tn, Pos: t.pos(def.Location)}
		if def.RawDefault != nil {
			if at.Using, err = t.expr(def.RawDefault); err != nil {
				return nil, err
			}
		}
		return &ast.AlterTableStmt{Table: ref, IfExists: s.MissingOk, Pos: ref.Pos, AlterType: at}, nil
	}
	if cmd != nil {
		if id, err := t.alterIdentity(cmd); id != nil || err != nil {
			if err != nil {
				return nil, err
			}
			return &ast.AlterTableStmt{Table: ref, IfExists: s.MissingOk, Identity: id, Pos: ref.Pos}, nil
		}
	}
	if cmd != nil {
		ac := &ast.AlterColumn{Column: TruncateIdent(cmd.Name)}
		switch cmd.Subtype {
		case pg.AlterTableType_AT_ColumnDefault:
			if cmd.Def != nil {
				var err error
				if ac.Default, ac.DefaultSQL, err = t.defaultExpr(cmd.Def); err != nil {
					return nil, err
				}
			}
		case pg.AlterTableType_AT_SetNotNull, pg.AlterTableType_AT_DropNotNull:
			set := cmd.Subtype == pg.AlterTableType_AT_SetNotNull
			ac.NotNull = &set
		default:
			ac = nil
		}
		if ac != nil {
			return &ast.AlterTableStmt{Table: ref, IfExists: s.MissingOk, AlterColumn: ac, Pos: ref.Pos}, nil
		}
	}
	if cmd != nil && cmd.Subtype == pg.AlterTableType_AT_AddColumn && cmd.Def.GetColumnDef() != nil {
		col, unique, err := t.columnDef(cmd.Def.GetColumnDef(), ref.Name)
		if err != nil {
			return nil, err
		}
		out := &ast.AlterTableStmt{Table: ref, IfExists: s.MissingOk, AddColumn: &col, IfNotExists: cmd.MissingOk, Pos: col.Pos}
		if col.PrimaryKey {
			col.PrimaryKey = false
			out.ColumnKeys = append(out.ColumnKeys, &ast.AlterTableStmt{Table: ref, Pos: col.Pos, PrimaryKey: []string{col.Name}, PKName: col.PKName})
		}
		for i := range unique {
			out.ColumnKeys = append(out.ColumnKeys, &ast.AlterTableStmt{Table: ref, Pos: col.Pos, Unique: &unique[i]})
		}
		return out, nil
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
	if cmd != nil {
		switch cmd.Subtype {
		case pg.AlterTableType_AT_DropConstraint:
			return &ast.AlterTableStmt{Table: ref, IfExists: s.MissingOk, Pos: ref.Pos,
				DropConstraint: &ast.DropConstraint{Name: TruncateIdent(cmd.Name), IfExists: cmd.MissingOk, Cascade: cmd.Behavior == pg.DropBehavior_DROP_CASCADE}}, nil
		case pg.AlterTableType_AT_AlterConstraint:
			c := cmd.Def.GetConstraint()
			if c == nil {
				break
			}
			return &ast.AlterTableStmt{Table: ref, IfExists: s.MissingOk, Pos: ref.Pos,
				AlterConstraint: &ast.AlterConstraint{Name: TruncateIdent(c.Conname), Deferrable: c.Deferrable, Deferred: c.Initdeferred}}, nil
		case pg.AlterTableType_AT_ClusterOn:
			name := TruncateIdent(cmd.Name)
			return &ast.AlterTableStmt{Table: ref, IfExists: s.MissingOk, Pos: ref.Pos, ClusterOn: &name}, nil
		case pg.AlterTableType_AT_DropCluster:
			name := ""
			return &ast.AlterTableStmt{Table: ref, IfExists: s.MissingOk, Pos: ref.Pos, ClusterOn: &name}, nil
		case pg.AlterTableType_AT_ReplicaIdentity:
			if ri := cmd.Def.GetReplicaIdentityStmt(); ri != nil {
				return &ast.AlterTableStmt{Table: ref, IfExists: s.MissingOk, Pos: ref.Pos,
					ReplicaIdentity: ri.IdentityType, ReplicaIndex: TruncateIdent(ri.Name)}, nil
			}
		case pg.AlterTableType_AT_SetStorage, pg.AlterTableType_AT_SetStatistics:
			if a, ok := columnAttr(cmd); ok {
				return &ast.AlterTableStmt{Table: ref, IfExists: s.MissingOk, Pos: ref.Pos, ColumnAttr: a}, nil
			}
		case pg.AlterTableType_AT_SetLogged, pg.AlterTableType_AT_SetUnLogged:
			logged := cmd.Subtype == pg.AlterTableType_AT_SetLogged
			return &ast.AlterTableStmt{Table: ref, IfExists: s.MissingOk, Pos: ref.Pos, SetLogged: &logged}, nil
		case pg.AlterTableType_AT_EnableRowSecurity, pg.AlterTableType_AT_DisableRowSecurity,
			pg.AlterTableType_AT_ForceRowSecurity, pg.AlterTableType_AT_NoForceRowSecurity:
			return &ast.AlterTableStmt{Table: ref, IfExists: s.MissingOk, Pos: ref.Pos, RowSecurity: rowSecurityCmds[cmd.Subtype]}, nil
		case pg.AlterTableType_AT_ValidateConstraint:
			return &ast.AlterTableStmt{Table: ref, IfExists: s.MissingOk, Pos: ref.Pos, ValidateConstraint: TruncateIdent(cmd.Name)}, nil
		case pg.AlterTableType_AT_AddOf:
			if tn := cmd.Def.GetTypeName(); tn != nil {
				of, err := t.typeName(tn)
				if err != nil {
					return nil, err
				}
				return &ast.AlterTableStmt{Table: ref, IfExists: s.MissingOk, Pos: ref.Pos, OfType: &of}, nil
			}
		case pg.AlterTableType_AT_SetRelOptions, pg.AlterTableType_AT_ResetRelOptions,
			pg.AlterTableType_AT_SetOptions, pg.AlterTableType_AT_ResetOptions:
			cmdOpts := &ast.RelOptionsCmd{Reset: cmd.Subtype == pg.AlterTableType_AT_ResetRelOptions || cmd.Subtype == pg.AlterTableType_AT_ResetOptions}
			if cmd.Subtype == pg.AlterTableType_AT_SetOptions || cmd.Subtype == pg.AlterTableType_AT_ResetOptions {
				cmdOpts.Column = TruncateIdent(cmd.Name)
			}
			if l := cmd.Def.GetList(); l != nil {
				cmdOpts.Options = t.relOptions(l.Items)
			}
			return &ast.AlterTableStmt{Table: ref, IfExists: s.MissingOk, Pos: ref.Pos, RelOptions: cmdOpts}, nil
		case pg.AlterTableType_AT_DropOf:
			return &ast.AlterTableStmt{Table: ref, IfExists: s.MissingOk, Pos: ref.Pos, NotOf: true}, nil
		}
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
	case pg.ConstrType_CONSTR_UNIQUE, pg.ConstrType_CONSTR_EXCLUSION:
		if c.Indexname != "" {
			u := ast.UniqueConstraint{Name: TruncateIdent(c.Conname), Deferrable: c.Deferrable, Deferred: c.Initdeferred}
			return &ast.AlterTableStmt{Table: ref, IfExists: s.MissingOk, Unique: &u, UsingIndex: TruncateIdent(c.Indexname), Pos: t.pos(c.Location)}, nil
		}
		u, err := t.uniqueConstraint(c)
		if err != nil {
			return nil, err
		}
		return &ast.AlterTableStmt{Table: ref, IfExists: s.MissingOk, Unique: &u, Pos: t.pos(c.Location)}, nil
	case pg.ConstrType_CONSTR_PRIMARY:
	case pg.ConstrType_CONSTR_CHECK:
		ck, err := t.checkConstraint(c)
		if err != nil {
			return nil, err
		}
		return &ast.AlterTableStmt{Table: ref, IfExists: s.MissingOk, Check: &ck, Pos: ck.Pos}, nil
	case pg.ConstrType_CONSTR_FOREIGN:
		fk, err := t.foreignKey(c, nil)
		if err != nil {
			return nil, err
		}
		return &ast.AlterTableStmt{Table: ref, IfExists: s.MissingOk, ForeignKey: &fk, Pos: fk.Pos}, nil
	default:
		return nil, t.unsupported("ALTER TABLE ADD "+strings.TrimPrefix(c.Contype.String(), "CONSTR_"), c.Location)
	}
	if len(c.Including) > 0 || len(c.Options) > 0 || c.Indexspace != "" || c.Deferrable {
		return nil, t.unsupported("these PRIMARY KEY options", c.Location)
	}
	out := &ast.AlterTableStmt{Table: ref, IfExists: s.MissingOk, PKName: TruncateIdent(c.Conname), UsingIndex: TruncateIdent(c.Indexname), Pos: t.pos(c.Location)}
	for _, k := range c.Keys {
		out.PrimaryKey = append(out.PrimaryKey, t.name(k))
	}
	return out, nil
}

func (t *translator) copyStmt(s *pg.CopyStmt) (ast.Stmt, error) {
	out := &ast.CopyStmt{To: !s.IsFrom, Columns: t.names(s.Attlist)}
	switch {
	case s.IsProgram || s.Filename != "":
		// The server's files and programs are not the client's to reach.
		return nil, t.unsupported("COPY to or from a file or program (use STDIN or STDOUT; psql's \\copy does)", 0)
	case s.WhereClause != nil:
		return nil, t.unsupported("COPY FROM with WHERE", 0)
	case s.Query != nil:
		q := s.Query.GetSelectStmt()
		if q == nil {
			return nil, t.unsupported("COPY of a statement other than SELECT", 0)
		}
		sel, err := t.selectStmt(q)
		if err != nil {
			return nil, err
		}
		out.Query = sel
	default:
		ref, err := t.rangeVar(s.Relation)
		if err != nil {
			return nil, err
		}
		out.Table, out.Pos = ref, t.pos(s.Relation.Location)
	}
	var format, delimiter, null, quote, escape *string
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
		var err error
		switch d.Defname {
		case "format":
			switch arg {
			case "text", "csv", "binary":
			default:
				return nil, pgerr.New(pgerr.InvalidParameterValue, "COPY format \"%s\" not recognized", arg).WithPosition(t.pos(d.Location))
			}
			format = &arg
		case "freeze":
			out.Freeze, err = t.defBool(d)
		case "delimiter":
			delimiter = &arg
		case "null":
			null = &arg
		case "header":
			if strings.EqualFold(arg, "match") {
				if out.To {
					return nil, pgerr.New(pgerr.FeatureNotSupported, "cannot use \"%s\" with HEADER in COPY TO", arg).WithPosition(t.pos(d.Location))
				}
				out.Header, out.HeaderMatch = true, true
			} else {
				out.Header, err = t.defBool(d)
			}
		case "quote":
			quote = &arg
		case "escape":
			escape = &arg
		case "force_quote":
			if d.Arg != nil && d.Arg.GetAStar() != nil {
				out.ForceQuoteAll = true
			} else {
				out.ForceQuote, err = t.copyColumnList(d)
			}
		case "force_not_null":
			out.ForceNotNull, err = t.copyColumnList(d)
		case "force_null":
			out.ForceNull, err = t.copyColumnList(d)
		case "encoding":
			if !strings.EqualFold(strings.ReplaceAll(strings.ReplaceAll(arg, "-", ""), "_", ""), "utf8") {
				return nil, t.unsupported("COPY encoding \""+arg+"\" (cairn's data is UTF8)", d.Location)
			}
		default:
			return nil, pgerr.New(pgerr.SyntaxError, "option \"%s\" not recognized", d.Defname).WithPosition(t.pos(d.Location))
		}
		if err != nil {
			return nil, err
		}
	}
	out.CSV = format != nil && *format == "csv"
	out.Binary = format != nil && *format == "binary"
	// The checks of PostgreSQL's ProcessCopyOptions, in its order.
	switch {
	case out.Binary && delimiter != nil:
		return nil, pgerr.New(pgerr.SyntaxError, "cannot specify DELIMITER in BINARY mode")
	case out.Binary && null != nil:
		return nil, pgerr.New(pgerr.SyntaxError, "cannot specify NULL in BINARY mode")
	}
	out.Delimiter, out.Null = '\t', `\N`
	if out.CSV {
		out.Delimiter, out.Null = ',', ""
	}
	if null != nil {
		out.Null = *null
	}
	if out.CSV {
		out.Quote = '"'
		if quote != nil {
			if len(*quote) != 1 {
				return nil, pgerr.New(pgerr.FeatureNotSupported, "COPY quote must be a single one-byte character")
			}
			out.Quote = (*quote)[0]
		}
		out.Escape = out.Quote
		if escape != nil {
			if len(*escape) != 1 {
				return nil, pgerr.New(pgerr.FeatureNotSupported, "COPY escape must be a single one-byte character")
			}
			out.Escape = (*escape)[0]
		}
	}
	if delimiter != nil {
		if len(*delimiter) != 1 {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "COPY delimiter must be a single one-byte character")
		}
		out.Delimiter = (*delimiter)[0]
	}
	switch {
	case out.Delimiter == '\n' || out.Delimiter == '\r':
		return nil, pgerr.New(pgerr.InvalidParameterValue, "COPY delimiter cannot be newline or carriage return")
	case strings.ContainsAny(out.Null, "\r\n"):
		return nil, pgerr.New(pgerr.InvalidParameterValue, "COPY null representation cannot use newline or carriage return")
	case !out.CSV && strings.IndexByte(`\.abcdefghijklmnopqrstuvwxyz0123456789`, out.Delimiter) >= 0:
		return nil, pgerr.New(pgerr.InvalidParameterValue, "COPY delimiter cannot be \"%c\"", out.Delimiter)
	case out.Binary && out.Header:
		return nil, pgerr.New(pgerr.FeatureNotSupported, "cannot specify HEADER in BINARY mode")
	case !out.CSV && quote != nil:
		return nil, pgerr.New(pgerr.FeatureNotSupported, "COPY quote available only in CSV mode")
	case out.CSV && out.Delimiter == out.Quote:
		return nil, pgerr.New(pgerr.InvalidParameterValue, "COPY delimiter and quote must be different")
	case !out.CSV && escape != nil:
		return nil, pgerr.New(pgerr.FeatureNotSupported, "COPY escape available only in CSV mode")
	case !out.CSV && (out.ForceQuote != nil || out.ForceQuoteAll):
		return nil, pgerr.New(pgerr.FeatureNotSupported, "COPY force quote available only in CSV mode")
	case (out.ForceQuote != nil || out.ForceQuoteAll) && !out.To:
		return nil, pgerr.New(pgerr.FeatureNotSupported, "COPY force quote only available using COPY TO")
	case !out.CSV && out.ForceNotNull != nil:
		return nil, pgerr.New(pgerr.FeatureNotSupported, "COPY force not null available only in CSV mode")
	case out.ForceNotNull != nil && out.To:
		return nil, pgerr.New(pgerr.FeatureNotSupported, "COPY force not null only available using COPY FROM")
	case !out.CSV && out.ForceNull != nil:
		return nil, pgerr.New(pgerr.FeatureNotSupported, "COPY force null available only in CSV mode")
	case out.ForceNull != nil && out.To:
		return nil, pgerr.New(pgerr.FeatureNotSupported, "COPY force null only available using COPY FROM")
	case strings.IndexByte(out.Null, out.Delimiter) >= 0:
		return nil, pgerr.New(pgerr.InvalidParameterValue, "COPY delimiter must not appear in the NULL specification")
	case out.CSV && strings.IndexByte(out.Null, out.Quote) >= 0:
		return nil, pgerr.New(pgerr.FeatureNotSupported, "CSV quote character must not appear in the NULL specification")
	}
	return out, nil
}

// copyColumnList reads the column list of a FORCE_* option.
func (t *translator) copyColumnList(d *pg.DefElem) ([]string, error) {
	l := d.Arg.GetList()
	if l == nil {
		return nil, pgerr.New(pgerr.InvalidParameterValue, "argument to option \"%s\" must be a list of column names", d.Defname).WithPosition(t.pos(d.Location))
	}
	names := make([]string, 0, len(l.Items))
	for _, n := range l.Items {
		names = append(names, str(n))
	}
	return names, nil
}

// columnAttr translates ALTER COLUMN ... SET STORAGE or SET STATISTICS.
func columnAttr(cmd *pg.AlterTableCmd) (*ast.ColumnAttr, bool) {
	a := &ast.ColumnAttr{Column: TruncateIdent(cmd.Name), Num: int32(cmd.Num)}
	switch cmd.Subtype {
	case pg.AlterTableType_AT_SetStorage:
		if cmd.Def.GetString_() == nil {
			return nil, false
		}
		a.Storage = cmd.Def.GetString_().Sval
	case pg.AlterTableType_AT_SetStatistics:
		if cmd.Def.GetInteger() == nil {
			return nil, false
		}
		n := cmd.Def.GetInteger().Ival
		a.Statistics = &n
	}
	return a, true
}

// rowSecurityCmds names ALTER TABLE's row security subcommands.
var rowSecurityCmds = map[pg.AlterTableType]string{
	pg.AlterTableType_AT_EnableRowSecurity: "enable", pg.AlterTableType_AT_DisableRowSecurity: "disable",
	pg.AlterTableType_AT_ForceRowSecurity: "force", pg.AlterTableType_AT_NoForceRowSecurity: "noforce",
}
