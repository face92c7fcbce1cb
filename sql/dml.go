package sql

import (
	"errors"
	"slices"
	"strconv"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// boundStmt is a statement ready to execute.
type boundStmt interface {
	columns() []Column
	execute(x *execCtx, ec *evalCtx) (*Result, error)
}

type selectPlan struct{ p plan }

// columns is never nil: a SELECT with no columns ("SELECT;") still
// returns rows, described by an empty RowDescription.
func (s *selectPlan) columns() []Column {
	if cols := s.p.columns(); cols != nil {
		return cols
	}
	return []Column{}
}

func (s *selectPlan) execute(_ *execCtx, ec *evalCtx) (*Result, error) {
	rows, err := s.p.run(ec)
	if err != nil {
		return nil, err
	}
	return &Result{Columns: s.columns(), Rows: rows, Tag: rowsTag("SELECT", len(rows))}, nil
}

// tableWriter holds what INSERT and UPDATE share: checking and storing rows.
type tableWriter struct {
	table     *catalog.TableDesc
	returning []expr
	retCols   []Column
	// stored is the table insertRow stored its last row in: the table,
	// or for a partitioned one the partition the row was routed to (an
	// INSERT's RETURNING tableoid).
	stored uint32
	// checks are the table's CHECK constraints (check_constraint.go).
	checks []boundCheck
	// generated are its generated columns' expressions (generated.go).
	generated []generatedColumn
	// outFKs are the table's foreign keys, inFKs those referencing it
	// (foreignkey.go).
	outFKs, inFKs []*fkRule
	// defaults are the columns' defaults, bound for ON DELETE / ON UPDATE
	// SET DEFAULT (set only by execCtx.writerFor).
	defaults []expr
	// keys computes the entries of the table's indexes (indexexpr.go).
	keys *indexKeys
	// route, for a partitioned table, sends each row to its partition,
	// whose writer checks it; partLevels are a partition's bounds and
	// its ancestors' (partition.go).
	route      *router
	partLevels []partLevel
	// move, for an UPDATE of a partition reached through its
	// partitioned ancestor, re-routes a row the partition no longer
	// admits through that ancestor (inherit_dml.go).
	move *rowMover
	// moved is set when updateRow moved the row it was given.
	moved bool
	// shown, when set, is the table whose columns messages show a
	// failing row in: the one the statement names, when the row is
	// written to a descendant of it (shownCols maps its columns).
	shown     *catalog.TableDesc
	shownCols []int
	// rls, when set, holds the row security checks of the rows the
	// statement writes (rowsecurity.go).
	rls *rowSecurity
	// trig, when set, are the table's triggers (trigger_fire.go); nil
	// for a table without.
	trig *tableTriggers
}

// failingRow renders a row for a constraint violation's DETAIL, in the
// columns of the table the statement names, as PostgreSQL does.
func (w *tableWriter) failingRow(row []types.Datum) string {
	if w.shown == nil {
		return describeRow(w.table, row)
	}
	out := make([]types.Datum, len(w.shownCols))
	for i, c := range w.shownCols {
		if c >= 0 {
			out[i] = row[c]
		}
	}
	return describeRow(w.shown, out)
}

func (w *tableWriter) columns() []Column { return w.retCols }

// check enforces NOT NULL, then the CHECK constraints, on a complete
// row, as PostgreSQL's ExecConstraints does.
func (w *tableWriter) check(ec *evalCtx, row []types.Datum) error {
	if w.route != nil {
		return nil // the partition's writer checks the row
	}
	if err := w.generate(ec, row); err != nil {
		return err
	}
	for i, c := range w.table.Columns {
		if c.NotNull && row[i] == nil {
			return pgerr.New(pgerr.NotNullViolation, "null value in column \"%s\" of relation \"%s\" violates not-null constraint", c.Name, w.table.Name).
				WithObject(w.table.SchemaName(), w.table.Name, c.Name, "").
				WithDetail("Failing row contains " + w.failingRow(row) + ".")
		}
	}
	failed, err := failsCheck(ec, w.checks, row)
	if err != nil {
		return err
	}
	if failed != nil {
		if w.shown != nil {
			return pgerr.New(pgerr.CheckViolation, "new row for relation \"%s\" violates check constraint \"%s\"", w.table.Name, failed.name).
				WithObject(w.table.SchemaName(), w.table.Name, "", failed.name).
				WithDetail("Failing row contains " + w.failingRow(row) + ".")
		}
		return checkViolation(w.table, failed.name, row)
	}
	return w.partitionCheck(row)
}

// newTableWriter binds what writing rows of desc enforces.
func (b *binder) newTableWriter(desc *catalog.TableDesc) (tableWriter, error) {
	return b.newTableWriterDepth(desc, 0)
}

// newTableWriterDepth is newTableWriter for a partition depth levels
// below the table a statement writes.
func (b *binder) newTableWriterDepth(desc *catalog.TableDesc, depth int) (tableWriter, error) {
	var levels []partLevel
	if depth == 0 {
		// A row routed to a partition already satisfies its bound.
		var err error
		if levels, err = b.partitionLevels(desc); err != nil {
			return tableWriter{}, err
		}
	}
	// A partition rows are routed to fires its row triggers only.
	trig, err := b.bindTriggersOf(desc, depth > 0)
	if err != nil {
		return tableWriter{}, err
	}
	if desc.IsPartitioned() {
		r, err := b.newRouter(desc, depth)
		if err != nil {
			return tableWriter{}, err
		}
		return tableWriter{table: desc, route: r, partLevels: levels, trig: trig}, nil
	}
	checks, err := b.bindChecks(desc)
	if err != nil {
		return tableWriter{}, err
	}
	generated, err := b.bindGenerated(desc)
	if err != nil {
		return tableWriter{}, err
	}
	keys, err := b.bindIndexKeys(desc)
	if err != nil {
		return tableWriter{}, err
	}
	out, in, err := b.bindFKRules(desc)
	return tableWriter{table: desc, checks: checks, generated: generated, outFKs: out, inFKs: in, keys: keys, partLevels: levels, trig: trig}, err
}

func describeRow(t *catalog.TableDesc, row []types.Datum) string {
	s := "("
	for i, v := range row {
		if i > 0 {
			s += ", "
		}
		if v == nil {
			s += "null"
		} else {
			s += types.FormatText(t.Columns[i].Type, v)
		}
	}
	return s + ")"
}

func (w *tableWriter) key(row []types.Datum) []byte {
	if len(w.table.PK) == 0 {
		return nil
	}
	vals := make([]types.Datum, len(w.table.PK))
	for i, c := range w.table.PK {
		vals[i] = row[c]
	}
	return types.EncodeKey(vals)
}

func (w *tableWriter) duplicate(err error, row []types.Datum) error {
	if pgerr.Code(err) != pgerr.UniqueViolation {
		return err
	}
	names, vals := "", ""
	for i, c := range w.table.PK {
		if i > 0 {
			names += ", "
			vals += ", "
		}
		names += w.table.Columns[c].Name
		vals += types.FormatText(w.table.Columns[c].Type, row[c])
	}
	return pgerr.New(pgerr.UniqueViolation, "duplicate key value violates unique constraint \"%s\"", w.table.PKConstraintName()).
		WithDetail("Key ("+names+")=("+vals+") already exists.").
		WithObject(w.table.SchemaName(), w.table.Name, "", w.table.PKConstraintName())
}

func (w *tableWriter) emit(ec *evalCtx, res *Result, row []types.Datum) error {
	if w.returning == nil {
		return nil
	}
	out := make([]types.Datum, len(w.returning))
	for i, e := range w.returning {
		v, err := e.Eval(ec, row)
		if err != nil {
			return err
		}
		out[i] = v
	}
	if err := ec.addRow(out); err != nil {
		return err
	}
	res.Rows = append(res.Rows, out)
	return nil
}

type insertPlan struct {
	tableWriter
	// returnsTableOID says RETURNING may read the tableoid system
	// column, which follows the row's columns.
	returnsTableOID bool
	source          plan
	// values[i] computes column i from a source row.
	values []expr
	// onConflict is the ON CONFLICT clause's plan, if any (onconflict.go).
	onConflict *onConflictPlan
	// rules are the table's ON INSERT rules (rulefire.go).
	rules *ruleSpec
}

func (p *insertPlan) execute(x *execCtx, ec *evalCtx) (*Result, error) {
	if err := x.lockTableForWrite(p.table.ID); err != nil {
		return nil, err
	}
	if p.table.View != "" {
		return p.executeInstead(x, ec)
	}
	src, err := p.source.run(ec)
	if err != nil {
		return nil, err
	}
	res := &Result{Columns: p.retCols}
	count := 0
	written := make(map[string]bool) // keys this statement wrote, for ON CONFLICT
	runs, err := p.startTriggers(x, ec)
	if err != nil {
		return nil, err
	}
	defer x.routeUnder(runs.ins)()
	var rules *ruleRun
	if p.rules != nil {
		if rules, err = p.rules.start(x); err != nil {
			return nil, err
		}
	}
	for _, s := range src {
		if err := ec.tick(); err != nil {
			return nil, err
		}
		row := make([]types.Datum, len(p.values))
		for i, e := range p.values {
			if row[i], err = e.Eval(ec, s); err != nil {
				return nil, err
			}
		}
		if rules != nil {
			taken, err := rules.takes(row, nil)
			if err != nil {
				return nil, err
			}
			if taken {
				if err := p.ruleActions(ec, res, rules, row); err != nil {
					return nil, err
				}
				continue
			}
		}
		if runs.ins != nil {
			if row, err = runs.ins.beforeRow(nil, row); err != nil {
				return nil, err
			}
			if row == nil {
				continue
			}
		}
		if err := p.checkRowSecurity(ec, row); err != nil {
			return nil, err
		}
		if p.onConflict != nil {
			// The proposed row is checked first, whether it goes in or
			// meets a conflict, as in PostgreSQL.
			if err := p.check(ec, row); err != nil {
				return nil, err
			}
			out, err := p.upsert(x, ec, row, written, runs)
			if err != nil {
				return nil, err
			}
			if out != nil {
				count++
				if err := p.emit(ec, res, out); err != nil {
					return nil, err
				}
			}
			continue
		}
		if err := p.insertRow(x, ec, row); err != nil {
			if err == errRowSkipped {
				continue
			}
			return nil, err
		}
		if p.returnsTableOID {
			row = append(row[:len(row):len(row)], int64(p.stored))
		}
		if err := p.emit(ec, res, row); err != nil {
			return nil, err
		}
		if err := runs.ins.afterRow(nil, row); err != nil {
			return nil, err
		}
		count++
		if rules != nil {
			if err := p.ruleActions(ec, res, rules, row[:len(p.values)]); err != nil {
				return nil, err
			}
		}
	}
	if err := runs.finish(); err != nil {
		return nil, err
	}
	if rules != nil && rules.instead {
		count = rules.count
	}
	res.Tag = rowsTag("INSERT 0", count)
	return res, nil
}

// insertRow checks and stores a new row with its index entries, and
// queues its foreign keys' checks.
func (w *tableWriter) insertRow(x *execCtx, ec *evalCtx, row []types.Datum) error {
	if w.route != nil {
		return w.routeRow(x, ec, row)
	}
	w.stored = w.table.ID
	if err := w.check(ec, row); err != nil {
		return err
	}
	pk, err := x.s.e.heap.InsertRow(x.op(), w.table.StorageID(), w.key(row), types.EncodeRow(row))
	if err != nil {
		return w.duplicate(err, row)
	}
	if err := w.writeIndexes(x, pk, row, nil, nil); err != nil {
		return err
	}
	return w.queueInsert(x, pk, row)
}

// updateRow checks row and stores it as the new version of the row whose
// version id holds old; keyMoves says the primary key may change.
func (w *tableWriter) updateRow(x *execCtx, ec *evalCtx, id heap.TupleID, old, row []types.Datum, keyMoves bool) error {
	if w.move != nil && !w.admits(row) {
		return w.move.move(x, ec, w, id, old, row)
	}
	if err := w.check(ec, row); err != nil {
		return err
	}
	oldPK := heap.RowKey(id)
	key := oldPK
	if keyMoves {
		key = w.key(row)
	}
	if err := x.s.e.heap.Update(x.op(), w.table.StorageID(), id, key, types.EncodeRow(row)); err != nil {
		return w.duplicate(err, row)
	}
	if err := w.writeIndexes(x, key, row, old, oldPK); err != nil {
		return err
	}
	return w.queueUpdate(x, oldPK, key, old, row)
}

// newRow computes the new version of a target row: set[i] (nil keeps
// column i) evaluated on in, the row the statement read, which starts
// with the target's old columns (UPDATE ... FROM and MERGE add other
// columns after them, multiSet subqueries theirs after those).
func newRow(ec *evalCtx, set []expr, old, in []types.Datum) ([]types.Datum, error) {
	row := make([]types.Datum, len(set), len(in))
	copy(row, old)
	for i, e := range set {
		if e == nil {
			continue
		}
		v, err := e.Eval(ec, in)
		if err != nil {
			return nil, err
		}
		row[i] = v
	}
	return row, nil
}

type updatePlan struct {
	tableWriter
	scan  *scanNode
	where expr
	// set[i] is the new value of column i, or nil to keep it.
	set []expr
	// multi are the subqueries of (a, b) = (SELECT ...) clauses.
	multi    []multiSet
	keyMoves bool
	// join, for UPDATE ... FROM, yields the target's rows joined to the
	// FROM items and filtered by WHERE (dmljoin.go); scan is unused then.
	join plan
	// rules are the table's ON UPDATE rules (rulefire.go).
	rules *ruleSpec
	// never is set when WHERE is constant false or NULL: no row is read.
	never bool
}

// dmlTarget is a row UPDATE or DELETE will write: its version id and the
// row the statement read (the target's columns, and for UPDATE ... FROM
// and DELETE ... USING the tuple id and the other FROM items' columns).
type dmlTarget struct {
	id  heap.TupleID
	row []types.Datum
}

// collectTargets collects the rows an UPDATE or DELETE writes: those of scan that
// pass where, or, with a join, each target row once, joined to the first
// of the rows of the other FROM items it matched (as PostgreSQL, which
// updates a row joined to several rows once, by one of them).
func collectTargets(ec *evalCtx, scan *scanNode, where expr, join plan, width int, never bool) ([]dmlTarget, error) {
	var targets []dmlTarget
	if never {
		// WHERE is constant false: the planner reads no row, as
		// PostgreSQL's plans a Result that returns none.
		return nil, nil
	}
	if join != nil {
		rows, err := join.run(ec)
		if err != nil {
			return nil, err
		}
		seen := make(map[string]bool, len(rows))
		for _, r := range rows {
			id := r[width].(string)
			if seen[id] {
				continue
			}
			seen[id] = true
			targets = append(targets, dmlTarget{heap.TupleID(id), r})
			if err := ec.grow(sliceHeaderBytes * 2); err != nil {
				return nil, err
			}
		}
		return targets, nil
	}
	err := scan.scan(ec, func(id heap.TupleID, row []types.Datum) error {
		if where != nil {
			v, err := where.Eval(ec, row)
			if err != nil || v != true {
				return err
			}
		}
		targets = append(targets, dmlTarget{id, row})
		return ec.grow(targetBytes(id, row))
	})
	return targets, err
}

func (p *updatePlan) execute(x *execCtx, ec *evalCtx) (*Result, error) {
	if err := x.lockTableForWrite(p.table.ID); err != nil {
		return nil, err
	}
	width := len(p.table.Columns)
	targets, err := collectTargets(ec, p.scan, p.where, p.join, width, p.never)
	if err != nil {
		return nil, err
	}
	res := &Result{Columns: p.retCols}
	written := 0
	var rules *ruleRun
	if p.rules != nil {
		if rules, targets, err = p.applyRules(x, ec, res, targets); err != nil {
			return nil, err
		}
	}
	run, err := x.startRun(p.trig, ec, trigUpdate)
	if err != nil {
		return nil, err
	}
	for _, t := range targets {
		if err := ec.tick(); err != nil {
			return nil, err
		}
		ok, err := x.writeRow(ec, p.where, t.id, t.row, func(id heap.TupleID, in []types.Datum) error {
			old := in[:width]
			in, err := evalMulti(ec, p.multi, in)
			if err != nil {
				return err
			}
			row, err := newRow(ec, p.set, old, in)
			if err != nil {
				return err
			}
			if x.modifiedBefore(p.table.ID, id) {
				return errSelfModified
			}
			if run != nil {
				if row, err = run.beforeRow(old, row); err != nil {
					return err
				}
				if row == nil {
					return errSelfModified // a trigger skipped the row
				}
				if err := run.checkUnchanged(id); err != nil {
					return err
				}
			}
			if err := p.checkRowSecurity(ec, row); err != nil {
				return err
			}
			p.moved = false
			if err := p.updateRow(x, ec, id, old, row, p.keyMoves); err != nil {
				return err
			}
			x.markModified(p.table.ID, id)
			if p.moved {
				// A row moved to another partition fired its DELETE and
				// INSERT row triggers; it is still an updated row of the
				// transition tables.
				run.capture(old, row[:width:width])
			} else if err := run.afterRow(old, row[:width:width]); err != nil {
				return err
			}
			// RETURNING reads the new row with the other FROM items'
			// columns after it.
			return p.emit(ec, res, append(row, in[width:len(t.row)]...))
		})
		if err != nil {
			return nil, err
		}
		if ok {
			written++
		}
	}
	if err := run.finish(); err != nil {
		return nil, err
	}
	if rules != nil && rules.instead {
		written = rules.count
	}
	res.Tag = rowsTag("UPDATE", written)
	return res, nil
}

// errSelfModified is returned by an UPDATE's or DELETE's write of a row
// that another part of the same statement (a data-modifying WITH query)
// already updated or deleted: the row is skipped, as PostgreSQL skips it.
var errSelfModified = errors.New("sql: row already modified by this statement")

// modifiedBefore reports whether the statement already updated or deleted
// the row whose version id is, in a statement with data-modifying WITH
// queries, where two parts may reach the same row (dmlcte.go).
func (x *execCtx) modifiedBefore(table uint32, id heap.TupleID) bool {
	return x.modified != nil && x.modified[modifiedKey(table, id)]
}

// markModified records that the statement updated or deleted the row, when
// it tracks rows (modifiedBefore).
func (x *execCtx) markModified(table uint32, id heap.TupleID) {
	if x.modified != nil {
		x.modified[modifiedKey(table, id)] = true
	}
}

func modifiedKey(table uint32, id heap.TupleID) string {
	return strconv.FormatUint(uint64(table), 10) + "/" + string(heap.RowKey(id))
}

// targetBytes is what UPDATE and DELETE hold for each row they will
// write: the row and its tuple id.
func targetBytes(id heap.TupleID, row []types.Datum) int64 {
	return rowBytes(row) + sliceHeaderBytes + int64(len(id))
}

// writeRow calls write for a row version that matched the statement. Under
// READ COMMITTED, when a transaction that committed after the statement's
// snapshot replaced the version, it reads the newest version, checks where
// again and writes that one instead, as PostgreSQL does; a row deleted
// meanwhile is skipped. For UPDATE ... FROM and DELETE ... USING row is
// the target's columns, its tuple id and the other FROM items' columns:
// the re-check joins the newest version to the same rows of the other
// items, as PostgreSQL's EvalPlanQual does. It reports whether the row was
// written. Other isolation levels get the serialization failure.
func (x *execCtx) writeRow(ec *evalCtx, where expr, id heap.TupleID, row []types.Datum, write func(heap.TupleID, []types.Datum) error) (bool, error) {
	for {
		err := write(id, row)
		switch {
		case err == nil:
			return true, nil
		case err == errSelfModified:
			return false, nil
		case x.s.isolation != ReadCommitted:
			return false, err
		case errors.Is(err, heap.ErrConcurrentDelete):
			return false, nil
		case !errors.Is(err, heap.ErrConcurrentUpdate):
			return false, err
		}
		fresh := x.s.e.tm.LatestSnapshot(x.tx, x.snap.CID)
		t, ok, err := x.s.e.heap.Latest(fresh, id)
		if err != nil || !ok {
			return false, err
		}
		newest, err := types.DecodeRow(t.Data)
		if err != nil {
			return false, err
		}
		if len(row) > len(newest) {
			newest = append(append(newest, string(t.ID)), row[len(newest)+1:]...)
		}
		row = newest
		if where != nil {
			v, err := where.Eval(ec, row)
			if err != nil || v != true {
				return false, err
			}
		}
		id = t.ID
	}
}

type deletePlan struct {
	tableWriter
	scan  *scanNode
	where expr
	// join, for DELETE ... USING, yields the target's rows joined to the
	// USING items and filtered by WHERE (dmljoin.go); scan is unused then.
	join plan
	// rules are the table's ON DELETE rules (rulefire.go).
	rules *ruleSpec
	// never is set when WHERE is constant false or NULL: no row is read.
	never bool
}

func (p *deletePlan) execute(x *execCtx, ec *evalCtx) (*Result, error) {
	if err := x.lockTableForWrite(p.table.ID); err != nil {
		return nil, err
	}
	res := &Result{Columns: p.retCols}
	targets, err := collectTargets(ec, p.scan, p.where, p.join, len(p.table.Columns), p.never)
	if err != nil {
		return nil, err
	}
	written := 0
	var rules *ruleRun
	if p.rules != nil {
		if rules, targets, err = p.applyRules(x, ec, res, targets); err != nil {
			return nil, err
		}
	}
	run, err := x.startRun(p.trig, ec, trigDelete)
	if err != nil {
		return nil, err
	}
	width := len(p.table.Columns)
	for _, t := range targets {
		if err := ec.tick(); err != nil {
			return nil, err
		}
		ok, err := x.writeRow(ec, p.where, t.id, t.row, func(id heap.TupleID, row []types.Datum) error {
			if x.modifiedBefore(p.table.ID, id) {
				return errSelfModified
			}
			if run != nil {
				kept, err := run.beforeRow(row[:width:width], nil)
				if err != nil {
					return err
				}
				if kept == nil {
					return errSelfModified // a trigger skipped the row
				}
				if err := run.checkUnchanged(id); err != nil {
					return err
				}
			}
			if err := x.s.e.heap.Delete(x.op(), id); err != nil {
				return err
			}
			if err := p.queueDelete(x, row); err != nil {
				return err
			}
			x.markModified(p.table.ID, id)
			if err := run.afterRow(row[:width:width], nil); err != nil {
				return err
			}
			return p.emit(ec, res, row)
		})
		if err != nil {
			return nil, err
		}
		if ok {
			written++
		}
	}
	if err := run.finish(); err != nil {
		return nil, err
	}
	if rules != nil && rules.instead {
		written = rules.count
	}
	res.Tag = rowsTag("DELETE", written)
	return res, nil
}

// tableScope is the scope of a DML statement's target table.
func tableScope(desc *catalog.TableDesc, ref ast.TableRef) *scope {
	name := ref.RelName()
	if ref.Alias != "" {
		name = ref.Alias
	}
	sc := &scope{cols: make([]scopeCol, len(desc.Columns))}
	for i, c := range desc.Columns {
		sc.cols[i] = scopeCol{table: name, name: c.Name, t: c.Type, tableID: desc.ID, attr: int16(i + 1)}
	}
	return sc
}

func tableColumns(desc *catalog.TableDesc) []Column {
	out := make([]Column, len(desc.Columns))
	for i, c := range desc.Columns {
		out[i] = Column{Name: c.Name, Type: c.Type, TableID: desc.ID, Attr: int16(i + 1)}
	}
	return out
}

func (b *binder) bindReturning(w *tableWriter, targets []ast.Target, sc *scope) error {
	if len(targets) == 0 {
		return nil
	}
	ts, err := b.expandTargets(targets, sc)
	if err != nil {
		return err
	}
	w.returning = []expr{}
	for _, t := range ts {
		if containsAggregate(t.Expr) {
			return pgerr.New(pgerr.GroupingError, "aggregate functions are not allowed in RETURNING").WithPosition(t.Pos)
		}
		e, err := b.bindExpr(t.Expr, sc)
		if err != nil {
			return err
		}
		if e.Type().ID == types.Unknown {
			if e, err = b.cast(e, types.New(types.Text), false, t.Pos); err != nil {
				return err
			}
		}
		w.returning = append(w.returning, e)
		w.retCols = append(w.retCols, b.outputColumn(t, e, sc))
	}
	return nil
}

// identityValue refuses a value for a GENERATED ALWAYS identity column
// unless the INSERT says OVERRIDING SYSTEM VALUE (or USER VALUE, which
// ignores it).
func identityValue(c catalog.ColumnDesc, overriding string) error {
	if c.Identity != "a" || overriding != "" {
		return nil
	}
	return pgerr.New(pgerr.GeneratedAlways, "cannot insert a non-DEFAULT value into column \"%s\"", c.Name).
		WithDetail("Column \"" + c.Name + "\" is an identity column defined as GENERATED ALWAYS.").
		WithHint("Use OVERRIDING SYSTEM VALUE to override.")
}

// defaultExpr binds column c's default, or NULL when it has none.
func (b *binder) defaultExpr(c catalog.ColumnDesc) (expr, error) {
	text := c.Default
	if c.Identity != "" {
		seq := c.IdentitySeq
		next := &ctxFuncExpr{t: types.New(types.Int8), fn: func(x *execCtx, _ []types.Datum) (types.Datum, error) {
			return x.identityNextval(seq)
		}}
		return b.assignCol(next, c, 0)
	}
	if text == "" && c.Domain != 0 {
		var err error
		if text, err = b.domainDefault(c.Domain); err != nil {
			return nil, err
		}
	}
	if text == "" {
		return b.assignCol(&constExpr{t: c.Type}, c, 0)
	}
	stmts, err := b.s.e.parseStored("SELECT " + text)
	if err != nil {
		return nil, err
	}
	sel := stmts[0].Stmt.(*ast.SelectStmt)
	e, err := b.bindExpr(sel.Targets[0].Expr, nil)
	if err != nil {
		return nil, err
	}
	return b.assignCol(e, c, 0)
}

func (b *binder) bindInsert(s *ast.InsertStmt) (boundStmt, error) {
	desc, err := b.lookupTable(s.Table)
	if err != nil {
		return nil, err
	}
	if !hasInsteadTrigger(desc, ast.TriggerInsert) || s.OnConflict != nil {
		if err := notATable(desc, "insert into"); err != nil {
			return nil, err
		}
	}
	b.requireInsert(desc, s)
	// targetCols[i] is the table column that source column i fills.
	var targetCols []int
	if s.Columns == nil {
		for i := range desc.Columns {
			targetCols = append(targetCols, i)
		}
	} else {
		// seen[i]: 1 when column i was named whole, 2 when in part
		// (through a path or subscripts).
		seen := make(map[int]int)
		for j, name := range s.Columns {
			i := desc.ColumnIndex(name)
			if i < 0 {
				return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", name, desc.Name).WithPosition(s.Table.Pos)
			}
			how := 1
			if insertPath(s, j) != nil || insertSubscripts(s, j) != nil {
				how = 2
			}
			if seen[i] == 1 || seen[i] != 0 && how == 1 {
				return nil, pgerr.New(pgerr.DuplicateColumn, "column \"%s\" specified more than once", name)
			}
			seen[i] = how
			targetCols = append(targetCols, i)
		}
	}
	// partTypes[j] is the type of the part of its column that source
	// column j fills when it fills a part.
	partTypes := make([]types.T, len(targetCols))
	for j, col := range targetCols {
		if path := insertPath(s, j); path != nil {
			_, t, err := b.bindAssignPath(desc.Columns[col], path, nil)
			if err != nil {
				return nil, err
			}
			partTypes[j] = t
		}
	}
	w, err := b.newTableWriter(desc)
	if err != nil {
		return nil, err
	}
	p := &insertPlan{tableWriter: w}
	q := s.Query
	var srcCols []Column
	if q == nil {
		// DEFAULT VALUES: one row with no source columns; every column
		// takes its default below.
		targetCols = nil
		p.source = &valuesNode{rows: [][]expr{{}}}
	} else if q.Values != nil && q.OrderBy == nil && q.Limit == nil && q.Offset == nil {
		// VALUES rows are bound against the target columns' types, and
		// DEFAULT is allowed in them.
		rows := make([][]expr, len(q.Values))
		for i, r := range q.Values {
			if len(r) > len(targetCols) {
				return nil, pgerr.New(pgerr.SyntaxError, "INSERT has more expressions than target columns").WithPosition(r[len(targetCols)].Position())
			}
			if len(r) < len(targetCols) && s.Columns != nil {
				return nil, pgerr.New(pgerr.SyntaxError, "INSERT has more target columns than expressions").WithPosition(s.Table.Pos)
			}
			rows[i] = make([]expr, len(r))
			for j, e := range r {
				c := desc.Columns[targetCols[j]]
				_, isDefault := e.(*ast.DefaultExpr)
				if path := insertPath(s, j); path != nil && isDefault {
					return nil, defaultToPart(path)
				}
				if c.Generated != "" {
					if !isDefault {
						return nil, generatedValue(c)
					}
					rows[i][j] = &constExpr{t: c.Type} // computed by check
					continue
				}
				if c.Identity != "" && s.Overriding == "user" {
					// Ignored, DEFAULT or not: the column takes its
					// identity's value (p.values below).
					rows[i][j] = &constExpr{t: c.Type}
					continue
				}
				if !isDefault && c.Identity != "" {
					if err := identityValue(c, s.Overriding); err != nil {
						return nil, err
					}
				}
				if isDefault && insertSubscripts(s, j) != nil {
					return nil, pgerr.New(pgerr.FeatureNotSupported, "cannot set an array element to DEFAULT").WithPosition(e.Position())
				}
				if isDefault {
					if rows[i][j], err = b.defaultExpr(c); err != nil {
						return nil, err
					}
					continue
				}
				x, err := b.bindExpr(e, nil)
				if err != nil {
					return nil, err
				}
				if insertPath(s, j) != nil {
					if rows[i][j], err = b.assign(x, partTypes[j], c.Name, e.Position()); err != nil {
						return nil, err
					}
					continue
				}
				if sub := insertSubscripts(s, j); sub != nil {
					if rows[i][j], err = b.subscriptValue(c, sub, x, e.Position()); err != nil {
						return nil, err
					}
					continue
				}
				if rows[i][j], err = b.assignCol(x, c, e.Position()); err != nil {
					return nil, err
				}
			}
		}
		width := len(rows[0])
		for _, r := range rows {
			if len(r) != width {
				return nil, pgerr.New(pgerr.SyntaxError, "VALUES lists must all be the same length")
			}
		}
		targetCols = targetCols[:width]
		srcCols = make([]Column, width)
		for j := range srcCols {
			srcCols[j] = Column{Name: "column" + strconv.Itoa(j+1), Type: desc.Columns[targetCols[j]].Type}
			if insertPath(s, j) != nil {
				srcCols[j].Type = partTypes[j]
			}
			if insertSubscripts(s, j) != nil {
				// The element (or slice) type the values were read as.
				srcCols[j].Type = rows[0][j].Type()
			}
		}
		p.source = &valuesNode{cols: srcCols, rows: rows}
	} else {
		src, err := b.bindSelect(q, &scope{})
		if err != nil {
			return nil, err
		}
		srcCols = src.columns()
		if len(srcCols) > len(targetCols) {
			return nil, pgerr.New(pgerr.SyntaxError, "INSERT has more expressions than target columns")
		}
		if len(srcCols) < len(targetCols) && s.Columns != nil {
			return nil, pgerr.New(pgerr.SyntaxError, "INSERT has more target columns than expressions")
		}
		targetCols = targetCols[:len(srcCols)]
		p.source = src
		for _, col := range targetCols {
			if c := desc.Columns[col]; c.Generated != "" {
				return nil, generatedValue(c)
			}
			if c := desc.Columns[col]; c.Identity != "" {
				if err := identityValue(c, s.Overriding); err != nil {
					return nil, err
				}
			}
		}
	}
	p.values = make([]expr, len(desc.Columns))
	for j, col := range targetCols {
		c := desc.Columns[col]
		if c.Identity != "" && s.Overriding == "user" {
			continue // the identity's value, below
		}
		if untypedSelectLiteral(q, j) {
			// INSERT ... SELECT 'literal': the literal takes the
			// target's type, as an untyped literal does.
			srcCols[j].Type = types.New(types.Unknown)
		}
		if path := insertPath(s, j); path != nil {
			if p.values[col], err = b.assignParts(p.values[col], &colExpr{t: srcCols[j].Type, idx: j}, c, path, nil, s.Table.Pos); err != nil {
				return nil, err
			}
			continue
		}
		if sub := insertSubscripts(s, j); sub != nil {
			// a[i] in the column list: on NULL, or on what the list's
			// earlier a[j] left.
			if p.values[col], err = b.bindArrayAssign(c, p.values[col], sub, &colExpr{t: srcCols[j].Type, idx: j}, s.Table.Pos, &scope{}); err != nil {
				return nil, err
			}
			continue
		}
		if p.values[col], err = b.assignCol(&colExpr{t: srcCols[j].Type, idx: j}, c, s.Table.Pos); err != nil {
			return nil, err
		}
	}
	for i, c := range desc.Columns {
		if p.values[i] == nil {
			if p.values[i], err = b.defaultExpr(c); err != nil {
				return nil, err
			}
		}
	}
	if s.OnConflict != nil {
		if p.onConflict, err = b.bindOnConflict(s, desc, &p.tableWriter); err != nil {
			return nil, err
		}
	}
	sc := tableScope(desc, s.Table)
	if s.OnConflict == nil {
		// RETURNING may read tableoid: the table (or partition) each row
		// went to, appended to the row it returns.
		name := s.Table.RelName()
		if s.Table.Alias != "" {
			name = s.Table.Alias
		}
		sc.cols = append(sc.cols, scopeCol{table: name, name: "tableoid", t: oidT, system: true})
		p.returnsTableOID = len(s.Returning) > 0
	}
	if err := b.bindReturning(&p.tableWriter, s.Returning, sc); err != nil {
		return nil, err
	}
	if p.rls, err = b.rowSecurityInsert(desc, len(s.Returning) > 0 && b.readsTarget(desc), s.OnConflict != nil && s.OnConflict.DoUpdate); err != nil {
		return nil, err
	}
	if p.rules, err = b.ruleSpecFor(desc, "insert", len(s.Returning) > 0, false, b.inDMLCTE, b.hasModifyingCTE()); err != nil {
		return nil, err
	}
	if p.rules != nil && s.OnConflict != nil || s.OnConflict != nil && slices.ContainsFunc(desc.Rules, func(r catalog.RuleDesc) bool { return r.Event == "update" }) {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "INSERT with ON CONFLICT clause cannot be used with table that has INSERT or UPDATE rules")
	}
	return p, nil
}

