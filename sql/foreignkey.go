package sql

import (
	"bytes"
	"context"
	"errors"
	"math"
	"slices"
	"strings"

	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// FOREIGN KEY constraints, as PostgreSQL 15 enforces them with its RI
// triggers (ri_triggers.c).
//
// A statement that writes a row queues an RI event (riEvent) for each
// foreign key the change concerns: a new or changed referencing key
// (child side) and a deleted or changed referenced key (parent side).
// The events run when the statement's own work is done, as PostgreSQL's
// AFTER ROW triggers do, so a statement may insert a parent and its
// children in any order. Events of a constraint that is deferred (INITIALLY
// DEFERRED, or SET CONSTRAINTS ... DEFERRED) wait for COMMIT instead;
// RESTRICT is never deferred, and unlike NO ACTION it does not accept a
// parent key that the statement deleted and wrote again.
//
// A child-side check finds the parent row by its primary key or unique
// index and locks it FOR KEY SHARE, so a concurrent delete of the parent,
// or an update of its key, waits for the child's transaction, and a child
// check waits for a concurrent deleter. Under READ COMMITTED the check
// reads the newest committed rows; under REPEATABLE READ and SERIALIZABLE
// it reads the transaction's snapshot, and a parent row changed by a
// transaction that committed since fails with 40001, as PostgreSQL's
// crosscheck does. Parent-side checks and actions read the newest rows
// under every level; under REPEATABLE READ an action that would change a
// referencing row the transaction's snapshot cannot see fails with 40001.
//
// ON DELETE / ON UPDATE CASCADE, SET NULL and SET DEFAULT change the
// referencing rows with the referencing table's own rules (NOT NULL,
// CHECK, its own foreign keys), which queue further events. Under READ
// COMMITTED an action that meets a referencing row changed by a
// transaction that committed meanwhile reads its newest version and acts
// on it if it still holds the key. Checks take no command ids; an action
// that wrote makes its writes visible to what follows with the next one.
//
// A parent-side event finds the referencing rows through an index of the
// child whose leading columns are the foreign key's, or else by scanning
// the child, as PostgreSQL does without such an index.
//
// The leaf partitions of a partitioned table enforce its foreign keys
// (partitionfk.go).

// fkRule is a foreign key bound for enforcement.
type fkRule struct {
	fk     catalog.ForeignKeyDesc
	child  *catalog.TableDesc
	parent *catalog.TableDesc
	// index is the parent's unique index the key is found by; nil for
	// its primary key.
	index *catalog.IndexDesc
	// childIndex, when set, is an index of the child whose leading
	// columns are the referencing columns: parent-side events find the
	// referencing rows through it instead of scanning the child.
	childIndex *catalog.IndexDesc
	// route, when the parent is partitioned, finds the leaf partition
	// that holds a key (partitionfk.go).
	route *router
}

// riEvent is one check or action a row change queued.
type riEvent struct {
	rule *fkRule
	// parent marks a parent-side event: old is the referenced row that
	// was deleted (new nil) or updated (new its new version). A
	// child-side event checks new, a referencing row.
	parent   bool
	old, new []types.Datum
	// key is the row key of new in the child table, for a child-side
	// event: the check is skipped when that row is gone or its key
	// changed by the time the event runs, as PostgreSQL's RI_FKey_check
	// skips a tuple that is no longer live.
	key []byte
	// trig, when set, is instead a trigger event an RI action queued
	// (trigger_ri.go).
	trig *riTrigger
}

// findReferenced finds the unique key of parent whose columns are cols
// (in any order): nil index for the primary key. ok is false when there
// is none.
func findReferenced(parent *catalog.TableDesc, cols []int) (index *catalog.IndexDesc, ok bool) {
	same := func(key []int) bool {
		if len(key) != len(cols) {
			return false
		}
		for _, c := range cols {
			if !slices.Contains(key, c) {
				return false
			}
		}
		return true
	}
	if len(parent.PK) > 0 && same(parent.PK) {
		return nil, true
	}
	for i := range parent.Indexes {
		// A partial or expression index is no key a foreign key may use.
		if ix := &parent.Indexes[i]; ix.Unique && !ix.Computed() && same(ix.Columns) {
			return ix, true
		}
	}
	return nil, false
}

// bindFKRules binds the foreign keys of desc (out) and those referencing
// it (in).
func (b *binder) bindFKRules(desc *catalog.TableDesc) (out, in []*fkRule, err error) {
	fks := desc.ForeignKeys
	if desc.IsPartition() && !desc.IsPartitioned() {
		inherited, err := b.ancestorFKs(desc)
		if err != nil {
			return nil, nil, err
		}
		fks = append(slices.Clone(fks), inherited...)
	}
	for _, fk := range fks {
		parent := desc
		if fk.RefTable != desc.Key() {
			if parent, _, err = b.s.e.cat.Lookup(b.snap, fk.RefTable); err != nil {
				return nil, nil, err
			}
			if parent == nil {
				return nil, nil, pgerr.New(pgerr.DataCorrupted, "foreign key %s of table %s references missing table %s", fk.Name, desc.Name, fk.RefTable)
			}
		}
		r, err := newFKRule(fk, desc, parent)
		if err != nil {
			return nil, nil, err
		}
		if err := b.bindParentRoute(r); err != nil {
			return nil, nil, err
		}
		out = append(out, r)
	}
	if len(desc.PK) == 0 && !slices.ContainsFunc(desc.Indexes, func(ix catalog.IndexDesc) bool { return ix.Unique }) {
		return out, nil, nil
	}
	all, err := b.s.e.cat.All(b.snap)
	if err != nil {
		return nil, nil, err
	}
	for _, t := range all {
		for _, fk := range t.ForeignKeys {
			if fk.RefTable != desc.Key() {
				continue
			}
			child := t
			if t.Key() == desc.Key() {
				child = desc
			}
			rs, err := b.referencingRules(fk, child, desc)
			if err != nil {
				return nil, nil, err
			}
			in = append(in, rs...)
		}
	}
	if desc.IsPartition() && !desc.IsPartitioned() {
		fks, children, err := b.partitionedRefFKs(desc, all)
		if err != nil {
			return nil, nil, err
		}
		for i, fk := range fks {
			r, err := newFKRule(fk, children[i], desc)
			if err != nil {
				return nil, nil, err
			}
			in = append(in, r)
		}
	}
	return out, in, nil
}

func newFKRule(fk catalog.ForeignKeyDesc, child, parent *catalog.TableDesc) (*fkRule, error) {
	ix, ok := findReferenced(parent, fk.RefColumns)
	if !ok {
		return nil, pgerr.New(pgerr.DataCorrupted, "foreign key %s of table %s has no unique key in table %s", fk.Name, child.Name, parent.Name)
	}
	r := &fkRule{fk: fk, child: child, parent: parent, index: ix}
	for i := range child.Indexes {
		cix := &child.Indexes[i]
		if len(cix.Columns) < len(fk.Columns) || cix.Computed() || amIndex(cix) {
			continue
		}
		lead := true
		for _, c := range cix.Columns[:len(fk.Columns)] {
			lead = lead && slices.Contains(fk.Columns, c)
		}
		if lead && !hasDuplicate(cix.Columns[:len(fk.Columns)]) {
			r.childIndex = cix
			break
		}
	}
	return r, nil
}

// childKey is the referencing key of a child row, and whether it needs a
// check: under MATCH SIMPLE a key with a NULL needs none; under MATCH
// FULL one all NULL needs none and one partly NULL is an error.
func (r *fkRule) childKey(row []types.Datum) ([]types.Datum, bool, error) {
	key := make([]types.Datum, len(r.fk.Columns))
	nulls := 0
	for i, c := range r.fk.Columns {
		key[i] = row[c]
		if row[c] == nil {
			nulls++
		}
	}
	switch {
	case nulls == 0:
		return key, true, nil
	case r.fk.Match == "f" && nulls < len(key):
		return nil, false, pgerr.New(pgerr.ForeignKeyViolation, "insert or update on table \"%s\" violates foreign key constraint \"%s\"", r.child.Name, r.fk.Name).
			WithDetail("MATCH FULL does not allow mixing of null and nonnull key values.").
			WithObject(r.child.SchemaName(), r.child.Name, "", r.fk.Name)
	}
	return nil, false, nil
}

// parentKey is the referenced key of a parent row, in the foreign key's
// column order; ok is false when it has a NULL (no row can reference it).
func (r *fkRule) parentKey(row []types.Datum) ([]types.Datum, bool) {
	key := make([]types.Datum, len(r.fk.RefColumns))
	for i, c := range r.fk.RefColumns {
		if row[c] == nil {
			return nil, false
		}
		key[i] = row[c]
	}
	return key, true
}

// convertKey converts a key's values from the types of columns from of
// table a to those of columns to of table b (int4 to int8, varchar to
// text ...), through their text forms when the types differ.
func convertKey(key []types.Datum, a *catalog.TableDesc, from []int, b *catalog.TableDesc, to []int) ([]types.Datum, error) {
	out := make([]types.Datum, len(key))
	for i, v := range key {
		ta, tb := types.Base(a.Columns[from[i]].Type), types.Base(b.Columns[to[i]].Type)
		if v == nil || ta.ID == tb.ID || ta.IsInteger() && tb.IsInteger() || ta.IsString() && tb.IsString() {
			// The same Go representation (int64, string).
			out[i] = v
			continue
		}
		w, err := types.ParseText(types.T{ID: tb.ID, Mod: -1}, types.FormatText(ta, v))
		if err != nil {
			return nil, err
		}
		out[i] = w
	}
	return out, nil
}

// keyText renders (a, b)=(1, 2) for columns cols of table t and values key.
func keyText(t *catalog.TableDesc, cols []int, key []types.Datum) string {
	names, vals := make([]string, len(cols)), make([]string, len(cols))
	for i, c := range cols {
		names[i] = t.Columns[c].Name
		if key[i] == nil {
			vals[i] = "null"
		} else {
			vals[i] = types.FormatText(t.Columns[c].Type, key[i])
		}
	}
	return "(" + strings.Join(names, ", ") + ")=(" + strings.Join(vals, ", ") + ")"
}

// missingParent is the error for a referencing key with no parent row.
func (r *fkRule) missingParent(key []types.Datum) error {
	return pgerr.New(pgerr.ForeignKeyViolation, "insert or update on table \"%s\" violates foreign key constraint \"%s\"", r.child.Name, r.fk.Name).
		WithDetail("Key "+keyText(r.child, r.fk.Columns, key)+" is not present in table \""+r.parent.Name+"\".").
		WithObject(r.child.SchemaName(), r.child.Name, "", r.fk.Name)
}

// stillReferenced is the error for a deleted or changed parent key that a
// row still references.
func (r *fkRule) stillReferenced(key []types.Datum) error {
	return pgerr.New(pgerr.ForeignKeyViolation, "update or delete on table \"%s\" violates foreign key constraint \"%s\" on table \"%s\"", r.parent.Name, r.fk.Name, r.child.Name).
		WithDetail("Key "+keyText(r.parent, r.fk.RefColumns, key)+" is still referenced from table \""+r.child.Name+"\".").
		WithObject(r.child.SchemaName(), r.child.Name, "", r.fk.Name)
}

// riSnapshot is the snapshot RI checks read: the newest committed rows
// and everything the transaction wrote so far (latest), or the
// transaction's snapshot under REPEATABLE READ and SERIALIZABLE.
//
// The statement's own writes are visible to it (the session's command id
// moved past the statement's when it started); an RI action's writes are
// made visible to what follows by the next command id, taken only after
// an action wrote (riWrote), so that checks alone use none up.
func (x *execCtx) riSnapshot(latest bool) txn.Snapshot {
	x.riNextCommand()
	cid := x.s.cid
	if latest || x.s.isolation == ReadCommitted {
		snap := x.s.e.tm.LatestSnapshot(x.tx, cid)
		snap.XID = x.tx.Current()
		return snap
	}
	snap := x.s.snap
	snap.Serializable = false
	snap.CID = cid
	snap.XID = x.tx.Current()
	return snap
}

// riNextCommand moves to a new command id when an RI action wrote since
// the last one was taken.
func (x *execCtx) riNextCommand() {
	if x.s.riWrote {
		x.s.cid++
		x.s.riWrote = false
	}
}

// findParent finds the parent row holding key (in the parent's types).
func (r *fkRule) findParent(x *execCtx, snap txn.Snapshot, key []types.Datum) (heap.Tuple, bool, error) {
	row := make([]types.Datum, len(r.parent.Columns))
	for i, c := range r.fk.RefColumns {
		row[c] = key[i]
	}
	if r.route != nil {
		return r.findInPartition(x, snap, row)
	}
	return findKeyRow(x, snap, r.parent, r.index, row)
}

// findKeyRow finds the row of table whose primary key (index nil) or
// unique index has the values of row.
func findKeyRow(x *execCtx, snap txn.Snapshot, parent *catalog.TableDesc, index *catalog.IndexDesc, row []types.Datum) (heap.Tuple, bool, error) {
	h := x.s.e.heap
	var t heap.Tuple
	found := false
	if index == nil {
		vals := make([]types.Datum, len(parent.PK))
		for i, c := range parent.PK {
			vals[i] = row[c]
		}
		err := h.ScanKey(snap, parent.StorageID(), types.EncodeKey(vals), func(v heap.Tuple) error { t, found = v, true; return nil })
		return t, found, err
	}
	key2 := encodeIndexKey(index, row)
	err := h.ScanIndex(snap, parent.StorageID(), index.StorageID(), key2, keyEnd(key2), func(v heap.Tuple) error {
		if found {
			return nil
		}
		pr, err := types.DecodeRow(v.Data)
		if err != nil {
			return err
		}
		if string(encodeIndexKey(index, pr)) == string(key2) {
			t, found = v, true
		}
		return nil
	})
	return t, found, err
}

// checkChild checks that the parent of a referencing row exists, and
// locks it FOR KEY SHARE.
func (x *execCtx) checkChild(r *fkRule, row []types.Datum) error {
	key, need, err := r.childKey(row)
	if err != nil || !need {
		return err
	}
	pkey, err := convertKey(key, r.child, r.fk.Columns, r.parent, r.fk.RefColumns)
	if err != nil {
		return err
	}
	for {
		snap := x.riSnapshot(false)
		t, ok, err := r.findParent(x, snap, pkey)
		if err != nil {
			return err
		}
		if !ok {
			return r.missingParent(key)
		}
		if _, ok := x.s.riLocked[string(t.ID)]; ok {
			// Locked by this transaction already: nobody can have
			// deleted it or changed its key since.
			return nil
		}
		op := heap.Op{Tx: x.tx, Snap: snap, Ctx: x.ctx, LockTimeout: x.s.lockTimeout()}
		err = x.s.e.heap.LockRow(op, t.ID, heap.LockKeyShare, heap.Wait, r.parent.Name)
		switch {
		case err == nil:
			if x.s.riLocked == nil {
				x.s.riLocked = make(map[string]struct{})
			}
			x.s.riLocked[string(t.ID)] = struct{}{}
			return nil
		case x.s.isolation != ReadCommitted:
			return err
		case errors.Is(err, heap.ErrConcurrentDelete), errors.Is(err, heap.ErrConcurrentUpdate):
			// Look again with a newer snapshot: the row may have a new
			// version with the key, or be gone.
			continue
		}
		return err
	}
}

// childRows lists the rows of r's child table that reference parent key
// pkey (in the parent's types), as snap sees them.
func (x *execCtx) childRows(r *fkRule, snap txn.Snapshot, pkey []types.Datum) ([]heap.Tuple, [][]types.Datum, error) {
	ckey, err := convertKey(pkey, r.parent, r.fk.RefColumns, r.child, r.fk.Columns)
	if err != nil {
		return nil, nil, err
	}
	var ids []heap.Tuple
	var rows [][]types.Datum
	scan := func(fn func(heap.Tuple) error) error { return x.s.e.heap.Scan(snap, r.child.StorageID(), fn) }
	if ix := r.childIndex; ix != nil {
		vals := make([]types.Datum, len(r.fk.Columns))
		for i, c := range ix.Columns[:len(vals)] {
			vals[i] = ckey[slices.Index(r.fk.Columns, c)]
		}
		prefix := types.EncodeKey(vals)
		scan = func(fn func(heap.Tuple) error) error {
			return x.s.e.heap.ScanIndex(snap, r.child.StorageID(), ix.StorageID(), prefix, keyEnd(prefix), fn)
		}
	}
	err = scan(func(t heap.Tuple) error {
		if x.ctx.Err() != nil {
			return pgerr.FromContext(x.ctx)
		}
		row, err := types.DecodeRow(t.Data)
		if err != nil {
			return err
		}
		if r.references(row, ckey) {
			ids = append(ids, t)
			rows = append(rows, row)
		}
		return nil
	})
	return ids, rows, err
}

// references reports whether child row row holds key ckey.
func (r *fkRule) references(row []types.Datum, ckey []types.Datum) bool {
	for i, c := range r.fk.Columns {
		if row[c] == nil || types.Compare(row[c], ckey[i]) != 0 {
			return false
		}
	}
	return true
}

// parentEvent runs a parent-side event: the check of NO ACTION and
// RESTRICT, or the action of CASCADE, SET NULL and SET DEFAULT.
func (x *execCtx) parentEvent(ec *evalCtx, ev riEvent) error {
	r := ev.rule
	del := ev.new == nil
	oldKey, ok := r.parentKey(ev.old)
	if !ok {
		return nil
	}
	action := r.fk.OnUpdate
	if del {
		action = r.fk.OnDelete
	}
	if action == "a" {
		// NO ACTION: nothing to do if a row with the key is there again.
		snap := x.riSnapshot(true)
		if _, found, err := r.findParent(x, snap, oldKey); err != nil || found {
			return err
		}
	}
	var (
		w   *tableWriter
		run *triggerRun
		err error
	)
	if action != "a" && action != "r" {
		// The action's query fires the referencing table's triggers,
		// its statement ones even when it changes no row.
		if w, err = x.writerFor(r.child); err != nil {
			return err
		}
		tev, cols := trigUpdate, r.fk.Columns
		if del && len(r.fk.DeleteSetColumns) > 0 {
			cols = r.fk.DeleteSetColumns
		}
		if del && action == "c" {
			tev = trigDelete
		}
		if run, err = x.riTriggerRun(ec, w, tev, cols); err != nil {
			return err
		}
	}
	snap := x.riSnapshot(true)
	tuples, rows, err := x.childRows(r, snap, oldKey)
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return x.riStatementEnd(run)
	}
	switch action {
	case "a", "r":
		return r.stillReferenced(oldKey)
	}
	if x.s.isolation != ReadCommitted {
		// An action may only change rows the transaction's snapshot
		// sees (PostgreSQL's crosscheck snapshot).
		txSnap := x.riSnapshot(false)
		for _, t := range tuples {
			if seen, ok, err := x.s.e.heap.Latest(txSnap, t.ID); err != nil {
				return err
			} else if !ok || string(seen.ID) != string(t.ID) {
				return pgerr.New(pgerr.SerializationFailure, "could not serialize access due to concurrent update")
			}
		}
	}
	op := heap.Op{Tx: x.tx, Snap: snap, Ctx: x.ctx, LockTimeout: x.s.lockTimeout()}
	x.s.riWrote = true
	// apply carries out the action on one referencing row version.
	apply := func(id heap.TupleID, old []types.Datum) error {
		width := len(w.table.Columns)
		if del && action == "c" {
			if run != nil {
				kept, err := run.beforeRow(old[:width:width], nil)
				if err != nil || kept == nil {
					return err // nil kept: a trigger skipped the row
				}
			}
			if err := x.s.e.heap.Delete(op, id); err != nil {
				return err
			}
			if err := w.queueDelete(x, old); err != nil {
				return err
			}
			return x.riAfterRow(run, old[:width:width], nil)
		}
		row := slices.Clone(old)
		for j, c := range r.fk.Columns {
			if del && len(r.fk.DeleteSetColumns) > 0 && !slices.Contains(r.fk.DeleteSetColumns, c) {
				continue // ON DELETE SET NULL (columns) leaves the others
			}
			switch action {
			case "c":
				v, err := convertKey([]types.Datum{ev.new[r.fk.RefColumns[j]]}, r.parent, r.fk.RefColumns[j:j+1], r.child, r.fk.Columns[j:j+1])
				if err != nil {
					return err
				}
				row[c] = v[0]
			case "n":
				row[c] = nil
			case "d":
				var err error
				if row[c], err = w.defaults[c].Eval(ec, nil); err != nil {
					return err
				}
			}
		}
		if run != nil {
			got, err := run.beforeRow(old[:width:width], row[:width:width])
			if err != nil || got == nil {
				return err // nil got: a trigger skipped the row
			}
			row = got
		}
		if w.move != nil && !w.admits(row) {
			return w.move.move(x, ec, w, id, old, row)
		}
		if err := w.check(ec, row); err != nil {
			return err
		}
		oldPK := heap.RowKey(id)
		key := oldPK
		if len(w.table.PK) > 0 {
			key = w.key(row)
		}
		if err := x.s.e.heap.Update(op, w.table.StorageID(), id, key, types.EncodeRow(row)); err != nil {
			return w.duplicate(err, row)
		}
		if err := w.writeIndexes(x, key, row, old, oldPK); err != nil {
			return err
		}
		if err := w.queueUpdate(x, oldPK, key, old, row); err != nil {
			return err
		}
		return x.riAfterRow(run, old[:width:width], row[:width:width])
	}
	ckey, err := convertKey(oldKey, r.parent, r.fk.RefColumns, r.child, r.fk.Columns)
	if err != nil {
		return err
	}
	for i, t := range tuples {
		if err := ec.tick(); err != nil {
			return err
		}
		id, old := t.ID, rows[i]
		// Under READ COMMITTED a row a concurrent transaction changed
		// and committed meanwhile is read again, and acted on if it
		// still references the key, as PostgreSQL's EvalPlanQual does.
	retry:
		for {
			err := apply(id, old)
			switch {
			case err == nil:
				break retry
			case x.s.isolation != ReadCommitted:
				return err
			case errors.Is(err, heap.ErrConcurrentDelete):
				break retry // gone: nothing references the key there
			case !errors.Is(err, heap.ErrConcurrentUpdate):
				return err
			}
			fresh := x.riSnapshot(true)
			nt, ok, err := x.s.e.heap.Latest(fresh, id)
			if err != nil {
				return err
			}
			if !ok {
				break
			}
			row, err := types.DecodeRow(nt.Data)
			if err != nil {
				return err
			}
			if !r.references(row, ckey) {
				break
			}
			id, old = nt.ID, row
		}
	}
	if action == "d" {
		// A row set to a default equal to the key that went away still
		// references it: the action cannot be carried out (PostgreSQL's
		// check after SET DEFAULT).
		if _, left, err := x.childRows(r, x.riSnapshot(true), oldKey); err != nil || len(left) > 0 {
			if err != nil {
				return err
			}
			return r.stillReferenced(oldKey)
		}
	}
	return x.riStatementEnd(run)
}

