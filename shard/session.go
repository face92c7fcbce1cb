package shard

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
)

// Session is one client's session on the coordinator. It has the methods
// of pgwire.Session, which serves it (cmd/cairn adapts the Coordinator
// with pgwire.EngineFunc): shard sits below pgwire and does not import it.
// pgwire calls it from one goroutine.
type Session struct {
	c              *Coordinator
	user, database string

	// cache holds the analysis of statements by their text, redone when
	// the placement map changed.
	cache map[string]*stmt

	tx     *dtx // the explicit transaction; nil outside one
	failed bool // a statement of tx failed: only ROLLBACK is accepted
	// implicit is set while tx is the implicit transaction of a query
	// string of several statements (BeginImplicit).
	implicit bool
	// settings are the session's SETs, given to the nodes (settings.go).
	settings *settings
	// inGate: the session is inside the coordinator's gate (gate.go),
	// from a statement's start to its end or, in a transaction, to the
	// transaction's end.
	inGate bool
}

// enterGate passes the session into the coordinator's gate unless it is
// inside already.
func (s *Session) enterGate(ctx context.Context) error {
	if s.inGate {
		return nil
	}
	if err := s.c.gate.enter(ctx); err != nil {
		return err
	}
	s.inGate = true
	return nil
}

// readsHomeOnly reports whether a, run outside a transaction, only
// reads the home node and no distributed table: it needs no placement,
// and no shard move can change its answer, so it does not wait at the
// gate (catalog queries, psql's \d, SELECT 1, reference tables).
func readsHomeOnly(a *stmt) bool {
	return !a.write && (a.kind == kindHome || a.kind == kindReadRef || a.kind == kindEmpty)
}

// leaveGate lets the session out of the gate once it has no transaction.
func (s *Session) leaveGate() {
	if s.inGate && s.tx == nil {
		s.c.gate.leave()
		s.inGate = false
	}
}

const cacheMax = 256

func (s *Session) parse(ctx context.Context, query string) ([]parser.Statement, error) {
	sts, _, err := parser.ParseStatements(ctx, query, parser.Config{})
	return sts, err
}

// analysed returns the analysis of st against the current placement map.
func (s *Session) analysed(ctx context.Context, st parser.Statement) (*stmt, error) {
	p := s.c.Placement()
	if a := s.cache[st.SQL]; a != nil && a.version == p.Version {
		return a, nil
	}
	a, err := analyse(ctx, st, p)
	if err != nil {
		return nil, err
	}
	if len(s.cache) >= cacheMax {
		clear(s.cache)
	}
	s.cache[st.SQL] = a
	return a, nil
}

// lookup finds the analysis of a prepared statement's text.
func (s *Session) lookup(ctx context.Context, query string) (*stmt, error) {
	p := s.c.Placement()
	if a := s.cache[query]; a != nil && a.version == p.Version {
		return a, nil
	}
	sts, err := s.parse(ctx, query)
	if err != nil {
		return nil, err
	}
	if len(sts) != 1 {
		return nil, pgerr.New(pgerr.InternalError, "prepared statement %q has %d statements", query, len(sts))
	}
	return s.analysed(ctx, sts[0])
}

func (s *Session) PrepareAll(ctx context.Context, query string) ([]*sql.Prepared, error) {
	sts, err := s.parse(ctx, query)
	if err != nil {
		return nil, err
	}
	out := make([]*sql.Prepared, 0, len(sts))
	for _, st := range sts {
		if _, err := s.analysed(ctx, st); err != nil {
			return nil, err
		}
		if x, ok := st.Stmt.(*ast.CopyStmt); ok {
			out = append(out, sql.PreparedCopy(st.SQL, x))
			continue
		}
		out = append(out, &sql.Prepared{SQL: st.SQL, Tag: st.Stmt.Tag()})
	}
	return out, nil
}

