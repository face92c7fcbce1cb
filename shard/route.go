package shard

import (
	"context"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
)

// kind is how a statement is run across the cluster.
type kind int

const (
	// kindHome runs on the home node: the statement names no
	// distributed or reference table (SELECT 1, catalog queries, tables
	// that were never distributed).
	kindHome kind = iota
	// kindReadRef reads reference tables only: the home node has them.
	kindReadRef
	// kindRouted names one distributed table: its node when the
	// distribution column's equality names one shard, else every node
	// holding its shards (fanout says how rows are merged).
	kindRouted
	// kindInsert inserts rows into a distributed table, each to the node
	// of its shard.
	kindInsert
	// kindBroadcast runs on every node in one distributed transaction:
	// DDL, and writes to reference tables.
	kindBroadcast
	// kindTx is BEGIN, COMMIT, ROLLBACK.
	kindTx
	// kindDistribute is create_distributed_table or
	// create_reference_table.
	kindDistribute
	kindEmpty
	// kindCopy is COPY FROM STDIN or TO STDOUT (copy.go), run by CopyIn
	// and CopyOut.
	kindCopy
	// kindMaintain is VACUUM and ANALYZE: on every node, outside a
	// transaction (ANALYZE may run in one).
	kindMaintain
	// kindSet is SET and RESET, given to every node the session uses
	// (settings.go); kindDiscard is DISCARD.
	kindSet
	kindDiscard
	// kindNodes adds or removes a node or moves shards (rebalance.go):
	// citus_add_node, citus_remove_node, rebalance_table_shards.
	kindNodes
)

// stmt is one analysed statement.
type stmt struct {
	sql     string
	tag     string
	kind    kind
	node    ast.Stmt
	version int64 // of the placement map it was analysed against
	write   bool

	table *Table
	// key is the expression the distribution column equals, when the
	// statement names it (kindRouted); rows are the VALUES rows' keys
	// (kindInsert).
	key     ast.Expr
	rows    [][]ast.Expr
	keyCol  int // the position of the distribution column in each row
	fanout  *fanout
	nofan   error // why the statement cannot fan out, when it cannot
	dropped []string
	// altered names the distributed table an ALTER TABLE changes.
	altered string
	// replicated: a write of reference tables, run on every node alike;
	// one node's result is the statement's.
	replicated bool

	// distribute: the function and its arguments.
	fn   string
	args []ast.Expr
}