// writerFor binds the rules of writing table for an RI action, once per
// statement.
func (x *execCtx) writerFor(table *catalog.TableDesc) (*tableWriter, error) {
	if w := x.s.riWriters[table.ID]; w != nil && x.s.riWritersGen == x.planGen {
		return w, nil
	}
	if x.s.riWritersGen != x.planGen || x.s.riWriters == nil {
		x.s.riWriters, x.s.riWritersGen = make(map[uint32]*tableWriter), x.planGen
	}
	b := &binder{s: x.s, snap: x.snap}
	w, err := b.newTableWriter(table)
	if err != nil {
		return nil, err
	}
	w.defaults = make([]expr, len(table.Columns))
	for i, c := range table.Columns {
		if w.defaults[i], err = b.defaultExpr(c); err != nil {
			return nil, err
		}
	}
	x.s.riWriters[table.ID] = &w
	if err := x.partitionMover(&w); err != nil {
		return nil, err
	}
	return &w, nil
}

// queue adds an RI event for the end of the statement, counting the rows
// it holds against the statement's memory (memory.go): a statement that
// writes many rows with foreign keys fails with 53200 rather than grow
// without bound.
func (x *execCtx) queue(ev riEvent) error {
	n := int64(riEventBytes) + int64(len(ev.key))
	if ev.old != nil {
		n += rowBytes(ev.old)
	}
	if ev.new != nil {
		n += rowBytes(ev.new)
	}
	if err := x.mem.grow(n); err != nil {
		return err
	}
	x.s.riQueue = append(x.s.riQueue, ev)
	return nil
}

