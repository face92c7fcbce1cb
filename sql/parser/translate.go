package parser

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
)

// Statement is one statement of a query string, translated, with its own
// text.
type Statement struct {
	Stmt ast.Stmt
	SQL  string
}

// ParseStatements parses query and translates its statements into
// cairn's AST, checking ctx between chunks of a long string of statements.
// It returns the scanner's notices with them.
func ParseStatements(ctx context.Context, query string, cfg Config) ([]Statement, []Notice, error) {
	var out []Statement
	notices, err := Parse(ctx, query, cfg, func(chunk Chunk) error {
		tr := translator{query: chunk.Text, runeOffset: int32(chunk.RuneOffset), version: chunk.Tree.Version}
		tr.ascii = isASCII(chunk.Text)
		for _, raw := range chunk.Tree.Stmts {
			start := int(raw.StmtLocation)
			end := len(chunk.Text)
			if raw.StmtLen > 0 {
				end = start + int(raw.StmtLen)
			}
			stmt, err := tr.stmt(raw.Stmt)
			if err != nil {
				return err
			}
			out = append(out, Statement{Stmt: stmt, SQL: strings.TrimSpace(chunk.Text[start:end])})
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return out, notices, nil
}

// translator turns PostgreSQL parse nodes into cairn's AST.
type translator struct {
	query   string
	depth   int
	version int32 // parse tree format version, for deparsing
	// runeOffset is the number of characters before query in the string
	// the client sent; positions in errors count from there.
	runeOffset int32
	// ascii is set when query has no multibyte characters, so a byte
	// offset is a character offset.
	ascii bool
	// runeMarks[i] is the number of characters in query[:i*runeMarkBytes],
	// built on first use, so that pos costs O(runeMarkBytes) whatever the
	// length of query.
	runeMarks []int32
	// explain, while an EXPLAIN's statement is translated, keeps the
	// parse node of each expression for printing it (deparse_explain.go).
	explain *ExplainSource
	// windows are the named windows of the query being translated
	// (WINDOW w AS (...)), which window functions' OVER may name.
	windows map[string]*pg.WindowDef
}

// runeMarkBytes is the spacing of translator.runeMarks.
const runeMarkBytes = 4096

// pos converts a 0-based byte offset to PostgreSQL's 1-based character
// position.
func (t *translator) pos(loc int32) int32 {
	if loc < 0 || int(loc) > len(t.query) {
		return 0
	}
	if t.ascii {
		return t.runeOffset + loc + 1
	}
	if t.runeMarks == nil {
		t.runeMarks = make([]int32, len(t.query)/runeMarkBytes+1)
		n := int32(0)
		for i := 1; i < len(t.runeMarks); i++ {
			n += int32(utf8.RuneCountInString(t.query[(i-1)*runeMarkBytes : i*runeMarkBytes]))
			t.runeMarks[i] = n
		}
	}
	mark := int(loc) / runeMarkBytes
	return t.runeOffset + t.runeMarks[mark] + int32(utf8.RuneCountInString(t.query[mark*runeMarkBytes:loc])) + 1
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func (t *translator) unsupported(what string, loc int32) error {
	e := pgerr.New(pgerr.FeatureNotSupported, "%s is not supported", what)
	e.Position = t.pos(loc)
	return e
}

func (t *translator) stmt(n *pg.Node) (ast.Stmt, error) {
	if s, ok, err := t.userTypeStmt(n); ok {
		return s, err
	}
	if s, ok, err := t.compositeStmt(n); ok {
		return s, err
	}
	if s, ok, err := t.policyStmt(n); ok {
		return s, err
	}
	if s, ok, err := t.functionStmt(n); ok {
		return s, err
	}
	if s, ok, err := t.operatorStmt(n); ok {
		return s, err
	}
	if s, ok, err := t.triggerStmt(n); ok {
		return s, err
	}
	if s, ok, err := t.ruleStmt(n); ok {
		return s, err
	}
	switch {
	case n.GetExplainStmt() != nil:
		return t.explainStmt(n.GetExplainStmt())
	case n.GetSelectStmt() != nil && n.GetSelectStmt().IntoClause != nil:
		return t.selectInto(n.GetSelectStmt())
	case n.GetSelectStmt() != nil:
		return t.selectStmt(n.GetSelectStmt())
	case n.GetCreateTableAsStmt() != nil:
		return t.createTableAs(n.GetCreateTableAsStmt())
	case n.GetInsertStmt() != nil:
		return t.insertStmt(n.GetInsertStmt())
	case n.GetUpdateStmt() != nil:
		return t.updateStmt(n.GetUpdateStmt())
	case n.GetDeleteStmt() != nil:
		return t.deleteStmt(n.GetDeleteStmt())
	case n.GetMergeStmt() != nil:
		return t.mergeStmt(n.GetMergeStmt())
	case n.GetDoStmt() != nil:
		return t.doStmt(n.GetDoStmt())
	case n.GetCreateStmt() != nil:
		return t.createStmt(n.GetCreateStmt())
	case n.GetPrepareStmt() != nil:
		return t.prepareStmt(n.GetPrepareStmt())
	case n.GetExecuteStmt() != nil:
		return t.executeStmt(n.GetExecuteStmt())
	case n.GetDeallocateStmt() != nil:
		return &ast.DeallocateStmt{Name: n.GetDeallocateStmt().Name, All: n.GetDeallocateStmt().Isall}, nil
	case n.GetViewStmt() != nil:
		return t.viewStmt(n.GetViewStmt())
	case n.GetDropStmt() != nil:
		return t.dropStmt(n.GetDropStmt())
	case n.GetIndexStmt() != nil:
		return t.indexStmt(n.GetIndexStmt())
	case n.GetTransactionStmt() != nil:
		return t.transactionStmt(n.GetTransactionStmt())
	case n.GetVariableSetStmt() != nil:
		return t.setStmt(n.GetVariableSetStmt())
	case n.GetTruncateStmt() != nil:
		out := &ast.TruncateStmt{RestartIdentity: n.GetTruncateStmt().RestartSeqs, Cascade: n.GetTruncateStmt().Behavior == pg.DropBehavior_DROP_CASCADE}
		for _, r := range n.GetTruncateStmt().Relations {
			ref, err := t.rangeVar(r.GetRangeVar())
			if err != nil {
				return nil, err
			}
			out.Tables = append(out.Tables, ref)
		}
		return out, nil
	case n.GetDeclareCursorStmt() != nil:
		d := n.GetDeclareCursorStmt()
		sel := d.Query.GetSelectStmt()
		if sel == nil {
			return nil, t.unsupported("DECLARE CURSOR for this statement", 0)
		}
		q, err := t.selectStmt(sel)
		if err != nil {
			return nil, err
		}
		return &ast.DeclareCursorStmt{Name: d.Portalname, Query: q, Binary: d.Options&cursorOptBinary != 0,
			NoScroll: d.Options&cursorOptNoScroll != 0, Hold: d.Options&cursorOptHold != 0}, nil
	case n.GetFetchStmt() != nil:
		f := n.GetFetchStmt()
		out := &ast.FetchStmt{Name: f.Portalname, Count: f.HowMany, Move: f.Ismove}
		switch f.Direction {
		case pg.FetchDirection_FETCH_FORWARD:
			out.Direction = "FORWARD"
		case pg.FetchDirection_FETCH_BACKWARD:
			out.Direction = "BACKWARD"
		case pg.FetchDirection_FETCH_ABSOLUTE:
			out.Direction = "ABSOLUTE"
		case pg.FetchDirection_FETCH_RELATIVE:
			out.Direction = "RELATIVE"
		default:
			return nil, t.unsupported("this FETCH direction", 0)
		}
		return out, nil
	case n.GetClosePortalStmt() != nil:
		return &ast.CloseCursorStmt{Name: n.GetClosePortalStmt().Portalname}, nil
	case n.GetLockStmt() != nil:
		ls := n.GetLockStmt()
		out := &ast.LockStmt{Mode: lockModeNames[ls.Mode], NoWait: ls.Nowait}
		for _, r := range ls.Relations {
			ref, err := t.rangeVar(r.GetRangeVar())
			if err != nil {
				return nil, err
			}
			out.Tables = append(out.Tables, ref)
		}
		return out, nil
	case n.GetVacuumStmt() != nil:
		return t.vacuumStmt(n.GetVacuumStmt())
	case n.GetAlterTableStmt() != nil:
		return t.alterTableStmt(n.GetAlterTableStmt())
	case n.GetCopyStmt() != nil:
		return t.copyStmt(n.GetCopyStmt())
	case n.GetCreateSeqStmt() != nil:
		return t.createSeqStmt(n.GetCreateSeqStmt())
	case n.GetAlterSeqStmt() != nil:
		return t.alterSeqStmt(n.GetAlterSeqStmt())
	case n.GetRenameStmt() != nil && renamesRelation(n.GetRenameStmt().RenameType):
		return t.renameRelation(n.GetRenameStmt())
	case n.GetReindexStmt() != nil:
		return t.reindexStmt(n.GetReindexStmt())
	case n.GetRenameStmt() != nil && n.GetRenameStmt().RenameType == pg.ObjectType_OBJECT_COLUMN &&
		(n.GetRenameStmt().RelationType == pg.ObjectType_OBJECT_TABLE || n.GetRenameStmt().RelationType == pg.ObjectType_OBJECT_VIEW):
		r := n.GetRenameStmt()
		ref, err := t.rangeVar(r.Relation)
		if err != nil {
			return nil, err
		}
		return &ast.AlterTableStmt{Table: ref, IfExists: r.MissingOk, Pos: ref.Pos,
			RenameColumn: &ast.RenameColumn{Old: TruncateIdent(r.Subname), New: TruncateIdent(r.Newname)}}, nil
	case n.GetCommentStmt() != nil:
		return t.commentStmt(n.GetCommentStmt())
	case n.GetCreateRoleStmt() != nil:
		return t.createRoleStmt(n.GetCreateRoleStmt())
	case n.GetAlterRoleStmt() != nil:
		return t.alterRoleStmt(n.GetAlterRoleStmt())
	case n.GetDropRoleStmt() != nil:
		return t.dropRoleStmt(n.GetDropRoleStmt())
	case n.GetAlterRoleSetStmt() != nil:
		r := n.GetAlterRoleSetStmt()
		return t.alterRoleSetStmt(r.Role, r.Database, false, r.Setstmt)
	case n.GetAlterDatabaseSetStmt() != nil:
		r := n.GetAlterDatabaseSetStmt()
		return t.alterRoleSetStmt(nil, r.Dbname, true, r.Setstmt)
	case n.GetGrantStmt() != nil:
		return t.grantStmt(n.GetGrantStmt())
	case n.GetAlterDefaultPrivilegesStmt() != nil:
		return t.alterDefaultPrivileges(n.GetAlterDefaultPrivilegesStmt())
	case n.GetGrantRoleStmt() != nil:
		return t.grantRoleStmt(n.GetGrantRoleStmt())
	case n.GetRenameStmt() != nil && n.GetRenameStmt().RenameType == pg.ObjectType_OBJECT_ROLE:
		r := n.GetRenameStmt()
		return &ast.AlterRoleStmt{Role: ast.RoleSpec{Name: TruncateIdent(r.Subname)}, RenameTo: TruncateIdent(r.Newname)}, nil
	case n.GetCreateSchemaStmt() != nil:
		return t.createSchema(n.GetCreateSchemaStmt())
	case n.GetRenameStmt() != nil && n.GetRenameStmt().RenameType == pg.ObjectType_OBJECT_SCHEMA:
		r := n.GetRenameStmt()
		return &ast.AlterSchemaStmt{Name: r.Subname, RenameTo: TruncateIdent(r.Newname)}, nil
	case n.GetAlterObjectSchemaStmt() != nil:
		return t.setSchema(n.GetAlterObjectSchemaStmt())
	case n.GetAlterOwnerStmt() != nil && n.GetAlterOwnerStmt().ObjectType == pg.ObjectType_OBJECT_SCHEMA:
		o := n.GetAlterOwnerStmt()
		owner := roleName(o.Newowner)
		if o.Newowner != nil && o.Newowner.Roletype == pg.RoleSpecType_ROLESPEC_PUBLIC {
			owner = "public" // no role: OWNER TO fails with 42704
		}
		return &ast.AlterSchemaStmt{Name: str(o.Object), Owner: &owner}, nil
	case n.GetDiscardStmt() != nil && n.GetDiscardStmt().Target == pg.DiscardMode_DISCARD_TEMP:
		return &ast.DiscardStmt{Temp: true}, nil
	case n.GetRenameStmt() != nil && n.GetRenameStmt().RenameType == pg.ObjectType_OBJECT_TABCONSTRAINT:
		r := n.GetRenameStmt()
		ref, err := t.rangeVar(r.Relation)
		if err != nil {
			return nil, err
		}
		return &ast.AlterTableStmt{Table: ref, IfExists: r.MissingOk, Pos: ref.Pos,
			RenameConstraint: &[2]string{TruncateIdent(r.Subname), TruncateIdent(r.Newname)}}, nil
	case n.GetConstraintsSetStmt() != nil:
		c := n.GetConstraintsSetStmt()
		out := &ast.SetConstraintsStmt{Deferred: c.Deferred}
		for _, rv := range c.Constraints {
			ref, err := t.rangeVar(rv.GetRangeVar())
			if err != nil {
				return nil, err
			}
			out.Names = append(out.Names, ref.Name)
		}
		return out, nil
	case n.GetDiscardStmt() != nil && n.GetDiscardStmt().Target == pg.DiscardMode_DISCARD_SEQUENCES:
		return &ast.DiscardStmt{}, nil
	case n.GetDiscardStmt() != nil && n.GetDiscardStmt().Target == pg.DiscardMode_DISCARD_PLANS:
		return &ast.DiscardStmt{Plans: true}, nil
	case n.GetDiscardStmt() != nil && n.GetDiscardStmt().Target == pg.DiscardMode_DISCARD_ALL:
		return &ast.DiscardStmt{All: true}, nil
	case n.GetCreateExtensionStmt() != nil:
		c := n.GetCreateExtensionStmt()
		return &ast.CreateExtensionStmt{Name: c.Extname, IfNotExists: c.IfNotExists}, nil
	case n.GetVariableShowStmt() != nil:
		return &ast.ShowStmt{Name: strings.ToLower(n.GetVariableShowStmt().Name)}, nil
	case n.GetListenStmt() != nil:
		return &ast.ListenStmt{Channel: TruncateIdent(n.GetListenStmt().Conditionname)}, nil
	case n.GetUnlistenStmt() != nil:
		name := n.GetUnlistenStmt().Conditionname
		return &ast.UnlistenStmt{Channel: TruncateIdent(name), All: name == ""}, nil
	case n.GetNotifyStmt() != nil:
		return &ast.NotifyStmt{Channel: TruncateIdent(n.GetNotifyStmt().Conditionname), Payload: n.GetNotifyStmt().Payload}, nil
	}
	return nil, pgerr.New(pgerr.FeatureNotSupported, "statement %s is not supported", nodeName(n))
}

func nodeName(n *pg.Node) string {
	if n == nil || n.Node == nil {
		return "empty"
	}
	return strings.TrimPrefix(fmt.Sprintf("%T", n.Node), "*pg_query.Node_")
}

func str(n *pg.Node) string {
	if s := n.GetString_(); s != nil {
		return s.Sval
	}
	return ""
}

func (t *translator) name(n *pg.Node) string { return TruncateIdent(str(n)) }

// names translates a list of identifiers (String nodes).
func (t *translator) names(list []*pg.Node) []string {
	var out []string
	for _, n := range list {
		out = append(out, t.name(n))
	}
	return out
}

// TruncateIdent cuts an identifier to 63 bytes on a character boundary,
// as PostgreSQL truncates names.
func TruncateIdent(s string) string {
	if len(s) <= identifierBytesMax {
		return s
	}
	cut := identifierBytesMax
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

func (t *translator) rangeVar(rv *pg.RangeVar) (ast.TableRef, error) {
	ref := ast.TableRef{Name: TruncateIdent(rv.Relname), Pos: t.pos(rv.Location), Only: !rv.Inh, Temp: rv.Relpersistence == "t", Unlogged: rv.Relpersistence == "u"}
	switch rv.Schemaname {
	case "":
	case "pg_catalog":
		ref.System = true
	case "information_schema":
		ref.InfoSchema = true
	default:
		ref.Name = QualifiedName(TruncateIdent(rv.Schemaname), ref.Name)
	}
	if rv.Alias != nil {
		ref.Alias = TruncateIdent(rv.Alias.Aliasname)
		ref.Columns = t.names(rv.Alias.Colnames)
	}
	return ref, nil
}

// createTableAs translates CREATE TABLE ... AS query.
func (t *translator) createTableAs(s *pg.CreateTableAsStmt) (ast.Stmt, error) {
	if s.Objtype != pg.ObjectType_OBJECT_TABLE {
		return nil, t.unsupported("CREATE MATERIALIZED VIEW", 0)
	}
	q := s.Query.GetSelectStmt()
	if ex := s.Query.GetExecuteStmt(); ex != nil && len(ex.Params) == 0 {
		out, err := t.into(s.Into)
		if err != nil {
			return nil, err
		}
		out.IfNotExists, out.Execute = s.IfNotExists, ex.Name
		return out, nil
	}
	if q == nil {
		return nil, t.unsupported("CREATE TABLE AS of a statement other than SELECT", 0)
	}
	out, err := t.into(s.Into)
	if err != nil {
		return nil, err
	}
	out.IfNotExists = s.IfNotExists
	if out.Query, err = t.selectStmt(q); err != nil {
		return nil, err
	}
	return out, nil
}

// selectInto translates SELECT ... INTO name, which is CREATE TABLE name
// AS the query without INTO.
func (t *translator) selectInto(s *pg.SelectStmt) (ast.Stmt, error) {
	out, err := t.into(s.IntoClause)
	if err != nil {
		return nil, err
	}
	into := s.IntoClause
	s.IntoClause = nil
	defer func() { s.IntoClause = into }()
	if out.Query, err = t.selectStmt(s); err != nil {
		return nil, err
	}
	return out, nil
}

// into reads the target of CREATE TABLE AS and SELECT INTO.
func (t *translator) into(in *pg.IntoClause) (*ast.CreateTableAsStmt, error) {
	switch {
	case in == nil || in.Rel == nil:
		return nil, pgerr.New(pgerr.SyntaxError, "CREATE TABLE AS without a table")
	case in.AccessMethod != "" && in.AccessMethod != "heap" || in.TableSpaceName != "" && in.TableSpaceName != "pg_default":
		return nil, t.unsupported("CREATE TABLE AS options", in.Rel.Location)
	}
	if err := t.storageParams(in.Options); err != nil {
		return nil, err
	}
	ref, err := t.rangeVar(in.Rel)
	if err != nil {
		return nil, err
	}
	if ref.OnCommit, err = t.onCommit(in.OnCommit, ref); err != nil {
		return nil, err
	}
	return &ast.CreateTableAsStmt{Table: ref, Columns: t.names(in.ColNames), NoData: in.SkipData}, nil
}

func (t *translator) selectStmt(s *pg.SelectStmt) (*ast.SelectStmt, error) {
	if s == nil {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "this kind of query is not supported here")
	}
	if s.IntoClause != nil {
		return nil, t.unsupported("SELECT INTO", 0)
	}
	saved := t.windows
	defer func() { t.windows = saved }()
	if len(s.WindowClause) > 0 {
		t.windows = make(map[string]*pg.WindowDef, len(s.WindowClause))
		for _, w := range s.WindowClause {
			def := w.GetWindowDef()
			if _, dup := t.windows[def.Name]; dup {
				return nil, pgerr.New(pgerr.WindowingError, "window \"%s\" is already defined", def.Name).WithPosition(t.pos(def.Location))
			}
			t.windows[def.Name] = def
		}
	} else {
		t.windows = nil
	}
	out := &ast.SelectStmt{}
	var err error
	if len(s.LockingClause) > 1 {
		return nil, t.unsupported("more than one locking clause", 0)
	}
	if len(s.LockingClause) == 1 {
		lc := s.LockingClause[0].GetLockingClause()
		out.Locking = &ast.LockingClause{
			Strength: map[pg.LockClauseStrength]string{
				pg.LockClauseStrength_LCS_FORUPDATE: "UPDATE", pg.LockClauseStrength_LCS_FORNOKEYUPDATE: "NO KEY UPDATE",
				pg.LockClauseStrength_LCS_FORSHARE: "SHARE", pg.LockClauseStrength_LCS_FORKEYSHARE: "KEY SHARE",
			}[lc.Strength],
			NoWait: lc.WaitPolicy == pg.LockWaitPolicy_LockWaitError,
			Skip:   lc.WaitPolicy == pg.LockWaitPolicy_LockWaitSkip,
		}
		for _, r := range lc.LockedRels {
			if rv := r.GetRangeVar(); rv != nil {
				out.Locking.Of = append(out.Locking.Of, TruncateIdent(rv.Relname))
			}
		}
	}
	if s.WithClause != nil {
		if out.With, err = t.withClause(s.WithClause); err != nil {
			return nil, err
		}
	}
	switch s.Op {
	case pg.SetOperation_SETOP_UNION, pg.SetOperation_SETOP_INTERSECT, pg.SetOperation_SETOP_EXCEPT:
		out.Op = map[pg.SetOperation]string{
			pg.SetOperation_SETOP_UNION: "UNION", pg.SetOperation_SETOP_INTERSECT: "INTERSECT", pg.SetOperation_SETOP_EXCEPT: "EXCEPT",
		}[s.Op]
		out.All = s.All
		if out.Left, err = t.selectStmt(s.Larg); err != nil {
			return nil, err
		}
		if out.Right, err = t.selectStmt(s.Rarg); err != nil {
			return nil, err
		}
	default:
		if len(s.ValuesLists) > 0 {
			for _, row := range s.ValuesLists {
				exprs, err := t.exprList(row.GetList().GetItems())
				if err != nil {
					return nil, err
				}
				out.Values = append(out.Values, exprs)
			}
			break
		}
		if s.DistinctClause != nil {
			if len(s.DistinctClause) > 1 || (len(s.DistinctClause) == 1 && s.DistinctClause[0].Node != nil) {
				if out.DistinctOn, err = t.exprList(s.DistinctClause); err != nil {
					return nil, err
				}
			} else {
				out.Distinct = true
			}
		}
		if out.Targets, err = t.targets(s.TargetList); err != nil {
			return nil, err
		}
		for _, f := range s.FromClause {
			te, err := t.tableExpr(f)
			if err != nil {
				return nil, err
			}
			out.From = append(out.From, te)
		}
		if out.Where, err = t.optExpr(s.WhereClause); err != nil {
			return nil, err
		}
		if out.GroupBy, err = t.groupClause(s.GroupClause); err != nil {
			return nil, err
		}
		out.GroupDistinct = s.GroupDistinct
		if out.Having, err = t.optExpr(s.HavingClause); err != nil {
			return nil, err
		}
	}
	if out.OrderBy, err = t.sortClause(s.SortClause); err != nil {
		return nil, err
	}
	out.WithTies = s.LimitOption == pg.LimitOption_LIMIT_OPTION_WITH_TIES
	if out.Limit, err = t.optExpr(s.LimitCount); err != nil {
		return nil, err
	}
	if out.Offset, err = t.optExpr(s.LimitOffset); err != nil {
		return nil, err
	}
	return out, nil
}

// sortClause translates ORDER BY items, of a query or an aggregate.
func (t *translator) sortClause(list []*pg.Node) ([]ast.OrderItem, error) {
	var out []ast.OrderItem
	for _, sb := range list {
		by := sb.GetSortBy()
		e, err := t.expr(by.Node)
		if err != nil {
			return nil, err
		}
		item := ast.OrderItem{Expr: e, Desc: by.SortbyDir == pg.SortByDir_SORTBY_DESC}
		if by.SortbyDir == pg.SortByDir_SORTBY_USING {
			// USING < and USING > are ASC and DESC, NULLS placement included.
			op := ""
			if len(by.UseOp) > 0 {
				op = str(by.UseOp[len(by.UseOp)-1])
			}
			switch op {
			case "<":
			case ">":
				item.Desc = true
			default:
				return nil, t.unsupported("ORDER BY USING "+op, by.Location)
			}
		}
		switch by.SortbyNulls {
		case pg.SortByNulls_SORTBY_NULLS_FIRST:
			v := true
			item.NullsFirst = &v
		case pg.SortByNulls_SORTBY_NULLS_LAST:
			v := false
			item.NullsFirst = &v
		}
		out = append(out, item)
	}
	return out, nil
}

// aggSortClause is sortClause for an aggregate's ORDER BY: an operator of
// USING other than < and > is returned (the first one) for the binder to
// refuse, its item left in ascending order.
func (t *translator) aggSortClause(list []*pg.Node) ([]ast.OrderItem, string, error) {
	using := ""
	plain := make([]*pg.Node, len(list))
	for i, n := range list {
		plain[i] = n
		by := n.GetSortBy()
		if by == nil || by.SortbyDir != pg.SortByDir_SORTBY_USING || len(by.UseOp) == 0 {
			continue
		}
		if op := str(by.UseOp[len(by.UseOp)-1]); op != "<" && op != ">" {
			if using == "" {
				using = op
			}
			asc := &pg.SortBy{Node: by.Node, SortbyDir: pg.SortByDir_SORTBY_DEFAULT, SortbyNulls: by.SortbyNulls, Location: by.Location}
			plain[i] = &pg.Node{Node: &pg.Node_SortBy{SortBy: asc}}
		}
	}
	out, err := t.sortClause(plain)
	return out, using, err
}

func (t *translator) withClause(w *pg.WithClause) ([]*ast.CTE, error) {
	var out []*ast.CTE
	for _, n := range w.Ctes {
		c := n.GetCommonTableExpr()
		if c == nil {
			return nil, t.unsupported("this WITH item", w.Location)
		}
		search, cycle, err := t.searchCycle(c)
		if err != nil {
			return nil, err
		}
		if q := c.Ctequery; q.GetInsertStmt() != nil || q.GetUpdateStmt() != nil || q.GetDeleteStmt() != nil {
			dml, err := t.stmt(q)
			if err != nil {
				return nil, err
			}
			out = append(out, &ast.CTE{Name: TruncateIdent(c.Ctename), Columns: t.names(c.Aliascolnames), DML: dml,
				Recursive: w.Recursive, Search: search, Cycle: cycle, Pos: t.pos(c.Location)})
			continue
		}
		if c.Ctequery.GetSelectStmt() == nil {
			return nil, t.unsupported("this statement in WITH", c.Location)
		}
		q, err := t.selectStmt(c.Ctequery.GetSelectStmt())
		if err != nil {
			return nil, err
		}
		out = append(out, &ast.CTE{Name: TruncateIdent(c.Ctename), Columns: t.names(c.Aliascolnames), Query: q,
			Recursive: w.Recursive, Search: search, Cycle: cycle, Pos: t.pos(c.Location)})
	}
	return out, nil
}

// searchCycle translates a WITH query's SEARCH and CYCLE clauses.
func (t *translator) searchCycle(c *pg.CommonTableExpr) (*ast.CTESearch, *ast.CTECycle, error) {
	var search *ast.CTESearch
	var cycle *ast.CTECycle
	if s := c.SearchClause; s != nil {
		search = &ast.CTESearch{BreadthFirst: s.SearchBreadthFirst, Columns: t.names(s.SearchColList),
			SeqColumn: TruncateIdent(s.SearchSeqColumn), Pos: t.pos(s.Location)}
	}
	if y := c.CycleClause; y != nil {
		cycle = &ast.CTECycle{Columns: t.names(y.CycleColList), MarkColumn: TruncateIdent(y.CycleMarkColumn),
			PathColumn: TruncateIdent(y.CyclePathColumn), Pos: t.pos(y.Location)}
		var err error
		if cycle.MarkValue, err = t.expr(y.CycleMarkValue); err != nil {
			return nil, nil, err
		}
		if cycle.MarkDefault, err = t.expr(y.CycleMarkDefault); err != nil {
			return nil, nil, err
		}
	}
	return search, cycle, nil
}

func (t *translator) targets(list []*pg.Node) ([]ast.Target, error) {
	var out []ast.Target
	for _, n := range list {
		rt := n.GetResTarget()
		if rt == nil {
			return nil, pgerr.New(pgerr.SyntaxError, "unexpected select list item")
		}
		if cr := rt.Val.GetColumnRef(); cr != nil && len(cr.Fields) > 0 && cr.Fields[len(cr.Fields)-1].GetAStar() != nil {
			tg := ast.Target{Star: true, Pos: t.pos(cr.Location)}
			if len(cr.Fields) == 2 {
				tg.Table = t.name(cr.Fields[0])
			} else if len(cr.Fields) > 2 {
				return nil, t.unsupported("qualified star", cr.Location)
			}
			out = append(out, tg)
			continue
		}
		e, err := t.expr(rt.Val)
		if err != nil {
			return nil, err
		}
		out = append(out, ast.Target{Expr: e, Alias: TruncateIdent(rt.Name), Pos: t.pos(rt.Location)})
	}
	return out, nil
}

func (t *translator) tableExpr(n *pg.Node) (ast.TableExpr, error) {
	switch {
	case n.GetRangeVar() != nil:
		ref, err := t.rangeVar(n.GetRangeVar())
		return &ref, err
	case n.GetJoinExpr() != nil:
		j := n.GetJoinExpr()
		left, err := t.tableExpr(j.Larg)
		if err != nil {
			return nil, err
		}
		right, err := t.tableExpr(j.Rarg)
		if err != nil {
			return nil, err
		}
		out := &ast.JoinExpr{Left: left, Right: right}
		switch j.Jointype {
		case pg.JoinType_JOIN_INNER:
			out.Kind = "INNER"
			if j.Quals == nil && len(j.UsingClause) == 0 && !j.IsNatural {
				out.Kind = "CROSS"
			}
		case pg.JoinType_JOIN_LEFT:
			out.Kind = "LEFT"
		case pg.JoinType_JOIN_RIGHT:
			out.Kind = "RIGHT"
		case pg.JoinType_JOIN_FULL:
			out.Kind = "FULL"
		default:
			return nil, t.unsupported("this join type", 0)
		}
		for _, u := range j.UsingClause {
			out.Using = append(out.Using, t.name(u))
		}
		if out.On, err = t.optExpr(j.Quals); err != nil {
			return nil, err
		}
		out.Natural = j.IsNatural
		if j.JoinUsingAlias != nil {
			out.UsingAlias = TruncateIdent(j.JoinUsingAlias.Aliasname)
		}
		if j.Alias != nil {
			out.Alias = TruncateIdent(j.Alias.Aliasname)
			out.Columns = t.names(j.Alias.Colnames)
		}
		return out, nil
	case n.GetRangeSubselect() != nil:
		rs := n.GetRangeSubselect()
		q, err := t.selectStmt(rs.Subquery.GetSelectStmt())
		if err != nil {
			return nil, err
		}
		ref := &ast.SubqueryRef{Query: q, Lateral: rs.Lateral}
		if rs.Alias != nil {
			ref.Alias = TruncateIdent(rs.Alias.Aliasname)
			ref.Columns = t.names(rs.Alias.Colnames)
		}
		return ref, nil
	case n.GetRangeFunction() != nil:
		return t.rangeFunction(n.GetRangeFunction())
	}
	return nil, pgerr.New(pgerr.FeatureNotSupported, "FROM item %s is not supported", nodeName(n))
}

// rangeFunction translates a function in FROM, with a column
// definition list after its alias. ROWS FROM with several functions and
// column definition lists inside ROWS FROM are not supported.
func (t *translator) rangeFunction(rf *pg.RangeFunction) (ast.TableExpr, error) {
	if rf.IsRowsfrom || len(rf.Functions) != 1 {
		return nil, t.unsupported("ROWS FROM", 0)
	}
	pair := rf.Functions[0].GetList().GetItems()
	if len(pair) == 0 || pair[0].GetFuncCall() == nil {
		return nil, t.unsupported("this function in FROM", 0)
	}
	if len(pair) > 1 && pair[1].GetList() != nil && len(pair[1].GetList().GetItems()) > 0 {
		return nil, t.unsupported("column definition lists", 0)
	}
	call, err := t.funcCall(pair[0].GetFuncCall())
	if err != nil {
		return nil, err
	}
	ref := &ast.FuncRef{Call: call.(*ast.FuncCall), Ordinality: rf.Ordinality}
	if rf.Alias != nil {
		ref.Alias = TruncateIdent(rf.Alias.Aliasname)
		ref.Columns = t.names(rf.Alias.Colnames)
	}
	for _, n := range rf.Coldeflist {
		cd := n.GetColumnDef()
		if cd == nil {
			return nil, t.unsupported("this column definition", 0)
		}
		tn, err := t.typeName(cd.TypeName)
		if err != nil {
			return nil, err
		}
		ref.ColDefs = append(ref.ColDefs, ast.ColumnDef{Name: TruncateIdent(cd.Colname), Type: tn, Pos: t.pos(cd.Location)})
	}
	return ref, nil
}

func (t *translator) optExpr(n *pg.Node) (ast.Expr, error) {
	if n == nil {
		return nil, nil
	}
	return t.expr(n)
}

func (t *translator) exprList(list []*pg.Node) ([]ast.Expr, error) {
	out := make([]ast.Expr, 0, len(list))
	for _, n := range list {
		e, err := t.expr(n)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// balancedChain joins args with the associative operator op (AND, OR) as a
// balanced tree: evaluation still runs left to right, but a chain of
// 100,000 conditions nests 17 deep instead of 100,000.
func balancedChain(op string, args []ast.Expr, pos int32) ast.Expr {
	if len(args) == 1 {
		return args[0]
	}
	mid := len(args) / 2
	return &ast.BinaryExpr{Op: op, L: balancedChain(op, args[:mid], pos), R: balancedChain(op, args[mid:], pos), Pos: pos}
}

func (t *translator) expr(n *pg.Node) (out ast.Expr, err error) {
	t.depth++
	defer func() { t.depth-- }()
	if t.explain != nil {
		defer func() { t.explain.note(out, n, err) }()
	}
	if t.depth > ExprDepthMax {
		return nil, tooDeep()
	}
	switch {
	case n.GetAConst() != nil:
		return t.constant(n.GetAConst())
	case n.GetGroupingFunc() != nil:
		return t.groupingFunc(n.GetGroupingFunc())
	case n.GetColumnRef() != nil:
		cr := n.GetColumnRef()
		ref := &ast.ColumnRef{Pos: t.pos(cr.Location)}
		switch len(cr.Fields) {
		case 1:
			if cr.Fields[0].GetAStar() != nil {
				return nil, pgerr.New(pgerr.SyntaxError, "syntax error at or near \"*\"").WithPosition(ref.Pos)
			}
			ref.Column = t.name(cr.Fields[0])
		case 2:
			ref.Table, ref.Column = t.name(cr.Fields[0]), t.name(cr.Fields[1])
			if cr.Fields[1].GetAStar() != nil {
				// t.* in an expression: the row of FROM item t.
				ref.Column = "*"
			}
		case 3:
			if cr.Fields[2].GetAStar() != nil {
				return nil, t.unsupported("qualified column reference", cr.Location)
			}
			ref.Schema, ref.Table, ref.Column = t.name(cr.Fields[0]), t.name(cr.Fields[1]), t.name(cr.Fields[2])
		default:
			return nil, t.unsupported("qualified column reference", cr.Location)
		}
		return ref, nil
	case n.GetParamRef() != nil:
		p := n.GetParamRef()
		if p.Number < 1 || p.Number > paramsMax {
			return nil, pgerr.New(pgerr.UndefinedParameter, "there is no parameter $%d", p.Number).WithPosition(t.pos(p.Location))
		}
		return &ast.ParamRef{N: int(p.Number), Pos: t.pos(p.Location)}, nil
	case n.GetAExpr() != nil:
		return t.aExpr(n.GetAExpr())
	case n.GetBoolExpr() != nil:
		b := n.GetBoolExpr()
		args, err := t.exprList(b.Args)
		if err != nil {
			return nil, err
		}
		p := t.pos(b.Location)
		switch b.Boolop {
		case pg.BoolExprType_NOT_EXPR:
			return &ast.UnaryExpr{Op: "NOT", X: args[0], Pos: p}, nil
		case pg.BoolExprType_AND_EXPR, pg.BoolExprType_OR_EXPR:
			op := "AND"
			if b.Boolop == pg.BoolExprType_OR_EXPR {
				op = "OR"
			}
			return balancedChain(op, args, p), nil
		}
	case n.GetNullTest() != nil:
		nt := n.GetNullTest()
		x, err := t.expr(nt.Arg)
		if err != nil {
			return nil, err
		}
		return &ast.IsExpr{X: x, What: "NULL", Not: nt.Nulltesttype == pg.NullTestType_IS_NOT_NULL, Pos: t.pos(nt.Location)}, nil
	case n.GetBooleanTest() != nil:
		bt := n.GetBooleanTest()
		x, err := t.expr(bt.Arg)
		if err != nil {
			return nil, err
		}
		e := &ast.IsExpr{X: x, Pos: t.pos(bt.Location)}
		switch bt.Booltesttype {
		case pg.BoolTestType_IS_TRUE, pg.BoolTestType_IS_NOT_TRUE:
			e.What = "TRUE"
		case pg.BoolTestType_IS_FALSE, pg.BoolTestType_IS_NOT_FALSE:
			e.What = "FALSE"
		default:
			e.What = "UNKNOWN"
		}
		e.Not = bt.Booltesttype == pg.BoolTestType_IS_NOT_TRUE || bt.Booltesttype == pg.BoolTestType_IS_NOT_FALSE || bt.Booltesttype == pg.BoolTestType_IS_NOT_UNKNOWN
		return e, nil
	case n.GetFuncCall() != nil:
		return t.funcCall(n.GetFuncCall())
	case n.GetTypeCast() != nil:
		tc := n.GetTypeCast()
		x, err := t.expr(tc.Arg)
		if err != nil {
			return nil, err
		}
		tn, err := t.typeName(tc.TypeName)
		if err != nil {
			return nil, err
		}
		return &ast.CastExpr{X: x, Type: tn, Pos: t.pos(tc.Location)}, nil
	case n.GetRowExpr() != nil:
		r := n.GetRowExpr()
		items, err := t.exprList(r.Args)
		if err != nil {
			return nil, err
		}
		return &ast.RowExpr{Items: items, Pos: t.pos(r.Location)}, nil
	case n.GetCollateClause() != nil:
		c := n.GetCollateClause()
		x, err := t.expr(c.Arg)
		if err != nil {
			return nil, err
		}
		name := ""
		if len(c.Collname) > 0 {
			name = str(c.Collname[len(c.Collname)-1])
		}
		if name != "C" && name != "POSIX" && name != "default" {
			return nil, t.unsupported("collation \""+name+"\"", c.Location)
		}
		return &ast.CollateExpr{X: x, Name: name, Pos: t.pos(c.Location)}, nil
	case n.GetCaseExpr() != nil:
		c := n.GetCaseExpr()
		out := &ast.CaseExpr{Pos: t.pos(c.Location)}
		var err error
		if out.Arg, err = t.optExpr(c.Arg); err != nil {
			return nil, err
		}
		for _, w := range c.Args {
			cw := w.GetCaseWhen()
			cond, err := t.expr(cw.Expr)
			if err != nil {
				return nil, err
			}
			res, err := t.expr(cw.Result)
			if err != nil {
				return nil, err
			}
			out.Whens = append(out.Whens, ast.CaseWhen{Cond: cond, Result: res})
		}
		if out.Else, err = t.optExpr(c.Defresult); err != nil {
			return nil, err
		}
		return out, nil
	case n.GetCoalesceExpr() != nil:
		c := n.GetCoalesceExpr()
		args, err := t.exprList(c.Args)
		if err != nil {
			return nil, err
		}
		return &ast.FuncCall{Name: "coalesce", Args: args, Pos: t.pos(c.Location)}, nil
	case n.GetMinMaxExpr() != nil:
		c := n.GetMinMaxExpr()
		args, err := t.exprList(c.Args)
		if err != nil {
			return nil, err
		}
		name := "greatest"
		if c.Op == pg.MinMaxOp_IS_LEAST {
			name = "least"
		}
		return &ast.FuncCall{Name: name, Args: args, Pos: t.pos(c.Location)}, nil
	case n.GetSqlvalueFunction() != nil:
		f := n.GetSqlvalueFunction()
		name := map[pg.SQLValueFunctionOp]string{
			pg.SQLValueFunctionOp_SVFOP_CURRENT_DATE:      "current_date",
			pg.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP: "now",
			pg.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP:    "localtimestamp",
			pg.SQLValueFunctionOp_SVFOP_CURRENT_TIME:      "current_time",
			pg.SQLValueFunctionOp_SVFOP_LOCALTIME:         "localtime",
			pg.SQLValueFunctionOp_SVFOP_CURRENT_USER:      "current_user",
			pg.SQLValueFunctionOp_SVFOP_CURRENT_ROLE:      "current_role",
			pg.SQLValueFunctionOp_SVFOP_USER:              "user",
			pg.SQLValueFunctionOp_SVFOP_SESSION_USER:      "session_user",
			pg.SQLValueFunctionOp_SVFOP_CURRENT_CATALOG:   "current_database",
			pg.SQLValueFunctionOp_SVFOP_CURRENT_SCHEMA:    "current_schema",
		}[f.Op]
		if name == "" {
			return nil, t.unsupported("this SQL value function", f.Location)
		}
		return &ast.FuncCall{Name: name, Pos: t.pos(f.Location)}, nil
	case n.GetSubLink() != nil:
		return t.subLink(n.GetSubLink())
	case n.GetSetToDefault() != nil:
		return &ast.DefaultExpr{Pos: t.pos(n.GetSetToDefault().Location)}, nil
	case n.GetAArrayExpr() != nil:
		a := n.GetAArrayExpr()
		items, err := t.exprList(a.Elements)
		if err != nil {
			return nil, err
		}
		return &ast.ArrayExpr{Items: items, Pos: t.pos(a.Location)}, nil
	case n.GetAIndirection() != nil:
		return t.indirection(n.GetAIndirection())
	}
	return nil, pgerr.New(pgerr.FeatureNotSupported, "expression %s is not supported", nodeName(n))
}

// indirection translates subscripts, x[i][j], and field selection,
// (x).f and (x).*; slices are not supported.
func (t *translator) indirection(ind *pg.A_Indirection) (ast.Expr, error) {
	x, err := t.expr(ind.Arg)
	if err != nil {
		return nil, err
	}
	var sub *ast.SubscriptExpr
	for _, n := range ind.Indirection {
		if n.GetString_() != nil || n.GetAStar() != nil {
			if sub != nil {
				x, sub = sub, nil
			}
			f := &ast.FieldExpr{X: x, Pos: x.Position()}
			if n.GetAStar() != nil {
				f.Star = true
			} else {
				f.Field = t.name(n)
			}
			x = f
			continue
		}
		if sub == nil {
			sub = &ast.SubscriptExpr{X: x, Pos: x.Position()}
		}
		idx := n.GetAIndices()
		if idx == nil {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "this indirection is not supported").WithPosition(x.Position())
		}
		if err := t.subscript(sub, idx); err != nil {
			return nil, err
		}
	}
	if sub != nil {
		return sub, nil
	}
	return x, nil
}

func (t *translator) constant(c *pg.A_Const) (ast.Expr, error) {
	p := t.pos(c.Location)
	if c.Isnull {
		return &ast.Literal{Kind: "null", Pos: p}, nil
	}
	switch {
	case c.GetIval() != nil:
		return &ast.Literal{Kind: "int", Text: strconv.Itoa(int(c.GetIval().Ival)), Pos: p}, nil
	case c.GetFval() != nil:
		s := c.GetFval().Fval
		if isIntegerText(s) {
			return &ast.Literal{Kind: "int", Text: s, Pos: p}, nil
		}
		return &ast.Literal{Kind: "float", Text: s, Pos: p}, nil
	case c.GetSval() != nil:
		return &ast.Literal{Kind: "string", Text: c.GetSval().Sval, Pos: p}, nil
	case c.GetBoolval() != nil:
		return &ast.Literal{Kind: "bool", Bool: c.GetBoolval().Boolval, Pos: p}, nil
	}
	return nil, t.unsupported("this constant", c.Location)
}

func isIntegerText(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func (t *translator) aExpr(a *pg.A_Expr) (ast.Expr, error) {
	p := t.pos(a.Location)
	op := ""
	if len(a.Name) > 0 {
		op = str(a.Name[len(a.Name)-1])
	}
	left, err := t.optExpr(a.Lexpr)
	if err != nil {
		return nil, err
	}
	switch a.Kind {
	case pg.A_Expr_Kind_AEXPR_OP:
		right, err := t.expr(a.Rexpr)
		if err != nil {
			return nil, err
		}
		if left == nil {
			return &ast.UnaryExpr{Op: op, X: right, Pos: p}, nil
		}
		switch op {
		case "~~":
			return &ast.BinaryExpr{Op: "LIKE", L: left, R: right, Pos: p}, nil
		case "!~~":
			return &ast.BinaryExpr{Op: "NOT LIKE", L: left, R: right, Pos: p}, nil
		case "~~*":
			return &ast.BinaryExpr{Op: "ILIKE", L: left, R: right, Pos: p}, nil
		case "!~~*":
			return &ast.BinaryExpr{Op: "NOT ILIKE", L: left, R: right, Pos: p}, nil
		}
		return &ast.BinaryExpr{Op: op, L: left, R: right, Pos: p}, nil
	case pg.A_Expr_Kind_AEXPR_LIKE, pg.A_Expr_Kind_AEXPR_ILIKE:
		right, err := t.expr(a.Rexpr)
		if err != nil {
			return nil, err
		}
		kind := "LIKE"
		if a.Kind == pg.A_Expr_Kind_AEXPR_ILIKE {
			kind = "ILIKE"
		}
		if strings.HasPrefix(op, "!") {
			kind = "NOT " + kind
		}
		return &ast.BinaryExpr{Op: kind, L: left, R: right, Pos: p}, nil
	case pg.A_Expr_Kind_AEXPR_SIMILAR:
		// x SIMILAR TO p [ESCAPE e] arrives as x ~ similar_to_escape(p [, e]).
		right, err := t.expr(a.Rexpr)
		if err != nil {
			return nil, err
		}
		return &ast.BinaryExpr{Op: op, L: left, R: right, Pos: p}, nil
	case pg.A_Expr_Kind_AEXPR_DISTINCT, pg.A_Expr_Kind_AEXPR_NOT_DISTINCT:
		right, err := t.expr(a.Rexpr)
		if err != nil {
			return nil, err
		}
		return &ast.IsExpr{X: left, Y: right, What: "DISTINCT", Not: a.Kind == pg.A_Expr_Kind_AEXPR_NOT_DISTINCT, Pos: p}, nil
	case pg.A_Expr_Kind_AEXPR_OP_ANY, pg.A_Expr_Kind_AEXPR_OP_ALL:
		// LIKE ANY arrives as ~~ ANY; the binder knows LIKE.
		if like, ok := map[string]string{"~~": "LIKE", "~~*": "ILIKE", "!~~": "NOT LIKE", "!~~*": "NOT ILIKE"}[op]; ok {
			op = like
		}
		arr, err := t.expr(a.Rexpr)
		if err != nil {
			return nil, err
		}
		return &ast.InExpr{X: left, Array: arr, Op: op, All: a.Kind == pg.A_Expr_Kind_AEXPR_OP_ALL, Pos: p}, nil
	case pg.A_Expr_Kind_AEXPR_NULLIF:
		right, err := t.expr(a.Rexpr)
		if err != nil {
			return nil, err
		}
		return &ast.FuncCall{Name: "nullif", Args: []ast.Expr{left, right}, Pos: p}, nil
	case pg.A_Expr_Kind_AEXPR_IN:
		list, err := t.exprList(a.Rexpr.GetList().GetItems())
		if err != nil {
			return nil, err
		}
		return &ast.InExpr{X: left, List: list, Not: op == "<>", Pos: p}, nil
	case pg.A_Expr_Kind_AEXPR_BETWEEN, pg.A_Expr_Kind_AEXPR_NOT_BETWEEN,
		pg.A_Expr_Kind_AEXPR_BETWEEN_SYM, pg.A_Expr_Kind_AEXPR_NOT_BETWEEN_SYM:
		bounds, err := t.exprList(a.Rexpr.GetList().GetItems())
		if err != nil {
			return nil, err
		}
		if len(bounds) != 2 {
			return nil, pgerr.New(pgerr.SyntaxError, "BETWEEN needs two bounds").WithPosition(p)
		}
		return &ast.BetweenExpr{X: left, Lo: bounds[0], Hi: bounds[1],
			Not:       a.Kind == pg.A_Expr_Kind_AEXPR_NOT_BETWEEN || a.Kind == pg.A_Expr_Kind_AEXPR_NOT_BETWEEN_SYM,
			Symmetric: a.Kind == pg.A_Expr_Kind_AEXPR_BETWEEN_SYM || a.Kind == pg.A_Expr_Kind_AEXPR_NOT_BETWEEN_SYM,
			Pos:       p}, nil
	}
	return nil, t.unsupported("operator "+op, a.Location)
}

func (t *translator) subLink(s *pg.SubLink) (ast.Expr, error) {
	q, err := t.selectStmt(s.Subselect.GetSelectStmt())
	if err != nil {
		return nil, err
	}
	p := t.pos(s.Location)
	switch s.SubLinkType {
	case pg.SubLinkType_EXPR_SUBLINK:
		return &ast.SubqueryExpr{Query: q, Pos: p}, nil
	case pg.SubLinkType_EXISTS_SUBLINK:
		return &ast.SubqueryExpr{Query: q, Exists: true, Pos: p}, nil
	case pg.SubLinkType_ARRAY_SUBLINK:
		return &ast.SubqueryExpr{Query: q, Array: true, Pos: p}, nil
	case pg.SubLinkType_ANY_SUBLINK, pg.SubLinkType_ALL_SUBLINK:
		all := s.SubLinkType == pg.SubLinkType_ALL_SUBLINK
		op := "="
		if len(s.OperName) > 0 {
			op = str(s.OperName[len(s.OperName)-1])
		}
		switch op {
		case "=", "<>", "!=", "<", "<=", ">", ">=":
		default:
			return nil, t.unsupported("ANY/ALL with operator "+op, s.Location)
		}
		x, err := t.expr(s.Testexpr)
		if err != nil {
			return nil, err
		}
		if op == "=" && !all {
			return &ast.InExpr{X: x, Query: q, Pos: p}, nil
		}
		return &ast.InExpr{X: x, Query: q, Op: op, All: all, Pos: p}, nil
	}
	return nil, t.unsupported("this kind of subquery", s.Location)
}

func (t *translator) funcCall(f *pg.FuncCall) (ast.Expr, error) {
	name := strings.ToLower(str(f.Funcname[len(f.Funcname)-1]))
	var schema string
	switch {
	case len(f.Funcname) > 2:
		return nil, crossDatabaseRef(f.Funcname)
	case len(f.Funcname) == 2 && str(f.Funcname[0]) != "pg_catalog":
		// information_schema's one function the drivers call, or a
		// user-defined function of that schema.
		schema = TruncateIdent(str(f.Funcname[0]))
	}
	order, using, err := t.aggSortClause(f.AggOrder)
	if err != nil {
		return nil, err
	}
	var argNames []string
	argNodes := make([]*pg.Node, len(f.Args))
	for i, a := range f.Args {
		argNodes[i] = a
		if na := a.GetNamedArgExpr(); na != nil {
			if argNames == nil {
				argNames = make([]string, len(f.Args))
			}
			argNames[i] = na.Name
			argNodes[i] = na.Arg
		}
	}
	args, err := t.exprList(argNodes)
	if err != nil {
		return nil, err
	}
	filter, err := t.optExpr(f.AggFilter)
	if err != nil {
		return nil, err
	}
	out := &ast.FuncCall{Name: name, Args: args, Star: f.AggStar, Distinct: f.AggDistinct, Filter: filter, OrderBy: order, WithinGroup: f.AggWithinGroup, OrderUsing: using, ArgNames: argNames, Variadic: f.FuncVariadic, Schema: schema, Pos: t.pos(f.Location)}
	if f.Over != nil {
		if out.Over, err = t.windowSpec(f.Over); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Frame option bits of PostgreSQL's WindowDef.frameOptions.
const (
	frameNonDefault              = 0x00001
	frameRange                   = 0x00002
	frameRows                    = 0x00004
	frameGroups                  = 0x00008
	frameStartUnboundedPreceding = 0x00020
	frameEndUnboundedFollowing   = 0x00100
	frameStartCurrentRow         = 0x00200
	frameEndCurrentRow           = 0x00400
	frameStartOffsetPreceding    = 0x00800
	frameEndOffsetPreceding      = 0x01000
	frameStartOffsetFollowing    = 0x02000
	frameEndOffsetFollowing      = 0x04000
	frameExcludeCurrentRow       = 0x08000
	frameExcludeGroup            = 0x10000
	frameExcludeTies             = 0x20000
)

// windowSpec translates an OVER clause, resolving a named window (OVER w,
// or OVER (w ORDER BY ...) which copies w's partitioning) as PostgreSQL's
// transformWindowDefinitions does.
func (t *translator) windowSpec(w *pg.WindowDef) (*ast.WindowSpec, error) {
	if w.Name != "" {
		def, ok := t.windows[w.Name]
		if !ok {
			return nil, pgerr.New(pgerr.UndefinedObject, "window \"%s\" does not exist", w.Name).WithPosition(t.pos(w.Location))
		}
		w = def
	}
	parts, order, frame := w.PartitionClause, w.OrderClause, w
	if w.Refname != "" {
		base, ok := t.windows[w.Refname]
		if !ok {
			return nil, pgerr.New(pgerr.UndefinedObject, "window \"%s\" does not exist", w.Refname).WithPosition(t.pos(w.Location))
		}
		if len(parts) > 0 {
			return nil, pgerr.New(pgerr.WindowingError, "cannot override PARTITION BY clause of window \"%s\"", w.Refname).WithPosition(t.pos(w.Location))
		}
		parts = base.PartitionClause
		if len(base.OrderClause) > 0 {
			if len(order) > 0 {
				return nil, pgerr.New(pgerr.WindowingError, "cannot override ORDER BY clause of window \"%s\"", w.Refname).WithPosition(t.pos(w.Location))
			}
			order = base.OrderClause
		}
		if base.FrameOptions&frameNonDefault != 0 {
			return nil, pgerr.New(pgerr.WindowingError, "cannot copy window \"%s\" because it has a frame clause", w.Refname).WithPosition(t.pos(w.Location)).
				WithHint("Omit the parentheses in this OVER clause.")
		}
	}
	out := &ast.WindowSpec{Pos: t.pos(w.Location)}
	var err error
	if out.PartitionBy, err = t.exprList(parts); err != nil {
		return nil, err
	}
	if out.OrderBy, err = t.sortClause(order); err != nil {
		return nil, err
	}
	opts := frame.FrameOptions
	if opts&frameNonDefault == 0 {
		return out, nil
	}
	switch {
	case opts&frameGroups != 0:
		out.Frame.Mode = "groups"
	case opts&frameRows != 0:
		out.Frame.Mode = "rows"
	default:
		out.Frame.Mode = "range"
	}
	switch {
	case opts&frameExcludeCurrentRow != 0:
		out.Frame.Exclude = "current row"
	case opts&frameExcludeGroup != 0:
		out.Frame.Exclude = "group"
	case opts&frameExcludeTies != 0:
		out.Frame.Exclude = "ties"
	}
	bound := func(unboundedPreceding, currentRow, offsetPreceding, offsetFollowing, unboundedFollowing int32, offset *pg.Node) (ast.FrameBound, error) {
		switch {
		case opts&unboundedPreceding != 0:
			return ast.FrameBound{Kind: "unbounded preceding"}, nil
		case opts&currentRow != 0:
			return ast.FrameBound{Kind: "current row"}, nil
		case opts&unboundedFollowing != 0:
			return ast.FrameBound{Kind: "unbounded following"}, nil
		}
		kind := "preceding"
		if opts&offsetFollowing != 0 {
			kind = "following"
		}
		e, err := t.expr(offset)
		return ast.FrameBound{Kind: kind, Offset: e}, err
	}
	if out.Frame.Start, err = bound(frameStartUnboundedPreceding, frameStartCurrentRow, frameStartOffsetPreceding, frameStartOffsetFollowing, 0, frame.StartOffset); err != nil {
		return nil, err
	}
	out.Frame.End = ast.FrameBound{Kind: "current row"}
	if opts&0x10 != 0 { // BETWEEN
		if out.Frame.End, err = bound(0, frameEndCurrentRow, frameEndOffsetPreceding, frameEndOffsetFollowing, frameEndUnboundedFollowing, frame.EndOffset); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// typeName maps the spellings of supported types to one canonical name.
func (t *translator) typeName(tn *pg.TypeName) (ast.TypeName, error) {
	if tn == nil {
		return ast.TypeName{}, pgerr.New(pgerr.SyntaxError, "missing type name")
	}
	name := strings.ToLower(str(tn.Names[len(tn.Names)-1]))
	out := ast.TypeName{Name: name, Array: len(tn.ArrayBounds) > 0, Pos: t.pos(tn.Location)}
	if len(tn.Names) == 2 && str(tn.Names[0]) != "pg_catalog" {
		out.Schema = TruncateIdent(str(tn.Names[0]))
	}
	for _, m := range tn.Typmods {
		c := m.GetAConst()
		if c == nil || c.GetIval() == nil {
			return ast.TypeName{}, pgerr.New(pgerr.SyntaxError, "type modifiers must be simple constants").WithPosition(out.Pos)
		}
		out.Mods = append(out.Mods, c.GetIval().Ival)
	}
	return out, nil
}

func (t *translator) insertStmt(s *pg.InsertStmt) (ast.Stmt, error) {
	ref, err := t.rangeVar(s.Relation)
	if err != nil {
		return nil, err
	}
	out := &ast.InsertStmt{Table: ref}
	if s.WithClause != nil {
		if out.With, err = t.withClause(s.WithClause); err != nil {
			return nil, err
		}
	}
	if s.OnConflictClause != nil {
		if out.OnConflict, err = t.onConflict(s.OnConflictClause); err != nil {
			return nil, err
		}
	}
	switch s.Override {
	case pg.OverridingKind_OVERRIDING_SYSTEM_VALUE:
		out.Overriding = "system"
	case pg.OverridingKind_OVERRIDING_USER_VALUE:
		out.Overriding = "user"
	}
	for i, c := range s.Cols {
		rt := c.GetResTarget()
		if len(rt.Indirection) > 0 {
			// Subscripts only: ColumnSubscripts; a path with a field:
			// Paths.
			sub, err := t.assignSubscripts(rt.Indirection)
			if err != nil {
				return nil, err
			}
			if sub == nil {
				path, err := t.assignPath(rt)
				if err != nil {
					return nil, err
				}
				if out.Paths == nil {
					out.Paths = make([][]ast.PathStep, len(s.Cols))
				}
				out.Paths[i] = path
			}
			if sub != nil && out.ColumnSubscripts == nil {
				out.ColumnSubscripts = make([]*ast.SubscriptExpr, len(out.Columns), len(s.Cols))
			}
			if out.ColumnSubscripts != nil {
				out.ColumnSubscripts = append(out.ColumnSubscripts, sub)
			}
		} else if out.ColumnSubscripts != nil {
			out.ColumnSubscripts = append(out.ColumnSubscripts, nil)
		}
		out.Columns = append(out.Columns, TruncateIdent(rt.Name))
	}
	if s.SelectStmt != nil {
		if out.Query, err = t.selectStmt(s.SelectStmt.GetSelectStmt()); err != nil {
			return nil, err
		}
	}
	if out.Returning, err = t.targets(s.ReturningList); err != nil {
		return nil, err
	}
	return out, nil
}

// onConflict translates an INSERT's ON CONFLICT clause.
func (t *translator) onConflict(c *pg.OnConflictClause) (*ast.OnConflict, error) {
	out := &ast.OnConflict{Pos: t.pos(c.Location), DoUpdate: c.Action == pg.OnConflictAction_ONCONFLICT_UPDATE}
	if in := c.Infer; in != nil {
		out.Constraint = TruncateIdent(in.Conname)
		for _, n := range in.IndexElems {
			el := n.GetIndexElem()
			if el == nil {
				return nil, t.unsupported("this ON CONFLICT element", in.Location)
			}
			if el.Expr != nil {
				if cr := el.Expr.GetColumnRef(); cr != nil && len(cr.Fields) == 1 && cr.Fields[0].GetString_() != nil {
					out.Columns = append(out.Columns, TruncateIdent(str(cr.Fields[0])))
					continue
				}
				_, text, err := t.defaultExpr(el.Expr)
				if err != nil {
					return nil, err
				}
				out.Exprs = append(out.Exprs, text)
				continue
			}
			out.Columns = append(out.Columns, TruncateIdent(el.Name))
		}
		if in.WhereClause != nil {
			var err error
			if out.InferWhere, err = t.expr(in.WhereClause); err != nil {
				return nil, err
			}
		}
		// PostgreSQL places errors about the inference columns at the
		// list's opening parenthesis.
		out.ColumnsPos = t.pos(in.Location)
	}
	var err error
	if out.Set, err = t.setClauses(c.TargetList); err != nil {
		return nil, err
	}
	if out.Where, err = t.optExpr(c.WhereClause); err != nil {
		return nil, err
	}
	return out, nil
}

// setClauses translates the column = expr list of UPDATE's SET (and of
// ON CONFLICT DO UPDATE and MERGE). (a, b) = (x, y) becomes one clause
// per column; (a, b) = (SELECT ...) one per column sharing the subquery.
func (t *translator) setClauses(list []*pg.Node) ([]ast.SetClause, error) {
	var out []ast.SetClause
	var sub *ast.SubqueryExpr
	var rowSrc *ast.RowExpr
	for _, n := range list {
		rt := n.GetResTarget()
		clause := ast.SetClause{Column: TruncateIdent(rt.Name), Pos: t.pos(rt.Location), Indirect: len(rt.Indirection) > 0}
		if clause.Indirect {
			// Subscripts only: Subscripts; a path with a field: Path.
			sub, err := t.assignSubscripts(rt.Indirection)
			if err != nil {
				return nil, err
			}
			if sub != nil {
				clause.Subscripts, clause.Indirect = sub, false
			} else if clause.Path, err = t.assignPath(rt); err != nil {
				return nil, err
			}
		}
		val := rt.Val
		if m := val.GetMultiAssignRef(); m != nil {
			switch src := m.Source; {
			case src.GetSubLink() != nil:
				// Each column's node holds a copy of the subquery:
				// the first column's is translated, once.
				if m.Colno == 1 || sub == nil {
					q, err := t.selectStmt(src.GetSubLink().Subselect.GetSelectStmt())
					if err != nil {
						return nil, err
					}
					sub = &ast.SubqueryExpr{Query: q, Pos: t.pos(src.GetSubLink().Location)}
				}
				clause.Sub, clause.SubCol, clause.SubCols = sub, int(m.Colno)-1, int(m.Ncolumns)
				out = append(out, clause)
				continue
			case src.GetRowExpr() != nil && rowHasStar(src.GetRowExpr()):
				// t.* among the items: the binder expands it and
				// counts the columns.
				if m.Colno == 1 || rowSrc == nil {
					e, err := t.expr(src)
					if err != nil {
						return nil, err
					}
					r, ok := e.(*ast.RowExpr)
					if !ok {
						return nil, t.unsupported("this multiple-column assignment source", src.GetRowExpr().Location)
					}
					rowSrc = r
				}
				clause.Row, clause.SubCol, clause.SubCols = rowSrc, int(m.Colno)-1, int(m.Ncolumns)
				out = append(out, clause)
				continue
			case src.GetRowExpr() != nil:
				row := src.GetRowExpr()
				if len(row.Args) != int(m.Ncolumns) {
					return nil, pgerr.New(pgerr.SyntaxError, "number of columns does not match number of values").WithPosition(t.pos(row.Location))
				}
				val = row.Args[m.Colno-1]
			default:
				return nil, pgerr.New(pgerr.FeatureNotSupported, "source for a multiple-column UPDATE item must be a sub-SELECT or ROW() expression").WithPosition(t.pos(exprLocation(src)))
			}
		}
		if val.GetSetToDefault() == nil {
			var err error
			if clause.Expr, err = t.expr(val); err != nil {
				return nil, err
			}
		}
		out = append(out, clause)
	}
	return out, nil
}

// rowHasStar reports whether a ROW(...) has a t.* item.
func rowHasStar(r *pg.RowExpr) bool {
	for _, a := range r.Args {
		if c := a.GetColumnRef(); c != nil && len(c.Fields) > 0 && c.Fields[len(c.Fields)-1].GetAStar() != nil {
			return true
		}
	}
	return false
}

// exprLocation is the byte offset of an expression node where the
// translator knows it, else -1.
func exprLocation(n *pg.Node) int32 {
	switch {
	case n.GetAConst() != nil:
		return n.GetAConst().Location
	case n.GetColumnRef() != nil:
		return n.GetColumnRef().Location
	case n.GetAExpr() != nil:
		return n.GetAExpr().Location
	case n.GetFuncCall() != nil:
		return n.GetFuncCall().Location
	case n.GetTypeCast() != nil:
		return n.GetTypeCast().Location
	case n.GetParamRef() != nil:
		return n.GetParamRef().Location
	}
	return -1
}

// fromList translates the FROM list of UPDATE or the USING list of DELETE.
func (t *translator) fromList(list []*pg.Node) ([]ast.TableExpr, error) {
	var out []ast.TableExpr
	for _, n := range list {
		te, err := t.tableExpr(n)
		if err != nil {
			return nil, err
		}
		out = append(out, te)
	}
	return out, nil
}

func (t *translator) updateStmt(s *pg.UpdateStmt) (ast.Stmt, error) {
	ref, err := t.rangeVar(s.Relation)
	if err != nil {
		return nil, err
	}
	out := &ast.UpdateStmt{Table: ref}
	if s.WithClause != nil {
		if out.With, err = t.withClause(s.WithClause); err != nil {
			return nil, err
		}
	}
	if out.Set, err = t.setClauses(s.TargetList); err != nil {
		return nil, err
	}
	if out.From, err = t.fromList(s.FromClause); err != nil {
		return nil, err
	}
	if out.Where, err = t.optExpr(s.WhereClause); err != nil {
		return nil, err
	}
	if out.Returning, err = t.targets(s.ReturningList); err != nil {
		return nil, err
	}
	return out, nil
}

func (t *translator) deleteStmt(s *pg.DeleteStmt) (ast.Stmt, error) {
	ref, err := t.rangeVar(s.Relation)
	if err != nil {
		return nil, err
	}
	out := &ast.DeleteStmt{Table: ref}
	if s.WithClause != nil {
		if out.With, err = t.withClause(s.WithClause); err != nil {
			return nil, err
		}
	}
	if out.Using, err = t.fromList(s.UsingClause); err != nil {
		return nil, err
	}
	if out.Where, err = t.optExpr(s.WhereClause); err != nil {
		return nil, err
	}
	if out.Returning, err = t.targets(s.ReturningList); err != nil {
		return nil, err
	}
	return out, nil
}

// mergeStmt translates MERGE as PostgreSQL 15 has it: the grammar cairn
// parses with is PostgreSQL 17's, whose RETURNING and WHEN NOT MATCHED BY
// SOURCE are syntax errors in 15.
func (t *translator) mergeStmt(s *pg.MergeStmt) (ast.Stmt, error) {
	if len(s.ReturningList) > 0 {
		at := int32(-1)
		if rt := s.ReturningList[0].GetResTarget(); rt != nil {
			at = keywordBefore(t.query, "returning", rt.Location)
		}
		return nil, pgerr.New(pgerr.SyntaxError, "syntax error at or near \"RETURNING\"").WithPosition(t.pos(at))
	}
	ref, err := t.rangeVar(s.Relation)
	if err != nil {
		return nil, err
	}
	out := &ast.MergeStmt{Table: ref}
	if s.WithClause != nil && s.WithClause.Recursive {
		return nil, pgerr.New(pgerr.SyntaxError, "WITH RECURSIVE is not supported for MERGE statement")
	}
	if s.WithClause != nil {
		if out.With, err = t.withClause(s.WithClause); err != nil {
			return nil, err
		}
	}
	if out.Source, err = t.tableExpr(s.SourceRelation); err != nil {
		return nil, err
	}
	if out.On, err = t.expr(s.JoinCondition); err != nil {
		return nil, err
	}
	for _, n := range s.MergeWhenClauses {
		w := n.GetMergeWhenClause()
		if w.MatchKind == pg.MergeMatchKind_MERGE_WHEN_NOT_MATCHED_BY_SOURCE {
			return nil, pgerr.New(pgerr.SyntaxError, "syntax error at or near \"BY\"").WithPosition(t.pos(notMatchedBy(t.query)))
		}
		mw := ast.MergeWhen{Matched: w.MatchKind == pg.MergeMatchKind_MERGE_WHEN_MATCHED}
		if mw.Cond, err = t.optExpr(w.Condition); err != nil {
			return nil, err
		}
		switch w.CommandType {
		case pg.CmdType_CMD_UPDATE:
			mw.Action = "UPDATE"
			if mw.Set, err = t.setClauses(w.TargetList); err != nil {
				return nil, err
			}
		case pg.CmdType_CMD_DELETE:
			mw.Action = "DELETE"
		case pg.CmdType_CMD_NOTHING:
			mw.Action = "NOTHING"
		case pg.CmdType_CMD_INSERT:
			mw.Action = "INSERT"
			switch w.Override {
			case pg.OverridingKind_OVERRIDING_SYSTEM_VALUE:
				mw.Overriding = "system"
			case pg.OverridingKind_OVERRIDING_USER_VALUE:
				mw.Overriding = "user"
			}
			for _, c := range w.TargetList {
				rt := c.GetResTarget()
				if len(rt.Indirection) > 0 {
					return nil, t.unsupported("assignment to a subfield", rt.Location)
				}
				mw.ColumnsPos = append(mw.ColumnsPos, t.pos(rt.Location))
				mw.Columns = append(mw.Columns, TruncateIdent(rt.Name))
			}
			if w.Values != nil {
				mw.Values = []ast.Expr{}
				for _, v := range w.Values {
					e, err := t.expr(v)
					if err != nil {
						return nil, err
					}
					mw.Values = append(mw.Values, e)
				}
			}
		default:
			return nil, t.unsupported("this MERGE action", 0)
		}
		out.When = append(out.When, mw)
	}
	return out, nil
}

// keywordBefore is the byte offset of the last occurrence of the keyword
// (lower case) in q before byte offset end, or -1.
func keywordBefore(q, keyword string, end int32) int32 {
	if end < 0 || int(end) > len(q) {
		end = int32(len(q))
	}
	return int32(strings.LastIndex(strings.ToLower(q[:end]), keyword))
}

// notMatchedBy is the byte offset of BY in the first WHEN NOT MATCHED BY
// of q, or -1.
func notMatchedBy(q string) int32 {
	fields := strings.Fields(strings.ToLower(q))
	lower := strings.ToLower(q)
	at := 0
	for i := 0; i+2 < len(fields); i++ {
		at = strings.Index(lower[at:], fields[i]) + at
		if fields[i] == "not" && fields[i+1] == "matched" && fields[i+2] == "by" {
			return int32(strings.Index(lower[at:], "by") + at)
		}
		at += len(fields[i])
	}
	return -1
}

func (t *translator) createStmt(s *pg.CreateStmt) (ast.Stmt, error) {
	ref, err := t.rangeVar(s.Relation)
	if err != nil {
		return nil, err
	}
	ref.Only = false
	if ref.OnCommit, err = t.onCommit(s.Oncommit, ref); err != nil {
		return nil, err
	}
	out := &ast.CreateTableStmt{Table: ref, IfNotExists: s.IfNotExists, Options: t.relOptions(s.Options)}
	if err := t.inheritance(s, out); err != nil {
		return nil, err
	}
	elts := append(append([]*pg.Node(nil), s.TableElts...), s.Constraints...)
	for _, e := range elts {
		switch {
		case e.GetTableLikeClause() != nil:
			lc := e.GetTableLikeClause()
			src, err := t.rangeVar(lc.Relation)
			if err != nil {
				return nil, err
			}
			out.Likes = append(out.Likes, ast.LikeClause{Table: src, Options: lc.Options, At: len(out.Columns)})
		case e.GetColumnDef() != nil:
			col, unique, err := t.columnDef(e.GetColumnDef(), ref.Name)
			if err != nil {
				return nil, err
			}
			out.Checks = append(out.Checks, col.Checks...)
			out.ForeignKeys = append(out.ForeignKeys, col.References...)
			col.Checks, col.References = nil, nil
			out.Columns = append(out.Columns, col)
			out.Unique = append(out.Unique, unique...)
		case e.GetConstraint() != nil:
			c := e.GetConstraint()
			switch c.Contype {
			case pg.ConstrType_CONSTR_CHECK:
				ck, err := t.checkConstraint(c)
				if err != nil {
					return nil, err
				}
				out.Checks = append(out.Checks, ck)
				continue
			case pg.ConstrType_CONSTR_FOREIGN:
				fk, err := t.foreignKey(c, nil)
				if err != nil {
					return nil, err
				}
				out.ForeignKeys = append(out.ForeignKeys, fk)
				continue
			}
			if c.Contype == pg.ConstrType_CONSTR_UNIQUE || c.Contype == pg.ConstrType_CONSTR_EXCLUSION {
				u, err := t.uniqueConstraint(c)
				if err != nil {
					return nil, err
				}
				out.Unique = append(out.Unique, u)
				continue
			}
			if c.Contype != pg.ConstrType_CONSTR_PRIMARY {
				return nil, t.unsupported("this table constraint", c.Location)
			}
			if c.Deferrable {
				return nil, t.unsupported("deferrable primary keys", c.Location)
			}
			if out.PrimaryKey != nil {
				return nil, pgerr.New(pgerr.InvalidTableDefinition, "multiple primary keys for table \"%s\" are not allowed", ref.Name).WithPosition(t.pos(c.Location))
			}
			for _, k := range c.Keys {
				out.PrimaryKey = append(out.PrimaryKey, t.name(k))
			}
			out.PKPos = t.pos(c.Location)
			out.PKName = TruncateIdent(c.Conname)
		default:
			return nil, pgerr.New(pgerr.FeatureNotSupported, "table element %s is not supported", nodeName(e))
		}
	}
	return out, nil
}

// columnDef translates a column definition, of CREATE TABLE or ALTER TABLE
// ADD COLUMN, and the UNIQUE constraints written on it.
func (t *translator) columnDef(cd *pg.ColumnDef, table string) (ast.ColumnDef, []ast.UniqueConstraint, error) {
	var tn ast.TypeName
	if cd.TypeName != nil {
		var err error
		if tn, err = t.typeName(cd.TypeName); err != nil {
			return ast.ColumnDef{}, nil, err
		}
	}
	// Without a type (a partition's column options, [WITH OPTIONS]),
	// tn is empty and the column must be inherited.
	var err error
	col := ast.ColumnDef{Name: TruncateIdent(cd.Colname), Type: tn, NotNull: cd.IsNotNull, Pos: t.pos(cd.Location)}
	if cd.TypeName != nil && len(cd.TypeName.Names) == 1 { // pg_catalog.serial is no type either
		if base, ok := serialTypes[tn.Name]; ok {
			if tn.Array {
				return ast.ColumnDef{}, nil, pgerr.New(pgerr.FeatureNotSupported, "array of serial is not implemented").WithPosition(tn.Pos)
			}
			col.Serial, col.Type.Name, col.NotNull = true, base, true
		}
	}
	if cd.RawDefault != nil {
		if col.Default, col.DefaultSQL, err = t.defaultExpr(cd.RawDefault); err != nil {
			return ast.ColumnDef{}, nil, err
		}
	}
	var unique []ast.UniqueConstraint
	// sawNullable: NULL, NOT NULL or an identity was written, as in
	// PostgreSQL's transformColumnDefinition.
	sawNullable := false
	conflict := func(c *pg.Constraint) error {
		return pgerr.New(pgerr.SyntaxError, "conflicting NULL/NOT NULL declarations for column \"%s\" of table \"%s\"", col.Name, table).
			WithPosition(t.pos(c.Location))
	}
	// lastFK indexes the REFERENCES constraint that DEFERRABLE and its
	// kin would qualify, -1 for none; lastKey is set after PRIMARY KEY
	// or UNIQUE.
	lastFK, lastKey, lastUnique := -1, false, false
	for _, cn := range cd.Constraints {
		c := cn.GetConstraint()
		switch c.Contype {
		case pg.ConstrType_CONSTR_ATTR_DEFERRABLE, pg.ConstrType_CONSTR_ATTR_NOT_DEFERRABLE,
			pg.ConstrType_CONSTR_ATTR_DEFERRED, pg.ConstrType_CONSTR_ATTR_IMMEDIATE:
		case pg.ConstrType_CONSTR_PRIMARY, pg.ConstrType_CONSTR_UNIQUE:
			lastFK, lastKey, lastUnique = -1, true, c.Contype == pg.ConstrType_CONSTR_UNIQUE
		default:
			lastFK, lastKey, lastUnique = -1, false, false
		}
		switch c.Contype {
		case pg.ConstrType_CONSTR_NOTNULL:
			if sawNullable && !col.NotNull {
				return ast.ColumnDef{}, nil, conflict(c)
			}
			col.NotNull, sawNullable = true, true
		case pg.ConstrType_CONSTR_NULL:
			if sawNullable && col.NotNull {
				return ast.ColumnDef{}, nil, conflict(c)
			}
			sawNullable = true
		case pg.ConstrType_CONSTR_PRIMARY:
			col.PrimaryKey, col.PKName = true, TruncateIdent(c.Conname)
		case pg.ConstrType_CONSTR_UNIQUE:
			unique = append(unique, ast.UniqueConstraint{Name: TruncateIdent(c.Conname), Columns: []string{col.Name}, NullsNotDistinct: c.NullsNotDistinct})
		case pg.ConstrType_CONSTR_CHECK:
			ck, err := t.checkConstraint(c)
			if err != nil {
				return ast.ColumnDef{}, nil, err
			}
			col.Checks = append(col.Checks, ck)
		case pg.ConstrType_CONSTR_FOREIGN:
			fk, err := t.foreignKey(c, []string{col.Name})
			if err != nil {
				return ast.ColumnDef{}, nil, err
			}
			col.References = append(col.References, fk)
			lastFK = len(col.References) - 1
		case pg.ConstrType_CONSTR_ATTR_DEFERRABLE, pg.ConstrType_CONSTR_ATTR_NOT_DEFERRABLE,
			pg.ConstrType_CONSTR_ATTR_DEFERRED, pg.ConstrType_CONSTR_ATTR_IMMEDIATE:
			// They qualify the constraint before them, as PostgreSQL's
			// transformConstraintAttrs applies them.
			if lastFK < 0 && lastKey && len(unique) > 0 && lastUnique {
				setDeferral(&unique[len(unique)-1].Deferrable, &unique[len(unique)-1].Deferred, c.Contype)
				continue
			}
			if lastFK < 0 {
				if lastKey {
					return ast.ColumnDef{}, nil, t.unsupported("deferrable primary keys", c.Location)
				}
				return ast.ColumnDef{}, nil, pgerr.New(pgerr.SyntaxError, "misplaced %s clause", strings.ReplaceAll(strings.TrimPrefix(c.Contype.String(), "CONSTR_ATTR_"), "_", " ")).
					WithPosition(t.pos(c.Location))
			}
			fk := &col.References[lastFK]
			setDeferral(&fk.Deferrable, &fk.Deferred, c.Contype)
			continue
		case pg.ConstrType_CONSTR_DEFAULT:
			if col.Generated != nil {
				return ast.ColumnDef{}, nil, pgerr.New(pgerr.SyntaxError, "both default and generation expression specified for column \"%s\" of table \"%s\"", col.Name, table).WithPosition(t.pos(c.Location))
			}
			if col.Default != nil || col.Serial {
				return ast.ColumnDef{}, nil, pgerr.New(pgerr.SyntaxError, "multiple default values specified for column \"%s\"", col.Name).WithPosition(t.pos(c.Location))
			}
			if col.Identity != "" {
				return ast.ColumnDef{}, nil, pgerr.New(pgerr.SyntaxError, "both default and identity specified for column \"%s\"", col.Name).WithPosition(t.pos(c.Location))
			}
			if col.Default, col.DefaultSQL, err = t.defaultExpr(c.RawExpr); err != nil {
				return ast.ColumnDef{}, nil, err
			}
		case pg.ConstrType_CONSTR_GENERATED:
			if col.Generated != nil {
				return ast.ColumnDef{}, nil, pgerr.New(pgerr.SyntaxError, "multiple generation clauses specified for column \"%s\" of table \"%s\"", col.Name, table).WithPosition(t.pos(c.Location))
			}
			if col.Default != nil || col.Serial {
				return ast.ColumnDef{}, nil, pgerr.New(pgerr.SyntaxError, "both default and generation expression specified for column \"%s\" of table \"%s\"", col.Name, table).WithPosition(t.pos(c.Location))
			}
			if col.Identity != "" {
				return ast.ColumnDef{}, nil, pgerr.New(pgerr.SyntaxError, "both identity and generation expression specified for column \"%s\" of table \"%s\"", col.Name, table).WithPosition(t.pos(c.Location))
			}
			if col.Generated, col.GeneratedSQL, err = t.defaultExpr(c.RawExpr); err != nil {
				return ast.ColumnDef{}, nil, err
			}
		case pg.ConstrType_CONSTR_IDENTITY:
			if col.Generated != nil {
				return ast.ColumnDef{}, nil, pgerr.New(pgerr.SyntaxError, "both identity and generation expression specified for column \"%s\" of table \"%s\"", col.Name, table).WithPosition(t.pos(c.Location))
			}
			if col.Identity != "" {
				return ast.ColumnDef{}, nil, pgerr.New(pgerr.SyntaxError, "multiple identity specifications for column \"%s\"", col.Name).WithPosition(t.pos(c.Location))
			}
			if col.Default != nil || col.Serial {
				return ast.ColumnDef{}, nil, pgerr.New(pgerr.SyntaxError, "both default and identity specified for column \"%s\"", col.Name).WithPosition(t.pos(c.Location))
			}
			if sawNullable && !col.NotNull {
				return ast.ColumnDef{}, nil, conflict(c)
			}
			col.Identity, col.NotNull, sawNullable = c.GeneratedWhen, true, true
			if col.IdentityOptions, err = t.seqOptions(c.Options, true); err != nil {
				return ast.ColumnDef{}, nil, err
			}
		default:
			return ast.ColumnDef{}, nil, t.unsupported("this column constraint", c.Location)
		}
	}
	return col, unique, nil
}

// setDeferral applies a DEFERRABLE, NOT DEFERRABLE, INITIALLY DEFERRED
// or INITIALLY IMMEDIATE clause to the constraint before it.
func setDeferral(deferrable, deferred *bool, attr pg.ConstrType) {
	switch attr {
	case pg.ConstrType_CONSTR_ATTR_DEFERRABLE:
		*deferrable = true
	case pg.ConstrType_CONSTR_ATTR_NOT_DEFERRABLE:
		*deferrable = false
	case pg.ConstrType_CONSTR_ATTR_DEFERRED:
		*deferred, *deferrable = true, true
	case pg.ConstrType_CONSTR_ATTR_IMMEDIATE:
		*deferred = false
	}
}

// checkConstraint translates a CHECK constraint.
func (t *translator) checkConstraint(c *pg.Constraint) (ast.CheckConstraint, error) {
	e, text, err := t.defaultExpr(c.RawExpr)
	if err != nil {
		return ast.CheckConstraint{}, err
	}
	return ast.CheckConstraint{Name: TruncateIdent(c.Conname), Expr: e, SQL: text, NotValid: c.SkipValidation, NoInherit: c.IsNoInherit, Pos: t.pos(c.Location)}, nil
}

// foreignKey translates a FOREIGN KEY table constraint, or a REFERENCES
// column constraint on the columns cols.
func (t *translator) foreignKey(c *pg.Constraint, cols []string) (ast.ForeignKey, error) {
	if c.FkMatchtype == "p" {
		return ast.ForeignKey{}, pgerr.New(pgerr.FeatureNotSupported, "MATCH PARTIAL not yet implemented").WithPosition(t.pos(c.Location))
	}
	ref, err := t.rangeVar(c.Pktable)
	if err != nil {
		return ast.ForeignKey{}, err
	}
	fk := ast.ForeignKey{Name: TruncateIdent(c.Conname), Columns: cols, RefTable: ref,
		OnDelete: c.FkDelAction, OnUpdate: c.FkUpdAction, Match: c.FkMatchtype,
		Deferrable: c.Deferrable, Deferred: c.Initdeferred, NotValid: c.SkipValidation, Pos: t.pos(c.Location)}
	if cols == nil {
		fk.Columns = t.names(c.FkAttrs)
	}
	fk.RefColumns = t.names(c.PkAttrs)
	fk.DeleteSetColumns = t.names(c.FkDelSetCols)
	for _, a := range []*string{&fk.OnDelete, &fk.OnUpdate} {
		if *a == "" {
			*a = "a"
		}
	}
	if fk.Match == "" {
		fk.Match = "s"
	}
	return fk, nil
}

// serialTypes maps the serial pseudo-types to their integer types.
var serialTypes = map[string]string{
	"smallserial": "int2", "serial2": "int2",
	"serial": "int4", "serial4": "int4",
	"bigserial": "int8", "serial8": "int8",
}

// defaultExpr translates a column default and renders it back to SQL with
// PostgreSQL's own deparser, so the catalog stores canonical text.
func (t *translator) defaultExpr(n *pg.Node) (ast.Expr, string, error) {
	e, err := t.expr(n)
	if err != nil {
		return nil, "", err
	}
	tree := &pg.ParseResult{Version: t.version, Stmts: []*pg.RawStmt{{Stmt: &pg.Node{Node: &pg.Node_SelectStmt{SelectStmt: &pg.SelectStmt{
		TargetList: []*pg.Node{{Node: &pg.Node_ResTarget{ResTarget: &pg.ResTarget{Val: n}}}},
	}}}}}}
	text, err := Deparse(tree)
	if err != nil {
		return nil, "", pgerr.Wrapf(err, pgerr.SyntaxError, "rendering default expression")
	}
	return e, strings.TrimPrefix(text, "SELECT "), nil
}

func (t *translator) viewStmt(s *pg.ViewStmt) (ast.Stmt, error) {
	if s.WithCheckOption != pg.ViewCheckOption_NO_CHECK_OPTION && s.WithCheckOption != pg.ViewCheckOption_VIEW_CHECK_OPTION_UNDEFINED {
		return nil, t.unsupported("WITH CHECK OPTION", s.View.Location)
	}
	ref, err := t.rangeVar(s.View)
	if err != nil {
		return nil, err
	}
	q, err := t.selectStmt(s.Query.GetSelectStmt())
	if err != nil {
		return nil, err
	}
	out := &ast.CreateViewStmt{View: ref, Query: q, Replace: s.Replace}
	for _, o := range s.Options {
		d := o.GetDefElem()
		if d == nil {
			continue
		}
		opt := ast.ViewOption{Name: d.Defname, Pos: t.pos(d.Location)}
		switch {
		case d.Arg == nil:
		case d.Arg.GetString_() != nil:
			opt.Value = d.Arg.GetString_().Sval
		case d.Arg.GetInteger() != nil:
			opt.Value = strconv.Itoa(int(d.Arg.GetInteger().Ival))
		case d.Arg.GetFloat() != nil:
			opt.Value = d.Arg.GetFloat().Fval
		case d.Arg.GetBoolean() != nil:
			opt.Value = strconv.FormatBool(d.Arg.GetBoolean().Boolval)
		case d.Arg.GetTypeName() != nil:
			opt.Value = str(d.Arg.GetTypeName().Names[len(d.Arg.GetTypeName().Names)-1])
		default:
			return nil, pgerr.New(pgerr.SyntaxError, "invalid value for option \"%s\"", d.Defname).WithPosition(opt.Pos)
		}
		out.Options = append(out.Options, opt)
	}
	for _, a := range s.Aliases {
		out.Columns = append(out.Columns, t.name(a))
	}
	tree := &pg.ParseResult{Version: t.version, Stmts: []*pg.RawStmt{{Stmt: s.Query}}}
	if out.QuerySQL, err = Deparse(tree); err != nil {
		return nil, pgerr.Wrapf(err, pgerr.SyntaxError, "rendering view query")
	}
	return out, nil
}

func (t *translator) vacuumStmt(s *pg.VacuumStmt) (ast.Stmt, error) {
	out := &ast.VacuumStmt{Analyze: !s.IsVacuumcmd, AnalyzeOnly: !s.IsVacuumcmd}
	for _, o := range s.Options {
		d := o.GetDefElem()
		if d == nil {
			continue
		}
		switch d.Defname {
		case "analyze":
			out.Analyze = true
		case "full", "freeze", "verbose", "skip_locked", "disable_page_skipping", "index_cleanup", "truncate", "process_toast", "parallel":
		default:
			return nil, pgerr.New(pgerr.SyntaxError, "unrecognized VACUUM option \"%s\"", d.Defname).WithPosition(t.pos(d.Location))
		}
	}
	for _, r := range s.Rels {
		vr := r.GetVacuumRelation()
		if vr == nil || vr.Relation == nil {
			continue
		}
		ref, err := t.rangeVar(vr.Relation)
		if err != nil {
			return nil, err
		}
		out.Tables = append(out.Tables, ref)
		var cols []string
		for _, c := range vr.VaCols {
			cols = append(cols, TruncateIdent(c.GetString_().GetSval()))
		}
		out.Columns = append(out.Columns, cols)
		if len(cols) > 0 && !out.Analyze {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "ANALYZE option must be specified when a column list is provided")
		}
	}
	return out, nil
}

func (t *translator) dropStmt(s *pg.DropStmt) (ast.Stmt, error) {
	switch s.RemoveType {
	case pg.ObjectType_OBJECT_SCHEMA:
		return t.dropSchema(s)
	case pg.ObjectType_OBJECT_TABLE, pg.ObjectType_OBJECT_VIEW, pg.ObjectType_OBJECT_INDEX, pg.ObjectType_OBJECT_SEQUENCE:
	default:
		return nil, pgerr.New(pgerr.FeatureNotSupported, "DROP %s is not supported", strings.TrimPrefix(s.RemoveType.String(), "OBJECT_"))
	}
	// DROP INDEX CONCURRENTLY behaves as DROP INDEX: cairn's catalog
	// change is transactional and takes the table lock briefly.
	if s.Concurrent && len(s.Objects) > 1 {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "DROP INDEX CONCURRENTLY does not support dropping multiple objects")
	}
	if s.Concurrent && s.Behavior == pg.DropBehavior_DROP_CASCADE {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "DROP INDEX CONCURRENTLY does not support CASCADE")
	}
	out := &ast.DropTableStmt{IfExists: s.MissingOk, View: s.RemoveType == pg.ObjectType_OBJECT_VIEW, Index: s.RemoveType == pg.ObjectType_OBJECT_INDEX,
		Sequence: s.RemoveType == pg.ObjectType_OBJECT_SEQUENCE, Cascade: s.Behavior == pg.DropBehavior_DROP_CASCADE, Concurrently: s.Concurrent}
	for _, o := range s.Objects {
		items := o.GetList().GetItems()
		if len(items) == 0 {
			continue
		}
		name := TruncateIdent(str(items[len(items)-1]))
		switch len(items) {
		case 1:
		case 2:
			name = QualifiedName(TruncateIdent(str(items[0])), name)
		default:
			return nil, crossDatabaseRef(items)
		}
		out.Tables = append(out.Tables, ast.TableRef{Name: name})
	}
	return out, nil
}

func (t *translator) indexStmt(s *pg.IndexStmt) (ast.Stmt, error) {
	ref, err := t.rangeVar(s.Relation)
	if err != nil {
		return nil, err
	}
	if s.TableSpace != "" && s.TableSpace != "pg_default" {
		return nil, t.unsupported("index storage options", s.Relation.Location)
	}
	if err := t.indexParams(s.Options, strings.ToLower(s.AccessMethod)); err != nil {
		return nil, err
	}
	// CONCURRENTLY is accepted: cairn's build under a SHARE lock gives
	// the same result, only without letting writers in meanwhile.
	out := &ast.CreateIndexStmt{Name: TruncateIdent(s.Idxname), Table: ref, Unique: s.Unique, IfNotExists: s.IfNotExists,
		NullsNotDistinct: s.NullsNotDistinct, Method: strings.ToLower(s.AccessMethod), Concurrently: s.Concurrent}
	if out.Method == "" {
		out.Method = "btree"
	}
	for _, p := range s.IndexParams {
		el := p.GetIndexElem()
		if el == nil {
			return nil, t.unsupported("this index element", s.Relation.Location)
		}
		if len(el.Opclassopts) > 0 {
			return nil, t.unsupported("operator class options", s.Relation.Location)
		}
		col := ast.IndexColumn{Name: TruncateIdent(el.Name), Desc: el.Ordering == pg.SortByDir_SORTBY_DESC}
		if n := len(el.Collation); n > 0 {
			col.Collation = str(el.Collation[n-1])
		}
		if n := len(el.Opclass); n > 0 {
			col.Opclass = strings.ToLower(str(el.Opclass[n-1]))
		}
		switch el.NullsOrdering {
		case pg.SortByNulls_SORTBY_NULLS_FIRST:
			col.Nulls = "first"
		case pg.SortByNulls_SORTBY_NULLS_LAST:
			col.Nulls = "last"
		}
		// A COLLATE on top of a key expression is the key's collation
		// (unless the key names one itself), and "(col COLLATE c)" is the
		// column col, as in PostgreSQL's ComputeIndexAttrs.
		for el.Expr != nil && el.Expr.GetCollateClause() != nil {
			cc := el.Expr.GetCollateClause()
			if n := len(cc.Collname); n > 0 && col.Collation == "" {
				col.Collation = str(cc.Collname[n-1])
			}
			el.Expr = cc.Arg
		}
		if el.Expr != nil {
			if cr := el.Expr.GetColumnRef(); cr != nil && len(cr.Fields) == 1 && cr.Fields[0].GetString_() != nil {
				// (col) in parentheses is the column itself.
				col.Name = TruncateIdent(str(cr.Fields[0]))
			} else if col.Expr, col.SQL, err = t.defaultExpr(el.Expr); err != nil {
				return nil, err
			}
		}
		out.Columns = append(out.Columns, col)
	}
	for _, p := range s.IndexIncludingParams {
		el := p.GetIndexElem()
		if el == nil || el.Expr != nil || el.Name == "" {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "expressions are not supported in included columns")
		}
		out.Include = append(out.Include, TruncateIdent(el.Name))
	}
	if s.WhereClause != nil {
		if out.Where, out.WhereSQL, err = t.defaultExpr(s.WhereClause); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (t *translator) transactionStmt(s *pg.TransactionStmt) (ast.Stmt, error) {
	out := &ast.TransactionStmt{}
	switch s.Kind {
	case pg.TransactionStmtKind_TRANS_STMT_BEGIN, pg.TransactionStmtKind_TRANS_STMT_START:
		out.Kind = "BEGIN"
		out.Start = s.Kind == pg.TransactionStmtKind_TRANS_STMT_START
	case pg.TransactionStmtKind_TRANS_STMT_COMMIT:
		out.Kind = "COMMIT"
	case pg.TransactionStmtKind_TRANS_STMT_ROLLBACK:
		out.Kind = "ROLLBACK"
	case pg.TransactionStmtKind_TRANS_STMT_SAVEPOINT:
		out.Kind, out.Savepoint = "SAVEPOINT", TruncateIdent(s.SavepointName)
	case pg.TransactionStmtKind_TRANS_STMT_RELEASE:
		out.Kind, out.Savepoint = "RELEASE", TruncateIdent(s.SavepointName)
	case pg.TransactionStmtKind_TRANS_STMT_ROLLBACK_TO:
		out.Kind, out.Savepoint = "ROLLBACK TO", TruncateIdent(s.SavepointName)
	case pg.TransactionStmtKind_TRANS_STMT_PREPARE:
		out.Kind, out.GID = "PREPARE TRANSACTION", s.Gid
	case pg.TransactionStmtKind_TRANS_STMT_COMMIT_PREPARED:
		out.Kind, out.GID = "COMMIT PREPARED", s.Gid
	case pg.TransactionStmtKind_TRANS_STMT_ROLLBACK_PREPARED:
		out.Kind, out.GID = "ROLLBACK PREPARED", s.Gid
	default:
		return nil, t.unsupported(strings.TrimPrefix(s.Kind.String(), "TRANS_STMT_")+" (two-phase commit)", s.Location)
	}
	out.Chain = s.Chain
	for _, o := range s.Options {
		d := o.GetDefElem()
		switch d.Defname {
		case "transaction_isolation":
			out.Isolation = strings.ToLower(d.Arg.GetAConst().GetSval().GetSval())
		case "transaction_read_only":
			v := d.Arg.GetAConst().GetIval().GetIval() != 0
			out.ReadOnly = &v
		case "transaction_deferrable":
			v := d.Arg.GetAConst().GetIval().GetIval() != 0
			out.Deferrable = &v
		}
	}
	return out, nil
}

func (t *translator) setStmt(s *pg.VariableSetStmt) (ast.Stmt, error) {
	out := &ast.SetStmt{Name: strings.ToLower(s.Name), Local: s.IsLocal}
	switch s.Kind {
	case pg.VariableSetKind_VAR_SET_VALUE:
		for _, a := range s.Args {
			c := a.GetAConst()
			switch {
			case c == nil:
				if tc := a.GetTypeCast(); tc != nil && tc.Arg.GetAConst() != nil && tc.Arg.GetAConst().GetSval() != nil {
					out.Value = append(out.Value, tc.Arg.GetAConst().GetSval().Sval)
					continue
				}
				return nil, t.unsupported("this SET value", 0)
			case c.GetSval() != nil:
				out.Value = append(out.Value, c.GetSval().Sval)
			case c.GetIval() != nil:
				out.Value = append(out.Value, strconv.Itoa(int(c.GetIval().Ival)))
			case c.GetFval() != nil:
				out.Value = append(out.Value, c.GetFval().Fval)
			case c.GetBoolval() != nil:
				out.Value = append(out.Value, strconv.FormatBool(c.GetBoolval().Boolval))
			}
		}
	case pg.VariableSetKind_VAR_SET_DEFAULT:
	case pg.VariableSetKind_VAR_RESET:
		out.Reset = true
	case pg.VariableSetKind_VAR_RESET_ALL:
		out.Name, out.Reset = "all", true
	case pg.VariableSetKind_VAR_SET_MULTI:
		// SET TRANSACTION ... / SET SESSION CHARACTERISTICS: the isolation
		// level arrives as a DefElem list.
		out.Name = strings.ToLower(s.Name)
		for _, a := range s.Args {
			if c := a.GetAConst(); c != nil && c.GetSval() != nil {
				// SET TRANSACTION SNAPSHOT 'id'
				out.Value = append(out.Value, c.GetSval().Sval)
				continue
			}
			d := a.GetDefElem()
			if d == nil {
				continue
			}
			if c := d.Arg.GetAConst(); c != nil {
				switch {
				case c.GetSval() != nil:
					out.Value = append(out.Value, d.Defname+"="+c.GetSval().Sval)
				case c.GetIval() != nil:
					out.Value = append(out.Value, d.Defname+"="+strconv.Itoa(int(c.GetIval().Ival)))
				}
			}
		}
	default:
		return nil, t.unsupported("RESET ALL", 0)
	}
	return out, nil
}

// lockModeNames are PostgreSQL's table lock modes by their number in
// LockStmt (lockdefs.h).
var lockModeNames = map[int32]string{
	1: "AccessShareLock", 2: "RowShareLock", 3: "RowExclusiveLock", 4: "ShareUpdateExclusiveLock",
	5: "ShareLock", 6: "ShareRowExclusiveLock", 7: "ExclusiveLock", 8: "AccessExclusiveLock",
}

// DECLARE CURSOR's options (parsenodes.h).
const (
	cursorOptBinary   = 0x0001
	cursorOptNoScroll = 0x0004
	cursorOptHold     = 0x0020
)