// analyse classifies a statement against placement p.
func analyse(ctx context.Context, st parser.Statement, p *Placement) (*stmt, error) {
	s := &stmt{sql: st.SQL, tag: st.Stmt.Tag(), node: st.Stmt, version: p.Version}
	if s.tag == "" {
		s.kind = kindEmpty
		return s, nil
	}
	_, s.write = st.Stmt.(ast.DatabaseWriter)
	switch x := st.Stmt.(type) {
	case *ast.TransactionStmt:
		switch x.Kind {
		case "BEGIN", "COMMIT", "ROLLBACK":
			if x.Chain {
				return nil, pgerr.New(pgerr.FeatureNotSupported, "%s AND CHAIN is not supported by the cluster coordinator", x.Kind)
			}
			s.kind = kindTx
			return s, nil
		}
		return nil, pgerr.New(pgerr.FeatureNotSupported, "%s is not supported by the cluster coordinator", x.Tag())
	case *ast.SetStmt:
		s.kind = kindSet
		return s, nil
	case *ast.DiscardStmt:
		s.kind = kindDiscard
		return s, nil
	case *ast.SelectStmt:
		if fn, args, ok := distributeCall(x); ok {
			s.kind, s.fn, s.args = kindDistribute, fn, args
			if nodeFunctions[fn] {
				s.kind = kindNodes
			}
			return s, nil
		}
	}
	rels, ok := parser.RelationsIn(st.SQL)
	if !ok {
		return nil, pgerr.New(pgerr.InternalError, "cannot list the relations of %q", st.SQL)
	}
	var dist, ref []*Table
	var local []string
	distRefs := 0
	for _, r := range rels {
		if r.Schema != "" && r.Schema != "public" {
			continue
		}
		t := p.Tables[r.Name]
		switch {
		case t == nil:
			if r.Schema != "" || !strings.HasPrefix(r.Name, "pg_") {
				local = append(local, r.Name)
			}
		case t.Reference:
			if !slices_contains(ref, t) {
				ref = append(ref, t)
			}
		default:
			distRefs++
			if !slices_contains(dist, t) {
				dist = append(dist, t)
			}
		}
	}
	if d, ok := st.Stmt.(*ast.DropTableStmt); ok && !d.View && !d.Index && !d.Sequence {
		for _, tr := range d.Tables {
			if t := p.Tables[bareName(tr.Name)]; t != nil {
				s.dropped = append(s.dropped, t.Name)
			}
		}
		s.kind = kindBroadcast
		return s, nil
	}
	switch x := st.Stmt.(type) {
	case *ast.CreateViewStmt:
		// A view is stored on every node over the node's own part of
		// the tables it names: it would answer from one node's shards.
		if len(dist) > 0 {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "a view over distributed table %s is not supported yet", dist[0].Name)
		}
		s.kind = kindBroadcast
		return s, nil
	case *ast.CopyStmt:
		return analyseCopy(s, x, p, dist)
	case *ast.VacuumStmt:
		s.kind = kindMaintain
		return s, nil
	case *ast.RenameRelationStmt:
		if t := p.Tables[bareName(x.Name.Name)]; t != nil && x.Kind != "index" {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "renaming distributed or reference table %s is not supported yet", t.Name)
		}
	case *ast.AlterTableStmt:
		if t := p.Tables[bareName(x.Table.Name)]; t != nil {
			if err := checkAlter(x, t); err != nil {
				return nil, err
			}
			// Dropping a column moves the distribution column's place.
			s.altered = t.Name
		}
	}
	switch st.Stmt.(type) {
	case *ast.SelectStmt, *ast.InsertStmt, *ast.UpdateStmt, *ast.DeleteStmt:
	default:
		// Utility statements: DDL goes to every node, the rest to the
		// home node.
		if s.write {
			s.kind = kindBroadcast
		} else {
			s.kind = kindHome
		}
		return s, nil
	}
	switch {
	case len(dist) == 0 && len(ref) == 0:
		s.kind = kindHome
		return s, nil
	case len(dist) == 0:
		if s.write {
			s.kind, s.replicated = kindBroadcast, true
		} else {
			s.kind = kindReadRef
		}
		return s, nil
	case len(dist) > 1:
		return nil, pgerr.New(pgerr.FeatureNotSupported, "a statement naming more than one distributed table (%s, %s) is not supported yet", dist[0].Name, dist[1].Name)
	}
	s.table = dist[0]
	if len(local) > 0 {
		// A relation that is neither distributed nor a reference table
		// has its rows on the home node only (or is a view or a
		// table of another kind): joined with a shard it would be wrong.
		return nil, pgerr.New(pgerr.FeatureNotSupported, "a statement naming distributed table %s and relation %s, which is neither distributed nor a reference table, is not supported", s.table.Name, local[0])
	}
	if distRefs > 1 {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "a statement naming distributed table %s more than once is not supported yet", s.table.Name)
	}
	if s.write && len(ref) > 0 {
		if _, ins := st.Stmt.(*ast.InsertStmt); !ins {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "a write naming distributed table %s and reference table %s is not supported yet", s.table.Name, ref[0].Name)
		}
	}
	switch x := st.Stmt.(type) {
	case *ast.SelectStmt:
		s.kind = kindRouted
		if len(x.With) == 0 && x.Op == "" && len(x.From) == 1 {
			if tr, ok := x.From[0].(*ast.TableRef); ok && bareName(tr.Name) == s.table.Name {
				s.key = keyEquality(x.Where, s.table, tr.Alias)
			}
		}
		s.fanout, s.nofan = planFanout(x, s.table)
	case *ast.UpdateStmt:
		s.kind = kindRouted
		for _, sc := range x.Set {
			if sc.Column == s.table.Column {
				return nil, pgerr.New(pgerr.FeatureNotSupported, "modifying the distribution column %s of %s is not supported", s.table.Column, s.table.Name)
			}
		}
		s.key = keyEquality(x.Where, s.table, x.Table.Alias)
		s.fanout = &fanout{}
	case *ast.DeleteStmt:
		s.kind = kindRouted
		s.key = keyEquality(x.Where, s.table, x.Table.Alias)
		s.fanout = &fanout{}
	case *ast.InsertStmt:
		if bareName(x.Table.Name) != s.table.Name {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "INSERT ... SELECT from distributed table %s is not supported yet", s.table.Name)
		}
		if x.Query == nil || len(x.Query.Values) == 0 || len(x.With) > 0 {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "INSERT into distributed table %s takes a VALUES list", s.table.Name)
		}
		s.kind = kindInsert
		s.keyCol = -1
		if len(x.Columns) == 0 {
			s.keyCol = s.table.ColumnIndex
		} else {
			for i, c := range x.Columns {
				if c == s.table.Column {
					s.keyCol = i
				}
			}
		}
		if s.keyCol < 0 {
			return nil, pgerr.New(pgerr.NotNullViolation, "INSERT into distributed table %s must give its distribution column %s", s.table.Name, s.table.Column)
		}
		s.rows = x.Query.Values
		for _, row := range s.rows {
			if s.keyCol >= len(row) {
				return nil, pgerr.New(pgerr.NotNullViolation, "INSERT into distributed table %s must give its distribution column %s", s.table.Name, s.table.Column)
			}
		}
	}
	return s, nil
}

func slices_contains(ts []*Table, t *Table) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}

