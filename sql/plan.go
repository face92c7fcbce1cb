package sql

import (
	"context"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// plan is an executable query tree. Each node produces all its rows; rows
// are materialized between nodes. (Streaming execution is a later step;
// the interface keeps it local to this file.)
type plan interface {
	columns() []Column
	run(ec *evalCtx) ([][]types.Datum, error)
}

// op is the heap's view of this statement: it waits for conflicting
// writers as long as the statement may run.
func (x *execCtx) op() heap.Op {
	return heap.Op{Tx: x.tx, Snap: x.snap, Ctx: x.ctx, LockTimeout: x.s.lockTimeout()}
}

// lockTable takes a table lock for the statement's transaction (held to its
// end; txn/tablelock.go).
func (x *execCtx) lockTable(table uint32, mode txn.TableLockMode) error {
	return x.s.e.tm.LockTable(x.ctx, x.tx, table, mode, x.s.lockTimeout())
}

// lockTableForWrite takes RowExclusive for a statement that writes rows,
// and reports errPlanStale when the catalog changed since the statement was
// bound (an index may have been added while it waited), before anything
// was written.
func (x *execCtx) lockTableForWrite(table uint32) error {
	if err := x.lockTable(table, txn.RowExclusive); err != nil {
		return err
	}
	// A rewrite that committed after the snapshot moved the rows to new
	// storage (reclaim.go): under READ COMMITTED the retry binds against
	// the new descriptor with a new snapshot; a transaction snapshot
	// still sees the old one and must not write there.
	rewritten := x.s.e.rewrittenAfter(table, x.snap)
	if !x.retried && (rewritten || x.planGen != x.s.e.gen.Load()) {
		return errPlanStale
	}
	if rewritten {
		return pgerr.New(pgerr.SerializationFailure, "could not serialize access due to concurrent update").
			WithDetail("The table was rewritten by a transaction that committed after this transaction's snapshot.")
	}
	return nil
}

// lockTableForDDL takes a lock that waits out the table's writers and then,
// under READ COMMITTED, takes a new snapshot, so that the DDL sees every
// row those writers committed while it waited.
func (x *execCtx) lockTableForDDL(table uint32, mode txn.TableLockMode) error {
	if err := x.checkNotFiring(table); err != nil {
		return err
	}
	if err := x.lockTable(table, mode); err != nil {
		return err
	}
	if x.s.isolation == ReadCommitted {
		cid := x.snap.CID
		x.snap = x.s.e.tm.Snapshot(x.tx, cid)
	}
	return nil
}

// execCtx is the state of one statement execution.
type execCtx struct {
	// planGen is the catalog generation the plan was bound at; retried is
	// set when the statement was bound again after a table lock wait.
	planGen uint64
	retried bool
	ctx     context.Context
	s       *Session
	tx      *txn.Txn
	snap    txn.Snapshot
	// subqueryCache holds results of uncorrelated subqueries, cteCache
	// those of WITH queries referred to more than once (cteshared.go).
	subqueryCache map[*subqueryExpr][][]types.Datum
	cteCache      map[*sharedCTE][][]types.Datum
	// scanMemos are the hash tables of correlated scans, and inSets the
	// value sets of uncorrelated IN subqueries (scanmemo.go).
	scanMemos map[*scanNode]*scanMemo
	inSets    map[*subqueryExpr]*inSet
	// semiStates are the built rows of semi and anti joins whose rows
	// do not depend on an outer row (semijoin.go).
	semiStates map[*semiJoin]*semiState
	// rels is the catalog as pg_catalog shows it, read once per statement
	// and snapshot (execCtx.Relations).
	rels     *catalog.Relations
	relsSnap txn.Snapshot
	// mem is the statement's memory (memory.go), the session's; ticks
	// counts rows towards the next cancellation check.
	mem   *stmtMemory
	ticks uint64
	// riTrigRuns fire the triggers of the tables the statement's foreign
	// key actions write (trigger_ri.go).
	riTrigRuns map[riRunKey]*triggerRun
	// routeTop is the trigger run rows routed to partitions fire their
	// row triggers under; inhTop the one the members of a hierarchy's
	// UPDATE or DELETE do (trigger_route.go).
	routeTop, inhTop *triggerRun
	// cteRows are the RETURNING rows of the statement's data-modifying
	// WITH queries (dmlcte.go).
	cteRows map[*dmlCTE][][]types.Datum
	// modified holds the rows the statement updated or deleted, by table
	// and row key, when it has data-modifying WITH queries (dml.go).
	modified map[string]bool
	// notices are the statement's warnings raised while it ran
	// (pg_advisory_unlock of a lock not held), sent before its own.
	notices []Notice
	// tag is the statement's command tag, which DDL refused on a table
	// in use names (checkNotFiring).
	tag string
}

type oneRowNode struct{}

func (oneRowNode) columns() []Column                     { return nil }
func (oneRowNode) run(*evalCtx) ([][]types.Datum, error) { return [][]types.Datum{{}}, nil }

type scanNode struct {
	table *catalog.TableDesc
	cols  []Column
	// key, when set, restricts the scan to one primary key value.
	key []expr
	// withID appends each row's tuple id (a string) after its columns,
	// for plans that must write or lock the rows they read.
	withID bool
	// index, when set (and key is not), restricts the scan to the rows an
	// index leads to.
	index *indexScan
	// am, when set (and key and index are not), reads the rows through
	// a GIN or GiST index (indexam.go).
	am *amScan
	// oid appends the tableoid system column after the columns.
	oid bool
	// inh are the inheritance children and partitions whose rows the scan
	// reads after the table's own, each as a row of table's columns;
	// prune, when set, skips the partitions its conditions exclude
	// (inherit.go).
	inh   []*inhMember
	prune *partPruner
	// memo, when set, keys the scan on columns an enclosing query's
	// values fix: the table is read once per statement into a hash table
	// (scanmemo.go).
	memo *scanMemoKeys
}

func (n *scanNode) columns() []Column { return n.cols }

func (n *scanNode) run(ec *evalCtx) ([][]types.Datum, error) {
	if m, err := n.memoFor(ec); err != nil || m != nil {
		if err != nil {
			return nil, err
		}
		return collect(ec, n)
	}
	var rows [][]types.Datum
	err := n.scan(ec, func(id heap.TupleID, row []types.Datum) error {
		if n.withID {
			row = append(row, string(id))
		}
		rows = append(rows, row)
		return ec.grow(rowBytes(row))
	})
	return rows, err
}

// scan calls fn with each visible row and its tuple id. It observes
// cancellation; fn accounts for the rows it keeps.
func (n *scanNode) scan(ec *evalCtx, fn func(heap.TupleID, []types.Datum) error) error {
	x := ec.exec
	byIndex := n.key != nil || n.index != nil || n.am != nil
	counts := x.s.e.tableAct.noteScan(n.table.ID, byIndex)
	var read int64
	defer func() {
		counts.noteRows(read, byIndex)
		x.s.countScan(read, byIndex)
	}()
	h := x.s.e.heap
	extra := 0
	if n.oid {
		extra++
	}
	if n.withID {
		extra++
	}
	visit := func(t heap.Tuple) error {
		if err := x.tick(); err != nil {
			return err
		}
		read++
		row, err := types.DecodeRowExtra(t.Data, extra)
		if err != nil {
			return err
		}
		if len(row) != len(n.table.Columns) {
			return pgerr.New(pgerr.DataCorrupted, "row of table %s has %d columns, want %d", n.table.Name, len(row), len(n.table.Columns))
		}
		if n.oid {
			row = append(row, int64(n.table.ID))
		}
		return fn(t.ID, row)
	}
	var key []byte
	if n.key != nil {
		vals := make([]types.Datum, len(n.key))
		for i, k := range n.key {
			v, err := k.Eval(ec, nil)
			if err != nil {
				return err
			}
			if v == nil {
				return nil // NULL never equals a key
			}
			vals[i] = v
		}
		key = types.EncodeKey(vals)
	}
	switch {
	case n.table.IsPartitioned():
		// A partitioned table keeps no rows of its own.
	case key != nil:
		if err := h.ScanKey(x.snap, n.table.StorageID(), key, visit); err != nil {
			return err
		}
	case n.index != nil:
		if err := n.index.scan(ec, n.table, visit); err != nil {
			return err
		}
	case n.am != nil:
		if err := n.am.scan(ec, n.table, visit); err != nil {
			return err
		}
	default:
		if err := h.Scan(x.snap, n.table.StorageID(), visit); err != nil {
			return err
		}
	}
	if len(n.inh) == 0 {
		return nil
	}
	return n.scanMembers(ec, key, extra, fn)
}

type valuesNode struct {
	cols []Column
	rows [][]expr
	// fromItem is set for a FROM (VALUES ...) item: PostgreSQL's range
	// table holds both the subquery and the VALUES list it pulls up,
	// which makes EXPLAIN qualify column names.
	fromItem bool
}

func (n *valuesNode) columns() []Column { return n.cols }
func (n *valuesNode) run(ec *evalCtx) ([][]types.Datum, error) {
	out := make([][]types.Datum, 0, len(n.rows))
	for _, r := range n.rows {
		row := make([]types.Datum, len(r))
		for i, e := range r {
			v, err := e.Eval(ec, nil)
			if err != nil {
				return nil, err
			}
			row[i] = v
		}
		if err := ec.addRow(row); err != nil {
			return nil, err
		}
		out = append(out, row)
	}
	return out, nil
}

type filterNode struct {
	in   plan
	pred expr
	// never is set when the condition folded to false or NULL when the
	// query was planned (constqual.go): the input is not read at all.
	never bool
}

func (n *filterNode) columns() []Column { return n.in.columns() }

type projectNode struct {
	in    plan
	exprs []expr
	cols  []Column
	// afterSort marks a select list computed above a Sort (see
	// projectAfterSort), which EXPLAIN shows as a Result node.
	afterSort bool
}

func (n *projectNode) columns() []Column { return n.cols }

// joinNode is an explicit join (outer, or with USING) of two FROM
// items: a hash join on the equalities between the two sides that its
// condition holds (lkeys, rkeys), else a nested loop (joinnode.go).
type joinNode struct {
	left, right plan
	kind        string // INNER, CROSS, LEFT, RIGHT, FULL
	on          expr
	cols        []Column
	// lkeys and rkeys are the two sides of the equalities, bound against
	// the joined row: lkeys read only the left's columns, rkeys only
	// the right's.
	lkeys, rkeys []expr
	// lat is set when a side reads the FROM items to its left (lateral.go).
	lat *joinLateral
}

func (n *joinNode) columns() []Column { return n.cols }

// aggNode groups its input and computes aggregates; its rows are the group
// values followed by the aggregate results.
type aggNode struct {
	in     plan
	groups []expr
	aggs   []*aggSpec
	cols   []Column
	// sets, for GROUP BY with grouping sets, tells for each set which
	// of groups are in it; the last of groups is then the number of the
	// row's set (groupingsets.go).
	sets [][]bool
	// sorted aggregates runs of its input, which a sortNode on the
	// groups sorts, instead of hashing (aggsorted.go).
	sorted bool
	// keyOrder, when set, is the order (positions in groups) the sort
	// below a sorted aggregation orders the groups in.
	keyOrder []int
}

func (n *aggNode) columns() []Column { return n.cols }

// groupKey encodes values for grouping and DISTINCT: NULLs group together.
func groupKey(vals []types.Datum) []byte {
	var buf []byte
	for _, v := range vals {
		if v == nil {
			buf = append(buf, 0x01)
			continue
		}
		buf = append(buf, 0x02)
		buf = append(buf, types.EncodeKey([]types.Datum{types.NormalizeForKey(v)})...)
	}
	return buf
}

type sortKey struct {
	idx        int
	desc       bool
	nullsFirst bool
}

// sortNode sorts its input, in memory or, past work_mem, with temporary
// files (spillsort.go).
type sortNode struct {
	in   plan
	keys []sortKey
}

func (n *sortNode) columns() []Column { return n.in.columns() }

// sortCanceled carries a cancellation out of a sort's comparison.
type sortCanceled struct{ err error }

// sortRows sorts rows stably by keys. A sort of millions of rows takes
// seconds, so the comparisons count towards the cancellation check; a
// cancelled sort stops at once.
func sortRows(ec *evalCtx, rows [][]types.Datum, keys []sortKey) (err error) {
	defer func() {
		if r := recover(); r != nil {
			c, ok := r.(sortCanceled)
			if !ok {
				panic(r)
			}
			err = c.err
		}
	}()
	n := 0
	// PostgreSQL's own quicksort, so that ties come out in its order.
	pgQsort(rows, func(a, b []types.Datum) int {
		if n++; n%cancelCheckRows == 0 {
			if err := ec.exec.cancelled(); err != nil {
				panic(sortCanceled{err})
			}
		}
		return compareRows(a, b, keys)
	})
	return nil
}

// lessRow orders two rows by sort keys; NULLs sort last ascending and
// first descending unless a key says otherwise.
func lessRow(a, b []types.Datum, keys []sortKey) bool {
	for _, k := range keys {
		x, y := a[k.idx], b[k.idx]
		switch {
		case x == nil && y == nil:
			continue
		case x == nil:
			return k.nullsFirst
		case y == nil:
			return !k.nullsFirst
		}
		c := types.Compare(x, y)
		if c == 0 {
			continue
		}
		if k.desc {
			c = -c
		}
		return c < 0
	}
	return false
}

// distinctNode keeps the first row of each set of equal rows, comparing
// the first width columns.
type distinctNode struct {
	in    plan
	width int
}

func (n *distinctNode) columns() []Column { return n.in.columns() }

type limitNode struct {
	in            plan
	limit, offset expr
	// ties, for FETCH FIRST ... WITH TIES, are the ORDER BY keys: the
	// rows equal in them to the last row within the limit come too.
	ties []sortKey
}

func (n *limitNode) columns() []Column { return n.in.columns() }

// trimNode drops hidden trailing columns (sort keys not in the select list).
type trimNode struct {
	in    plan
	width int
}

func (n *trimNode) columns() []Column { return n.in.columns()[:n.width] }

type setOpNode struct {
	left, right plan
	op          string
	all         bool
	cols        []Column
	// sorted computes the operation by sorting rather than hashing
	// (setopsorted.go).
	sorted bool
}

func (n *setOpNode) columns() []Column { return n.cols }
func (n *setOpNode) runSet(ec *evalCtx) ([][]types.Datum, error) {
	if n.sorted && (n.op != "UNION" || !n.all) {
		return n.runSorted(ec)
	}
	l, err := n.left.run(ec)
	if err != nil {
		return nil, err
	}
	r, err := n.right.run(ec)
	if err != nil {
		return nil, err
	}
	switch n.op {
	case "UNION":
		// The joined list of rows: a new slice of the inputs' rows.
		if err := ec.grow(int64(len(l)+len(r)) * sliceHeaderBytes); err != nil {
			return nil, err
		}
		all := append(l, r...)
		if n.all {
			return all, nil
		}
		return dedupe(ec, all)
	case "INTERSECT", "EXCEPT":
		counts := make(map[string]int)
		for _, row := range r {
			if err := ec.tick(); err != nil {
				return nil, err
			}
			k := string(groupKey(row))
			if _, ok := counts[k]; !ok {
				if err := ec.grow(hashEntryBytes + int64(len(k))); err != nil {
					return nil, err
				}
			}
			counts[k]++
		}
		var out [][]types.Datum
		emitted := make(map[string]bool)
		for _, row := range l {
			if err := ec.tick(); err != nil {
				return nil, err
			}
			k := string(groupKey(row))
			in := counts[k] > 0
			if n.op == "EXCEPT" {
				in = !in
			}
			if n.all {
				if n.op == "INTERSECT" && in {
					counts[k]--
					out = append(out, row)
				} else if n.op == "EXCEPT" {
					if counts[k] > 0 {
						counts[k]--
					} else {
						out = append(out, row)
					}
				}
				continue
			}
			if in && !emitted[k] {
				if err := ec.grow(hashEntryBytes + int64(len(k))); err != nil {
					return nil, err
				}
				emitted[k] = true
				out = append(out, row)
			}
		}
		return out, nil
	}
	return nil, pgerr.New(pgerr.InternalError, "unknown set operation %s", n.op)
}

func dedupe(ec *evalCtx, rows [][]types.Datum) ([][]types.Datum, error) {
	seen := make(map[string]bool, len(rows))
	out := rows[:0:0]
	for _, r := range rows {
		if err := ec.tick(); err != nil {
			return nil, err
		}
		k := string(groupKey(r))
		if !seen[k] {
			if err := ec.grow(hashEntryBytes + sliceHeaderBytes + int64(len(k))); err != nil {
				return nil, err
			}
			seen[k] = true
			out = append(out, r)
		}
	}
	return out, nil
}
