package sql

import (
	"errors"
	"github.com/cairndb/cairn/sql/catalog"
	"sort"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
)

// SELECT ... FOR UPDATE / NO KEY UPDATE / SHARE / KEY SHARE locks the rows
// it returns, after sorting and before LIMIT, as PostgreSQL's LockRows node
// does: rows skipped by SKIP LOCKED do not count toward the limit, and no
// row past the limit is locked. A row changed by a transaction that
// committed after the snapshot is re-read and re-checked under READ
// COMMITTED, and fails with 40001 under the other levels. The rows of a
// table's inheritance children and partitions are locked too, unless the
// query says ONLY.

func (b *binder) bindLockingSelect(q *ast.SelectStmt, sc *scope) (plan, error) {
	lc := q.Locking
	what := "FOR " + lc.Strength
	switch {
	case q.Op != "":
		return nil, pgerr.New(pgerr.FeatureNotSupported, "%s is not allowed with UNION/INTERSECT/EXCEPT", what)
	case q.Distinct || len(q.DistinctOn) > 0:
		return nil, pgerr.New(pgerr.FeatureNotSupported, "%s is not allowed with DISTINCT clause", what)
	case len(q.GroupBy) > 0:
		return nil, pgerr.New(pgerr.FeatureNotSupported, "%s is not allowed with GROUP BY clause", what)
	case q.Having != nil:
		return nil, pgerr.New(pgerr.FeatureNotSupported, "%s is not allowed with HAVING clause", what)
	case q.Values != nil:
		return nil, pgerr.New(pgerr.FeatureNotSupported, "%s cannot be applied to VALUES", what)
	}
	for _, t := range q.Targets {
		if containsAggregate(t.Expr) {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "%s is not allowed with aggregate functions", what)
		}
	}
	if len(q.From) != 1 {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "%s is supported on a single table only", what)
	}
	ref, ok := q.From[0].(*ast.TableRef)
	if !ok || b.lookupCTE(ref.Name) != nil {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "%s is supported on a table only", what)
	}
	desc, err := b.lookupTable(*ref)
	if err != nil {
		return nil, err
	}
	if desc.View != "" {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "%s cannot be applied to view \"%s\"", what, desc.Name)
	}
	b.require(desc, catalog.PrivUpdate, nil)
	if desc.Sequence != nil {
		return nil, pgerr.New(pgerr.WrongObjectType, "cannot lock rows in sequence \"%s\"", desc.Name)
	}
	name := ref.RelName()
	if ref.Alias != "" {
		name = ref.Alias
	}
	for _, of := range lc.Of {
		if of != name {
			return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" in %s clause not found in FROM clause", of, what)
		}
	}
	sc.cols = tableScope(desc, *ref).cols
	if err := renameColumns(sc.cols, name, ref.Columns); err != nil {
		return nil, err
	}
	// The rows of the table's descendants are locked too, unless the
	// query says ONLY; tableoid says which table a row is stored in.
	sc.cols = append(sc.cols, scopeCol{table: name, name: "tableoid", t: oidT, system: true})
	scan := &scanNode{table: desc, cols: append(tableColumns(desc), Column{Name: "tableoid", Type: oidT}), withID: true, oid: true}
	members := map[int64]*inhMember{int64(desc.ID): {table: desc}}
	if len(desc.Children) > 0 && !ref.Only {
		if scan.inh, err = b.inheritors(desc); err != nil {
			return nil, err
		}
		for _, m := range scan.inh {
			members[int64(m.table.ID)] = m
		}
	}
	var where expr
	if q.Where != nil {
		if where, err = b.bindWhere(q.Where, sc); err != nil {
			return nil, err
		}
		b.planScan(scan, []ast.Expr{q.Where}, sc, 0)
	}
	if where, err = b.rowSecurityLocking(desc, where); err != nil {
		return nil, err
	}
	targets, err := b.expandTargets(q.Targets, sc)
	if err != nil {
		return nil, err
	}
	exprs := make([]expr, 0, len(targets))
	cols := make([]Column, 0, len(targets))
	for _, t := range targets {
		e, err := b.bindExpr(t.Expr, sc)
		if err != nil {
			return nil, err
		}
		if e.Type().ID == types.Unknown {
			if e, err = b.cast(e, types.New(types.Text), false, t.Pos); err != nil {
				return nil, err
			}
		}
		exprs = append(exprs, e)
		cols = append(cols, b.outputColumn(t, e, sc))
	}
	keys, exprs, err := b.bindOrderBy(q, targets, cols, exprs, sc)
	if err != nil {
		return nil, err
	}
	n := &lockNode{
		scan: scan, where: where, exprs: exprs, keys: keys, cols: cols,
		width: len(desc.Columns), members: members,
		mode: map[string]heap.LockMode{"UPDATE": heap.LockUpdate, "NO KEY UPDATE": heap.LockNoKeyUpdate,
			"SHARE": heap.LockShare, "KEY SHARE": heap.LockKeyShare}[lc.Strength],
	}
	switch {
	case lc.NoWait:
		n.policy = heap.NoWait
	case lc.Skip:
		n.policy = heap.SkipLocked
	}
	if q.Limit != nil {
		if n.limit, err = b.bindCount(q.Limit, "LIMIT", nil); err != nil {
			return nil, err
		}
	}
	if q.Offset != nil {
		if n.offset, err = b.bindCount(q.Offset, "OFFSET", nil); err != nil {
			return nil, err
		}
	}
	return n, nil
}

