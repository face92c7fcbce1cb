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

type onConflictPlan struct {
	// pk and indexes are the arbiters: a conflict on the primary key, or
	// on one of these unique indexes, is resolved; any other is an error.
	pk       bool
	indexes  map[uint32]*catalog.IndexDesc
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

func (b *binder) bindOnConflict(s *ast.InsertStmt, desc *catalog.TableDesc) (*onConflictPlan, error) {
	if len(desc.Children) > 0 {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "INSERT ... ON CONFLICT into a table with inheritance children or partitions is not supported")
	}
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
	var unique []*catalog.IndexDesc
	for i := range desc.Indexes {
		if desc.Indexes[i].Unique {
			unique = append(unique, &desc.Indexes[i])
		}
	}
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
	switch {
	case oc.Constraint != "":
		if len(desc.PK) > 0 && oc.Constraint == desc.PKConstraintName() {
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
		p.pk = len(desc.PK) > 0 && oc.Exprs == nil && sameSet(oc.Columns, pkCols)
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
		if !p.pk && len(p.indexes) == 0 {
			return nil, pgerr.New(pgerr.InvalidColumnReference, "there is no unique or exclusion constraint matching the ON CONFLICT specification")
		}
	case oc.DoUpdate:
		return nil, pgerr.New(pgerr.SyntaxError, "ON CONFLICT DO UPDATE requires inference specification or constraint name").
			WithHint("For example, ON CONFLICT (column_name).").WithPosition(oc.Pos)
	default:
		// DO NOTHING without a target: any unique constraint.
		p.pk = len(desc.PK) > 0
		for _, ix := range unique {
			p.indexes[ix.ID] = ix
		}
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
	if !oc.DoUpdate {
		return p, nil
	}
	sc := tableScope(desc, s.Table)
	for _, c := range desc.Columns {
		sc.cols = append(sc.cols, scopeCol{table: "excluded", name: c.Name, t: c.Type})
	}
	var err error
	if p.set, p.multi, err = b.bindSetMulti(desc, oc.Set, sc, 0); err != nil {
		return nil, err
	}
	for _, k := range desc.PK {
		p.keyMoves = p.keyMoves || p.set[k] != nil
	}
	if p.where, err = b.bindWhere(oc.Where, sc); err != nil {
		return nil, err
	}
	return p, nil
}

// conflict resolves a proposed row whose key is taken (named as in
// written, see arbiterKeys): find returns the row holding it as a
// snapshot sees it. It returns the row written (nil
// when none: DO NOTHING, or WHERE false) and retry when the row must start
// over with its insert. written holds the keys of the rows this statement
// inserted or updated.
func (p *insertPlan) conflict(x *execCtx, ec *evalCtx, taken string, find func(txn.Snapshot) (heap.Tuple, bool, error), proposed []types.Datum, written map[string]bool) (row []types.Datum, retry bool, err error) {
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
	if x.s.isolation != ReadCommitted {
		visible := false
		if err := h.ScanKey(x.snap, p.table.StorageID(), key, func(t heap.Tuple) error {
			visible = slices.Equal(t.ID, existing.ID)
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
	both := append(slices.Clone(old), proposed...)
	if oc.where != nil {
		v, err := oc.where.Eval(ec, both)
		if err != nil || v != true {
			return nil, false, err
		}
	}
	if p.rls != nil {
		if err := p.rls.check(ec, p.rls.conflict, old); err != nil {
			return nil, false, err
		}
	}
	in, err := evalMulti(ec, oc.multi, both)
	if err != nil {
		return nil, false, err
	}
	if row, err = newRow(ec, oc.set, old, in); err != nil {
		return nil, false, err
	}
	if p.rls != nil {
		if err := p.generate(ec, row); err != nil {
			return nil, false, err
		}
		if err := p.rls.check(ec, p.rls.conflictNew, row); err != nil {
			return nil, false, err
		}
	}
	if err := p.check(ec, row); err != nil {
		return nil, false, err
	}
	newKey := key
	if oc.keyMoves {
		newKey = p.key(row)
	}
	if err := h.Update(x.op(), p.table.StorageID(), existing.ID, newKey, types.EncodeRow(row)); err != nil {
		if x.s.isolation == ReadCommitted && (errors.Is(err, heap.ErrConcurrentUpdate) || errors.Is(err, heap.ErrConcurrentDelete)) {
			return nil, true, nil
		}
		return nil, false, p.duplicate(err, row)
	}
	if err := p.writeIndexes(x, newKey, row, old, key); err != nil {
		return nil, false, err
	}
	if err := p.queueUpdate(x, key, newKey, old, row); err != nil {
		return nil, false, err
	}
	if err := p.markWritten(x, written, newKey, row); err != nil {
		return nil, false, err
	}
	return row, false, nil
}

// markWritten records the arbiter keys of a row the statement inserted or
// updated: a later proposed row that conflicts on one of them would make
// DO UPDATE touch that row a second time.
func (p *insertPlan) markWritten(x *execCtx, written map[string]bool, pk []byte, row []types.Datum) error {
	written["p"+string(pk)] = true
	for _, ix := range p.onConflict.indexes {
		k, in, err := p.keys.entry(x, ix, row)
		if err != nil {
			return err
		}
		if in {
			written[indexTaken(ix, k)] = true
		}
	}
	return nil
}

// indexTaken names key of index ix in written.
func indexTaken(ix *catalog.IndexDesc, key []byte) string {
	return "i" + strconv.FormatUint(uint64(ix.ID), 10) + ":" + string(key)
}

// upsert inserts row, or resolves its conflict on an arbiter as ON
// CONFLICT says; it returns the row inserted or updated, or nil.
func (p *insertPlan) upsert(x *execCtx, ec *evalCtx, row []types.Datum, written map[string]bool) ([]types.Datum, error) {
	h := x.s.e.heap
	key := p.key(row)
	for {
		if err := ec.tick(); err != nil {
			return nil, err
		}
		var find func(txn.Snapshot) (heap.Tuple, bool, error)
		var taken string
		id, err := h.InsertVersion(x.op(), p.table.StorageID(), key, types.EncodeRow(row))
		switch {
		case err != nil && (key == nil || pgerr.Code(err) != pgerr.UniqueViolation || !p.onConflict.pk):
			return nil, p.duplicate(err, row)
		case err != nil:
			taken = "p" + string(key)
			find = func(snap txn.Snapshot) (t heap.Tuple, found bool, err error) {
				err = h.ScanKey(snap, p.table.StorageID(), key, func(v heap.Tuple) error { t, found = v, true; return nil })
				return t, found, err
			}
		default:
			pk := heap.RowKey(id)
			err := p.writeIndexesFirst(x, pk, row, nil, nil, p.onConflict.indexes)
			if err == nil {
				if err := p.queueInsert(x, pk, row); err != nil {
					return nil, err
				}
				if err := p.markWritten(x, written, pk, row); err != nil {
					return nil, err
				}
				return row, nil
			}
			var uv *uniqueIndexViolation
			if !errors.As(err, &uv) || p.onConflict.indexes[uv.index.ID] == nil {
				return nil, err
			}
			// The row loses to the one holding the index key: take it back.
			if err := h.Delete(x.op(), id); err != nil {
				return nil, err
			}
			taken, find = indexTaken(uv.index, uv.key), p.indexFinder(x, uv.index, uv.key)
		}
		out, retry, err := p.conflict(x, ec, taken, find, row, written)
		if err != nil || !retry {
			return out, err
		}
	}
}

// indexFinder finds the row that holds key in unique index idx.
func (p *insertPlan) indexFinder(x *execCtx, idx *catalog.IndexDesc, key []byte) func(txn.Snapshot) (heap.Tuple, bool, error) {
	return func(snap txn.Snapshot) (heap.Tuple, bool, error) {
		var t heap.Tuple
		found := false
		err := x.s.e.heap.ScanIndex(snap, p.table.StorageID(), idx.ID, key, keyEnd(key), func(v heap.Tuple) error {
			if found {
				return nil
			}
			r, err := types.DecodeRow(v.Data)
			if err != nil {
				return err
			}
			k, in, err := p.keys.entry(x, idx, r)
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
