package sql

import (
	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/sql/types"
)

// MERGE on a table with triggers, as PostgreSQL 15 fires them: the
// BEFORE STATEMENT triggers of each event a WHEN clause names (INSERT,
// then UPDATE, then DELETE; DO NOTHING names none) fire when the
// statement starts, whether or not a row is written; each row an action
// writes fires the BEFORE ROW triggers of its event (a NULL skips the
// row, which is then not counted) and queues its AFTER ROW events, all
// events in one queue in the order the rows were written; at the end
// the queued events fire, then the AFTER STATEMENT triggers of DELETE,
// UPDATE and INSERT, in that order. In a hierarchy the rows fire the
// row triggers of the member that stores them (trigger_route.go).

// mergeRuns are a MERGE's trigger runs, by event; nil for an event no
// WHEN clause names.
type mergeRuns [trigEvents]*triggerRun

// mergeEvents reports the events p's WHEN clauses name.
func (p *mergePlan) mergeEvents() (evs [trigEvents]bool) {
	for _, as := range [][]mergeAction{p.matched, p.notMatched} {
		for _, a := range as {
			switch a.action {
			case "INSERT":
				evs[trigInsert] = true
			case "UPDATE":
				evs[trigUpdate] = true
			case "DELETE":
				evs[trigDelete] = true
			}
		}
	}
	return evs
}

// startTriggers fires the BEFORE STATEMENT triggers of the events p's
// clauses name and returns the runs that fire the rest.
func (p *mergePlan) startTriggers(x *execCtx, ec *evalCtx) (mergeRuns, error) {
	var runs mergeRuns
	if p.trig == nil {
		return runs, nil
	}
	evs := p.mergeEvents()
	for _, ev := range []trigEvent{trigInsert, trigUpdate, trigDelete} {
		if !evs[ev] {
			continue
		}
		p.trig.updated = nil
		r, err := p.trig.start(x, ec, ev)
		if err != nil {
			return runs, err
		}
		runs[ev] = r
	}
	return runs, nil
}

// any returns one of the runs, or nil.
func (runs mergeRuns) any() *triggerRun {
	for _, r := range runs {
		if r != nil {
			return r
		}
	}
	return nil
}

// rowRun returns the run that fires the row triggers of the table w
// writes for event ev: the statement's own for the named table, a
// member's under it otherwise; nil when nothing fires.
func (runs mergeRuns) rowRun(p *mergePlan, w *tableWriter, ev trigEvent) *triggerRun {
	r := runs[ev]
	if r == nil || w == &p.tableWriter {
		return r
	}
	if w.trig == nil {
		return nil
	}
	return r.child(w.trig, ev, true)
}

// finish queues the AFTER STATEMENT triggers of DELETE, UPDATE and
// INSERT, in that order, after the rows' events.
func (runs mergeRuns) finish(p *mergePlan) error {
	if p.trig != nil {
		p.trig.updated = nil
	}
	for _, ev := range []trigEvent{trigDelete, trigUpdate, trigInsert} {
		if err := runs[ev].finish(); err != nil {
			return err
		}
	}
	return nil
}

// mergeBefore fires the BEFORE ROW triggers of event ev for a row an
// action writes and returns the row to write (nil: skipped). set, for
// an UPDATE, are its SET list's columns, which UPDATE OF triggers test.
func (r *triggerRun) mergeBefore(id heap.TupleID, set []expr, old, new []types.Datum) ([]types.Datum, error) {
	if r == nil {
		if new == nil {
			return old, nil
		}
		return new, nil
	}
	if r.ev == trigUpdate {
		r.tt.setUpdated(set)
	}
	out, err := r.beforeRow(old, new)
	if err != nil || out == nil {
		return nil, err
	}
	if id != nil {
		if err := r.checkUnchanged(id); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// memberSet maps an UPDATE action's SET list over the named table's
// columns to member m's columns (nil m: the named table itself).
func memberSet(m *mergeMember, set []expr) []expr {
	if m == nil || m.cols == nil {
		return set
	}
	out := make([]expr, len(m.table.Columns))
	for i, c := range m.cols {
		if c >= 0 && i < len(set) {
			out[c] = set[i]
		}
	}
	return out
}
