package sql

import (
	"slices"
	"strings"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
)

// ALTER TABLE forms that change a table's columns in place: several
// subcommands in one statement, DROP COLUMN, RENAME COLUMN and ALTER
// COLUMN ... TYPE. Each takes the table's ACCESS EXCLUSIVE lock, as in
// PostgreSQL. Where PostgreSQL keeps a dropped column's slot in every row
// (attisdropped), cairn rewrites the rows without it, so a table's
// columns are always numbered 1..n; the rewrite costs a pass over the
// table and leaves the old versions to vacuum.

// alterSubcommandsPlan runs the subcommands of one ALTER TABLE in order,
// each bound and run after the one before it, which it sees (the
// statement's command id advances between them).
type alterSubcommandsPlan struct{ stmt *ast.AlterTableStmt }

func (p *alterSubcommandsPlan) columns() []Column { return nil }

func (p *alterSubcommandsPlan) execute(x *execCtx, ec *evalCtx) (*Result, error) {
	res := &Result{Tag: p.stmt.Tag()}
	if p.stmt.IfExists {
		desc, _, err := x.s.lookupRel(x.snap, p.stmt.Table.Name)
		if err != nil {
			return nil, err
		}
		if desc == nil {
			res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion,
				Message: "relation \"" + p.stmt.Table.Name + "\" does not exist, skipping"})
			return res, nil
		}
	}
	for i, sub := range p.stmt.Subcommands {
		if i > 0 {
			x.snap.CID = x.s.cid
			x.s.cid++
		}
		b := &binder{s: x.s, snap: x.snap}
		bound, err := b.bindAlterTable(sub)
		if err != nil {
			return nil, err
		}
		r, err := bound.execute(x, ec)
		if err != nil {
			return nil, err
		}
		if r != nil {
			res.Notices = append(res.Notices, r.Notices...)
		}
	}
	return res, nil
}

// dropColumnPlan is ALTER TABLE ... DROP COLUMN. Indexes and constraints
// on the column go with it, as do the sequences it owns (serial,
// identity); views that use the column make it fail with 2BP01, or with
// CASCADE go too. Dropping a primary key column drops the primary key:
// the rows move to row ids.
type dropColumnPlan struct{ stmt *ast.AlterTableStmt }

func (p *dropColumnPlan) columns() []Column { return nil }

func (p *dropColumnPlan) execute(x *execCtx, ec *evalCtx) (*Result, error) {
	s := p.stmt
	dc := s.DropColumn
	table, tableTuple, res, err := lockAlterTarget(x, s)
	if table == nil {
		return res, err
	}
	col := table.ColumnIndex(dc.Name)
	if col < 0 && systemColumns[dc.Name] {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "cannot drop system column \"%s\"", dc.Name)
	}
	if col < 0 {
		if dc.MissingOk {
			res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion,
				Message: "column \"" + dc.Name + "\" of relation \"" + table.Name + "\" does not exist, skipping"})
			return res, nil
		}
		return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", dc.Name, table.Name)
	}
	updated := *table
	updated.Columns = slices.Delete(slices.Clone(table.Columns), col, col+1)
	shift := func(cols []int) []int {
		out := make([]int, len(cols))
		for i, c := range cols {
			out[i] = c
			if c > col {
				out[i] = c - 1
			}
		}
		return out
	}
	rekey := slices.Contains(table.PK, col)
	if rekey {
		updated.PK, updated.PKName = nil, ""
	} else {
		updated.PK = shift(table.PK)
	}
	var droppedIdx []catalog.IndexDesc
	updated.Indexes = nil
	for _, idx := range table.Indexes {
		if indexReadsColumn(table, &idx, col) {
			droppedIdx = append(droppedIdx, idx)
			continue
		}
		idx.Columns, idx.Include = shift(idx.Columns), shift(idx.Include)
		updated.Indexes = append(updated.Indexes, idx)
	}

	dropped, err := dropColumnConstraints(x, table, &updated, col, dc.Cascade)
	if err != nil {
		return nil, err
	}
	droppedPolicies, err := dropColumnPolicies(&binder{s: x.s, snap: x.snap}, &updated, dc.Name, dc.Cascade)
	if err != nil {
		return nil, err
	}
	dropped = append(dropped, droppedPolicies...)
	droppedTriggers, err := dropColumnTriggers(table, &updated, dc.Name, dc.Cascade)
	if err != nil {
		return nil, err
	}
	dropped = append(dropped, droppedTriggers...)
	for _, d := range dropped {
		res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion, Message: d})
	}
	rewritten, err := dropColumnInViews(x, table, &updated, col)
	if err != nil {
		return nil, err
	}
	notices, err := p.dropDependentViews(x, table, &updated, rewritten)
	if err != nil {
		return nil, err
	}
	res.Notices = append(res.Notices, notices...)
	if err := dropStatistics(x, table.ID, dc.Name); err != nil {
		return nil, err
	}
	if err := dropColumnSequences(x, table, dc.Name); err != nil {
		return nil, err
	}
	for _, idx := range droppedIdx {
		if err := dropIndexName(x, table, idx); err != nil {
			return nil, err
		}
	}
	rebuild := map[uint32]bool{}
	if rekey {
		// Every index names rows by their keys, which all change.
		for i := range updated.Indexes {
			rebuild[updated.Indexes[i].ID] = true
		}
	}
	if err := renumberIndexes(x, &updated, rebuild); err != nil {
		return nil, err
	}
	remove := func(row []types.Datum) ([]types.Datum, error) {
		return slices.Delete(slices.Clone(row), col, col+1), nil
	}
	if err := rewriteTable(x, table, &updated, remove, rekey, rebuild); err != nil {
		return nil, err
	}
	if err := replaceTableDesc(x, tableTuple, &updated); err != nil {
		return nil, err
	}
	if err := rowTypeChanged(x, table, &updated, []int{col}); err != nil {
		return nil, err
	}
	return res, nil
}

