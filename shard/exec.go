package shard

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
)

// transaction runs BEGIN, COMMIT and ROLLBACK. The node transactions
// begin lazily, each with the client's BEGIN statement (its isolation
// level and access mode), on the nodes the transaction touches.
func (s *Session) transaction(ctx context.Context, a *stmt) (*sql.Result, error) {
	x := a.node.(*ast.TransactionStmt)
	switch x.Kind {
	case "BEGIN":
		if s.implicit {
			// BEGIN in a string of statements: the implicit block
			// becomes an explicit transaction.
			s.implicit = false
			return &sql.Result{Tag: a.tag}, nil
		}
		if s.tx != nil {
			return &sql.Result{Tag: a.tag, Notices: []sql.Notice{{Severity: "WARNING", Code: pgerr.ActiveSQLTransaction, Message: "there is already a transaction in progress"}}}, nil
		}
		s.tx, s.failed = s.c.newDtx(a.sql, s.settings), false
		iso := x.Isolation
		if iso == "" {
			iso = s.settings.get("default_transaction_isolation")
		}
		s.tx.clusterSnap = iso == "repeatable read" && !s.c.opts.PerNodeSnapshots
		return &sql.Result{Tag: a.tag}, nil
	}
	if s.tx == nil {
		return &sql.Result{Tag: a.tag, Notices: []sql.Notice{{Severity: "WARNING", Code: pgerr.NoActiveSQLTransaction, Message: "there is no transaction in progress"}}}, nil
	}
	tx, failed := s.tx, s.failed
	s.tx, s.failed, s.implicit = nil, false, false
	if x.Kind == "ROLLBACK" || failed {
		s.endTx(ctx, tx, false)
		return &sql.Result{Tag: "ROLLBACK"}, nil
	}
	if err := s.endTx(ctx, tx, true); err != nil {
		return nil, err
	}
	return &sql.Result{Tag: "COMMIT"}, nil
}

// insert sends each row of an INSERT ... VALUES to the node of its
// shard. Rows that all go to one node go there as the statement was
// written; otherwise each node gets an INSERT of its rows, their values
// passed as parameters, in one distributed transaction.
func (s *Session) insert(ctx context.Context, a *stmt, params []types.Datum, ptypes []types.T) (*sql.Result, error) {
	t := a.table
	colT := t.colType()
	byNode := map[string][]int{}
	var order []string
	for i, row := range a.rows {
		k := row[a.keyCol]
		if l, ok := k.(*ast.Literal); ok && l.Kind == "null" {
			return nil, pgerr.New(pgerr.NotNullViolation, "cannot perform an INSERT with NULL in the partition column")
		}
		d, ok := keyValue(k, colT, params, ptypes)
		if !ok {
			if r, isParam := k.(*ast.ParamRef); isParam && r.N >= 1 && r.N <= len(params) && params[r.N-1] == nil {
				return nil, pgerr.New(pgerr.NotNullViolation, "cannot perform an INSERT with NULL in the partition column")
			}
			return nil, pgerr.New(pgerr.FeatureNotSupported, "the value of distribution column %s in row %d of an INSERT into %s must be a constant or a parameter of its type", t.Column, i+1, t.Name)
		}
		id, err := t.nodeOf(d)
		if err != nil {
			return nil, err
		}
		if _, seen := byNode[id]; !seen {
			order = append(order, id)
		}
		byNode[id] = append(byNode[id], i)
	}
	w := toWire(params, ptypes)
	if len(order) == 1 {
		return s.run(ctx, order[0], a, w)
	}
	ins := a.node.(*ast.InsertStmt)
	if len(ins.Returning) > 0 || ins.OnConflict != nil || ins.Overriding != "" {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "an INSERT into %s of rows for several nodes cannot have RETURNING, ON CONFLICT or OVERRIDING yet: insert them one by one", t.Name)
	}
	head := "INSERT INTO " + parser.QuoteIdent(t.Name)
	if len(ins.Columns) > 0 {
		cols := make([]string, len(ins.Columns))
		for i, c := range ins.Columns {
			cols[i] = parser.QuoteIdent(c)
		}
		head += " (" + strings.Join(cols, ", ") + ")"
	}
	parts := map[string]*stmt{}
	wires := map[string]wireParams{}
	for _, id := range order {
		var b strings.Builder
		b.WriteString(head)
		b.WriteString(" VALUES ")
		var pw wireParams
		for j, ri := range byNode[id] {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for k, e := range a.rows[ri] {
				if k > 0 {
					b.WriteString(", ")
				}
				v, oid, isDefault, err := wireValue(e, w)
				if err != nil {
					return nil, pgerr.New(pgerr.FeatureNotSupported, "an INSERT into %s of rows for several nodes takes constants and parameters only yet: %v", t.Name, err)
				}
				if isDefault {
					b.WriteString("DEFAULT")
					continue
				}
				pw.values = append(pw.values, v)
				pw.oids = append(pw.oids, oid)
				b.WriteString("$" + strconv.Itoa(len(pw.values)))
			}
			b.WriteByte(')')
		}
		parts[id] = &stmt{sql: b.String(), tag: "INSERT", write: true}
		wires[id] = pw
	}
	return s.writeMany(ctx, a, order, func(tx *dtx) ([]*sql.Result, error) {
		var out []*sql.Result
		for _, id := range order {
			res, err := tx.run(ctx, id, parts[id], wires[id])
			if err != nil {
				return nil, err
			}
			out = append(out, res)
		}
		return out, nil
	})
}