// riEventBytes is what an riEvent holds besides its rows and key.
const riEventBytes = 8 + 1 + 3*sliceHeaderBytes

// queueInsert queues the checks a new row of w's table, stored under
// key, calls for.
func (w *tableWriter) queueInsert(x *execCtx, key []byte, row []types.Datum) error {
	if w.table.FKTriggersDisabled {
		return nil
	}
	for _, r := range w.outFKs {
		if err := x.queue(riEvent{rule: r, new: row, key: key}); err != nil {
			return err
		}
	}
	return nil
}

// queueDelete queues the events a deleted row of w's table calls for.
func (w *tableWriter) queueDelete(x *execCtx, old []types.Datum) error {
	if w.table.FKTriggersDisabled {
		return nil
	}
	for _, r := range w.inFKs {
		if err := x.queue(riEvent{rule: r, parent: true, old: old}); err != nil {
			return err
		}
	}
	return nil
}

// queueUpdate queues the events an updated row of w's table calls for:
// a check of each changed referencing key, and the action of each
// changed referenced key. The row moved from row key oldKey to key; a row
// that moved is checked again even with its referencing key unchanged,
// since a check queued for it under the old key (its insert's, in this
// transaction, deferred) would find it gone.
func (w *tableWriter) queueUpdate(x *execCtx, oldKey, key []byte, old, row []types.Datum) error {
	if w.table.FKTriggersDisabled {
		return nil
	}
	for _, r := range w.outFKs {
		if !sameValues(old, row, r.fk.Columns) || !bytes.Equal(oldKey, key) {
			if err := x.queue(riEvent{rule: r, new: row, key: key}); err != nil {
				return err
			}
		}
	}
	for _, r := range w.inFKs {
		if !sameImages(old, row, r.fk.RefColumns) {
			if err := x.queue(riEvent{rule: r, parent: true, old: old, new: row}); err != nil {
				return err
			}
		}
	}
	return nil
}