func (b *binder) bindUpdate(s *ast.UpdateStmt) (boundStmt, error) {
	desc, err := b.lookupTable(s.Table)
	if err != nil {
		return nil, err
	}
	if hasInsteadTrigger(desc, ast.TriggerUpdate) {
		b.require(desc, catalog.PrivUpdate, nil)
		return b.bindInsteadUpdate(s, desc)
	}
	if err := notATable(desc, "update"); err != nil {
		return nil, err
	}
	b.require(desc, catalog.PrivUpdate, map[catalog.Priv][]int{catalog.PrivUpdate: setColumns(desc, s.Set)}).readCols = true
	if !s.Table.Only && len(desc.Children) > 0 && b.inhTarget == nil {
		return b.bindInherited(desc, s.Table, "UPDATE", func() (boundStmt, error) { return b.bindUpdate(s) })
	}
	named := desc
	desc = b.inheritedTarget(s.Table, desc)
	sc := b.targetScope(desc, s.Table)
	w, err := b.newTableWriter(desc)
	if err != nil {
		return nil, err
	}
	b.setMover(&w)
	p := &updatePlan{tableWriter: w, scan: &scanNode{table: desc, cols: tableColumns(desc)}}
	if s.From != nil {
		if p.join, sc, err = b.bindTargetJoin(s.Table, s.From, s.Where); err != nil {
			return nil, err
		}
	}
	if p.set, p.multi, err = b.bindSetMulti(desc, s.Set, sc, 0); err != nil {
		return nil, err
	}
	p.trig.setUpdated(p.set)
	for _, k := range desc.PK {
		p.keyMoves = p.keyMoves || p.set[k] != nil
	}
	if p.where, err = b.bindWhere(s.Where, sc); err != nil {
		return nil, err
	}
	if s.Where != nil && p.join == nil {
		b.planScan(p.scan, []ast.Expr{s.Where}, sc, 0)
		_, p.never = b.foldWhere(splitAnd(s.Where), sc)
	}
	if err := b.bindReturning(&p.tableWriter, s.Returning, sc); err != nil {
		return nil, err
	}
	if err := b.rowSecurityWrite(named, desc, polUpdate, &p.where, p.join, &p.tableWriter); err != nil {
		return nil, err
	}
	if p.rules, err = b.ruleSpecFor(desc, "update", len(s.Returning) > 0, s.Where == nil && s.From == nil, b.inDMLCTE, b.hasModifyingCTE()); err != nil {
		return nil, err
	}
	return p, nil
}