// dropDependentViews finds the views that use the column being dropped
// (those that no longer bind against updated) and refuses, or with
// CASCADE drops them.
func (p *dropColumnPlan) dropDependentViews(x *execCtx, table, updated *catalog.TableDesc, rewritten map[string]*catalog.TableDesc) ([]Notice, error) {
	dc := p.stmt.DropColumn
	views, err := viewsUsing(x, table, updated, rewritten)
	if err != nil || len(views) == 0 {
		return nil, err
	}
	var lines []string
	if !dc.Cascade {
		for _, v := range views {
			lines = append(lines, "view "+v.Name+" depends on column "+dc.Name+" of table "+table.Name)
		}
		return nil, pgerr.New(pgerr.DependentObjectsStillExist, "cannot drop column %s of table %s because other objects depend on it", dc.Name, table.Name).
			WithDetail(strings.Join(lines, "\n")).
			WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
	}
	for _, v := range views {
		_, id, err := x.s.e.cat.Lookup(x.snap, v.Key())
		if err != nil {
			return nil, err
		}
		if err := x.s.e.cat.Drop(x.op(), id); err != nil {
			return nil, err
		}
		lines = append(lines, "drop cascades to view "+v.Name)
	}
	if len(lines) == 1 {
		return []Notice{{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion, Message: lines[0]}}, nil
	}
	return []Notice{{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion, Message: "drop cascades to " + itoa(len(lines)) + " other objects",
		Detail: strings.Join(lines, "\n")}}, nil
}

// viewsUsing returns the views on table (directly or through other views)
// that do not bind when table is replaced by updated: those that use what
// updated lacks or has changed. cairn keeps a view as its query text, so
// binding it is how its use of a column shows. rewritten holds the views
// the statement has rewritten already (which its snapshot does not see).
func viewsUsing(x *execCtx, table, updated *catalog.TableDesc, rewritten map[string]*catalog.TableDesc) ([]*catalog.TableDesc, error) {
	all, err := x.s.e.cat.All(x.snap)
	if err != nil {
		return nil, err
	}
	deps := catalog.Dependents(all, table, nil, x.s.e.parseStored)
	var out []*catalog.TableDesc
	for _, d := range deps {
		if slices.Contains(out, d.View) {
			continue
		}
		overrides := map[string]*catalog.TableDesc{table.Key(): updated}
		view := d.View
		for k, v := range rewritten {
			overrides[k] = v
			if k == view.Key() {
				view = v
			}
		}
		b := &binder{s: x.s, snap: x.snap, overrides: overrides}
		b.skipRowSecurity()
		if _, _, err := b.bindViewRef(view, &ast.TableRef{Name: view.Name}); err != nil {
			if pgerr.Code(err) == pgerr.DataCorrupted {
				return nil, err
			}
			out = append(out, d.View)
		}
	}
	return out, nil
}

