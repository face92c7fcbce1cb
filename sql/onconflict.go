package sql

import (
	"bytes"
	"errors"
	"slices"
	"strconv"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// INSERT ... ON CONFLICT. The arbiters are the unique constraints the
// target names: the primary key or the unique indexes whose columns are
// the (columns) given, or the constraint ON CONSTRAINT names; DO NOTHING
// without a target takes every unique constraint of the table. An
// expression index is inferred from the same expressions, a partial
// unique index only when the target's WHERE implies its predicate
// (impliesPredicate), as PostgreSQL's infer_arbiter_indexes does.
//
// Each row is inserted. When an arbiter's key is taken (the uniqueness
// checks wait for a transaction that holds the key and has not ended, so
// the outcome is settled), the row's version is taken back if it was
// written (a unique index's conflict shows only after the row), and DO
// NOTHING skips the row while DO UPDATE updates the row holding the key:
// its newest committed version, even one the statement's snapshot does not
// see under READ COMMITTED, as PostgreSQL does; under REPEATABLE READ and
// SERIALIZABLE such a row is a serialization failure (40001). SET and
// WHERE see the existing row under the table's name and the proposed one
// as EXCLUDED. A row replaced or deleted by a concurrent transaction in the
// meantime makes the row start over with its insert, so two concurrent
// upserts of one key never fail with 23505. A conflict with a row the
// statement itself inserted or updated fails DO UPDATE with 21000, as in
// PostgreSQL. A conflict on a unique constraint that is not an arbiter is
// the usual 23505.
//
// A table with inheritance children arbitrates on its own rows and
// indexes, as its unique indexes cover no child. A partitioned table's
// rows are resolved in the leaf partitions they are routed to
// (onconflict_part.go). The arbiters are inferred after SET and WHERE are
// bound, so that their errors come first, as PostgreSQL infers them only
// when it plans the statement.

type onConflictPlan struct {
	// pk and indexes are the arbiters: a conflict on the primary key, or
	// on one of these unique indexes, is resolved; any other is an error.
	pk      bool
	indexes map[uint32]*catalog.IndexDesc
	// self is where a row of a table that is not partitioned goes;
	// leaves, for a partitioned table, where a row routed to each leaf
	// partition goes (by the leaf's ID), with that leaf's own indexes
	// that are partitions of the arbiters (onconflict_part.go).
	self     *arbiterTarget
	leaves   map[uint32]*arbiterTarget
	doUpdate bool
	// set[i] computes column i from the existing row followed by the
	// proposed one; nil keeps the existing value.
	set []expr
	// multi are the subqueries of (a, b) = (SELECT ...) clauses.
	multi []multiSet
	// keyMoves says SET assigns a primary key column.
	keyMoves bool
	where    expr
}

func (b *binder) bindOnConflict(s *ast.InsertStmt, desc *catalog.TableDesc, w *tableWriter) (*onConflictPlan, error) {
	oc := s.OnConflict
	pkCols := make([]string, len(desc.PK))
	for i, c := range desc.PK {
		pkCols[i] = desc.Columns[c].Name
	}
	sameSet := func(a, b []string) bool {
		a, b = slices.Clone(a), slices.Clone(b)
		slices.Sort(a)
		slices.Sort(b)
		return slices.Equal(slices.Compact(a), b)
	}
	p := &onConflictPlan{doUpdate: oc.DoUpdate, indexes: make(map[uint32]*catalog.IndexDesc)}
	// A partitioned table's index is an arbiter only when each of its
	// partitions has its partition (PostgreSQL's indisvalid).
	var router *router
	if w != nil {
		router = w.route
	}
	var unique []*catalog.IndexDesc
	for i := range desc.Indexes {
		if desc.Indexes[i].Unique && (router == nil || b.partitionedIndexValid(router, b.indexSig(desc, &desc.Indexes[i]))) {
			unique = append(unique, &desc.Indexes[i])
		}
	}
	pkValid := len(desc.PK) > 0 && (router == nil || b.partitionedIndexValid(router, pkSig(desc)))
	// An index's keys as inference elements: column names, and
	// expressions as "(" text ")" (which no column name starts with).
	indexCols := func(ix *catalog.IndexDesc) []string {
		cols := make([]string, len(ix.Columns))
		for i, c := range ix.Columns {
			if e := ix.KeyExpr(i); e != "" {
				cols[i] = "(" + b.canonText(desc, e) + ")"
			} else {
				cols[i] = desc.Columns[c].Name
			}
		}
		return cols
	}
	noMatch := false
	switch {
	case oc.Constraint != "":
		if pkValid && oc.Constraint == desc.PKConstraintName() {
			p.pk = true
			break
		}
		for _, ix := range unique {
			if ix.Name == oc.Constraint {
				p.indexes[ix.ID] = ix
			}
		}
		if len(p.indexes) == 0 {
			return nil, pgerr.New(pgerr.UndefinedObject, "constraint \"%s\" for table \"%s\" does not exist", oc.Constraint, desc.Name)
		}
	case oc.Columns != nil || oc.Exprs != nil:
		for _, c := range oc.Columns {
			if desc.ColumnIndex(c) < 0 {
				return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" does not exist", c).WithPosition(oc.ColumnsPos)
			}
		}
		elems := slices.Clone(oc.Columns)
		for _, e := range oc.Exprs {
			if err := b.checkInferenceExpr(desc, e); err != nil {
				return nil, err
			}
			elems = append(elems, "("+b.canonText(desc, e)+")")
		}
		p.pk = pkValid && oc.Exprs == nil && sameSet(oc.Columns, pkCols)
		for _, ix := range unique {
			if ix.Exclusion || !sameSet(elems, indexCols(ix)) {
				continue // an exclusion constraint is named, never inferred
			}
			// A partial index is an arbiter when the inference WHERE
			// implies its predicate, as PostgreSQL infers it.
			if ix.Predicate != "" {
				ok, err := b.impliesPredicate(desc, splitAnd(oc.InferWhere), ix.Predicate)
				if err != nil {
					return nil, err
				}
				if !ok {
					continue
				}
			}
			p.indexes[ix.ID] = ix
		}
		// PostgreSQL infers the arbiters when it plans the statement,
		// after SET and WHERE are bound: their errors come first.
		noMatch = !p.pk && len(p.indexes) == 0
	case oc.DoUpdate:
		return nil, pgerr.New(pgerr.SyntaxError, "ON CONFLICT DO UPDATE requires inference specification or constraint name").
			WithHint("For example, ON CONFLICT (column_name).").WithPosition(oc.Pos)
	default:
		// DO NOTHING without a target: any unique constraint.
		p.pk = pkValid
		for _, ix := range unique {
			p.indexes[ix.ID] = ix
		}
	}
	if oc.DoUpdate {
		if err := b.bindConflictUpdate(p, s, desc); err != nil {
			return nil, err
		}
		w.trig.setUpdated(p.set)
	}
	if noMatch {
		return nil, pgerr.New(pgerr.InvalidColumnReference, "there is no unique or exclusion constraint matching the ON CONFLICT specification")
	}
	for _, ix := range p.indexes {
		if ix.Exclusion && oc.DoUpdate {
			return nil, pgerr.New(pgerr.WrongObjectType, "ON CONFLICT DO UPDATE not supported with exclusion constraints")
		}
	}
	for _, ix := range p.indexes {
		if ix.Deferrable {
			return nil, pgerr.New(pgerr.ObjectNotInPrerequisiteState, "ON CONFLICT does not support deferrable unique constraints/exclusion constraints as arbiters").
				WithObject(desc.SchemaName(), desc.Name, "", ix.Name)
		}
	}
	if router == nil {
		p.self = &arbiterTarget{w: w, pk: p.pk, indexes: p.indexes}
	} else {
		p.leaves = make(map[uint32]*arbiterTarget)
		if err := b.leafArbiters(p, desc, router, oc.Constraint == "" && oc.Columns == nil && oc.Exprs == nil, nil); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// bindConflictUpdate binds DO UPDATE's SET and WHERE over the existing
// row followed by the proposed one (EXCLUDED).
func (b *binder) bindConflictUpdate(p *onConflictPlan, s *ast.InsertStmt, desc *catalog.TableDesc) error {
	oc := s.OnConflict
	sc := tableScope(desc, s.Table)
	for _, c := range desc.Columns {
		sc.cols = append(sc.cols, scopeCol{table: "excluded", name: c.Name, t: c.Type})
	}
	var err error
	if p.set, p.multi, err = b.bindSetMulti(desc, oc.Set, sc, 0); err != nil {
		return err
	}
	for _, k := range desc.PK {
		p.keyMoves = p.keyMoves || p.set[k] != nil
	}
	p.where, err = b.bindWhere(oc.Where, sc)
	return err
}

// arbiterTarget is the table a proposed row is written to, with its
// arbiters: the statement's table, or the leaf partition a row of a
// partitioned table is routed to.
type arbiterTarget struct {
	w       *tableWriter
	pk      bool
	indexes map[uint32]*catalog.IndexDesc
	// cols[j] is the statement table's column for w's column j; nil
	// when w writes the statement's table.
	cols []int
	// width is the number of the statement table's columns.
	width int
}

// toTarget lays out a row of the statement's table as a row of t's.
func (t *arbiterTarget) toTarget(row []types.Datum) []types.Datum {
	if t.cols == nil {
		return row
	}
	out := make([]types.Datum, len(t.cols))
	for j, c := range t.cols {
		if c >= 0 {
			out[j] = row[c]
		}
	}
	return out
}

// fromTarget lays out a row of t's table as a row of the statement's.
func (t *arbiterTarget) fromTarget(row []types.Datum) []types.Datum {
	if t.cols == nil {
		return row
	}
	out := make([]types.Datum, t.width)
	for j, c := range t.cols {
		if c >= 0 {
			out[c] = row[j]
		}
	}
	return out
}

// conflict resolves a proposed row (laid out as t's table's) whose key
// is taken (named as in written, see arbiterKeys): find returns the row
// holding it as a snapshot sees it. It returns the row written, as a row
// of the statement's table (nil when none: DO NOTHING, or WHERE false),
// and retry when the row must start over with its insert. written holds
// the keys of the rows this statement inserted or updated.
func (p *insertPlan) conflict(x *execCtx, ec *evalCtx, t *arbiterTarget, taken string, find func(txn.Snapshot) (heap.Tuple, bool, error), proposed []types.Datum, written map[string]bool, runs insertRuns) (row []types.Datum, retry bool, err error) {
	oc := p.onConflict
	if !oc.doUpdate {
		return nil, false, nil
	}
	if written[taken] {
		return nil, false, pgerr.New(pgerr.CardinalityViolation, "ON CONFLICT DO UPDATE command cannot affect row a second time").
			WithHint("Ensure that no rows proposed for insertion within the same command have duplicate constrained values.")
	}
	existing, found, err := find(x.s.e.tm.Snapshot(x.tx, x.snap.CID))
	if err != nil {
		return nil, false, err
	}
	if !found {
		return nil, true, nil // gone since the insert saw it: insert again
	}
	key := heap.RowKey(existing.ID)
	h := x.s.e.heap
	w := t.w
	if x.s.isolation != ReadCommitted {
		visible := false
		if err := h.ScanKey(x.snap, w.table.StorageID(), key, func(v heap.Tuple) error {
			visible = slices.Equal(v.ID, existing.ID)
			return nil
		}); err != nil {
			return nil, false, err
		}
		if !visible {
			return nil, false, pgerr.New(pgerr.SerializationFailure, "could not serialize access due to concurrent update")
		}
	}
	old, err := types.DecodeRow(existing.Data)
	if err != nil {
		return nil, false, err
	}
	// SET and WHERE read the rows as rows of the statement's table.
	stmtOld := t.fromTarget(old)
	both := append(slices.Clone(stmtOld), t.fromTarget(proposed)...)
	if oc.where != nil {
		v, err := oc.where.Eval(ec, both)
		if err != nil || v != true {
			return nil, false, err
		}
	}
	if p.rls != nil {
		if err := p.rls.check(ec, p.rls.conflict, stmtOld); err != nil {
			return nil, false, err
		}
	}
	in, err := evalMulti(ec, oc.multi, both)
	if err != nil {
		return nil, false, err
	}
	stmtRow, err := newRow(ec, oc.set, stmtOld, in)
	if err != nil {
		return nil, false, err
	}
	if runs.upd != nil {
		// The table has triggers, so it is not partitioned: the
		// statement's rows are the target's.
		if stmtRow, err = runs.upd.beforeRow(stmtOld, stmtRow); err != nil || stmtRow == nil {
			return nil, false, err
		}
	}
	if p.rls != nil {
		if err := p.generate(ec, stmtRow); err != nil {
			return nil, false, err
		}
		if err := p.rls.check(ec, p.rls.conflictNew, stmtRow); err != nil {
			return nil, false, err
		}
	}
	if !p.staysIn(stmtRow, w) {
		return nil, false, pgerr.New(pgerr.FeatureNotSupported, "invalid ON UPDATE specification").
			WithDetail("The result tuple would appear in a different partition than the original tuple.")
	}
	row = t.toTarget(stmtRow)
	if err := w.check(ec, row); err != nil {
		return nil, false, err
	}
	newKey := key
	if oc.keyMoves {
		newKey = w.key(row)
	}
	if x.modifiedBefore(w.table.ID, existing.ID) {
		// Another part of the statement (a data-modifying WITH query,
		// run while SET was computed) updated the row first: it wins,
		// and this update is skipped, as PostgreSQL skips a
		// self-modified row.
		return nil, false, nil
	}
	if err := h.Update(x.op(), w.table.StorageID(), existing.ID, newKey, types.EncodeRow(row)); err != nil {
		if x.s.isolation == ReadCommitted && (errors.Is(err, heap.ErrConcurrentUpdate) || errors.Is(err, heap.ErrConcurrentDelete)) {
			return nil, true, nil
		}
		return nil, false, w.duplicate(err, row)
	}
	if err := w.writeIndexes(x, newKey, row, old, key); err != nil {
		return nil, false, err
	}
	if err := w.queueUpdate(x, key, newKey, old, row); err != nil {
		return nil, false, err
	}
	if err := t.markWritten(x, written, newKey, row); err != nil {
		return nil, false, err
	}
	x.markModified(w.table.ID, existing.ID)
	if err := runs.upd.afterRow(old, row); err != nil {
		return nil, false, err
	}
	return t.fromTarget(row), false, nil
}

// markWritten records the arbiter keys of a row the statement inserted or
// updated: a later proposed row that conflicts on one of them would make
// DO UPDATE touch that row a second time.
func (t *arbiterTarget) markWritten(x *execCtx, written map[string]bool, pk []byte, row []types.Datum) error {
	written[pkTaken(t.w.table, pk)] = true
	for _, ix := range t.indexes {
		k, in, err := t.w.keys.entry(x, ix, row)
		if err != nil {
			return err
		}
		if in {
			written[indexTaken(ix, k)] = true
		}
	}
	return nil
}

// pkTaken names primary key pk of table in written.
func pkTaken(table *catalog.TableDesc, pk []byte) string {
	return "p" + strconv.FormatUint(uint64(table.ID), 10) + ":" + string(pk)
}

// indexTaken names key of index ix in written.
func indexTaken(ix *catalog.IndexDesc, key []byte) string {
	return "i" + strconv.FormatUint(uint64(ix.ID), 10) + ":" + string(key)
}

// upsert inserts row, or resolves its conflict on an arbiter as ON
// CONFLICT says; it returns the row inserted or updated, or nil.
func (p *insertPlan) upsert(x *execCtx, ec *evalCtx, row []types.Datum, written map[string]bool, runs insertRuns) ([]types.Datum, error) {
	t := p.onConflict.self
	if p.route != nil {
		var err error
		if t, err = p.routeUpsert(x, row); err != nil {
			return nil, err
		}
		row = t.toTarget(row)
		// The proposed row is checked first, whether it goes in or
		// meets a conflict, as in PostgreSQL.
		if err := t.w.check(ec, row); err != nil {
			return nil, err
		}
	}
	w := t.w
	h := x.s.e.heap
	key := w.key(row)
	for {
		if err := ec.tick(); err != nil {
			return nil, err
		}
		var find func(txn.Snapshot) (heap.Tuple, bool, error)
		var taken string
		id, err := h.InsertVersion(x.op(), w.table.StorageID(), key, types.EncodeRow(row))
		switch {
		case err != nil && (key == nil || pgerr.Code(err) != pgerr.UniqueViolation || !t.pk):
			return nil, w.duplicate(err, row)
		case err != nil:
			taken = pkTaken(w.table, key)
			find = func(snap txn.Snapshot) (v heap.Tuple, found bool, err error) {
				err = h.ScanKey(snap, w.table.StorageID(), key, func(tu heap.Tuple) error { v, found = tu, true; return nil })
				return v, found, err
			}
		default:
			pk := heap.RowKey(id)
			err := w.writeIndexesFirst(x, pk, row, nil, nil, t.indexes)
			if err == nil {
				if err := w.queueInsert(x, pk, row); err != nil {
					return nil, err
				}
				if err := t.markWritten(x, written, pk, row); err != nil {
					return nil, err
				}
				if err := runs.ins.afterRow(nil, row); err != nil {
					return nil, err
				}
				return t.fromTarget(row), nil
			}
			var uv *uniqueIndexViolation
			if !errors.As(err, &uv) || t.indexes[uv.index.ID] == nil {
				return nil, err
			}
			// The row loses to the one holding the index key: take it back.
			if err := h.Delete(x.op(), id); err != nil {
				return nil, err
			}
			taken, find = indexTaken(uv.index, uv.key), w.indexFinder(x, uv.index, uv.key)
		}
		out, retry, err := p.conflict(x, ec, t, taken, find, row, written, runs)
		if err != nil || !retry {
			return out, err
		}
	}
}

// indexFinder finds the row that holds key in unique index idx.
func (w *tableWriter) indexFinder(x *execCtx, idx *catalog.IndexDesc, key []byte) func(txn.Snapshot) (heap.Tuple, bool, error) {
	return func(snap txn.Snapshot) (heap.Tuple, bool, error) {
		var t heap.Tuple
		found := false
		err := x.s.e.heap.ScanIndex(snap, w.table.StorageID(), idx.ID, key, keyEnd(key), func(v heap.Tuple) error {
			if found {
				return nil
			}
			r, err := types.DecodeRow(v.Data)
			if err != nil {
				return err
			}
			k, in, err := w.keys.entry(x, idx, r)
			if err != nil {
				return err
			}
			if in && bytes.Equal(k, key) {
				t, found = v, true
			}
			return nil
		})
		return t, found, err
	}
}