// bindSetMulti binds the SET list of UPDATE, ON CONFLICT DO UPDATE and
// MERGE in scope sc, where the target's columns start at index target:
// set[i]
// computes column i, nil keeps it, from a row of sc followed by the
// columns of the multi subqueries ((a, b) = (SELECT ...)), in order.
func (b *binder) bindSetMulti(desc *catalog.TableDesc, list []ast.SetClause, sc *scope, target int) ([]expr, []multiSet, error) {
	set := make([]expr, len(desc.Columns))
	inPart := make([]bool, len(desc.Columns)) // set[i] assigns parts of column i
	var multi []multiSet
	subs := make(map[*ast.SubqueryExpr]int) // each subquery's index in multi
	rows := make(map[*ast.RowExpr]*rowExpr) // each ROW(t.*, ...) bound
	var err error
	width := len(sc.cols)
	for _, sc1 := range list {
		i := desc.ColumnIndex(sc1.Column)
		if i < 0 {
			return nil, nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", sc1.Column, desc.Name).WithPosition(sc1.Pos)
		}
		c := desc.Columns[i]
		// Assignments to parts of a column (a[i] =, c.f =) follow one
		// another; any other is the column's only one.
		if set[i] != nil && !((sc1.Indirect || sc1.Subscripts != nil) && inPart[i]) {
			return nil, nil, pgerr.New(pgerr.SyntaxError, "multiple assignments to same column \"%s\"", sc1.Column).WithPosition(sc1.Pos)
		}
		if sc1.Subscripts != nil && sc1.Sub == nil && sc1.Expr == nil {
			return nil, nil, pgerr.New(pgerr.FeatureNotSupported, "cannot set an array element to DEFAULT").WithPosition(sc1.Pos)
		}
		if sc1.Subscripts != nil && sc1.Sub == nil && sc1.Expr != nil {
			// a[i] = v, a[lo:hi] = v, j['k'] = v: on the value the list's
			// earlier ones left.
			base := set[i]
			if base == nil {
				base = &colExpr{t: c.Type, idx: target + i}
			}
			if set[i], err = b.bindSubscriptSet(c, base, sc1, sc); err != nil {
				return nil, nil, err
			}
			inPart[i] = true
			continue
		}
		if sc1.Subscripts != nil {
			return nil, nil, pgerr.New(pgerr.FeatureNotSupported, "assignment to a field or element of column \"%s\" is not supported", sc1.Column).WithPosition(sc1.Pos)
		}
		if sc1.Indirect {
			// An assignment to part of the column, on top of the
			// assignments to other parts before it or the row's value.
			base := set[i]
			if k := target + i; base == nil && k < len(sc.cols) && sc.cols[k].name == c.Name && !sc.cols[k].system {
				base = &colExpr{t: c.Type, idx: k}
			}
			if base == nil || sc1.Expr == nil || sc1.Sub != nil || c.Generated != "" {
				return nil, nil, pgerr.New(pgerr.FeatureNotSupported, "this assignment to a field or element of column \"%s\" is not supported", sc1.Column).WithPosition(sc1.Pos)
			}
			e, err := b.bindExpr(sc1.Expr, sc)
			if err != nil {
				return nil, nil, err
			}
			if set[i], err = b.assignParts(base, e, c, sc1.Path, sc, sc1.Expr.Position()); err != nil {
				return nil, nil, err
			}
			inPart[i] = true
			continue
		}
		if c.Generated != "" && (sc1.Sub != nil || sc1.Expr != nil) {
			return nil, nil, generatedUpdate(c)
		}
		if sc1.Row != nil {
			if set[i], err = b.bindRowSetItem(rows, sc1, c, sc); err != nil {
				return nil, nil, err
			}
			continue
		}
		if sc1.Sub != nil {
			if c.Identity == "a" {
				return nil, nil, pgerr.New(pgerr.GeneratedAlways, "column \"%s\" can only be updated to DEFAULT", c.Name).
					WithDetail("Column \"" + c.Name + "\" is an identity column defined as GENERATED ALWAYS.")
			}
			k, ok := subs[sc1.Sub]
			if !ok {
				sub, err := b.bindSubqueryPlan(sc1.Sub.Query, sc, sc1.Sub.Pos)
				if err != nil {
					return nil, nil, err
				}
				if len(sub.p.columns()) != sc1.SubCols {
					return nil, nil, pgerr.New(pgerr.SyntaxError, "number of columns does not match number of values").WithPosition(sc1.Sub.Pos)
				}
				k = len(multi)
				subs[sc1.Sub] = k
				multi = append(multi, multiSet{sub: sub, base: width})
				width += sc1.SubCols
			}
			m := multi[k]
			col := m.sub.p.columns()[sc1.SubCol]
			if col.Type.ID == types.Unknown {
				col.Type = types.New(types.Text)
			}
			base := m.base
			if set[i], err = b.assignCol(&colExpr{t: col.Type, idx: base + sc1.SubCol}, c, sc1.Sub.Pos); err != nil {
				return nil, nil, err
			}
			continue
		}
		if sc1.Expr == nil {
			if set[i], err = b.defaultExpr(c); err != nil {
				return nil, nil, err
			}
			continue
		}
		if c.Identity == "a" {
			return nil, nil, pgerr.New(pgerr.GeneratedAlways, "column \"%s\" can only be updated to DEFAULT", c.Name).
				WithDetail("Column \"" + c.Name + "\" is an identity column defined as GENERATED ALWAYS.")
		}
		if containsAggregate(sc1.Expr) {
			return nil, nil, pgerr.New(pgerr.GroupingError, "aggregate functions are not allowed in UPDATE").WithPosition(sc1.Expr.Position())
		}
		e, err := b.bindExpr(sc1.Expr, sc)
		if err != nil {
			return nil, nil, err
		}
		if set[i], err = b.assignCol(e, c, sc1.Expr.Position()); err != nil {
			return nil, nil, err
		}
	}
	return set, multi, nil
}