// dropColumnSequences drops the sequences a column owns: its identity's,
// its serial's, or any OWNED BY it.
func dropColumnSequences(x *execCtx, table *catalog.TableDesc, column string) error {
	e := x.s.e
	all, err := e.cat.All(x.snap)
	if err != nil {
		return err
	}
	for _, d := range all {
		if d.Sequence == nil || d.Sequence.OwnedBy != table.Key() || d.Sequence.OwnedCol != column {
			continue
		}
		_, id, err := e.cat.Lookup(x.snap, d.Key())
		if err != nil {
			return err
		}
		if err := e.cat.Drop(x.op(), id); err != nil {
			return err
		}
		x.s.droppedSeqs = append(x.s.droppedSeqs, d.ID)
	}
	return nil
}

// dropIndexName removes the catalog name entry of one of table's indexes.
func dropIndexName(x *execCtx, table *catalog.TableDesc, idx catalog.IndexDesc) error {
	desc, id, err := x.s.e.cat.Lookup(x.snap, catalog.Key(table.Schema, idx.Name))
	if err != nil {
		return err
	}
	if desc == nil || desc.ID != idx.ID {
		return pgerr.New(pgerr.DataCorrupted, "index \"%s\" of table \"%s\" is missing from the catalog", idx.Name, table.Name)
	}
	return x.s.e.cat.Drop(x.op(), id)
}

// renumberIndexes gives each index of updated named in rebuild a new id
// (and its catalog name entry with it), so that the rewrite builds it
// afresh instead of adding to entries written for the old rows. rebuild
// maps old ids; on return it holds the new ones.
func renumberIndexes(x *execCtx, updated *catalog.TableDesc, rebuild map[uint32]bool) error {
	if len(rebuild) == 0 {
		return nil
	}
	e := x.s.e
	updated.Indexes = slices.Clone(updated.Indexes)
	renumbered := make(map[uint32]bool, len(rebuild))
	for i := range updated.Indexes {
		idx := &updated.Indexes[i]
		if !rebuild[idx.ID] {
			continue
		}
		if err := dropIndexName(x, updated, *idx); err != nil {
			return err
		}
		id, err := e.tm.NextOID()
		if err != nil {
			return err
		}
		idx.ID, idx.Storage = id, 0
		if err := e.cat.Create(x.op(), &catalog.TableDesc{ID: id, Name: idx.Name, IndexOf: updated.Key(), Schema: updated.Schema}); err != nil {
			return err
		}
		renumbered[id] = true
	}
	clear(rebuild)
	for id := range renumbered {
		rebuild[id] = true
	}
	return nil
}