func (s *Session) Prepare(ctx context.Context, query string, paramTypes []types.ID) (*sql.Prepared, error) {
	sts, err := s.parse(ctx, query)
	if err != nil {
		return nil, err
	}
	switch len(sts) {
	case 0:
		return &sql.Prepared{}, nil
	case 1:
	default:
		return nil, pgerr.New("42601", "cannot insert multiple commands into a prepared statement")
	}
	a, err := s.analysed(ctx, sts[0])
	if err != nil {
		return nil, err
	}
	p := &sql.Prepared{SQL: a.sql, Tag: a.tag}
	switch a.kind {
	case kindTx, kindEmpty, kindMaintain:
		return p, nil
	case kindCopy:
		return sql.PreparedCopy(a.sql, a.node.(*ast.CopyStmt)), nil
	case kindDistribute, kindNodes:
		p.Columns = []sql.Column{{Name: a.fn, Type: types.New(types.Void)}}
		if a.fn == "citus_add_node" || a.fn == "master_add_node" {
			p.Columns[0].Type = types.New(types.Text)
		}
		for i, arg := range a.args {
			ast.WalkExpr(arg, func(e ast.Expr) bool {
				if r, ok := e.(*ast.ParamRef); ok {
					for len(p.ParamTypes) < r.N {
						p.ParamTypes = append(p.ParamTypes, types.New(types.Text))
					}
					if a.kind == kindNodes && i == 1 {
						// citus_add_node(nodename text, nodeport int4)
						p.ParamTypes[r.N-1] = types.New(types.Int4)
					}
				}
				return true
			})
		}
		return p, nil
	}
	// The nodes know the tables' columns and the parameters' types: ask
	// one that has the statement's table, the next if it cannot be
	// reached.
	oids := make([]uint32, len(paramTypes))
	for i, t := range paramTypes {
		oids[i] = uint32(t)
	}
	ids, err := s.describeNodes(a)
	if err != nil {
		return nil, err
	}
	var desc *pgconn.StatementDescription
	for _, id := range ids {
		err = s.onNode(ctx, id, func(pc *pgconn.PgConn) error {
			var err error
			desc, err = pc.Prepare(ctx, "", a.sql, oids)
			return err
		})
		if !lostConn(err) || s.tx != nil {
			break
		}
	}
	if err != nil {
		return nil, relay(err)
	}
	for _, oid := range desc.ParamOIDs {
		t, ok := types.ByOID(int64(oid))
		if !ok {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "parameter of type oid %d is not supported by the cluster coordinator", oid)
		}
		p.ParamTypes = append(p.ParamTypes, t)
	}
	p.Columns = columnsOf(desc.Fields)
	return p, nil
}

// describeNodes are the nodes a statement can be described on, in order
// of preference.
func (s *Session) describeNodes(a *stmt) ([]string, error) {
	if a.table != nil && len(a.table.Shards) > 0 {
		return tableNodes(a.table), nil
	}
	home, err := s.c.home()
	if err != nil {
		return nil, err
	}
	return append([]string{home}, s.c.nodeIDs()...), nil
}

func columnsOf(fields []pgconn.FieldDescription) []sql.Column {
	if len(fields) == 0 {
		return nil
	}
	cols := make([]sql.Column, len(fields))
	for i, f := range fields {
		t, ok := types.ByOID(int64(f.DataTypeOID))
		if !ok {
			t = types.New(types.Text)
		} else {
			t.Mod = f.TypeModifier
		}
		cols[i] = sql.Column{Name: f.Name, Type: t}
	}
	return cols
}

// BeginImplicit makes the statements of a simple query string of several
// statements (sql.ImplicitBlock) share one distributed transaction, as
// PostgreSQL's implicit transaction block does; BEGIN among them makes it
// an ordinary one. The extended protocol's Executes up to a Sync
// (sql.ImplicitPipeline) each run on their own for now.
func (s *Session) BeginImplicit(mode sql.ImplicitMode) {
	if mode == sql.ImplicitBlock && s.tx == nil {
		s.tx, s.failed, s.implicit = s.c.newDtx("BEGIN", s.settings), false, true
	}
}

