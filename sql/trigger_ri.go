package sql

import (
	"slices"

	"github.com/cairndb/cairn/sql/types"
)

// Triggers fired by foreign key actions. PostgreSQL carries out ON
// DELETE CASCADE, SET NULL, SET DEFAULT and ON UPDATE CASCADE as
// queries on the referencing table run from the referenced table's
// AFTER ROW RI triggers, with triggers of their own but no query level
// of their own. So, as PostgreSQL 15 does:
//
//   - the referencing table's BEFORE STATEMENT triggers fire once per
//     statement and event, when its first action of that event starts
//     (whether or not it finds a row to change);
//   - its BEFORE ROW triggers fire for each row an action changes, and
//     may change the row or skip it (NULL: the row stays as it was);
//   - its AFTER ROW events join the end of the statement's queue of RI
//     and trigger events, firing after the events queued before them;
//   - it shares the run of the statement's own write of the table and
//     event, if any (a self-referencing cascade), as a later write of
//     the statement does (tableTriggers.start);
//   - its AFTER STATEMENT triggers fire once per statement and event, at
//     the place in the queue of the last action of that event (an
//     action queues them anew and cancels their earlier place), with the
//     transition tables of all the actions' rows.

// riTrigger is a trigger event an RI action queued: an AFTER ROW event,
// or the AFTER STATEMENT triggers of run (row.t nil).
type riTrigger struct {
	run *triggerRun
	row afterEvent
}

// riRunKey names the trigger run of a table and event in a statement's
// RI actions.
type riRunKey struct {
	table uint32
	ev    trigEvent
}

// riTriggerRun returns the run that fires w's triggers for event ev of
// the statement's RI actions, starting it (and firing its BEFORE
// STATEMENT triggers) the first time; nil for a table without
// triggers. cols are the columns the action's UPDATE sets, for UPDATE
// OF.
func (x *execCtx) riTriggerRun(ec *evalCtx, w *tableWriter, ev trigEvent, cols []int) (*triggerRun, error) {
	tt := w.trig
	if tt == nil {
		return nil, nil
	}
	if ev == trigUpdate {
		tt.updated = make([]bool, len(tt.table.Columns))
		for _, c := range cols {
			tt.updated[c] = true
		}
		for i, c := range tt.table.Columns {
			if c.Generated != "" {
				tt.updated[i] = true
			}
		}
	}
	return tt.start(x, ec, ev)
}

// riAfterRow queues the AFTER ROW events of a row an RI action wrote at
// the end of the statement's RI queue.
func (x *execCtx) riAfterRow(r *triggerRun, old, new []types.Datum) error {
	if r == nil {
		return nil
	}
	return r.afterRow(old, new)
}

// riStatementEnd queues r's AFTER STATEMENT triggers at the end of the
// RI queue, dropping the place an earlier action of the statement gave
// them.
func (x *execCtx) riStatementEnd(r *triggerRun) error {
	if r != nil && r.parent != nil {
		r = r.parent
	}
	if r == nil || len(r.tt.afterStmt[r.ev]) == 0 {
		return nil
	}
	x.s.riQueue = slices.DeleteFunc(x.s.riQueue, func(ev riEvent) bool {
		return ev.trig != nil && ev.trig.run == r && ev.trig.row.t == nil
	})
	return x.queue(riEvent{trig: &riTrigger{run: r}})
}

// fire fires a queued event.
func (t *riTrigger) fire() error {
	if t.row.t == nil {
		return t.run.finishStatement()
	}
	e := t.row
	_, err := t.run.fire(e.t, e.ev, "AFTER", "ROW", e.old, e.new)
	return err
}