// sameValues reports whether a and b agree on columns cols (NULL equal to
// NULL), as the RI triggers' key comparison does.
func sameValues(a, b []types.Datum, cols []int) bool {
	for _, c := range cols {
		switch {
		case a[c] == nil && b[c] == nil:
		case a[c] == nil || b[c] == nil:
			return false
		case types.Compare(a[c], b[c]) != 0:
			return false
		}
	}
	return true
}

// sameImages reports whether a and b hold the very same values in
// columns cols: a referenced key changed from -0 to 0, or from 1.0 to
// 1.00, is a change for ON UPDATE, as PostgreSQL compares the keys'
// binary images there.
func sameImages(a, b []types.Datum, cols []int) bool {
	if !sameValues(a, b, cols) {
		return false
	}
	for _, c := range cols {
		switch x := a[c].(type) {
		case float64:
			if math.Float64bits(x) != math.Float64bits(b[c].(float64)) {
				return false
			}
		case *apd.Decimal:
			if y, ok := b[c].(*apd.Decimal); ok && x.Exponent != y.Exponent {
				return false
			}
		}
	}
	return true
}

// deferredRI reports whether event ev waits for COMMIT: only checks do
// (of the referencing key, and NO ACTION's of the referenced one), and only
// for a deferrable constraint in deferred mode. RESTRICT and the actions
// run at the end of the statement, as in PostgreSQL.
func (s *Session) deferredRI(ev riEvent) bool {
	r := ev.rule
	if !r.fk.Deferrable {
		return false
	}
	if ev.parent {
		action := r.fk.OnUpdate
		if ev.new == nil {
			action = r.fk.OnDelete
		}
		if action != "a" {
			return false
		}
	}
	if d, ok := s.setConstraints[r.fk.Name]; ok {
		return d
	}
	if s.setConstraintsAll != nil {
		return *s.setConstraintsAll
	}
	return r.fk.Deferred
}

