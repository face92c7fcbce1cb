package sql

import (
	"errors"
	"slices"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// INSERT ... ON CONFLICT. The conflict target cairn arbitrates on is the
// primary key: the columns of (columns) or the constraint ON CONSTRAINT
// names must be the table's primary key's, and DO NOTHING without a
// target stands for it too. A target that is another unique index, or
// DO NOTHING without a target on a table that has other unique indexes,
// is refused with 0A000 rather than half done.
//
// Each row is inserted; when the primary key is taken (the heap's
// uniqueness check waits for a transaction that holds the key and has not
// ended, so the outcome is settled), DO NOTHING skips the row and DO
// UPDATE updates the row holding the key: its newest committed version,
// even one the statement's snapshot does not see under READ COMMITTED, as
// PostgreSQL does; under REPEATABLE READ and SERIALIZABLE such a row is a
// serialization failure (40001). SET and WHERE see the existing row under
// the table's name and the proposed one as EXCLUDED. A row replaced or
// deleted by a concurrent transaction in the meantime makes the row start
// over with its insert, so two concurrent upserts of one key never fail
// with 23505. A statement that would update a row it inserted or updated
// itself fails with 21000, as in PostgreSQL.

type onConflictPlan struct {
	doUpdate bool
	// set[i] computes column i from the existing row followed by the
	// proposed one; nil keeps the existing value.
	set   []expr
	where expr
}

func (b *binder) bindOnConflict(s *ast.InsertStmt, desc *catalog.TableDesc) (*onConflictPlan, error) {
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
	otherUnique := false
	var uniqueSets [][]string
	for _, ix := range desc.Indexes {
		if !ix.Unique {
			continue
		}
		otherUnique = true
		cols := make([]string, len(ix.Columns))
		for i, c := range ix.Columns {
			cols[i] = desc.Columns[c].Name
		}
		uniqueSets = append(uniqueSets, cols)
		if oc.Constraint != "" && oc.Constraint == ix.Name {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "ON CONFLICT on a unique index other than the primary key is not supported").WithPosition(oc.Pos)
		}
	}
	switch {
	case oc.Constraint != "":
		if len(desc.PK) == 0 || oc.Constraint != desc.PKConstraintName() {
			return nil, pgerr.New(pgerr.UndefinedObject, "constraint \"%s\" for table \"%s\" does not exist", oc.Constraint, desc.Name)
		}
	case oc.Columns != nil:
		for _, c := range oc.Columns {
			if desc.ColumnIndex(c) < 0 {
				return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" does not exist", c).WithPosition(oc.ColumnsPos)
			}
		}
		if len(desc.PK) > 0 && sameSet(oc.Columns, pkCols) {
			break
		}
		for _, u := range uniqueSets {
			if sameSet(oc.Columns, u) {
				return nil, pgerr.New(pgerr.FeatureNotSupported, "ON CONFLICT on a unique index other than the primary key is not supported").WithPosition(oc.Pos)
			}
		}
		return nil, pgerr.New(pgerr.InvalidColumnReference, "there is no unique or exclusion constraint matching the ON CONFLICT specification")
	case oc.DoUpdate:
		return nil, pgerr.New(pgerr.SyntaxError, "ON CONFLICT DO UPDATE requires inference specification or constraint name").
			WithHint("For example, ON CONFLICT (column_name).").WithPosition(oc.Pos)
	case otherUnique:
		return nil, pgerr.New(pgerr.FeatureNotSupported, "ON CONFLICT DO NOTHING without a conflict target on a table with unique indexes other than the primary key is not supported").WithPosition(oc.Pos)
	}
	p := &onConflictPlan{doUpdate: oc.DoUpdate}
	if !oc.DoUpdate {
		return p, nil
	}
	sc := tableScope(desc, s.Table)
	for _, c := range desc.Columns {
		sc.cols = append(sc.cols, scopeCol{table: "excluded", name: c.Name, t: c.Type})
	}
	var err error
	if p.set, err = b.bindSet(desc, oc.Set, sc); err != nil {
		return nil, err
	}
	for _, k := range desc.PK {
		if p.set[k] != nil {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "ON CONFLICT DO UPDATE that changes the primary key is not supported").WithPosition(oc.Pos)
		}
	}
	if p.where, err = b.bindWhere(oc.Where, sc); err != nil {
		return nil, err
	}
	return p, nil
}

// conflict resolves a proposed row whose primary key is taken: it returns
// the row written (nil when none: DO NOTHING, or WHERE false) and retry
// when the row must start over with its insert. written holds the keys
// this statement inserted or updated.
func (p *insertPlan) conflict(x *execCtx, ec *evalCtx, key []byte, proposed []types.Datum, written map[string]bool) (row []types.Datum, retry bool, err error) {
	oc := p.onConflict
	if !oc.doUpdate {
		return nil, false, nil
	}
	if written[string(key)] {
		return nil, false, pgerr.New(pgerr.CardinalityViolation, "ON CONFLICT DO UPDATE command cannot affect row a second time").
			WithHint("Ensure that no rows proposed for insertion within the same command have duplicate constrained values.")
	}
	h := x.s.e.heap
	var existing heap.Tuple
	found := false
	fresh := x.s.e.tm.Snapshot(x.tx, x.snap.CID)
	if err := h.ScanKey(fresh, p.table.ID, key, func(t heap.Tuple) error { existing, found = t, true; return nil }); err != nil {
		return nil, false, err
	}
	if !found {
		return nil, true, nil // gone since the insert saw it: insert again
	}
	if x.s.isolation != ReadCommitted {
		visible := false
		if err := h.ScanKey(x.snap, p.table.ID, key, func(t heap.Tuple) error {
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
	row = slices.Clone(old)
	for i, e := range oc.set {
		if e == nil {
			continue
		}
		if row[i], err = e.Eval(ec, both); err != nil {
			return nil, false, err
		}
	}
	if err := p.check(row); err != nil {
		return nil, false, err
	}
	if err := h.Update(x.op(), p.table.ID, existing.ID, key, types.EncodeRow(row)); err != nil {
		if x.s.isolation == ReadCommitted && (errors.Is(err, heap.ErrConcurrentUpdate) || errors.Is(err, heap.ErrConcurrentDelete)) {
			return nil, true, nil
		}
		return nil, false, p.duplicate(err, row)
	}
	if err := p.writeIndexes(x, key, row, old, key); err != nil {
		return nil, false, err
	}
	return row, false, nil
}