// wireValue is the parameter that stands for expression e of a VALUES
// row: a literal as untyped text (the node reads it as the column's type,
// as it would the literal), a parameter as the client sent it.
func wireValue(e ast.Expr, w wireParams) (v []byte, oid uint32, isDefault bool, err error) {
	switch x := e.(type) {
	case *ast.DefaultExpr:
		return nil, 0, true, nil
	case *ast.Literal:
		switch x.Kind {
		case "null":
			return nil, 0, false, nil
		case "bool":
			return []byte(strconv.FormatBool(x.Bool)), uint32(types.Bool), false, nil
		}
		return []byte(x.Text), 0, false, nil
	case *ast.UnaryExpr:
		if l, ok := x.X.(*ast.Literal); ok && x.Op == "-" && (l.Kind == "int" || l.Kind == "float") {
			return []byte("-" + l.Text), 0, false, nil
		}
	case *ast.ParamRef:
		if x.N >= 1 && x.N <= len(w.values) {
			return w.values[x.N-1], w.oids[x.N-1], false, nil
		}
	case *ast.CastExpr:
		ct, err := types.Resolve(x.Type)
		if err == nil {
			if l, ok := x.X.(*ast.Literal); ok && l.Kind == "string" {
				return []byte(l.Text), uint32(ct.ID), false, nil
			}
		}
	}
	return nil, 0, false, fmt.Errorf("an expression at position %d", e.Position())
}