// runRI runs the statement's queued RI events, and those they queue in
// turn; deferred ones move to the transaction's list for COMMIT.
func (x *execCtx) runRI(ec *evalCtx) error {
	defer x.riNextCommand()
	for len(x.s.riQueue) > 0 {
		ev := x.s.riQueue[0]
		x.s.riQueue = x.s.riQueue[1:]
		if ev.trig != nil {
			// A trigger sees what the actions before it wrote.
			x.riNextCommand()
			if err := ev.trig.fire(); err != nil {
				x.s.riQueue = nil
				return err
			}
			continue
		}
		if x.s.deferredRI(ev) {
			x.s.riDeferred = append(x.s.riDeferred, ev)
			continue
		}
		if err := x.runEvent(ec, ev); err != nil {
			x.s.riQueue = nil
			return err
		}
	}
	x.s.riQueue = nil
	return nil
}

func (x *execCtx) runEvent(ec *evalCtx, ev riEvent) error {
	if ev.parent {
		return x.parentEvent(ec, ev)
	}
	// A row deleted since its event was queued needs no check, and one
	// changed again is checked by the event of its newest version.
	if ev.key != nil {
		live := false
		err := x.s.e.heap.ScanKey(x.riSnapshot(true), ev.rule.child.StorageID(), ev.key, func(t heap.Tuple) error {
			row, err := types.DecodeRow(t.Data)
			if err != nil {
				return err
			}
			live = live || sameValues(row, ev.new, ev.rule.fk.Columns)
			return nil
		})
		if err != nil || !live {
			return err
		}
	}
	return x.checkChild(ev.rule, ev.new)
}

