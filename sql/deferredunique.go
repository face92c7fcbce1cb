package sql

import (
	"bytes"
	"context"
	"slices"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// This file holds deferrable UNIQUE and EXCLUDE constraints, and EXCLUDE
// constraints whose operators are all = (which cairn keeps as unique
// indexes reporting 23P01).
//
// A write to a deferrable constraint's index adds its entry unchecked and
// queues a uniqueEvent. At the end of the statement the events of
// constraints in immediate mode are checked (so UPDATE t SET i = i + 1
// passes where a row-by-row check would fail), and those in deferred mode
// (INITIALLY DEFERRED, or SET CONSTRAINTS ... DEFERRED) wait for COMMIT or
// SET CONSTRAINTS ... IMMEDIATE, as PostgreSQL's unique recheck triggers
// do. A check skips a row that is gone or no longer holds the key, so the
// events of work a ROLLBACK TO undid need no bookkeeping; otherwise it is
// the check of a non-deferrable index (heap.CheckUniqueIndexEntry), which
// waits for a concurrent writer of the key to end.

// uniqueEvent is a key written unchecked into the index of a deferrable
// constraint for row pk.
type uniqueEvent struct {
	table    string // the table's catalog key
	index    uint32
	name     string // the constraint's
	deferred bool   // INITIALLY DEFERRED
	key, pk  []byte
}

// uniqueChecks holds a session's unique events: those of the running
// statement, and those deferred to COMMIT.
type uniqueChecks struct {
	queue, deferred []uniqueEvent
}

// pending reports whether checks wait for COMMIT.
func (u *uniqueChecks) pending() bool { return len(u.deferred) > 0 }

// uniqueConstraintIndex is the CREATE INDEX of a UNIQUE or EXCLUDE
// constraint u on table (named table), named as PostgreSQL names it when
// u has no name: table_columns_key, or table_columns_excl.
func uniqueConstraintIndex(table string, ref ast.TableRef, u ast.UniqueConstraint) *ast.CreateIndexStmt {
	name := u.Name
	if name == "" {
		name = table
		for _, c := range u.Columns {
			name += "_" + c
		}
		suffix := "_key"
		if u.Exclusion {
			suffix = "_excl"
		}
		name = parser.TruncateIdent(name + suffix)
	}
	stmt := &ast.CreateIndexStmt{Name: name, Table: ref, Unique: true, Constraint: true, NullsNotDistinct: u.NullsNotDistinct,
		Deferrable: u.Deferrable, Deferred: u.Deferred, Exclusion: u.Exclusion, Method: u.Method}
	for _, c := range u.Columns {
		stmt.Columns = append(stmt.Columns, ast.IndexColumn{Name: c})
	}
	return stmt
}

// keyViolation is the error of a key of idx that another row holds:
// 23505 for a unique index, 23P01 for an exclusion constraint's; build
// is set for the check of CREATE INDEX or ADD CONSTRAINT.
func keyViolation(table *catalog.TableDesc, idx *catalog.IndexDesc, key string, build bool) *pgerr.Error {
	var e *pgerr.Error
	switch {
	case idx.Exclusion && build:
		e = pgerr.New(pgerr.ExclusionViolation, "could not create exclusion constraint \"%s\"", idx.Name).
			WithDetail("Key " + key + " conflicts with key " + key + ".")
	case idx.Exclusion:
		e = pgerr.New(pgerr.ExclusionViolation, "conflicting key value violates exclusion constraint \"%s\"", idx.Name).
			WithDetail("Key " + key + " conflicts with existing key " + key + ".")
	case build:
		e = pgerr.New(pgerr.UniqueViolation, "could not create unique index \"%s\"", idx.Name).
			WithDetail("Key " + key + " is duplicated.")
	default:
		e = pgerr.New(pgerr.UniqueViolation, "duplicate key value violates unique constraint \"%s\"", idx.Name).
			WithDetail("Key " + key + " already exists.")
	}
	return e.WithObject(table.SchemaName(), table.Name, "", idx.Name)
}

// writeDeferrable adds idx's entry for row pk unchecked and queues its
// check (idx is a deferrable constraint's, and the key has no NULL that
// exempts it).
func (w *tableWriter) writeDeferrable(x *execCtx, idx *catalog.IndexDesc, key, pk []byte) error {
	if err := x.s.e.heap.InsertIndexEntry(x.op(), idx.StorageID(), key, pk); err != nil {
		return err
	}
	x.s.uniq.queue = append(x.s.uniq.queue, uniqueEvent{table: w.table.Key(), index: idx.ID, name: idx.Name,
		deferred: idx.Deferred, key: key, pk: pk})
	return nil
}

// constraintDeferred reports whether deferrable constraint name, INITIALLY
// DEFERRED when initially is set, is in deferred mode in the transaction.
func (s *Session) constraintDeferred(name string, initially bool) bool {
	if d, ok := s.setConstraints[name]; ok {
		return d
	}
	if s.setConstraintsAll != nil {
		return *s.setConstraintsAll
	}
	return initially
}

// runUniqueChecks checks the unique events of the statement that just ran;
// those of constraints in deferred mode move to the transaction's list.
func (x *execCtx) runUniqueChecks() error {
	queue := x.s.uniq.queue
	x.s.uniq.queue = nil
	var now []uniqueEvent
	for _, ev := range queue {
		if x.s.explicit && x.s.constraintDeferred(ev.name, ev.deferred) {
			x.s.uniq.deferred = append(x.s.uniq.deferred, ev)
			continue
		}
		now = append(now, ev)
	}
	return x.checkUniqueEvents(now)
}

// runDeferredUnique checks the deferred unique events, those of the
// constraints named in names or all of them (names nil).
func (x *execCtx) runDeferredUnique(names map[string]bool) error {
	var keep, now []uniqueEvent
	for _, ev := range x.s.uniq.deferred {
		if names != nil && !names[ev.name] {
			keep = append(keep, ev)
			continue
		}
		now = append(now, ev)
	}
	x.s.uniq.deferred = keep
	return x.checkUniqueEvents(now)
}

// checkAllDeferred runs what waits for COMMIT: the deferred RI events and
// the deferred unique checks.
func (s *Session) checkAllDeferred(ctx context.Context) ([]Notice, error) {
	var notices []Notice
	if len(s.riDeferred) > 0 {
		var err error
		if notices, err = s.checkDeferred(ctx); err != nil {
			return notices, err
		}
	}
	if !s.uniq.pending() {
		return notices, nil
	}
	x := &execCtx{ctx: ctx, s: s, tx: s.tx, snap: s.currentSnapshot(), planGen: s.e.gen.Load(), mem: &s.mem}
	s.cid++
	return notices, x.runDeferredUnique(nil)
}

// checkUniqueEvents checks events in order; the first violation is the
// error.
func (x *execCtx) checkUniqueEvents(events []uniqueEvent) error {
	if len(events) == 0 {
		return nil
	}
	snap := x.riSnapshot(true)
	type bound struct {
		table *catalog.TableDesc
		keys  *indexKeys
	}
	tables := make(map[string]*bound)
	done := make(map[string]bool)
	for _, ev := range events {
		mark := string(ev.key) + "\x00" + string(ev.pk) + "\x00" + ev.table
		if done[mark] {
			continue
		}
		done[mark] = true
		b := tables[ev.table]
		if b == nil {
			t, _, err := x.s.e.cat.Lookup(snap, ev.table)
			if err != nil {
				return err
			}
			b = &bound{table: t}
			if t != nil {
				b.keys = newIndexKeys(t)
			}
			tables[ev.table] = b
		}
		if b.table == nil {
			continue // dropped since
		}
		if err := x.checkUniqueEvent(snap, b.table, b.keys, ev); err != nil {
			return err
		}
	}
	return nil
}

// checkUniqueEvent checks one event: nothing to do when the index is gone
// or the row no longer holds the key.
func (x *execCtx) checkUniqueEvent(snap txn.Snapshot, table *catalog.TableDesc, keys *indexKeys, ev uniqueEvent) error {
	var idx *catalog.IndexDesc
	for i := range table.Indexes {
		if table.Indexes[i].ID == ev.index {
			idx = &table.Indexes[i]
		}
	}
	if idx == nil {
		return nil
	}
	h := x.s.e.heap
	var vals []types.Datum
	err := h.ScanKey(snap, table.StorageID(), ev.pk, func(t heap.Tuple) error {
		row, err := types.DecodeRow(t.Data)
		if err != nil || len(row) != len(table.Columns) {
			return err
		}
		v, in, err := keys.values(x, idx, row)
		if err != nil || !in || !bytes.Equal(types.EncodeKey(v), ev.key) {
			return err
		}
		vals = v
		return nil
	})
	if err != nil || vals == nil {
		return err
	}
	matches := func(data []byte) (bool, error) {
		r, err := types.DecodeRow(data)
		if err != nil {
			return false, err
		}
		if len(r) != len(table.Columns) {
			return false, pgerr.New(pgerr.DataCorrupted, "row of table %s has %d columns, want %d", table.Name, len(r), len(table.Columns))
		}
		k, in, err := keys.entry(x, idx, r)
		return in && bytes.Equal(k, ev.key), err
	}
	op := x.op()
	op.Snap = snap
	err = h.CheckUniqueIndexEntry(op, table.StorageID(), idx.StorageID(), ev.key, ev.pk, matches)
	if pgerr.Code(err) == pgerr.UniqueViolation {
		return keyViolation(table, idx, keys.describe(x, idx, vals), false)
	}
	return err
}

// deferrableIndex reports whether table has a deferrable UNIQUE or
// EXCLUDE constraint named name.
func deferrableIndex(t *catalog.TableDesc, name string) bool {
	for _, ix := range t.Indexes {
		if ix.Constraint && ix.Deferrable && ix.Name == name {
			return true
		}
	}
	return false
}

// dropIndexConstraint removes the UNIQUE or EXCLUDE constraint of index
// i from table (whose descriptor the caller writes back) with its index's
// name entry; the entries stay, as DROP INDEX leaves them. A deferred
// check pending on the table refuses it, as PostgreSQL refuses to alter a
// table with pending trigger events.
func dropIndexConstraint(x *execCtx, table *catalog.TableDesc, i int) error {
	for _, ev := range x.s.uniq.deferred {
		if ev.table == table.Key() {
			return pgerr.New(pgerr.ObjectInUse, "cannot ALTER TABLE \"%s\" because it has pending trigger events", table.Name)
		}
	}
	name := table.Indexes[i].Name
	all, err := x.s.e.cat.All(x.snap)
	if err != nil {
		return err
	}
	for _, t := range all {
		for _, fk := range t.ForeignKeys {
			if fk.RefTable != table.Key() {
				continue
			}
			if ix, ok := findReferenced(table, fk.RefColumns); ok && ix != nil && ix.ID == table.Indexes[i].ID {
				return pgerr.New(pgerr.DependentObjectsStillExist, "cannot drop constraint %s on table %s because other objects depend on it", name, table.Name).
					WithDetail("constraint " + fk.Name + " on table " + t.Name + " depends on index " + name).
					WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
			}
		}
	}
	desc, id, err := x.s.e.cat.Lookup(x.snap, catalog.Key(table.Schema, name))
	if err != nil {
		return err
	}
	if desc == nil || desc.ID != table.Indexes[i].ID {
		return pgerr.New(pgerr.DataCorrupted, "index \"%s\" of table \"%s\" is missing from the catalog", name, table.Name)
	}
	if err := x.s.e.cat.Drop(x.op(), id); err != nil {
		return err
	}
	table.Indexes = slices.Delete(slices.Clone(table.Indexes), i, i+1)
	return nil
}