// lockNode scans, filters, sorts, then locks rows in order until the limit.
type lockNode struct {
	scan  *scanNode
	where expr
	exprs []expr // output columns, then hidden sort keys
	keys  []sortKey
	cols  []Column
	width int // table columns; tableoid and the tuple id follow them
	// members are the tables whose rows the scan reads, by oid: the
	// table and its descendants, with their columns' places.
	members map[int64]*inhMember
	mode    heap.LockMode
	policy  heap.WaitPolicy

	limit, offset expr
}

func (n *lockNode) columns() []Column { return n.cols }

type lockCandidate struct {
	raw []types.Datum // table row, tableoid, tuple id last
	out []types.Datum
}

func (n *lockNode) project(ec *evalCtx, raw []types.Datum) ([]types.Datum, error) {
	out := make([]types.Datum, len(n.exprs))
	for i, e := range n.exprs {
		v, err := e.Eval(ec, raw)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func (n *lockNode) count(ec *evalCtx, e expr) (int64, bool, error) {
	if e == nil {
		return 0, false, nil
	}
	v, err := e.Eval(ec, nil)
	if err != nil || v == nil {
		return 0, false, err
	}
	c := v.(int64)
	if c < 0 {
		return 0, false, pgerr.New(pgerr.InvalidRowCountInLimit, "LIMIT must not be negative")
	}
	return c, true, nil
}

func (n *lockNode) run(ec *evalCtx) ([][]types.Datum, error) {
	x := ec.exec
	if x.s.readOnly {
		return nil, pgerr.New(pgerr.ReadOnlySQLTransaction, "cannot execute SELECT FOR %s in a read-only transaction", lockName(n.mode))
	}
	rows, err := n.scan.run(ec)
	if err != nil {
		return nil, err
	}
	var cands []lockCandidate
	for _, raw := range rows {
		if err := ec.tick(); err != nil {
			return nil, err
		}
		if n.where != nil {
			v, err := n.where.Eval(ec, raw)
			if err != nil {
				return nil, err
			}
			if v != true {
				continue
			}
		}
		out, err := n.project(ec, raw)
		if err != nil {
			return nil, err
		}
		if err := ec.grow(rowBytes(out) + sliceHeaderBytes*2); err != nil {
			return nil, err
		}
		cands = append(cands, lockCandidate{raw: raw, out: out})
	}
	sort.SliceStable(cands, func(i, j int) bool { return lessRow(cands[i].out, cands[j].out, n.keys) })
	limit, hasLimit, err := n.count(ec, n.limit)
	if err != nil {
		return nil, err
	}
	offset, _, err := n.count(ec, n.offset)
	if err != nil {
		return nil, err
	}
	var out [][]types.Datum
	var locked int64
	for _, c := range cands {
		if hasLimit && locked >= offset+limit {
			break
		}
		row, ok, err := n.lock(ec, c)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		locked++
		if locked > offset {
			out = append(out, row[:len(n.cols)])
		}
	}
	return out, nil
}

// lock locks one candidate row and returns its output row, re-reading the
// newest version under READ COMMITTED when it changed.
func (n *lockNode) lock(ec *evalCtx, c lockCandidate) ([]types.Datum, bool, error) {
	x := ec.exec
	raw, out := c.raw, c.out
	m := n.members[raw[n.width].(int64)]
	for {
		id := heap.TupleID(raw[n.width+1].(string))
		err := x.s.e.heap.LockRow(x.op(), id, n.mode, n.policy, m.table.Name)
		switch {
		case err == nil:
			return out, true, nil
		case errors.Is(err, heap.ErrSkipped):
			return nil, false, nil
		case x.s.isolation != ReadCommitted:
			return nil, false, err
		case errors.Is(err, heap.ErrConcurrentDelete):
			return nil, false, nil
		case !errors.Is(err, heap.ErrConcurrentUpdate):
			return nil, false, err
		}
		fresh := x.s.e.tm.LatestSnapshot(x.tx, x.snap.CID)
		t, ok, err := x.s.e.heap.Latest(fresh, id)
		if err != nil || !ok {
			return nil, false, err
		}
		row, err := types.DecodeRow(t.Data)
		if err != nil {
			return nil, false, err
		}
		if m.cols != nil {
			// A descendant's row, as a row of the locked table.
			mapped := make([]types.Datum, len(m.cols), len(m.cols)+2)
			for i, c := range m.cols {
				mapped[i] = row[c]
			}
			row = mapped
		}
		raw = append(row, int64(m.table.ID), string(t.ID))
		if n.where != nil {
			v, err := n.where.Eval(ec, raw)
			if err != nil || v != true {
				return nil, false, err
			}
		}
		if out, err = n.project(ec, raw); err != nil {
			return nil, false, err
		}
	}
}

func lockName(m heap.LockMode) string {
	switch m {
	case heap.LockKeyShare:
		return "KEY SHARE"
	case heap.LockShare:
		return "SHARE"
	case heap.LockNoKeyUpdate:
		return "NO KEY UPDATE"
	}
	return "UPDATE"
}