// runDeferredRI runs the events deferred to COMMIT, or those of the
// constraints SET CONSTRAINTS ... IMMEDIATE names (all when which is
// nil).
func (x *execCtx) runDeferredRI(ec *evalCtx, which func(riEvent) bool) error {
	defer x.riNextCommand()
	var keep []riEvent
	pending := x.s.riDeferred
	x.s.riDeferred = nil
	for i, ev := range pending {
		if which != nil && !which(ev) {
			keep = append(keep, ev)
			continue
		}
		run := x.runEvent
		if ev.trig != nil {
			run = x.fireDeferredTrigger
		}
		if err := run(ec, ev); err != nil {
			x.s.riDeferred = append(keep, pending[i+1:]...)
			return err
		}
		if err := x.runRI(ec); err != nil {
			return err
		}
	}
	x.s.riDeferred = append(keep, x.s.riDeferred...)
	return nil
}

// addForeignKey adds foreign key fk to table, checking the rows already
// there unless it is NOT VALID.
func addForeignKey(x *execCtx, _ *evalCtx, table *catalog.TableDesc, fk *ast.ForeignKey) error {
	all, err := x.s.e.cat.All(x.snap)
	if err != nil {
		return err
	}
	b := &binder{s: x.s, snap: x.snap}
	d, err := b.foreignKeyDesc(table, fk, all, nil)
	if err != nil {
		return err
	}
	if d.RefTable != table.Key() {
		parent, _, err := x.s.e.cat.Lookup(x.snap, d.RefTable)
		if err != nil {
			return err
		}
		if err := x.lockTableForDDL(parent.ID, txn.Share); err != nil {
			return err
		}
	}
	if !fk.NotValid {
		if err := validateForeignKey(x, table, &d); err != nil {
			return err
		}
	}
	if d.ID, err = x.s.e.tm.NextOID(); err != nil {
		return err
	}
	table.ForeignKeys = append(table.ForeignKeys, d)
	return nil
}

// validateForeignKey checks every row of table against fk.
func validateForeignKey(x *execCtx, table *catalog.TableDesc, fk *catalog.ForeignKeyDesc) error {
	parent := table
	if fk.RefTable != table.Key() {
		var err error
		if parent, _, err = x.s.e.cat.Lookup(x.snap, fk.RefTable); err != nil {
			return err
		}
	}
	if table.IsPartitioned() {
		if parent.IsPartitioned() {
			return nil
		}
		return validatePartitionedFK(x, table, parent, fk)
	}
	r, err := newFKRule(*fk, table, parent)
	if err != nil {
		return err
	}
	if err := (&binder{s: x.s, snap: x.snap}).bindParentRoute(r); err != nil {
		return err
	}
	return scanTableRows(x, table, func(_ heap.TupleID, row []types.Datum) error {
		return x.checkChild(r, row)
	})
}

// foreignKeyDesc checks foreign key fk of table as PostgreSQL's
// ATAddForeignKeyConstraint does and describes it. all is the catalog,
// to name the constraint; taken holds names the statement already chose.
func (b *binder) foreignKeyDesc(table *catalog.TableDesc, fk *ast.ForeignKey, all []*catalog.TableDesc, taken map[string]bool) (catalog.ForeignKeyDesc, error) {
	d := catalog.ForeignKeyDesc{Name: fk.Name, RefTable: table.Key(), OnDelete: fk.OnDelete, OnUpdate: fk.OnUpdate,
		Match: fk.Match, Deferrable: fk.Deferrable, Deferred: fk.Deferred, NotValid: fk.NotValid}
	parent := table
	if !refersTo(fk.RefTable.Name, table) {
		var err error
		if parent, _, err = b.s.lookupRel(b.snap, fk.RefTable.Name); err != nil {
			return d, err
		}
		if parent == nil {
			return d, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", catalog.DisplayName(fk.RefTable.Name))
		}
		d.RefTable = parent.Key()
		if parent.Kind() != "table" {
			return d, pgerr.New(pgerr.WrongObjectType, "referenced relation \"%s\" is not a table", parent.Name)
		}
	}
	for _, name := range fk.Columns {
		i := table.ColumnIndex(name)
		if i < 0 {
			return d, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" referenced in foreign key constraint does not exist", name)
		}
		d.Columns = append(d.Columns, i)
	}
	if len(fk.RefColumns) == 0 {
		if len(parent.PK) == 0 {
			return d, pgerr.New(pgerr.UndefinedObject, "there is no primary key for referenced table \"%s\"", parent.Name)
		}
		d.RefColumns = slices.Clone(parent.PK)
	} else {
		for _, name := range fk.RefColumns {
			i := parent.ColumnIndex(name)
			if i < 0 {
				return d, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" referenced in foreign key constraint does not exist", name)
			}
			d.RefColumns = append(d.RefColumns, i)
		}
	}
	if err := b.checkReferences(parent, d.RefColumns); err != nil {
		return d, err
	}
	for _, name := range fk.DeleteSetColumns {
		i := table.ColumnIndex(name)
		if i < 0 {
			return d, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" referenced in foreign key constraint does not exist", name)
		}
		if !slices.Contains(d.Columns, i) {
			return d, pgerr.New(pgerr.InvalidColumnReference, "column \"%s\" referenced in ON DELETE SET action must be part of foreign key", name)
		}
		d.DeleteSetColumns = append(d.DeleteSetColumns, i)
	}
	if len(d.Columns) != len(d.RefColumns) {
		return d, pgerr.New(pgerr.InvalidForeignKey, "number of referencing and referenced columns for foreign key disagree")
	}
	if _, ok := findReferenced(parent, d.RefColumns); !ok || hasDuplicate(d.RefColumns) {
		return d, pgerr.New(pgerr.InvalidForeignKey, "there is no unique constraint matching given keys for referenced table \"%s\"", parent.Name)
	}
	if d.Name == "" {
		d.Name = chooseConstraintName(inSchema(all, table.Schema), table.Name, strings.Join(fk.Columns, "_"), "fkey", taken)
	} else if table.ConstraintNameUsed(d.Name) || taken[d.Name] {
		return d, pgerr.New(pgerr.DuplicateObject, "constraint \"%s\" for relation \"%s\" already exists", d.Name, table.Name)
	}
	for i, c := range d.Columns {
		ct, pt := table.Columns[c].Type, parent.Columns[d.RefColumns[i]].Type
		if !keyTypesCompatible(ct, pt) {
			return d, pgerr.New(pgerr.DatatypeMismatch, "foreign key constraint \"%s\" cannot be implemented", d.Name).
				WithDetail("Key columns \"" + table.Columns[c].Name + "\" and \"" + parent.Columns[d.RefColumns[i]].Name +
					"\" are of incompatible types: " + types.Format(types.T{ID: ct.ID, Mod: -1}) + " and " + types.Format(types.T{ID: pt.ID, Mod: -1}) + ".")
		}
	}
	return d, nil
}