// EndImplicit commits the implicit transaction when commit is set and no
// statement failed, and rolls it back otherwise.
func (s *Session) EndImplicit(commit bool) error {
	if !s.implicit {
		return nil
	}
	tx, failed := s.tx, s.failed
	s.tx, s.failed, s.implicit = nil, false, false
	if tx == nil {
		s.leaveGate()
		return nil
	}
	defer s.leaveGate()
	return s.endTx(context.Background(), tx, commit && !failed)
}

func (s *Session) TxStatus() byte {
	switch {
	case s.tx == nil, s.implicit:
		return sql.TxIdle
	case s.failed:
		return sql.TxFailed
	}
	return sql.TxActive
}

func (s *Session) Close() {
	if s.tx != nil {
		s.tx.finish(context.Background(), false)
		s.tx = nil
	}
	s.leaveGate()
}

// wireParams is params in text form with their types' oids, as the nodes
// take them.
type wireParams struct {
	values [][]byte
	oids   []uint32
}

func toWire(params []types.Datum, ptypes []types.T) wireParams {
	w := wireParams{values: make([][]byte, len(params)), oids: make([]uint32, len(params))}
	for i, d := range params {
		if i < len(ptypes) {
			w.oids[i] = uint32(ptypes[i].ID)
		}
		if d != nil {
			t := types.New(types.Text)
			if i < len(ptypes) {
				t = ptypes[i]
			}
			w.values[i] = []byte(types.FormatTextStyle(t, d, types.Style{}))
		}
	}
	return w
}

func (s *Session) Execute(ctx context.Context, p *sql.Prepared, params []types.Datum) (*sql.Result, error) {
	if p.Tag == "" {
		return &sql.Result{}, nil
	}
	a, err := s.lookup(ctx, p.SQL)
	if err != nil {
		return nil, s.fail(err)
	}
	if a.kind == kindNodes {
		// Adding and removing nodes and moving shards close the gate
		// themselves; they run outside transactions.
		if s.tx != nil {
			return nil, s.fail(pgerr.New(pgerr.ActiveSQLTransaction, "%s cannot run inside a transaction block", a.fn))
		}
		return s.nodesCall(ctx, a, params, p.ParamTypes)
	}
	if s.tx != nil || !readsHomeOnly(a) {
		if err := s.enterGate(ctx); err != nil {
			return nil, s.fail(err)
		}
		defer s.leaveGate()
		// Analysed again: the placement map may have changed while the
		// gate was closed.
		if a, err = s.lookup(ctx, p.SQL); err != nil {
			return nil, s.fail(err)
		}
	}
	if s.failed && a.kind != kindTx {
		return nil, pgerr.New(pgerr.InFailedSQLTransaction, "current transaction is aborted, commands ignored until end of transaction block")
	}
	res, err := s.execute(ctx, a, params, p.ParamTypes)
	if err != nil {
		return nil, s.fail(err)
	}
	return res, nil
}

// fail marks the explicit transaction failed.
func (s *Session) fail(err error) error {
	if s.tx != nil {
		s.failed = true
	}
	return err
}

