package sql

import (
	"bytes"
	"slices"
	"strings"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// Firing triggers, as PostgreSQL 15's trigger.c does it. A statement
// writing a table with triggers binds them once (tableTriggers, nil for
// a table without, so that a plain table's write path pays one nil
// check); each execution of the statement opens a triggerRun, which:
//
//   - fires the BEFORE STATEMENT triggers of its event when it starts,
//     even when the statement writes no row;
//   - fires the BEFORE ROW triggers of each row before it is checked and
//     stored: the row a trigger returns is what the next trigger sees and
//     what is stored (and what RETURNING reads); NULL skips the row;
//   - queues each written row's AFTER ROW events, with its final images,
//     in the statement's queue (Session.riQueue), among the foreign key
//     events of the rows as they are written, and keeps the rows of the
//     transition tables (REFERENCING);
//   - at the statement's end queues its AFTER STATEMENT triggers; the
//     queue runs when the statement's execution ends, as the
//     after-trigger queue of a query does.
//
// Triggers of one event and timing fire in name order. A trigger's
// WHEN condition is evaluated over OLD and NEW before it fires (for an
// AFTER ROW trigger, when the row is queued); UPDATE OF fires only for
// an UPDATE whose SET list names one of the columns. A disabled trigger
// (tgenabled 'D') and, with session_replication_role at its default
// origin, a REPLICA one do not fire. A trigger's own statements fire
// triggers in turn; nesting is bounded as routine calls are (54001).
//
// The writes of one table and event in a statement share one run (its
// statement triggers fire once, and its transition tables hold all the
// rows), as PostgreSQL shares them within a query level, until a
// trigger reads those tables (start). Foreign key actions fire the
// referencing table's triggers (trigger_ri.go); a partitioned table's
// row triggers fire on its partitions (trigger_partition.go,
// trigger_route.go); constraint triggers may wait for COMMIT
// (trigger_constraint.go); MERGE fires the triggers of each action
// (merge_trigger.go).

// trigEvent is an event a trigger fires on: an index into
// tableTriggers' lists.
type trigEvent int

const (
	trigInsert trigEvent = iota
	trigUpdate
	trigDelete
	// trigTruncate has statement triggers only (CREATE TRIGGER refuses
	// TRUNCATE FOR EACH ROW).
	trigTruncate
	trigEvents
)

var trigEventBits = [trigEvents]int16{ast.TriggerInsert, ast.TriggerUpdate, ast.TriggerDelete, ast.TriggerTruncate}
var trigEventNames = [trigEvents]string{"INSERT", "UPDATE", "DELETE", "TRUNCATE"}

// boundTrigger is a trigger bound for one statement.
type boundTrigger struct {
	desc *catalog.TriggerDesc
	fn   *catalog.FuncDesc
	// when is the WHEN condition over an old row followed by a new one
	// (triggerScope); nil for none.
	when expr
	// cols are UPDATE OF's column indexes.
	cols []int
}

// tableTriggers are the triggers of a table a statement writes, by
// event, in firing (name) order.
type tableTriggers struct {
	table *catalog.TableDesc
	shape *types.RecordShape
	// beforeRow, afterRow, beforeStmt, afterStmt, insteadRow hold each
	// event's triggers of that timing and level.
	beforeRow, afterRow, beforeStmt, afterStmt, insteadRow [trigEvents][]*boundTrigger
	// updated, for an UPDATE, marks the columns its SET list names (and
	// generated columns), which UPDATE OF triggers test.
	updated []bool
	// partLevels, for a partition, are its partition constraint: a
	// BEFORE INSERT trigger cloned from the partitioned table may not
	// change the row so that the partition no longer admits it.
	partLevels []partLevel
}

// bindTriggers binds desc's triggers; nil when it has none.
func (b *binder) bindTriggers(desc *catalog.TableDesc) (*tableTriggers, error) {
	return b.bindTriggersOf(desc, false)
}

// bindTriggersOf binds desc's triggers, only its row triggers when
// rowsOnly (a partition rows are routed to); nil when it has none. A
// partitioned table's own row triggers never fire (their clones in the
// partitions do). The table a statement names has its (maybe empty)
// triggers bound when a descendant it writes through has triggers, so
// that the statement's run fires theirs.
func (b *binder) bindTriggersOf(desc *catalog.TableDesc, rowsOnly bool) (*tableTriggers, error) {
	if b.s == nil {
		return nil, nil
	}
	// A statement on an inheritance hierarchy fires the statement
	// triggers of the table it names only.
	member := rowsOnly || b.inhTarget != nil && b.inhTarget.root != desc
	if len(desc.Triggers) == 0 {
		if !rowsOnly && member && len(b.inhTarget.root.Triggers) > 0 {
			// The member's rows go into the transition tables of the
			// table the statement names.
			return &tableTriggers{table: desc, shape: desc.RowType().Shape}, nil
		}
		if member || len(desc.Children) == 0 {
			return nil, nil
		}
		if has, err := b.descendantsHaveTriggers(desc, 0); err != nil || !has {
			return nil, err
		}
	}
	funcs, err := b.s.e.cat.Functions(b.snap)
	if err != nil {
		return nil, err
	}
	rt := desc.RowType()
	tt := &tableTriggers{table: desc, shape: rt.Shape}
	for _, g := range desc.TriggersByName() {
		if desc.IsPartitioned() && g.Has(ast.TriggerRow) {
			continue
		}
		if member && !g.Has(ast.TriggerRow) {
			continue
		}
		bt := &boundTrigger{desc: g}
		for _, f := range funcs {
			if f.OID == g.Func {
				bt.fn = f.FuncDesc
				break
			}
		}
		if bt.fn == nil {
			return nil, pgerr.New(pgerr.UndefinedFunction, "function %d of trigger \"%s\" does not exist", g.Func, g.Name)
		}
		if g.When != "" {
			stored, err := b.parseCheck(g.When)
			if err != nil {
				return nil, err
			}
			if bt.when, err = b.bindTriggerWhen(desc, stored); err != nil {
				return nil, err
			}
		}
		for _, c := range g.Columns {
			if i := desc.ColumnIndex(c); i >= 0 {
				bt.cols = append(bt.cols, i)
			}
		}
		for ev := trigEvent(0); ev < trigEvents; ev++ {
			if !g.Has(trigEventBits[ev]) {
				continue
			}
			switch {
			case g.Has(ast.TriggerInstead):
				tt.insteadRow[ev] = append(tt.insteadRow[ev], bt)
			case g.Has(ast.TriggerRow | ast.TriggerBefore):
				tt.beforeRow[ev] = append(tt.beforeRow[ev], bt)
			case g.Has(ast.TriggerRow):
				tt.afterRow[ev] = append(tt.afterRow[ev], bt)
			case g.Has(ast.TriggerBefore):
				tt.beforeStmt[ev] = append(tt.beforeStmt[ev], bt)
			default:
				tt.afterStmt[ev] = append(tt.afterStmt[ev], bt)
			}
		}
		if g.Parent != 0 && g.Has(ast.TriggerRow|ast.TriggerBefore|ast.TriggerInsert) && tt.partLevels == nil {
			if tt.partLevels, err = b.partitionLevels(desc); err != nil {
				return nil, err
			}
		}
	}
	return tt, nil
}

// descendantsHaveTriggers reports whether a table below desc in its
// hierarchy has triggers.
func (b *binder) descendantsHaveTriggers(desc *catalog.TableDesc, depth int) (bool, error) {
	if depth > inheritDepthMax {
		return false, nil
	}
	for _, k := range desc.Children {
		c, _, err := b.s.e.cat.Lookup(b.snap, k)
		if err != nil {
			return false, err
		}
		if c == nil {
			continue
		}
		if len(c.Triggers) > 0 {
			return true, nil
		}
		if has, err := b.descendantsHaveTriggers(c, depth+1); has || err != nil {
			return has, err
		}
	}
	return false, nil
}

// setUpdated records which columns an UPDATE's SET list writes (set[i]
// non-nil), for UPDATE OF.
func (tt *tableTriggers) setUpdated(set []expr) {
	if tt == nil {
		return
	}
	tt.updated = make([]bool, len(tt.table.Columns))
	for i, e := range set {
		if i < len(tt.updated) && e != nil {
			tt.updated[i] = true
		}
	}
	for i, c := range tt.table.Columns {
		if c.Generated != "" {
			tt.updated[i] = true
		}
	}
}

// enabled reports whether g fires in s (session_replication_role).
func (s *Session) triggerEnabled(g *catalog.TriggerDesc) bool {
	role := s.settings["session_replication_role"]
	switch g.Enabled {
	case "D":
		return false
	case "A":
		return true
	case "R":
		return role == "replica"
	}
	return role != "replica"
}

// checkReplicationRole checks session_replication_role, which decides
// which triggers fire (Session.triggerEnabled).
func checkReplicationRole(v string) (string, error) {
	switch v = strings.ToLower(v); v {
	case "origin", "replica", "local":
		return v, nil
	}
	return "", errInvalidValue
}

// afterEvent is a queued AFTER ROW event.
type afterEvent struct {
	t        *boundTrigger
	ev       trigEvent
	old, new []types.Datum
	// run is the run that queued the event: its table's (a partition's
	// or member's, in a statement's shared queue).
	run *triggerRun
}

// triggerRun is one execution's firing of a table's triggers for one
// event.
type triggerRun struct {
	tt     *tableTriggers
	x      *execCtx
	ec     *evalCtx
	ev     trigEvent
	oldTab [][]types.Datum
	newTab [][]types.Datum
	// capture says which transition tables the AFTER triggers read.
	captureOld, captureNew bool
	// firedBefore says a BEFORE ROW trigger ran for the last row.
	firedBefore bool
	// parent, when set, is the run of the statement this run fires
	// the row triggers of a hierarchy member or of a partition rows
	// are routed to for (trigger_route.go): it shares parent's queue,
	// fires no statement triggers and does not finish itself.
	parent *triggerRun
	// toParent, for a member whose rows go into parent's transition
	// tables (captureParent), maps parent's columns to the member's
	// (nil: the same).
	captureParent bool
	toParent      []int
	// children are the runs of the members and partitions, and of
	// the later statements of the query level sharing this run.
	children map[childRunKey]*triggerRun
	// closed is set once a trigger read the run's transition tables:
	// later writes of the table and event start a run of their own.
	closed bool
}

// start returns the run that fires tt's triggers for event ev in x's
// query level, nil (which every method accepts) when the table has no
// triggers. The writes of one table and event in a query level (the
// parts of a statement with data-modifying WITH queries, and the
// foreign key actions it causes) share one run, as PostgreSQL shares
// their statement triggers and transition tables: the first starts it
// and fires the BEFORE STATEMENT triggers; the later get a child of it,
// until a trigger has read its transition tables.
func (tt *tableTriggers) start(x *execCtx, ec *evalCtx, ev trigEvent) (*triggerRun, error) {
	if tt == nil {
		return nil, nil
	}
	k := riRunKey{tt.table.ID, ev}
	if r := x.riTrigRuns[k]; r != nil && !r.closed {
		if r.tt == tt {
			return r, nil
		}
		return r.child(tt, ev, true), nil
	}
	r := &triggerRun{tt: tt, x: x, ec: ec, ev: ev}
	if x.riTrigRuns == nil {
		x.riTrigRuns = make(map[riRunKey]*triggerRun)
	}
	x.riTrigRuns[k] = r
	for _, t := range tt.afterStmt[ev] {
		r.captureOld = r.captureOld || t.desc.OldTable != ""
		r.captureNew = r.captureNew || t.desc.NewTable != ""
	}
	for _, t := range tt.afterRow[ev] {
		r.captureOld = r.captureOld || t.desc.OldTable != ""
		r.captureNew = r.captureNew || t.desc.NewTable != ""
	}
	for _, t := range tt.beforeStmt[ev] {
		if !x.s.triggerEnabled(t.desc) || !r.updateOf(t) {
			continue
		}
		if _, err := r.fire(t, ev, "BEFORE", "STATEMENT", nil, nil); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// updateOf reports whether an UPDATE OF trigger's columns meet the
// statement's (always true for other triggers).
func (r *triggerRun) updateOf(t *boundTrigger) bool {
	if len(t.cols) == 0 || r.ev != trigUpdate || r.tt.updated == nil {
		return true
	}
	for _, c := range t.cols {
		if r.tt.updated[c] {
			return true
		}
	}
	return false
}

// whenPasses evaluates t's WHEN condition over old and new.
func (r *triggerRun) whenPasses(t *boundTrigger, old, new []types.Datum) (bool, error) {
	if t.when == nil {
		return true, nil
	}
	n := len(r.tt.table.Columns)
	row := make([]types.Datum, 2*n+2)
	copy(row, old[:min(len(old), n)])
	copy(row[n:], new[:min(len(new), n)])
	row[2*n], row[2*n+1] = int64(r.tt.table.ID), int64(r.tt.table.ID)
	v, err := t.when.Eval(r.ec, row)
	return v == true, err
}

// beforeRow fires the BEFORE ROW triggers of the run's event for a row
// (old for UPDATE and DELETE, new for INSERT and UPDATE) and returns
// the row to write: new as the triggers left it (old for DELETE), or
// nil when one returned NULL and the row is skipped. r must not be nil.
func (r *triggerRun) beforeRow(old, new []types.Datum) ([]types.Datum, error) {
	ev := r.ev
	out := new
	if ev == trigDelete {
		out = old
	}
	r.firedBefore = false
	for _, t := range r.tt.beforeRow[ev] {
		if !r.x.s.triggerEnabled(t.desc) || !r.updateOf(t) {
			continue
		}
		ok, err := r.whenPasses(t, old, new)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		r.firedBefore = true
		got, err := r.fire(t, ev, "BEFORE", "ROW", old, new)
		if err != nil {
			return nil, err
		}
		if got == nil {
			return nil, nil
		}
		if ev != trigDelete {
			new, out = got, got
		}
		if ev == trigInsert && t.desc.Parent != 0 {
			if err := r.checkStillAdmitted(t, new); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// checkUnchanged refuses (27000) to update or delete row version id
// when the BEFORE ROW triggers that just ran for it updated or deleted
// the row themselves, as PostgreSQL refuses a tuple modified by a
// later command of the transaction.
func (r *triggerRun) checkUnchanged(id heap.TupleID) error {
	if !r.firedBefore {
		return nil
	}
	x := r.x
	t, ok, err := x.s.e.heap.Latest(x.s.e.tm.LatestSnapshot(x.tx, x.s.cid+1), id)
	if err != nil || ok && bytes.Equal(t.ID, id) {
		return err
	}
	verb := "updated"
	if r.ev == trigDelete {
		verb = "deleted"
	}
	return pgerr.New("27000", // triggered_data_change_violation
		"tuple to be %s was already modified by an operation triggered by the current command", verb).
		WithHint("Consider using an AFTER trigger instead of a BEFORE trigger to propagate changes to other rows.")
}

// afterRow queues the AFTER ROW events of a written row and keeps it for
// the transition tables.
func (r *triggerRun) afterRow(old, new []types.Datum) error {
	if r == nil {
		return nil
	}
	r.capture(old, new)
	return r.queueAfterRow(old, new)
}

// capture keeps a written row for the transition tables of the run, or
// of the statement's run for a member's.
func (r *triggerRun) capture(old, new []types.Datum) {
	if r == nil {
		return
	}
	if r.parent != nil {
		if r.captureParent {
			r.parent.capture(r.convert(old), r.convert(new))
		}
		return
	}
	if r.captureOld && old != nil {
		r.oldTab = append(r.oldTab, old)
	}
	if r.captureNew && new != nil {
		r.newTab = append(r.newTab, new)
	}
}

// queueAfterRow queues the AFTER ROW events of a written row.
func (r *triggerRun) queueAfterRow(old, new []types.Datum) error {
	if r.tt == nil {
		return nil
	}
	for _, t := range r.tt.afterRow[r.ev] {
		if !r.x.s.triggerEnabled(t.desc) || !r.updateOf(t) {
			continue
		}
		ok, err := r.whenPasses(t, old, new)
		if err != nil || !ok {
			if err != nil {
				return err
			}
			continue
		}
		e := afterEvent{t: t, ev: r.ev, old: old, new: new, run: r}
		if r.x.s.triggerDeferred(t.desc) {
			r.deferTrigger(e)
			continue
		}
		if err := r.x.queue(riEvent{trig: &riTrigger{run: r, row: e}}); err != nil {
			return err
		}
	}
	return nil
}

// finish ends a statement's use of the run: its AFTER STATEMENT
// triggers are queued after the events queued so far (dropping the
// place an earlier use gave them), to fire when the statement's queue
// is run, after its AFTER ROW events (queued as rows were written,
// among its foreign key events) and the actions those cause. A
// member's run ends with its statement's.
func (r *triggerRun) finish() error {
	if r == nil {
		return nil
	}
	if r.parent != nil {
		return r.x.riStatementEnd(r.parent)
	}
	return r.x.riStatementEnd(r)
}

// finishStatement fires the AFTER STATEMENT triggers.
func (r *triggerRun) finishStatement() error {
	if r == nil {
		return nil
	}
	for _, t := range r.tt.afterStmt[r.ev] {
		if !r.x.s.triggerEnabled(t.desc) || !r.updateOf(t) {
			continue
		}
		if _, err := r.fire(t, r.ev, "AFTER", "STATEMENT", nil, nil); err != nil {
			return err
		}
	}
	return nil
}

// fireInstead fires the INSTEAD OF ROW triggers of a view's row and
// reports whether the row counts as written (no trigger returned NULL),
// with the row the last trigger returned (RETURNING reads it).
func (tt *tableTriggers) fireInstead(x *execCtx, ec *evalCtx, ev trigEvent, old, new []types.Datum) ([]types.Datum, bool, error) {
	r := &triggerRun{tt: tt, x: x, ec: ec, ev: ev}
	out := new
	if ev == trigDelete {
		out = old
	}
	fired := false
	for _, t := range tt.insteadRow[ev] {
		if !x.s.triggerEnabled(t.desc) {
			continue
		}
		fired = true
		got, err := r.fire(t, ev, "INSTEAD OF", "ROW", old, new)
		if err != nil {
			return nil, false, err
		}
		if got == nil {
			return nil, false, nil
		}
		if ev != trigDelete {
			new, out = got, got
		}
	}
	return out, fired, nil
}

// fire runs trigger t's function once and returns the row it returned
// (nil for NULL), cast to the table's columns.
func (r *triggerRun) fire(t *boundTrigger, ev trigEvent, when, level string, old, new []types.Datum) ([]types.Datum, error) {
	x := r.x
	s := x.s
	table := r.tt.table
	td := &TriggerData{Name: t.desc.Name, When: when, Level: level, Op: trigEventNames[ev],
		RelID: table.ID, RelName: table.Name, Schema: table.SchemaName(), Args: t.desc.Args,
		Shape: r.tt.shape}
	if level == "ROW" {
		if old != nil && ev != trigInsert {
			td.Old = &types.RecordValue{Shape: r.tt.shape, Fields: slices.Clone(old[:len(table.Columns)])}
		}
		if new != nil && ev != trigDelete {
			td.New = &types.RecordValue{Shape: r.tt.shape, Fields: slices.Clone(new[:len(table.Columns)])}
		}
	}
	// A member's rows are kept by its statement's run.
	tabs := r
	if r.captureParent {
		tabs = r.parent
	}
	if t.desc.OldTable != "" || t.desc.NewTable != "" {
		tabs.closed = true
	}
	if t.desc.OldTable != "" {
		td.Transition = append(td.Transition, TransitionTable{Name: t.desc.OldTable, Columns: table.Columns, Rows: tabs.oldTab})
	}
	if t.desc.NewTable != "" {
		td.Transition = append(td.Transition, TransitionTable{Name: t.desc.NewTable, Columns: table.Columns, Rows: tabs.newTab})
	}
	st := &s.routines
	if st.depth >= routineDepthMax {
		return nil, pgerr.New(pgerr.StatementTooComplex, "stack depth limit exceeded").
			WithHint("Increase the configuration parameter \"max_stack_depth\" (currently 2048kB), after ensuring the platform's stack depth limit is adequate.")
	}
	st.depth++
	s.triggerDepth++
	defer func() { st.depth--; s.triggerDepth-- }()
	defer s.enterFiring(table.ID)()
	if err := pgerr.FromContext(x.ctx); err != nil {
		return nil, err
	}
	rt := &sessionRuntime{x: x, volatile: t.fn.Volatility == "v"}
	compiled, err := s.compiledRoutine(rt, t.fn)
	if err != nil {
		return nil, err
	}
	tr, ok := compiled.(TriggerRoutine)
	if !ok {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "trigger functions in LANGUAGE %s are not supported", t.fn.Language)
	}
	if len(t.fn.Config) > 0 {
		restore, err := s.applyRoutineConfig(t.fn.Config)
		if err != nil {
			return nil, err
		}
		defer restore()
	}
	if len(td.Transition) > 0 {
		saved := s.transition
		s.transition = append(slices.Clone(saved), td.Transition...)
		defer func() { s.transition = saved }()
	}
	return tr.CallTrigger(rt, td)
}

// TriggerData is what a trigger function is run with: PostgreSQL's
// TriggerData, as PL/pgSQL's NEW, OLD and TG_ variables show it.
type TriggerData struct {
	Name, When, Level, Op string
	RelID                 uint32
	RelName, Schema       string
	Args                  []string
	// Shape is the table's row type; New and Old the rows (nil where
	// the event has none, and for statement triggers).
	Shape    *types.RecordShape
	New, Old *types.RecordValue
	// Transition are the REFERENCING tables the function may read.
	Transition []TransitionTable
}

// TransitionTable is a transition table: its name, its table's columns
// and the rows.
type TransitionTable struct {
	Name    string
	Columns []catalog.ColumnDesc
	Rows    [][]types.Datum
}

// transitionTable binds a FROM reference to a transition table of the
// trigger functions running, the innermost first; nil when ref names
// none. Its rows are read when the statement runs, from the firing
// running then (a function's statements are bound once and run at
// each firing).
func (b *binder) transitionTable(ref *ast.TableRef) *sysView {
	if b.s == nil || len(b.s.transition) == 0 || ref.InfoSchema || ref.System {
		return nil
	}
	for i := len(b.s.transition) - 1; i >= 0; i-- {
		tt := b.s.transition[i]
		if tt.Name != ref.Name {
			continue
		}
		name := tt.Name
		return &sysView{name: name, cols: resultColumns(tt.Columns), rows: func(x *execCtx) ([][]types.Datum, error) {
			for j := len(x.s.transition) - 1; j >= 0; j-- {
				if x.s.transition[j].Name == name {
					return x.s.transition[j].Rows, nil
				}
			}
			return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", name)
		}}
	}
	return nil
}

// TriggerRoutine is a CompiledRoutine that can run as a trigger
// function (a function declared RETURNS trigger).
type TriggerRoutine interface {
	// CallTrigger runs the function for one firing and returns the row
	// it returned as a row of td.Shape's types (nil for NULL; what an
	// AFTER or statement trigger returns is ignored).
	CallTrigger(rt Runtime, td *TriggerData) ([]types.Datum, error)
}

// insertRuns are an INSERT's trigger runs: of its INSERT event, and of
// UPDATE for ON CONFLICT DO UPDATE (PostgreSQL fires both events'
// statement triggers for it).
type insertRuns struct{ ins, upd *triggerRun }

// startTriggers starts an INSERT's trigger runs.
func (p *insertPlan) startTriggers(x *execCtx, ec *evalCtx) (insertRuns, error) {
	var runs insertRuns
	if p.trig == nil {
		return runs, nil
	}
	var err error
	if runs.ins, err = p.trig.start(x, ec, trigInsert); err != nil {
		return runs, err
	}
	if p.onConflict != nil && p.onConflict.doUpdate {
		if runs.upd, err = p.trig.start(x, ec, trigUpdate); err != nil {
			return runs, err
		}
	}
	return runs, nil
}

// finish queues the AFTER STATEMENT triggers of both runs: UPDATE's
// before INSERT's, as PostgreSQL's fireASTriggers.
func (r insertRuns) finish() error {
	if err := r.upd.finish(); err != nil {
		return err
	}
	return r.ins.finish()
}