func hasDuplicate(cols []int) bool {
	for i, c := range cols {
		if slices.Contains(cols[i+1:], c) {
			return true
		}
	}
	return false
}

// keyTypesCompatible reports whether a referencing column of type fk can
// reference one of type pk: as in PostgreSQL, when the two are in one
// btree operator family (the integers; the floats; the strings), or fk
// converts to pk implicitly (an integer to numeric, a number to double
// precision).
func keyTypesCompatible(fk, pk types.T) bool {
	fk, pk = types.Base(fk), types.Base(pk)
	if fk.ID == pk.ID {
		return true
	}
	ints := func(t types.T) bool { return t.ID == types.Int2 || t.ID == types.Int4 || t.ID == types.Int8 }
	strs := func(t types.T) bool { return t.ID == types.Text || t.ID == types.Varchar || t.ID == types.Bpchar }
	switch {
	case ints(fk) && ints(pk), strs(fk) && strs(pk), networkKeyTypes(fk, pk):
		return true
	case pk.ID == types.Numeric:
		return ints(fk)
	case pk.ID == types.Float8:
		return ints(fk) || fk.ID == types.Numeric
	}
	return false
}

// checkDeferred runs the RI events deferred to the end of the
// transaction, before it commits, and returns the notices the deferred
// triggers raised.
func (s *Session) checkDeferred(ctx context.Context) ([]Notice, error) {
	x := &execCtx{ctx: ctx, s: s, tx: s.tx, snap: s.currentSnapshot(), planGen: s.e.gen.Load(), mem: &s.mem}
	s.cid++
	err := x.runDeferredRI(&evalCtx{exec: x}, nil)
	return x.notices, err
}

// setConstraintsPlan is SET CONSTRAINTS: it sets the mode of the named
// deferrable constraints (or all) for the rest of the transaction;
// IMMEDIATE also runs the events deferred so far of those constraints.
type setConstraintsPlan struct{ stmt *ast.SetConstraintsStmt }

func (p *setConstraintsPlan) columns() []Column { return nil }

func (p *setConstraintsPlan) execute(x *execCtx, ec *evalCtx) (*Result, error) {
	s := x.s
	deferred := p.stmt.Deferred
	// Outside a transaction block the mode would end with the statement's
	// own transaction: PostgreSQL warns, after checking the names.
	outside := Notice{Severity: "WARNING", Code: pgerr.NoActiveSQLTransaction, Message: "SET CONSTRAINTS can only be used in transaction blocks"}
	if len(p.stmt.Names) == 0 {
		if !s.explicit {
			return &Result{Tag: p.stmt.Tag(), Notices: []Notice{outside}}, nil
		}
		s.setConstraintsAll = &deferred
		s.setConstraints = nil
		if deferred {
			return &Result{Tag: p.stmt.Tag()}, nil
		}
		if err := x.runDeferredRI(ec, nil); err != nil {
			return nil, err
		}
		return &Result{Tag: p.stmt.Tag()}, x.runDeferredUnique(nil)
	}
	all, err := s.e.cat.All(x.snap)
	if err != nil {
		return nil, err
	}
	bare := make([]string, len(p.stmt.Names))
	for i, qualified := range p.stmt.Names {
		// A bare name is looked for in the search path's schemas, the
		// first that has it winning, as PostgreSQL does; a qualified
		// one in its schema.
		schema, name := catalog.SplitName(qualified)
		bare[i] = name
		schemas := []string{schema}
		switch {
		case schema == "pg_temp":
			schemas = []string{s.tempSchema()}
		case schema == "":
			if schemas, err = s.searchSchemas(x.snap); err != nil {
				return nil, err
			}
		}
		found := false
		for _, sch := range schemas {
			for _, t := range all {
				if t.SchemaName() != sch {
					continue
				}
				for _, fk := range t.ForeignKeys {
					if fk.Name != name {
						continue
					}
					found = true
					if !fk.Deferrable && deferred {
						return nil, pgerr.New(pgerr.WrongObjectType, "constraint \"%s\" is not deferrable", name)
					}
				}
				if !found && deferrableIndex(t, name) {
					found = true
				}
				if !found {
					if g := constraintTrigger(t, name); g != nil {
						if !g.Deferrable && deferred {
							return nil, pgerr.New(pgerr.WrongObjectType, "constraint \"%s\" is not deferrable", name)
						}
						found = true
					}
				}
				if !found && t.ConstraintNameUsed(name) {
					if deferred {
						return nil, pgerr.New(pgerr.WrongObjectType, "constraint \"%s\" is not deferrable", name)
					}
					found = true
				}
			}
			if found {
				break
			}
		}
		if !found {
			return nil, pgerr.New(pgerr.UndefinedObject, "constraint \"%s\" does not exist", name)
		}
	}
	if !s.explicit {
		return &Result{Tag: p.stmt.Tag(), Notices: []Notice{outside}}, nil
	}
	if s.setConstraints == nil {
		s.setConstraints = make(map[string]bool)
	}
	names := make(map[string]bool)
	for _, name := range bare {
		s.setConstraints[name] = deferred
		names[name] = true
	}
	if deferred {
		return &Result{Tag: p.stmt.Tag()}, nil
	}
	if err := x.runDeferredRI(ec, func(ev riEvent) bool { return names[ev.constraintName()] }); err != nil {
		return nil, err
	}
	return &Result{Tag: p.stmt.Tag()}, x.runDeferredUnique(names)
}