// rewriteTable gives every row of table the statement sees a new version,
// transform(row), laid out as updated's columns. With rekey the rows move
// to updated's primary key (or to row ids when it has none); the indexes
// of updated named in rebuild (by id) get an entry for every row. Keys
// new to a unique index or the primary key are checked among the rows,
// NOT NULL columns against the new values.
func rewriteTable(x *execCtx, table, updated *catalog.TableDesc, transform func([]types.Datum) ([]types.Datum, error), rekey bool, rebuild map[uint32]bool) error {
	h := x.s.e.heap
	op := x.op()
	op.Snap.Serializable = false // DDL takes no part in SSI
	type version struct {
		id  heap.TupleID
		row []types.Datum
	}
	var rows []version
	err := h.Scan(op.Snap, table.StorageID(), func(t heap.Tuple) error {
		if x.ctx.Err() != nil {
			return pgerr.FromContext(x.ctx)
		}
		row, err := types.DecodeRow(t.Data)
		if err != nil {
			return err
		}
		if len(row) != len(table.Columns) {
			return pgerr.New(pgerr.DataCorrupted, "row of table %s has %d columns, want %d", table.Name, len(row), len(table.Columns))
		}
		rows = append(rows, version{id: t.ID, row: row})
		return nil
	})
	if err != nil {
		return err
	}
	keys := newIndexKeys(updated)
	w := &tableWriter{table: updated, keys: keys}
	seenPK := make(map[string]bool)
	seen := make(map[uint32]map[string]bool)
	var moves []heap.Move
	type entry struct {
		id   heap.TupleID // the version whose key the entry names, before a move
		key  []byte       // the row's key when known
		row  []types.Datum
		move int // index into moves, or -1
	}
	entries := make([]entry, 0, len(rows))
	for _, r := range rows {
		if x.ctx.Err() != nil {
			return pgerr.FromContext(x.ctx)
		}
		nr, err := transform(r.row)
		if err != nil {
			return err
		}
		for i, c := range updated.Columns {
			if c.NotNull && nr[i] == nil {
				return pgerr.New(pgerr.NotNullViolation, "column \"%s\" of relation \"%s\" contains null values", c.Name, updated.Name).
					WithObject(updated.SchemaName(), updated.Name, c.Name, "")
			}
		}
		data := types.EncodeRow(nr)
		ent := entry{id: r.id, row: nr, move: -1}
		switch {
		case rekey && len(updated.PK) > 0:
			key := w.key(nr)
			if seenPK[string(key)] {
				return pgerr.New(pgerr.UniqueViolation, "could not create unique index \"%s\"", updated.PKName).
					WithDetail("Key "+keyValues(updated, nr)+" is duplicated.").
					WithObject(updated.SchemaName(), updated.Name, "", updated.PKName)
			}
			seenPK[string(key)] = true
			ent.key, ent.move = key, len(moves)
			moves = append(moves, heap.Move{ID: r.id, PK: key, Data: data})
		case rekey:
			if err := h.Delete(op, r.id); err != nil {
				return err
			}
			if ent.key, err = h.InsertRow(op, table.StorageID(), nil, data); err != nil {
				return err
			}
		default:
			ent.key = heap.RowKey(r.id)
			if err := h.Update(op, table.StorageID(), r.id, nil, data); err != nil {
				return err
			}
		}
		for i := range updated.Indexes {
			idx := &updated.Indexes[i]
			if !rebuild[idx.ID] || !idx.Unique {
				continue
			}
			vals, in, err := keys.values(x, idx, nr)
			if err != nil {
				return err
			}
			if !in || keyHasNull(idx, vals) {
				continue
			}
			if seen[idx.ID] == nil {
				seen[idx.ID] = make(map[string]bool)
			}
			k := types.EncodeKey(vals)
			if seen[idx.ID][string(k)] {
				return pgerr.New(pgerr.UniqueViolation, "could not create unique index \"%s\"", idx.Name).
					WithDetail("Key "+keys.describe(x, idx, vals)+" is duplicated.").
					WithObject(updated.SchemaName(), updated.Name, "", idx.Name)
			}
			seen[idx.ID][string(k)] = true
		}
		entries = append(entries, ent)
	}
	if len(moves) > 0 {
		// The table is locked ACCESS EXCLUSIVE and the keys are distinct.
		if err := h.MoveRows(op, table.StorageID(), moves); err != nil {
			return err
		}
	}
	if len(rebuild) == 0 {
		return nil
	}
	for _, ent := range entries {
		if x.ctx.Err() != nil {
			return pgerr.FromContext(x.ctx)
		}
		for i := range updated.Indexes {
			idx := &updated.Indexes[i]
			if !rebuild[idx.ID] {
				continue
			}
			ks, in, err := keys.entries(x, idx, ent.row)
			if err != nil {
				return err
			}
			if !in {
				continue
			}
			for _, k := range ks {
				if err := h.InsertIndexEntry(op, idx.StorageID(), k, ent.key); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// renameColumnPlan is ALTER TABLE ... RENAME COLUMN. The views that read
// the table have their stored queries rewritten to read the renamed
// column (renameInViews).
type renameColumnPlan struct{ stmt *ast.AlterTableStmt }

func (p *renameColumnPlan) columns() []Column { return nil }

func (p *renameColumnPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	s := p.stmt
	rc := s.RenameColumn
	if d, _, err := x.s.lookupRel(x.snap, s.Table.Name); err == nil && d != nil && d.View != "" {
		return renameViewColumn(x, s)
	}
	table, tableTuple, res, err := lockAlterTarget(x, s)
	if table == nil {
		return res, err
	}
	col := table.ColumnIndex(rc.Old)
	if col < 0 && systemColumns[rc.Old] {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "cannot rename system column \"%s\"", rc.Old)
	}
	if col < 0 {
		return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" does not exist", rc.Old)
	}
	if err := systemColumnName(rc.New); err != nil {
		return nil, err
	}
	if table.ColumnIndex(rc.New) >= 0 {
		return nil, pgerr.New(pgerr.DuplicateColumn, "column \"%s\" of relation \"%s\" already exists", rc.New, table.Name)
	}
	updated := *table
	updated.Columns = slices.Clone(table.Columns)
	updated.Columns[col].Name = rc.New
	if err := renameInChecks(&binder{s: x.s, snap: x.snap}, &updated, rc.Old, rc.New); err != nil {
		return nil, err
	}
	if err := renameInIndexes(&binder{s: x.s, snap: x.snap}, &updated, rc.Old, rc.New); err != nil {
		return nil, err
	}
	if err := renameInTriggers(&binder{s: x.s, snap: x.snap}, &updated, rc.Old, rc.New); err != nil {
		return nil, err
	}
	if err := renameInPolicies(&binder{s: x.s, snap: x.snap}, &updated, rc.Old, rc.New); err != nil {
		return nil, err
	}
	if err := renameInViews(x, table, &updated, col, rc.Old, rc.New); err != nil {
		return nil, err
	}
	if err := renameOwnedColumn(x, table.Name, rc.Old, rc.New); err != nil {
		return nil, err
	}
	if err := replaceTableDesc(x, tableTuple, &updated); err != nil {
		return nil, err
	}
	if err := rowTypeChanged(x, table, &updated, nil); err != nil {
		return nil, err
	}
	return res, nil
}

// renameOwnedColumn keeps the sequences owned by a renamed column owned by
// it.
func renameOwnedColumn(x *execCtx, table, from, to string) error {
	e := x.s.e
	all, err := e.cat.All(x.snap)
	if err != nil {
		return err
	}
	for _, d := range all {
		if d.Sequence == nil || d.Sequence.OwnedBy != table || d.Sequence.OwnedCol != from {
			continue
		}
		_, id, err := e.cat.Lookup(x.snap, d.Key())
		if err != nil {
			return err
		}
		updated := *d
		seq := *d.Sequence
		seq.OwnedCol = to
		updated.Sequence = &seq
		if err := e.cat.Drop(x.op(), id); err != nil {
			return err
		}
		if err := e.cat.Create(x.op(), &updated); err != nil {
			return err
		}
	}
	return nil
}

// alterTypePlan is ALTER TABLE ... ALTER COLUMN ... TYPE [USING]: every row
// gets the column's value converted (by the USING expression over the old
// row, or by assignment cast), indexes on the column are built anew, and
// a primary key on it moves the rows to their new keys. A view using the
// column refuses it with 0A000, as in PostgreSQL.
type alterTypePlan struct{ stmt *ast.AlterTableStmt }

func (p *alterTypePlan) columns() []Column { return nil }

func (p *alterTypePlan) execute(x *execCtx, ec *evalCtx) (*Result, error) {
	s := p.stmt
	at := s.AlterType
	table, tableTuple, res, err := lockAlterTarget(x, s)
	if table == nil {
		return res, err
	}
	col := table.ColumnIndex(at.Column)
	if col < 0 {
		return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", at.Column, table.Name)
	}
	b := &binder{s: x.s, snap: x.snap}
	t, dom, err := b.resolveColumnType(at.Type)
	if err != nil {
		return nil, err
	}
	if err := b.checkTypeUsage(t, dom); err != nil {
		return nil, err
	}
	if err := policiesUsingColumn(b, table, at.Column); err != nil {
		return nil, err
	}
	old := table.Columns[col]
	if old.Identity != "" && !t.IsInteger() {
		return nil, pgerr.New(pgerr.InvalidParameterValue, "identity column type must be smallint, integer, or bigint")
	}
	sc := tableScope(table, s.Table)
	var conv expr
	if at.Using != nil {
		e, err := b.bindExpr(at.Using, sc)
		if err != nil {
			return nil, err
		}
		if conv, err = b.assign(e, t, at.Column, at.Using.Position()); err != nil {
			if pgerr.Code(err) == pgerr.DatatypeMismatch {
				return nil, pgerr.New(pgerr.DatatypeMismatch, "result of USING clause for column \"%s\" cannot be cast automatically to type %s", at.Column, t.Name()).
					WithHint("You might need to add an explicit cast.")
			}
			return nil, err
		}
	} else {
		ref, err := b.bindExpr(&ast.ColumnRef{Column: at.Column}, sc)
		if err != nil {
			return nil, err
		}
		if conv, err = b.assign(ref, t, at.Column, at.Pos); err != nil {
			if pgerr.Code(err) == pgerr.DatatypeMismatch || pgerr.Code(err) == pgerr.CannotCoerce {
				return nil, pgerr.New(pgerr.DatatypeMismatch, "column \"%s\" cannot be cast automatically to type %s", at.Column, t.Name()).
					WithHint("You might need to specify \"USING " + parser.QuoteIdent(at.Column) + "::" + t.Name() + "\".")
			}
			return nil, err
		}
	}
	updated := *table
	updated.Columns = slices.Clone(table.Columns)
	updated.Columns[col].Type = t
	updated.Columns[col].Domain = 0
	if dom != nil {
		updated.Columns[col].Domain = dom.ID
	}
	if old.Default != "" {
		if err := checkDefaultCast(b, old.Default, t, at.Column); err != nil {
			return nil, err
		}
	}
	views, err := viewsUsing(x, table, withoutColumn(table, col), nil)
	if err != nil {
		return nil, err
	}
	if len(views) > 0 {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "cannot alter type of a column used by a view or rule").
			WithDetail("rule _RETURN on view " + views[0].Name + " depends on column \"" + at.Column + "\"")
	}
	if err := selfMember(table, t); err != nil {
		return nil, err
	}
	if err := rowTypeUnused(x, table); err != nil {
		return nil, err
	}
	if err := checkTypeChangeKeys(x, table, col, t); err != nil {
		return nil, err
	}
	rekey := slices.Contains(table.PK, col)
	rebuild := map[uint32]bool{}
	for _, idx := range table.Indexes {
		if rekey {
			rebuild[idx.ID] = true
		}
	}
	if err := retypeIndexes(b, &updated, col, rebuild); err != nil {
		return nil, err
	}
	if err := renumberIndexes(x, &updated, rebuild); err != nil {
		return nil, err
	}
	convert := func(row []types.Datum) ([]types.Datum, error) {
		v, err := conv.Eval(ec, row)
		if err != nil {
			return nil, err
		}
		out := slices.Clone(row)
		out[col] = v
		return out, nil
	}
	if err := rewriteTable(x, table, &updated, convert, rekey, rebuild); err != nil {
		return nil, err
	}
	if err := replaceTableDesc(x, tableTuple, &updated); err != nil {
		return nil, err
	}
	if err := retypeIdentitySequence(x, old, t); err != nil {
		return nil, err
	}
	if len(updated.Checks) > 0 {
		// The converted rows must pass the table's checks: read them
		// under the next command id, which sees the rewrite.
		x.snap.CID = x.s.cid
		x.s.cid++
		checks, err := (&binder{s: x.s, snap: x.snap}).bindChecks(&updated)
		if err != nil {
			return nil, err
		}
		for _, c := range checks {
			if err := validateCheck(x, ec, &updated, c); err != nil {
				return nil, err
			}
		}
	}
	return res, nil
}

// withoutColumn is table with column col renamed out of reach, for finding
// the views that use it.
func withoutColumn(table *catalog.TableDesc, col int) *catalog.TableDesc {
	out := *table
	out.Columns = slices.Clone(table.Columns)
	out.Columns[col].Name = "\x00dropped"
	return &out
}

// checkDefaultCast checks that a column's default still converts to the
// column's new type, as PostgreSQL does when the type changes.
func checkDefaultCast(b *binder, text string, t types.T, column string) error {
	d, err := b.parseCheck(text)
	if err != nil {
		return err
	}
	e, err := b.bindExpr(d, nil)
	if err != nil {
		return err
	}
	if _, err := b.assign(e, t, column, 0); err != nil {
		return pgerr.New(pgerr.DatatypeMismatch, "default for column \"%s\" cannot be cast automatically to type %s", column, t.Name())
	}
	return nil
}
