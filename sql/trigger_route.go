package sql

import (
	"errors"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// Row triggers of the tables below the one a statement names, as
// PostgreSQL 15 fires them:
//
//   - a row inserted into a partitioned table (INSERT, COPY, or an
//     UPDATE moving a row to another partition) fires the BEFORE and
//     AFTER ROW INSERT triggers of the partition it is routed to, not
//     the partition's statement triggers; the row its BEFORE triggers
//     return is what is stored, returned and kept for the transition
//     tables; one that returns NULL skips the row;
//   - an UPDATE or DELETE of a hierarchy fires the row triggers of each
//     member it writes, and the statement triggers of the table it names
//     once, around all the members' rows, whose transition tables hold
//     the rows of every member in its columns;
//   - an UPDATE that moves a row to another partition deletes it from
//     its partition (firing the partition's BEFORE and AFTER ROW DELETE
//     triggers) and inserts it through the partitioned table; its
//     AFTER ROW UPDATE triggers do not fire for that row.
//
// The AFTER ROW events of them all join the statement's queue, fired at
// its end in the order the rows were written.

// childRunKey names a child run of a statement's run.
type childRunKey struct {
	tt *tableTriggers
	ev trigEvent
}

// child returns the run that fires tt's row triggers for event ev
// under the statement's run top, starting it the first time. capture
// says the rows go into top's transition tables (a member of the
// hierarchy an UPDATE or DELETE writes, for top's own event).
func (top *triggerRun) child(tt *tableTriggers, ev trigEvent, capture bool) *triggerRun {
	k := childRunKey{tt, ev}
	if r := top.children[k]; r != nil {
		return r
	}
	r := &triggerRun{tt: tt, x: top.x, ec: top.ec, ev: ev, parent: top,
		captureParent: capture && ev == top.ev && (top.captureOld || top.captureNew)}
	if r.captureParent {
		r.toParent = columnMap(top.tt.table, tt.table)
	}
	if top.children == nil {
		top.children = make(map[childRunKey]*triggerRun)
	}
	top.children[k] = r
	return r
}

// convert maps a member's row to the columns of its statement's table.
func (r *triggerRun) convert(row []types.Datum) []types.Datum {
	if row == nil {
		return nil
	}
	if r.toParent == nil {
		return row[:len(r.parent.tt.table.Columns):len(r.parent.tt.table.Columns)]
	}
	out := make([]types.Datum, len(r.toParent))
	for i, c := range r.toParent {
		if c >= 0 && c < len(row) {
			out[i] = row[c]
		}
	}
	return out
}

// startRun starts the trigger run of an UPDATE or DELETE of tt's table:
// within a hierarchy's statement (inhDMLPlan), a member's run under the
// statement's.
func (x *execCtx) startRun(tt *tableTriggers, ec *evalCtx, ev trigEvent) (*triggerRun, error) {
	if top := x.inhTop; top != nil && tt != nil {
		return top.child(tt, ev, true), nil
	}
	return tt.start(x, ec, ev)
}

// routeUnder makes r the run that rows routed to partitions fire their
// row triggers under, until the returned function restores the one
// before.
func (x *execCtx) routeUnder(r *triggerRun) func() {
	prev := x.routeTop
	x.routeTop = r
	return func() { x.routeTop = prev }
}

// errRowSkipped is returned for a row routed to a partition whose
// BEFORE ROW trigger returned NULL: the row is not stored.
var errRowSkipped = errors.New("sql: row skipped by a trigger")

// routedBefore fires the BEFORE ROW INSERT triggers of partition tt for
// a row routed to it and returns the run that queues its AFTER ROW
// events, with the row to store (nil: skipped).
func (x *execCtx) routedBefore(ec *evalCtx, tt *tableTriggers, row []types.Datum) (*triggerRun, []types.Datum, error) {
	top := x.routeTop
	var r *triggerRun
	if top != nil {
		r = top.child(tt, trigInsert, false)
	} else {
		// A row routed by a statement that keeps no run of its own:
		// its AFTER ROW events join the statement's queue all the same.
		r = &triggerRun{tt: tt, x: x, ec: ec, ev: trigInsert}
	}
	out, err := r.beforeRow(nil, row)
	return r, out, err
}

// routedAfter queues the AFTER ROW INSERT events of a row stored in the
// partition it was routed to.
func (r *triggerRun) routedAfter(row []types.Datum) error {
	return r.queueAfterRow(nil, row)
}

// checkStillAdmitted refuses a row that BEFORE INSERT trigger t, cloned
// from the partitioned table, changed so that its partition no longer
// admits it.
func (r *triggerRun) checkStillAdmitted(t *boundTrigger, row []types.Datum) error {
	for i := range r.tt.partLevels {
		if !r.tt.partLevels[i].admits(row) {
			table := r.tt.table
			return pgerr.New(pgerr.FeatureNotSupported, "moving row to another partition during a BEFORE FOR EACH ROW trigger is not supported").
				WithDetail("Before executing trigger \"" + t.desc.Name + "\", the row was to be in partition \"" + table.SchemaName() + "." + table.Name + "\".")
		}
	}
	return nil
}
