package sql

import (
	"slices"

	"github.com/cairndb/cairn/sql/catalog"
)

// Constraint triggers (CREATE CONSTRAINT TRIGGER), as PostgreSQL 15 has
// them: AFTER ROW triggers that are also a constraint (a pg_constraint
// row of contype 't' named as the trigger) and so may be DEFERRABLE
// [INITIALLY DEFERRED], with SET CONSTRAINTS choosing their mode for
// the transaction. A constraint trigger in immediate mode fires at the
// end of the statement, as other AFTER ROW triggers do. In deferred
// mode its WHEN condition is still evaluated when the row is written,
// but its events wait with the deferred foreign key checks
// (Session.riDeferred): they fire at COMMIT, or when SET CONSTRAINTS
// makes the constraint IMMEDIATE, and a rollback to a savepoint drops
// those queued since.

// constraintTrigger returns table's constraint trigger name, or nil.
func constraintTrigger(t *catalog.TableDesc, name string) *catalog.TriggerDesc {
	if g := t.Trigger(name); g != nil && g.Constraint {
		return g
	}
	return nil
}

// triggerDeferred reports whether constraint trigger g is in deferred
// mode in the session's transaction.
func (s *Session) triggerDeferred(g *catalog.TriggerDesc) bool {
	return g.Constraint && g.Deferrable && s.constraintDeferred(g.Name, g.InitDeferred)
}

// deferTrigger moves a queued AFTER ROW event of a constraint trigger in
// deferred mode to the transaction's deferred events.
func (r *triggerRun) deferTrigger(e afterEvent) {
	r.x.s.riDeferred = append(r.x.s.riDeferred, riEvent{trig: &riTrigger{run: r, row: e}})
}

// constraintName is the name of the constraint a deferred event checks,
// which SET CONSTRAINTS names.
func (ev riEvent) constraintName() string {
	if ev.trig != nil {
		return ev.trig.row.t.desc.Name
	}
	return ev.rule.fk.Name
}

// fireDeferredTrigger fires a deferred constraint trigger event in the
// statement running now (COMMIT's or SET CONSTRAINTS').
func (x *execCtx) fireDeferredTrigger(ec *evalCtx, ev riEvent) error {
	run := *ev.trig.run
	run.x, run.ec = x, ec
	e := ev.trig.row
	_, err := run.fire(e.t, e.ev, "AFTER", "ROW", e.old, e.new)
	return err
}

// withNotices keeps the notices raised before err with it, for the
// client to see before the error.
func withNotices(err error, notices []Notice) error {
	if len(notices) == 0 {
		return err
	}
	return &noticedError{err: err, notices: notices}
}

// dropConstraintTriggersFrom drops the constraint triggers whose FROM
// table is table id, which is being dropped: as in PostgreSQL, they
// depend on it automatically and go with it silently.
func (x *execCtx) dropConstraintTriggersFrom(id uint32) error {
	all, err := x.s.e.cat.All(x.snap)
	if err != nil {
		return err
	}
	for _, t := range all {
		if !slices.ContainsFunc(t.Triggers, func(g catalog.TriggerDesc) bool { return g.ConstrRel == id }) {
			continue
		}
		err := x.editTable(t.Key(), func(_, updated *catalog.TableDesc) error {
			updated.Triggers = slices.DeleteFunc(updated.Triggers, func(g catalog.TriggerDesc) bool { return g.ConstrRel == id })
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