func (b *binder) bindWhere(where ast.Expr, sc *scope) (expr, error) {
	if where == nil {
		return nil, nil
	}
	if containsAggregate(where) {
		return nil, pgerr.New(pgerr.GroupingError, "aggregate functions are not allowed in WHERE").WithPosition(where.Position())
	}
	e, err := b.bindExpr(where, sc)
	if err != nil {
		return nil, err
	}
	return b.coerce(e, types.New(types.Bool), "argument of WHERE", where.Position())
}

func (b *binder) bindDelete(s *ast.DeleteStmt) (boundStmt, error) {
	desc, err := b.lookupTable(s.Table)
	if err != nil {
		return nil, err
	}
	if hasInsteadTrigger(desc, ast.TriggerDelete) {
		b.require(desc, catalog.PrivDelete, nil)
		return b.bindInsteadDelete(s, desc)
	}
	if err := notATable(desc, "delete from"); err != nil {
		return nil, err
	}
	b.require(desc, catalog.PrivDelete, nil).readCols = true
	if !s.Table.Only && len(desc.Children) > 0 && b.inhTarget == nil {
		return b.bindInherited(desc, s.Table, "DELETE", func() (boundStmt, error) { return b.bindDelete(s) })
	}
	named := desc
	desc = b.inheritedTarget(s.Table, desc)
	sc := b.targetScope(desc, s.Table)
	w, err := b.newTableWriter(desc)
	if err != nil {
		return nil, err
	}
	p := &deletePlan{tableWriter: w, scan: &scanNode{table: desc, cols: tableColumns(desc)}}
	if s.Using != nil {
		if p.join, sc, err = b.bindTargetJoin(s.Table, s.Using, s.Where); err != nil {
			return nil, err
		}
	}
	if p.where, err = b.bindWhere(s.Where, sc); err != nil {
		return nil, err
	}
	if s.Where != nil && p.join == nil {
		b.planScan(p.scan, []ast.Expr{s.Where}, sc, 0)
		_, p.never = b.foldWhere(splitAnd(s.Where), sc)
	}
	if err := b.bindReturning(&p.tableWriter, s.Returning, sc); err != nil {
		return nil, err
	}
	if err := b.rowSecurityWrite(named, desc, polDelete, &p.where, p.join, &p.tableWriter); err != nil {
		return nil, err
	}
	if p.rules, err = b.ruleSpecFor(desc, "delete", len(s.Returning) > 0, s.Where == nil && s.Using == nil, b.inDMLCTE, b.hasModifyingCTE()); err != nil {
		return nil, err
	}
	return p, nil
}