// bareName is the table name of a reference written bare or qualified
// by public (catalog.QualifiedName's form); "" for another schema.
func bareName(name string) string {
	schema, n, ok := strings.Cut(name, "\x00")
	if !ok {
		return name
	}
	if schema != "public" {
		return ""
	}
	return n
}

// colType is the type of t's distribution column.
func (t *Table) colType() types.T { return types.T{ID: types.ID(t.TypeOID), Mod: t.TypeMod} }

// keyEquality finds, among the AND-ed conditions of where, one that
// equates t's distribution column with a constant or parameter, and
// returns that expression.
func keyEquality(where ast.Expr, t *Table, alias string) ast.Expr {
	b, ok := where.(*ast.BinaryExpr)
	if !ok {
		return nil
	}
	switch b.Op {
	case "AND":
		if k := keyEquality(b.L, t, alias); k != nil {
			return k
		}
		return keyEquality(b.R, t, alias)
	case "=":
		if isKeyColumn(b.L, t, alias) && isConstant(b.R) {
			return b.R
		}
		if isKeyColumn(b.R, t, alias) && isConstant(b.L) {
			return b.L
		}
	}
	return nil
}

func isKeyColumn(e ast.Expr, t *Table, alias string) bool {
	c, ok := e.(*ast.ColumnRef)
	if !ok || c.Column != t.Column || c.Schema != "" && c.Schema != "public" {
		return false
	}
	return c.Table == "" || alias == "" && c.Table == t.Name || alias != "" && c.Table == alias
}

func isConstant(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.Literal:
		return x.Kind != "null"
	case *ast.ParamRef:
		return true
	case *ast.CastExpr:
		return isConstant(x.X)
	case *ast.UnaryExpr:
		return x.Op == "-" && isConstant(x.X)
	}
	return false
}

// keyValue evaluates a constant expression the router found (isConstant)
// as a value of type t, the distribution column's; ok is false when it
// cannot be had without running SQL, and the statement then goes to every
// node.
func keyValue(e ast.Expr, t types.T, params []types.Datum, ptypes []types.T) (types.Datum, bool) {
	switch x := e.(type) {
	case *ast.Literal:
		switch x.Kind {
		case "int", "float", "string":
			d, err := types.ParseText(t, x.Text)
			return d, err == nil
		case "bool":
			if t.ID == types.Bool {
				return x.Bool, true
			}
		}
	case *ast.ParamRef:
		if x.N < 1 || x.N > len(params) || x.N > len(ptypes) {
			return nil, false
		}
		d, pt := params[x.N-1], ptypes[x.N-1]
		if d == nil {
			return nil, false
		}
		if pt.ID == t.ID || pt.IsInteger() && t.IsInteger() {
			return d, true
		}
		v, err := types.ParseText(t, types.FormatTextStyle(pt, d, types.Style{}))
		return v, err == nil
	case *ast.CastExpr:
		ct, err := types.Resolve(x.Type)
		if err != nil || ct.ID != t.ID && !(ct.IsInteger() && t.IsInteger()) {
			return nil, false
		}
		return keyValue(x.X, ct, params, ptypes)
	case *ast.UnaryExpr:
		if l, ok := x.X.(*ast.Literal); ok && x.Op == "-" && (l.Kind == "int" || l.Kind == "float") {
			d, err := types.ParseText(t, "-"+l.Text)
			return d, err == nil
		}
	}
	return nil, false
}

// distributeCall recognizes SELECT create_distributed_table(...) and
// SELECT create_reference_table(...), alone in their statement.
func distributeCall(x *ast.SelectStmt) (string, []ast.Expr, bool) {
	if len(x.From) != 0 || len(x.Targets) != 1 || x.Where != nil || x.Op != "" {
		return "", nil, false
	}
	f, ok := x.Targets[0].Expr.(*ast.FuncCall)
	if !ok || f.Schema != "" {
		return "", nil, false
	}
	switch f.Name {
	case "create_distributed_table", "create_reference_table":
		return f.Name, f.Args, true
	}
	if nodeFunctions[f.Name] {
		return f.Name, f.Args, true
	}
	return "", nil, false
}

// checkAlter refuses an ALTER TABLE of distributed table t that would
// drop, rename or retype its distribution column (the placement of every
// row hangs on it).
func checkAlter(x *ast.AlterTableStmt, t *Table) error {
	if t.Reference || x == nil {
		return nil
	}
	var what string
	switch {
	case x.DropColumn != nil && x.DropColumn.Name == t.Column:
		what = "drop"
	case x.RenameColumn != nil && x.RenameColumn.Old == t.Column:
		what = "rename"
	case x.AlterType != nil && x.AlterType.Column == t.Column:
		what = "change the type of"
	}
	if what != "" {
		return pgerr.New(pgerr.FeatureNotSupported, "cannot %s the distribution column %s of table %s", what, t.Column, t.Name)
	}
	for _, sub := range append(x.Subcommands, x.ColumnKeys...) {
		if err := checkAlter(sub, t); err != nil {
			return err
		}
	}
	return nil
}