// distribute runs create_distributed_table(table, column [, shard_count
// => n]) and create_reference_table(table): the table must exist, alike,
// and be empty on every node (moving rows in is not built yet); its
// placement is then recorded in etcd.
func (s *Session) distribute(ctx context.Context, a *stmt, params []types.Datum, ptypes []types.T) (*sql.Result, error) {
	if s.implicit {
		// In a string of statements (CREATE TABLE t ...; SELECT
		// create_distributed_table('t', ...)) what came before commits
		// first, so that the nodes have the table.
		err := s.endTx(ctx, s.tx, true)
		s.tx = s.c.newDtx("BEGIN", s.settings)
		if err != nil {
			return nil, err
		}
	} else if s.tx != nil {
		return nil, pgerr.New(pgerr.ActiveSQLTransaction, "%s cannot run inside a transaction block", a.fn)
	}
	var args []string
	shards := s.c.opts.Shards
	call := a.node.(*ast.SelectStmt).Targets[0].Expr.(*ast.FuncCall)
	for i, e := range a.args {
		v, ok := keyValue(e, types.New(types.Text), params, ptypes)
		if !ok || v == nil {
			return nil, pgerr.New(pgerr.InvalidParameterValue, "the arguments of %s must be constants", a.fn)
		}
		name := ""
		if i < len(call.ArgNames) {
			name = call.ArgNames[i]
		}
		switch name {
		case "":
			args = append(args, v.(string))
		case "shard_count":
			n, err := strconv.Atoi(v.(string))
			if err != nil || n < 1 || n > 64000 {
				return nil, pgerr.New(pgerr.InvalidParameterValue, "shard_count must be between 1 and 64000")
			}
			shards = n
		default:
			return nil, pgerr.New(pgerr.UndefinedFunction, "%s has no argument %s", a.fn, name)
		}
	}
	want := 2
	if a.fn == "create_reference_table" {
		want = 1
	}
	if len(args) != want {
		return nil, pgerr.New(pgerr.UndefinedFunction, "function %s takes %d arguments", a.fn, want)
	}
	table := args[0]
	nodes := s.c.nodeIDs()
	if len(nodes) == 0 {
		return nil, pgerr.New(pgerr.ObjectNotInPrerequisiteState, "the cluster has no nodes")
	}
	if p := s.c.Placement(); p.Tables[table] != nil {
		return nil, pgerr.New(pgerr.ObjectNotInPrerequisiteState, "table \"%s\" is already distributed", table)
	}
	var cols [][]colInfo
	for _, id := range nodes {
		ci, err := s.c.tableColumns(ctx, id, table)
		if err != nil {
			return nil, err
		}
		cols = append(cols, ci)
	}
	for i := 1; i < len(cols); i++ {
		if !slices.Equal(cols[i], cols[0]) {
			return nil, pgerr.New(pgerr.ObjectNotInPrerequisiteState, "table \"%s\" differs between nodes %s and %s", table, nodes[0], nodes[i])
		}
	}
	t := &Table{Name: table, Reference: a.fn == "create_reference_table"}
	if !t.Reference {
		t.Column = args[1]
		t.ColumnIndex = -1
		for i, c := range cols[0] {
			if c.name == t.Column {
				t.ColumnIndex, t.TypeOID, t.TypeMod = i, c.oid, c.mod
			}
		}
		if t.ColumnIndex < 0 {
			return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", t.Column, table)
		}
		if ct := t.colType(); !Hashable(ct) {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "a column of type %s cannot be a distribution column", ct.Name())
		}
		s.c.mu.Lock()
		t.Shards = s.c.placementRing().Place(shards)
		s.c.mu.Unlock()
	}
	for _, id := range nodes {
		var rows bool
		err := s.c.withConn(ctx, id, func(pc *pgconn.PgConn) error {
			rr := pc.ExecParams(ctx, "SELECT 1 FROM "+parser.QuoteIdent(table)+" LIMIT 1", nil, nil, nil, nil)
			for rr.NextRow() {
				rows = true
			}
			_, err := rr.Close()
			return relay(err)
		})
		if err != nil {
			return nil, err
		}
		if rows {
			return nil, pgerr.New(pgerr.ObjectNotInPrerequisiteState, "table \"%s\" has rows on node %s: only an empty table can be distributed yet", table, id)
		}
	}
	err := s.c.updatePlacement(ctx, func(p *Placement) error {
		if p.Tables[table] != nil {
			return pgerr.New(pgerr.ObjectNotInPrerequisiteState, "table \"%s\" is already distributed", table)
		}
		p.Tables[table] = t
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &sql.Result{Columns: []sql.Column{{Name: a.fn, Type: types.New(types.Void)}}, Rows: [][]types.Datum{{""}}, Tag: "SELECT 1"}, nil
}

type colInfo struct {
	name string
	oid  uint32
	mod  int32
}

// tableColumns lists the columns of table on node id, in order.
func (c *Coordinator) tableColumns(ctx context.Context, id, table string) ([]colInfo, error) {
	var out []colInfo
	err := c.withConn(ctx, id, func(pc *pgconn.PgConn) error {
		rr := pc.ExecParams(ctx, `SELECT a.attname, a.atttypid, a.atttypmod FROM pg_catalog.pg_attribute a
			JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
			JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
			WHERE c.relname = $1 AND n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
			ORDER BY a.attnum`, [][]byte{[]byte(table)}, []uint32{uint32(types.Text)}, nil, nil)
		for rr.NextRow() {
			v := rr.Values()
			oid, _ := strconv.ParseUint(string(v[1]), 10, 32)
			mod, _ := strconv.ParseInt(string(v[2]), 10, 32)
			out = append(out, colInfo{name: string(v[0]), oid: uint32(oid), mod: int32(mod)})
		}
		_, err := rr.Close()
		return relay(err)
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist on node %s", table, id)
	}
	return out, nil
}

// refreshColumns records again where distributed table name's
// distribution column is among its columns, after an ALTER TABLE.
func (c *Coordinator) refreshColumns(ctx context.Context, name string) error {
	home, err := c.home()
	if err != nil {
		return err
	}
	cols, err := c.tableColumns(ctx, home, name)
	if err != nil {
		return err
	}
	return c.updatePlacement(ctx, func(p *Placement) error {
		t := p.Tables[name]
		if t == nil || t.Reference {
			return nil
		}
		for i, col := range cols {
			if col.name == t.Column {
				t.ColumnIndex = i
				return nil
			}
		}
		return pgerr.New(pgerr.UndefinedColumn, "distribution column %s of %s is gone", t.Column, name)
	})
}