// truncatePlan empties tables. cairn deletes every row as DELETE does, so
// TRUNCATE is transactional and MVCC-safe like the rest; VACUUM reclaims
// the space. (PostgreSQL swaps in a new empty file under an exclusive
// lock instead.)
type truncatePlan struct {
	tables []*deletePlan
	// triggers are each table's, nil for a table without; their
	// TRUNCATE statement triggers fire as PostgreSQL's do: every BEFORE
	// one before any table is emptied, the AFTER ones once all are.
	triggers        []*tableTriggers
	restartIdentity bool
	// notices are CASCADE's, one per table it adds.
	notices []Notice
}

func (p *truncatePlan) columns() []Column { return nil }

func (p *truncatePlan) execute(x *execCtx, ec *evalCtx) (*Result, error) {
	runs := make([]*triggerRun, len(p.tables))
	for i, tt := range p.triggers {
		r, err := tt.start(x, ec, trigTruncate)
		if err != nil {
			return nil, err
		}
		runs[i] = r
	}
	for _, d := range p.tables {
		if _, err := d.execute(x, ec); err != nil {
			return nil, err
		}
		x.s.markFresh(d.table.ID)
		if p.restartIdentity {
			if err := restartOwnedSequences(x, d.table); err != nil {
				return nil, err
			}
		}
	}
	for _, r := range runs {
		if err := r.finish(); err != nil {
			return nil, err
		}
	}
	return &Result{Tag: "TRUNCATE TABLE", Notices: p.notices}, nil
}