func (s *Session) execute(ctx context.Context, a *stmt, params []types.Datum, ptypes []types.T) (*sql.Result, error) {
	w := toWire(params, ptypes)
	switch a.kind {
	case kindTx:
		return s.transaction(ctx, a)
	case kindDistribute:
		return s.distribute(ctx, a, params, ptypes)
	case kindHome, kindReadRef:
		id, err := s.c.home()
		if err != nil {
			return nil, err
		}
		return s.run(ctx, id, a, w)
	case kindBroadcast:
		return s.writeMany(ctx, a, s.c.nodeIDs(), func(tx *dtx) ([]*sql.Result, error) {
			return tx.runAll(ctx, s.c.nodeIDs(), a, w)
		})
	case kindInsert:
		return s.insert(ctx, a, params, ptypes)
	case kindMaintain:
		return s.maintain(ctx, a)
	case kindSet:
		return s.set(ctx, a)
	case kindDiscard:
		return s.discard(ctx, a)
	case kindCopy:
		return nil, pgerr.New(pgerr.FeatureNotSupported, "COPY through the cluster coordinator needs the COPY sub-protocol (FROM STDIN or TO STDOUT)")
	case kindRouted:
		if a.key != nil {
			if d, ok := keyValue(a.key, a.table.colType(), params, ptypes); ok {
				id, err := a.table.nodeOf(d)
				if err != nil {
					return nil, err
				}
				return s.run(ctx, id, a, w)
			}
		}
		if a.fanout == nil {
			return nil, a.nofan
		}
		nodes := tableNodes(a.table)
		var parts []*sql.Result
		var err error
		if a.write {
			var res *sql.Result
			res, err = s.writeMany(ctx, a, nodes, func(tx *dtx) ([]*sql.Result, error) {
				return tx.runAll(ctx, nodes, a, w)
			})
			return res, err
		}
		if s.tx != nil {
			parts, err = s.tx.runAll(ctx, nodes, a, w)
		} else {
			parts, err = s.c.runAll(ctx, nodes, a, w, s.settings)
		}
		if err != nil {
			return nil, err
		}
		var limit int64
		if a.fanout.limit != nil {
			d, ok := keyValue(a.fanout.limit, types.New(types.Int8), params, ptypes)
			if !ok {
				return nil, pgerr.New(pgerr.FeatureNotSupported, "cannot evaluate the LIMIT of a query on a distributed table")
			}
			limit, _ = d.(int64)
		}
		return a.fanout.merge(parts, limit)
	}
	return nil, pgerr.New(pgerr.InternalError, "statement kind %d", a.kind)
}

// nodeOf is the node holding the shard of distribution value d.
func (t *Table) nodeOf(d types.Datum) (string, error) {
	h, err := HashValue(t.colType(), d)
	if err != nil {
		return "", err
	}
	return t.Shards[ShardIndex(h, len(t.Shards))], nil
}

// run runs a on node id: in the session's transaction, or on its own.
func (s *Session) run(ctx context.Context, id string, a *stmt, w wireParams) (*sql.Result, error) {
	if s.tx != nil {
		return s.tx.run(ctx, id, a, w)
	}
	var res *sql.Result
	err := s.onNode(ctx, id, func(pc *pgconn.PgConn) error {
		var err error
		res, err = exec(ctx, pc, a.sql, w)
		return err
	})
	return res, err
}

// onNode calls fn with a connection to node id: the transaction's when
// there is one, else one from the pool.
func (s *Session) onNode(ctx context.Context, id string, fn func(*pgconn.PgConn) error) error {
	if s.tx != nil {
		nc, conn, err := s.tx.conn(ctx, id)
		if err != nil {
			return err
		}
		return nc.call(conn, fn)
	}
	nc, err := s.c.node(id)
	if err != nil {
		return err
	}
	conn, err := nc.acquire(ctx, s.settings)
	if err != nil {
		return err
	}
	defer conn.Release()
	return nc.call(conn, fn)
}

// runAll runs a on every node of ids at once, outside any transaction,
// with the session settings set.
func (c *Coordinator) runAll(ctx context.Context, ids []string, a *stmt, w wireParams, set *settings) ([]*sql.Result, error) {
	return parallel(ids, func(id string) (*sql.Result, error) {
		nc, err := c.node(id)
		if err != nil {
			return nil, err
		}
		conn, err := nc.acquire(ctx, set)
		if err != nil {
			return nil, err
		}
		defer conn.Release()
		var res *sql.Result
		err = nc.call(conn, func(pc *pgconn.PgConn) error {
			var err error
			res, err = exec(ctx, pc, a.sql, w)
			return err
		})
		return res, err
	})
}