// truncateReferencing refuses to truncate a table that a table outside
// the list references, as PostgreSQL does; with CASCADE it adds such
// tables (and those referencing them) to the list instead, with a notice
// for each.
func (b *binder) truncateReferencing(descs []*catalog.TableDesc, cascade bool) ([]*catalog.TableDesc, []Notice, error) {
	all, err := b.s.e.cat.All(b.snap)
	if err != nil {
		return nil, nil, err
	}
	in := make(map[string]bool)
	for _, d := range descs {
		in[d.Key()] = true
	}
	var notices []Notice
	for i := 0; i < len(descs); i++ {
		for _, t := range all {
			if in[t.Key()] {
				continue
			}
			for _, fk := range t.ForeignKeys {
				if fk.RefTable != descs[i].Key() {
					continue
				}
				if !cascade {
					return nil, nil, pgerr.New(pgerr.FeatureNotSupported, "cannot truncate a table referenced in a foreign key constraint").
						WithDetail("Table \"" + t.Name + "\" references \"" + descs[i].Name + "\".").
						WithHint("Truncate table \"" + t.Name + "\" at the same time, or use TRUNCATE ... CASCADE.")
				}
				in[t.Key()] = true
				descs = append(descs, t)
				notices = append(notices, Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion, Message: "truncate cascades to table \"" + t.Name + "\""})
				break
			}
		}
	}
	return descs, notices, nil
}

// fkDependents lists, by table, the foreign keys of tables not being
// dropped that reference desc.
func fkDependents(all []*catalog.TableDesc, desc *catalog.TableDesc, dropping map[string]bool) map[*catalog.TableDesc][]string {
	out := make(map[*catalog.TableDesc][]string)
	for _, t := range all {
		if dropping[t.Key()] || t.Key() == desc.Key() {
			continue
		}
		for _, fk := range t.ForeignKeys {
			if fk.RefTable == desc.Key() {
				out[t] = append(out[t], fk.Name)
			}
		}
	}
	return out
}

// dropReferencingFKs removes from other tables the foreign keys that
// reference desc (DROP TABLE ... CASCADE), returning the notice lines.
func dropReferencingFKs(x *execCtx, deps map[*catalog.TableDesc][]string) ([]string, error) {
	tables := make([]*catalog.TableDesc, 0, len(deps))
	for t := range deps {
		tables = append(tables, t)
	}
	slices.SortFunc(tables, func(a, b *catalog.TableDesc) int { return int(a.ID) - int(b.ID) })
	var lines []string
	for _, t := range tables {
		_, tuple, err := x.s.e.cat.Lookup(x.snap, t.Key())
		if err != nil {
			return nil, err
		}
		updated := *t
		updated.ForeignKeys = slices.DeleteFunc(slices.Clone(t.ForeignKeys), func(f catalog.ForeignKeyDesc) bool {
			return slices.Contains(deps[t], f.Name)
		})
		if err := replaceTableDesc(x, tuple, &updated); err != nil {
			return nil, err
		}
		for _, name := range deps[t] {
			lines = append(lines, "constraint "+name+" on table "+t.Name)
		}
	}
	return lines, nil
}

// dropIndexReferences refuses to drop the unique index named by index
// while a foreign key finds its referenced rows by it and no other key of
// the table would do (2BP01); with CASCADE it drops those foreign keys,
// with PostgreSQL's notice.
func dropIndexReferences(x *execCtx, index *catalog.TableDesc, cascade bool) ([]Notice, error) {
	table, _, err := x.s.e.cat.Lookup(x.snap, index.IndexOf)
	if err != nil || table == nil {
		return nil, err
	}
	without := *table
	without.Indexes = slices.DeleteFunc(slices.Clone(table.Indexes), func(ix catalog.IndexDesc) bool { return ix.Name == index.Name })
	all, err := x.s.e.cat.All(x.snap)
	if err != nil {
		return nil, err
	}
	deps := make(map[*catalog.TableDesc][]string)
	var lines []string
	for _, t := range all {
		for _, fk := range t.ForeignKeys {
			if fk.RefTable != table.Key() {
				continue
			}
			if _, ok := findReferenced(&without, fk.RefColumns); ok {
				continue
			}
			deps[t] = append(deps[t], fk.Name)
			lines = append(lines, "constraint "+fk.Name+" on table "+t.Name+" depends on index "+index.Name)
		}
	}
	if len(lines) == 0 {
		return nil, nil
	}
	if !cascade {
		return nil, pgerr.New(pgerr.DependentObjectsStillExist, "cannot drop index %s because other objects depend on it", index.Name).
			WithDetail(strings.Join(lines, "\n")).
			WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
	}
	dropped, err := dropReferencingFKs(x, deps)
	if err != nil {
		return nil, err
	}
	if len(dropped) == 1 {
		return []Notice{{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion, Message: "drop cascades to " + dropped[0]}}, nil
	}
	for i := range dropped {
		dropped[i] = "drop cascades to " + dropped[i]
	}
	return []Notice{{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion, Message: "drop cascades to " + itoa(len(dropped)) + " other objects",
		Detail: strings.Join(dropped, "\n")}}, nil
}