func (b *binder) bindTruncate(s *ast.TruncateStmt) (boundStmt, error) {
	p := &truncatePlan{restartIdentity: s.RestartIdentity}
	var descs []*catalog.TableDesc
	for _, ref := range s.Tables {
		desc, err := b.lookupTableStrict(ref)
		if err != nil {
			return nil, err
		}
		if desc.Kind() != "table" {
			return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a table", ref.Name)
		}
		b.require(desc, catalog.PrivTruncate, nil)
		descs = append(descs, desc)
		if len(desc.Children) > 0 && !ref.Only {
			// Its descendants are truncated with it.
			members, err := b.inheritors(desc)
			if err != nil {
				return nil, err
			}
			for _, m := range members {
				if !slices.ContainsFunc(descs, func(d *catalog.TableDesc) bool { return d.ID == m.table.ID }) {
					descs = append(descs, m.table)
				}
			}
		} else if desc.IsPartitioned() {
			return nil, pgerr.New(pgerr.WrongObjectType, "cannot truncate only a partitioned table").
				WithHint("Do not specify the ONLY keyword, or use TRUNCATE ONLY on the partitions directly.")
		}
	}
	descs, notices, err := b.truncateReferencing(descs, s.Cascade)
	if err != nil {
		return nil, err
	}
	p.notices = notices
	for _, desc := range descs {
		// TRUNCATE fires no RI events: the tables referencing these are
		// truncated too (truncateReferencing).
		p.tables = append(p.tables, &deletePlan{tableWriter: tableWriter{table: desc}, scan: &scanNode{table: desc, cols: tableColumns(desc)}})
		tt, err := b.bindTriggers(desc)
		if err != nil {
			return nil, err
		}
		p.triggers = append(p.triggers, tt)
	}
	return p, nil
}

// rowsTag is a command tag with a row count: verb, a space, n. The tags
// of one row, which most statements of an OLTP load end with, are
// constants rather than a string built per statement.
func rowsTag(verb string, n int) string {
	if n == 1 {
		switch verb {
		case "INSERT 0":
			return "INSERT 0 1"
		case "UPDATE":
			return "UPDATE 1"
		case "DELETE":
			return "DELETE 1"
		case "SELECT":
			return "SELECT 1"
		}
	}
	return verb + " " + strconv.Itoa(n)
}