// parallel runs fn for each id at once; the results are in ids' order,
// the error the first in that order.
func parallel(ids []string, fn func(id string) (*sql.Result, error)) ([]*sql.Result, error) {
	out := make([]*sql.Result, len(ids))
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() { out[i], errs[i] = fn(id) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// writeMany runs a write on several nodes: inside the session's
// transaction, or in a distributed transaction of its own that commits
// with two-phase commit. The parts' counts add up in the tag.
func (s *Session) writeMany(ctx context.Context, a *stmt, nodes []string, fn func(*dtx) ([]*sql.Result, error)) (*sql.Result, error) {
	tx := s.tx
	own := tx == nil
	if own {
		tx = s.c.newDtx("BEGIN", s.settings)
	}
	parts, err := fn(tx)
	if err == nil && len(a.dropped) > 0 {
		tx.onCommit = append(tx.onCommit, func(ctx context.Context) error {
			return s.c.updatePlacement(ctx, func(p *Placement) error {
				for _, name := range a.dropped {
					delete(p.Tables, name)
				}
				return nil
			})
		})
	}
	if err == nil && a.altered != "" {
		name := a.altered
		tx.onCommit = append(tx.onCommit, func(ctx context.Context) error { return s.c.refreshColumns(ctx, name) })
	}
	if own {
		if err != nil {
			tx.finish(ctx, false)
			return nil, err
		}
		if err := tx.finish(ctx, true); err != nil {
			return nil, err
		}
	}
	if err != nil {
		return nil, err
	}
	return sumParts(a, parts), nil
}

// sumParts is the result of a write that ran on several nodes: the rows
// each returned, and the tag with their counts added.
func sumParts(a *stmt, parts []*sql.Result) *sql.Result {
	if len(parts) == 0 {
		return &sql.Result{Tag: a.tag}
	}
	if a.replicated {
		return parts[0]
	}
	out := &sql.Result{Columns: parts[0].Columns}
	var n int64
	counted := false
	for _, p := range parts {
		out.Rows = append(out.Rows, p.Rows...)
		fields := strings.Fields(p.Tag)
		if len(fields) > 1 {
			if v, err := strconv.ParseInt(fields[len(fields)-1], 10, 64); err == nil {
				n += v
				counted = true
			}
		}
	}
	out.Tag = parts[0].Tag
	if counted {
		switch a.tag {
		case "INSERT":
			out.Tag = fmt.Sprintf("INSERT 0 %d", n)
		case "UPDATE", "DELETE", "MERGE", "SELECT", "COPY":
			out.Tag = fmt.Sprintf("%s %d", a.tag, n)
		}
	}
	return out
}

// exec runs one statement on a node with text parameters and text
// results, and reads its answer into cairn's values.
// A statement with parameters runs as a statement prepared on pc
// (nodestmt.go).
func exec(ctx context.Context, pc *pgconn.PgConn, query string, w wireParams) (*sql.Result, error) {
	if len(w.values) == 0 {
		return readResult(pc, pc.ExecParams(ctx, query, nil, nil, nil, nil))
	}
	return execPrepared(ctx, pc, query, w)
}

// readResult reads a node's answer into cairn's values.
func readResult(pc *pgconn.PgConn, rr *pgconn.ResultReader) (*sql.Result, error) {
	cols := columnsOf(rr.FieldDescriptions())
	res := &sql.Result{Columns: cols}
	var convErr error
	for rr.NextRow() {
		vals := rr.Values()
		row := make([]types.Datum, len(vals))
		for i, v := range vals {
			if v == nil || i >= len(cols) {
				continue
			}
			d, err := types.ParseText(cols[i].Type, string(v))
			if err != nil {
				if convErr == nil {
					convErr = fmt.Errorf("shard: reading column %s of a node's answer: %w", cols[i].Name, err)
				}
				continue
			}
			row[i] = d
		}
		res.Rows = append(res.Rows, row)
	}
	tag, err := rr.Close()
	if err != nil {
		return nil, relay(err)
	}
	if deallocates(tag) {
		forgetNodeStatements(pc)
	}
	if convErr != nil {
		return nil, convErr
	}
	res.Tag = tag.String()
	return res, nil
}

// relay turns a node's error into the error the client sees: its
// SQLSTATE, message, detail and hint.
func relay(err error) error {
	pe, ok := err.(*pgconn.PgError)
	if !ok {
		return err
	}
	out := pgerr.New(pe.Code, "%s", pe.Message)
	out.Detail, out.Hint = pe.Detail, pe.Hint
	out.WithObject(pe.SchemaName, pe.TableName, pe.ColumnName, pe.ConstraintName)
	return out.WithCause(pe)
}
