package sql

import (
	"bytes"
	"slices"
	"strconv"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// This file holds secondary indexes: CREATE INDEX, keeping entries up to
// date on INSERT and UPDATE, unique checks, and index scans.
//
// An index is described twice in the catalog, in one transaction: in its
// table's descriptor (TableDesc.Indexes), which is what statements bound
// against the table use, and as a catalog row of its own keyed by the index
// name (TableDesc.IndexOf), which reserves the name among relations. DROP
// INDEX removes both; the entries stay (heap/doc.go).
//
// Statements maintain the indexes of the descriptor they were bound with.
// CREATE INDEX takes a SHARE table lock, which waits for the table's
// writing transactions to end and keeps new writers out until it commits;
// a writer that waited binds again, so it maintains the new index.

// encodeIndexKey encodes row's values of idx's columns. idx must be an
// index on columns only (not Computed); indexKeys serves the others.
func encodeIndexKey(idx *catalog.IndexDesc, row []types.Datum) []byte {
	vals := make([]types.Datum, len(idx.Columns))
	for i, c := range idx.Columns {
		vals[i] = row[c]
	}
	return types.EncodeKey(vals)
}

// writeIndexes adds the index entries of a row just written under key pk.
// For an update, old is the row's previous values and oldPK its previous
// key; an index whose key and row key are both unchanged gets no entry, as
// its old entry still leads to the row. A row outside a partial index's
// predicate gets no entry. Unique indexes are checked first; a key with a
// NULL never conflicts.
func (w *tableWriter) writeIndexes(x *execCtx, pk []byte, row []types.Datum, old []types.Datum, oldPK []byte) error {
	return w.writeIndexesFirst(x, pk, row, old, oldPK, nil)
}

// writeIndexesFirst is writeIndexes that checks the indexes in first
// before the others: an INSERT ... ON CONFLICT resolves a conflict on an
// arbiter even when the row would also conflict on another unique index,
// as PostgreSQL checks the arbiters before it inserts.
func (w *tableWriter) writeIndexesFirst(x *execCtx, pk []byte, row []types.Datum, old []types.Datum, oldPK []byte, first map[uint32]*catalog.IndexDesc) error {
	if w.keys == nil {
		w.keys = newIndexKeys(w.table)
	}
	// With first, two passes: the indexes in first, then the others.
	for pass := 0; pass < 2; pass++ {
		if pass == 1 && first == nil {
			break
		}
		for i := range w.table.Indexes {
			idx := &w.table.Indexes[i]
			if first != nil && (first[idx.ID] != nil) != (pass == 0) {
				continue
			}
			if err := w.writeIndex(x, idx, pk, row, old, oldPK); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeIndex adds idx's entry for a row just written (writeIndexes).
func (w *tableWriter) writeIndex(x *execCtx, idx *catalog.IndexDesc, pk []byte, row []types.Datum, old []types.Datum, oldPK []byte) error {
	h := x.s.e.heap
	vals, in, err := w.keys.values(x, idx, row)
	if err != nil || !in {
		return err
	}
	if amIndex(idx) {
		return w.writeAMIndex(x, idx, pk, vals, old, oldPK)
	}
	key := types.EncodeKey(vals)
	if old != nil && bytes.Equal(pk, oldPK) {
		oldKey, oldIn, err := w.keys.entry(x, idx, old)
		if err != nil {
			return err
		}
		if oldIn && bytes.Equal(key, oldKey) {
			return nil // the old entry still leads to the row
		}
	}
	if !idx.Unique || keyHasNull(idx, vals) {
		return h.InsertIndexEntry(x.op(), idx.StorageID(), key, pk)
	}
	if idx.Deferrable {
		return w.writeDeferrable(x, idx, key, pk)
	}
	matches := func(data []byte) (bool, error) {
		r, err := types.DecodeRow(data)
		if err != nil {
			return false, err
		}
		if len(r) != len(w.table.Columns) {
			return false, pgerr.New(pgerr.DataCorrupted, "row of table %s has %d columns, want %d", w.table.Name, len(r), len(w.table.Columns))
		}
		k, in, err := w.keys.entry(x, idx, r)
		return in && bytes.Equal(k, key), err
	}
	err = h.InsertUniqueIndexEntry(x.op(), w.table.StorageID(), idx.StorageID(), key, pk, matches)
	if pgerr.Code(err) == pgerr.UniqueViolation {
		return &uniqueIndexViolation{index: idx, key: key, err: keyViolation(w.table, idx, w.keys.describe(x, idx, vals), false)}
	}
	return err
}

// uniqueIndexViolation is a 23505 on a unique index, which ON CONFLICT
// needs to know.
type uniqueIndexViolation struct {
	err   *pgerr.Error
	index *catalog.IndexDesc
	key   []byte // the index key that is taken
}

func (e *uniqueIndexViolation) Error() string { return e.err.Error() }
func (e *uniqueIndexViolation) Unwrap() error { return e.err }

type createIndexPlan struct{ stmt *ast.CreateIndexStmt }

func (p *createIndexPlan) columns() []Column { return nil }

func (p *createIndexPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	e := x.s.e
	s := p.stmt
	if s.Concurrently && x.s.inBlock() {
		return nil, pgerr.New(pgerr.ActiveSQLTransaction, "CREATE INDEX CONCURRENTLY cannot run inside a transaction block")
	}
	table, tableTuple, err := x.s.lookupRel(x.snap, s.Table.Name)
	if err != nil {
		return nil, err
	}
	if table == nil {
		return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", catalog.DisplayName(s.Table.Name)).WithPosition(s.Table.Pos)
	}
	if table.Kind() != "table" {
		return nil, pgerr.New(pgerr.WrongObjectType, "cannot create index on relation \"%s\"", table.Name).
			WithDetail("This operation is not supported for " + map[string]string{"view": "views", "index": "indexes"}[table.Kind()] + ".")
	}
	// Writers hold RowExclusive to their transaction's end: Share waits
	// for them, so the build below sees every row they wrote.
	if err := x.lockTableForDDL(table.ID, txn.Share); err != nil {
		return nil, err
	}
	// Read the table again as the new snapshot sees it (another index may
	// have been added meanwhile).
	if table, tableTuple, err = e.cat.Lookup(x.snap, table.Key()); err != nil {
		return nil, err
	}
	if table == nil {
		return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", catalog.DisplayName(s.Table.Name)).WithPosition(s.Table.Pos)
	}
	idx, err := (&binder{s: x.s, snap: x.snap}).indexDesc(s, table)
	if err != nil {
		return nil, err
	}
	if idx.Name == "" {
		if idx.Name, err = p.chooseName(x, table); err != nil {
			return nil, err
		}
	}
	existing, _, err := e.cat.Lookup(x.snap, catalog.Key(table.Schema, idx.Name))
	if err != nil {
		return nil, err
	}
	if existing != nil {
		if s.IfNotExists {
			return &Result{Tag: "CREATE INDEX", Notices: []Notice{{Severity: "NOTICE", Code: "42P07",
				Message: "relation \"" + idx.Name + "\" already exists, skipping"}}}, nil
		}
		return nil, pgerr.New(pgerr.DuplicateTable, "relation \"%s\" already exists", idx.Name)
	}
	if idx.ID, err = e.tm.NextOID(); err != nil {
		return nil, err
	}
	// The name first: of two transactions creating one name, the second
	// waits here for the first and then fails.
	if err := e.cat.Create(x.op(), &catalog.TableDesc{ID: idx.ID, Name: idx.Name, IndexOf: table.Key(), Schema: table.Schema}); err != nil {
		return nil, err
	}
	updated := *table
	updated.Indexes = append(slices.Clone(table.Indexes), idx)
	if err := e.cat.Drop(x.op(), tableTuple); err != nil {
		return nil, err
	}
	if err := e.cat.Create(x.op(), &updated); err != nil {
		return nil, err
	}
	e.catalogChanged()
	x.s.wroteCatalog = true
	prog, endProgress := x.s.startProgress(progressCreateIndex, table.ID, "")
	defer endProgress()
	prog.index.Store(int64(idx.ID))
	prog.setPhase("building index: scanning table")
	if err := buildIndexReporting(x, table, &idx, prog); err != nil {
		return nil, err
	}
	if updated.IsPartitioned() && !s.Table.Only && !s.Constraint {
		nextCommand(x)
		if err := propagateIndex(x, &updated, &idx); err != nil {
			return nil, err
		}
	}
	return &Result{Tag: "CREATE INDEX"}, nil
}

// buildIndex writes an entry for every row version the creating statement
// sees (that a partial index's predicate admits), after checking a unique
// index's keys among them.
func buildIndex(x *execCtx, table *catalog.TableDesc, idx *catalog.IndexDesc) error {
	return buildIndexReporting(x, table, idx, nil)
}

// buildIndexReporting is buildIndex counting the rows it reads in prog
// (nil: none).
func buildIndexReporting(x *execCtx, table *catalog.TableDesc, idx *catalog.IndexDesc, prog *progressEntry) error {
	h := x.s.e.heap
	snap := x.snap
	snap.Serializable = false // DDL takes no part in SSI
	op := x.op()
	op.Snap = snap
	keys := newIndexKeys(table)
	seen := make(map[string]bool)
	return h.Scan(snap, table.StorageID(), func(t heap.Tuple) error {
		row, err := types.DecodeRow(t.Data)
		if err != nil {
			return err
		}
		if len(row) != len(table.Columns) {
			return pgerr.New(pgerr.DataCorrupted, "row of table %s has %d columns, want %d", table.Name, len(row), len(table.Columns))
		}
		prog.add(idxTuplesDone, 1)
		vals, in, err := keys.values(x, idx, row)
		if err != nil || !in {
			return err
		}
		if amIndex(idx) {
			for _, key := range indexEntryKeys(idx, vals) {
				if err := h.InsertIndexEntry(op, idx.StorageID(), key, heap.RowKey(t.ID)); err != nil {
					return err
				}
			}
			return nil
		}
		key := types.EncodeKey(vals)
		if idx.Unique && !keyHasNull(idx, vals) {
			if seen[string(key)] {
				return keyViolation(table, idx, keys.describe(x, idx, vals), true)
			}
			seen[string(key)] = true
		}
		return h.InsertIndexEntry(op, idx.StorageID(), key, heap.RowKey(t.ID))
	})
}

// chooseName picks a name for an unnamed index as PostgreSQL does:
// table_col1_col2_idx (an expression key named by its function, or
// "expr"; INCLUDE columns too), then with 1, 2, ... appended until the
// name is free.
func (p *createIndexPlan) chooseName(x *execCtx, table *catalog.TableDesc) (string, error) {
	base := table.Name
	for _, c := range indexColumnNames(p.stmt) {
		base += "_" + c
	}
	base += "_idx"
	for n := 0; ; n++ {
		name := base
		if n > 0 {
			name += strconv.Itoa(n)
		}
		name = parser.TruncateIdent(name)
		d, _, err := x.s.e.cat.Lookup(x.snap, catalog.Key(table.Schema, name))
		if err != nil || d == nil {
			return name, err
		}
	}
}

// droppedIndex is an index DROP INDEX names: its catalog name entry.
type droppedIndex struct {
	desc *catalog.TableDesc
	id   heap.TupleID
}

// dropIndexes removes the named indexes: their catalog name entries, and
// their descriptions in their tables' descriptors, which are rewritten once
// per table (a statement does not see its own catalog changes).
func dropIndexes(x *execCtx, indexes []droppedIndex) error {
	e := x.s.e
	var tables []string
	for _, d := range indexes {
		if !slices.Contains(tables, d.desc.IndexOf) {
			tables = append(tables, d.desc.IndexOf)
		}
	}
	for _, name := range tables {
		table, tableTuple, err := e.cat.Lookup(x.snap, name)
		if err != nil {
			return err
		}
		if table == nil {
			return pgerr.New(pgerr.DataCorrupted, "table \"%s\" of an index is missing from the catalog", name)
		}
		updated := *table
		updated.Indexes = slices.DeleteFunc(slices.Clone(table.Indexes), func(i catalog.IndexDesc) bool {
			return slices.ContainsFunc(indexes, func(d droppedIndex) bool { return d.desc.ID == i.ID })
		})
		if err := e.cat.Drop(x.op(), tableTuple); err != nil {
			return err
		}
		if err := e.cat.Create(x.op(), &updated); err != nil {
			return err
		}
	}
	for _, d := range indexes {
		if err := e.cat.Drop(x.op(), d.id); err != nil {
			return err
		}
	}
	return nil
}

// dropTableIndexes removes the catalog name entries of table's indexes,
// which go with the table.
func dropTableIndexes(x *execCtx, table *catalog.TableDesc) error {
	for _, idx := range table.Indexes {
		desc, id, err := x.s.e.cat.Lookup(x.snap, catalog.Key(table.Schema, idx.Name))
		if err != nil {
			return err
		}
		if desc == nil || desc.ID != idx.ID {
			return pgerr.New(pgerr.DataCorrupted, "index \"%s\" of table \"%s\" is missing from the catalog", idx.Name, table.Name)
		}
		if err := x.s.e.cat.Drop(x.op(), id); err != nil {
			return err
		}
	}
	return nil
}

// indexScan restricts a scan to the rows an index leads to: those whose
// first len(eq) indexed columns equal eq and whose next column, when in or
// lo/hi is set, is one of in or lies within the bounds. The scan's filter
// still checks the whole condition; the index only narrows the rows read.
type indexScan struct {
	index          catalog.IndexDesc
	eq             []expr
	in             []expr
	lo, hi         expr
	loIncl, hiIncl bool
	// ordered makes the scan return rows in the order of the orderCols
	// key columns after eq, NULLs last, backward in reverse
	// (indexorder.go).
	ordered, backward bool
	orderCols         int
	// post are conditions on the key columns after the one the range
	// is on, tested on each entry's key before its row is read
	// (indexpost.go).
	post []postCond
}

// keyRange is a range [lower, upper) of index keys; nil upper is unbounded.
type keyRange struct{ lower, upper []byte }

// ranges evaluates the scan's values into key ranges; none when a value is
// NULL, which equals nothing.
func (s *indexScan) ranges(ec *evalCtx) ([]keyRange, error) {
	eval := func(e expr) ([]byte, bool, error) {
		v, err := e.Eval(ec, nil)
		if err != nil || v == nil {
			return nil, false, err
		}
		return types.EncodeKey([]types.Datum{v}), true, nil
	}
	var prefix []byte
	for _, e := range s.eq {
		k, ok, err := eval(e)
		if !ok {
			return nil, err
		}
		prefix = append(prefix, k...)
	}
	with := func(k []byte) []byte { return append(slices.Clip(prefix), k...) }
	switch {
	case s.in != nil:
		var out []keyRange
		for _, e := range s.in {
			k, ok, err := eval(e)
			if err != nil {
				return nil, err
			}
			if ok {
				k = with(k)
				out = append(out, keyRange{k, keyEnd(k)})
			}
		}
		return out, nil
	case s.lo != nil || s.hi != nil:
		r := keyRange{lower: with([]byte{types.KeyNull + 1}), upper: keyEnd(prefix)} // NULLs compare as nothing
		if s.lo != nil {
			k, ok, err := eval(s.lo)
			if !ok {
				return nil, err
			}
			if r.lower = with(k); !s.loIncl {
				r.lower = keyEnd(r.lower)
			}
		}
		if s.hi != nil {
			k, ok, err := eval(s.hi)
			if !ok {
				return nil, err
			}
			if r.upper = with(k); s.hiIncl {
				r.upper = keyEnd(r.upper)
			}
		}
		if r.upper != nil && bytes.Compare(r.lower, r.upper) >= 0 {
			return nil, nil
		}
		return []keyRange{r}, nil
	}
	return []keyRange{{prefix, keyEnd(prefix)}}, nil
}

// keyEnd returns the first key after every key that starts with k, or nil
// (unbounded) for an empty k.
func keyEnd(k []byte) []byte {
	end := slices.Clone(k)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// scan calls visit with each row version the index leads to, once per row.
func (s *indexScan) scan(ec *evalCtx, table *catalog.TableDesc, visit func(heap.Tuple) error) error {
	if s.ordered {
		return s.scanOrdered(ec, table, visit)
	}
	if len(s.post) > 0 {
		return s.scanFiltered(ec, table, visit)
	}
	x := ec.exec
	ranges, err := s.ranges(ec)
	if err != nil {
		return err
	}
	var seen map[string]bool
	if len(ranges) > 1 {
		seen = make(map[string]bool)
	}
	for _, r := range ranges {
		err := x.s.e.heap.ScanIndex(x.snap, table.StorageID(), s.index.StorageID(), r.lower, r.upper, func(t heap.Tuple) error {
			if seen != nil {
				pk := string(heap.RowKey(t.ID))
				if seen[pk] {
					return nil
				}
				seen[pk] = true
			}
			return visit(t)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// keyCond is a condition column op value found among a WHERE clause's
// conjuncts, with the value bound and cast to the column's key form.
type keyCond struct {
	op   string // "=", "<", "<=", ">", ">=" or "in"
	vals []expr
	// fixed is set when the values are constants the planner may
	// evaluate (no parameter, no outer column, no function call).
	fixed bool
}

// flipOp turns "const op col" into "col op' const".
var flipOp = map[string]string{"=": "=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}

// keyConds collects, per column of the table whose columns sit at
// scope offsets [off, off+width), the conjuncts of the form column op
// constant (or parameter), column IN (constants) and column BETWEEN
// constants. Conditions comparing across types the key encoding does not
// order alike are left out; they stay in the filter.
func (b *binder) keyConds(conjs []ast.Expr, sc *scope, table *catalog.TableDesc, off int) map[int][]keyCond {
	found := make(map[int][]keyCond)
	column := func(e ast.Expr) int {
		cr, ok := e.(*ast.ColumnRef)
		if !ok || !b.inScope(cr, sc) {
			return -1
		}
		idx, level, _, err := sc.resolve(cr)
		if err != nil || level != 0 || idx < off || idx >= off+len(table.Columns) {
			return -1
		}
		return idx - off
	}
	add := func(col int, op string, vals ...ast.Expr) {
		t := table.Columns[col].Type
		if op != "=" && op != "in" && !orderedKey(t) {
			return
		}
		c := keyCond{op: op, fixed: true}
		for _, v := range vals {
			c.fixed = c.fixed && foldableQual(v)
			e, ok := b.keyValue(v, t, sc)
			if !ok {
				return
			}
			c.vals = append(c.vals, e)
		}
		found[col] = append(found[col], c)
	}
	for _, conj := range conjs {
		for _, e := range splitAnd(conj) {
			switch x := e.(type) {
			case *ast.BinaryExpr:
				op, ok := flipOp[x.Op]
				if !ok {
					continue
				}
				if col := column(x.L); col >= 0 && b.isKeyExpr(x.R, sc) {
					add(col, x.Op, x.R)
				} else if col := column(x.R); col >= 0 && b.isKeyExpr(x.L, sc) {
					add(col, op, x.L)
				}
			case *ast.InExpr:
				if cols, vals, ok := rowInEqualities(x); ok {
					for i := range cols {
						if col := column(cols[i]); col >= 0 {
							add(col, "=", vals[i])
						}
					}
					continue
				}
				if x.Query != nil || x.Not || x.Op != "" || len(x.List) == 0 {
					continue
				}
				col := column(x.X)
				if col >= 0 && !slices.ContainsFunc(x.List, func(v ast.Expr) bool { return !isKeyConst(v) }) {
					add(col, "in", x.List...)
				}
			case *ast.BetweenExpr:
				if x.Not || x.Symmetric || !isKeyConst(x.Lo) || !isKeyConst(x.Hi) {
					continue
				}
				if col := column(x.X); col >= 0 {
					add(col, ">=", x.Lo)
					add(col, "<=", x.Hi)
				}
			default:
				if cr, v, ok := boolKeyCond(e); ok {
					if col := column(cr); col >= 0 && table.Columns[col].Type.ID == types.Bool {
						add(col, "=", &ast.Literal{Kind: "bool", Text: strconv.FormatBool(v), Bool: v})
					}
				}
			}
		}
	}
	return found
}

// isKeyConst reports whether e is a constant or parameter the planner may
// evaluate once per scan.
func isKeyConst(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.Literal, *ast.ParamRef:
		return true
	case *ast.UnaryExpr:
		_, lit := x.X.(*ast.Literal)
		return lit && (x.Op == "-" || x.Op == "+")
	}
	return false
}

// isScanConst reports whether e keeps one value for a whole scan of a
// table in scope sc: a constant, a parameter, or a column of an enclosing
// query (a correlated subquery is run again for each outer row, so its
// lookup by t.x = outer.y is a key lookup, not a filter over every row).
func (b *binder) isScanConst(e ast.Expr, sc *scope) bool {
	if isKeyConst(e) {
		return true
	}
	cr, ok := e.(*ast.ColumnRef)
	if !ok || sc == nil {
		return false
	}
	_, level, _, err := sc.resolve(cr)
	return err == nil && level > 0
}

// orderedKey reports whether types.EncodeKey orders values of type t as SQL
// compares them, so that a range of keys is a range of values.
func orderedKey(t types.T) bool {
	switch t.ID {
	case types.Float4, types.Float8, types.Text, types.Varchar, types.Bool, types.Bytea, types.UUID,
		types.Inet, types.Cidr, types.MacAddr, types.MacAddr8:
		return true
	}
	return t.IsInteger() || t.IsTime()
}

// keyValue binds v (in scope sc, where it may name an enclosing query's
// column) for comparison with a column of type t and casts it to the
// column's key form, or reports that the comparison is across types whose
// values the key encoding does not match up.
func (b *binder) keyValue(v ast.Expr, t types.T, sc *scope) (expr, bool) {
	e, err := b.bindExpr(v, sc)
	if err != nil {
		return nil, false
	}
	et := e.Type()
	switch {
	case t.ID == types.Bpchar:
		// Keys hold the padded value, and character compares without
		// trailing blanks: scan instead.
		return nil, false
	case et.ID == types.Unknown, types.Base(et) == types.Base(t):
	case et.IsInteger() && t.IsInteger():
	case t.ID == types.Float8 && et.IsNumeric():
		// float8 compares with other numbers as float8.
	default:
		return nil, false
	}
	target := types.Base(t)
	if t.IsInteger() {
		target = types.New(types.Int8) // one encoding for all widths, and no overflow
	}
	if e, err = b.cast(e, target, false, 0); err != nil {
		return nil, false
	}
	return e, true
}

// planScan narrows scan with WHERE conjuncts: to one primary key when
// they fix it, else through the index they constrain most. An expression
// key is constrained by conjuncts on the same expression; a partial index
// is considered only when the conjuncts imply its predicate
// (indexplan.go). The table's columns sit at scope offset off. The
// conjuncts stay in the filter.
func (b *binder) planScan(scan *scanNode, conjs []ast.Expr, sc *scope, off int) {
	if len(conjs) == 0 {
		return
	}
	if b.explain != nil {
		b.explain.scans[scan] = scanOrigin{conjs: conjs, sc: sc, off: off}
	}
	conds := b.keyConds(conjs, sc, scan.table, off)
	if len(scan.inh) > 0 {
		scan.prune = newPruner(scan.inh, conds)
		b.planPrune(scan, conds, conjs, sc, off)
	}
	computed := slices.ContainsFunc(scan.table.Indexes, func(ix catalog.IndexDesc) bool { return ix.Computed() })
	if len(conds) == 0 && !computed {
		scan.am = b.planAccessMethod(scan, conjs, sc, off)
		return
	}
	if scan.key = primaryKey(scan.table, conds); scan.key != nil {
		return
	}
	qcol := func(cr *ast.ColumnRef) (int, types.T) {
		if !b.inScope(cr, sc) {
			return -1, types.T{}
		}
		idx, level, _, err := sc.resolve(cr)
		if err != nil || level != 0 || idx < off || idx >= off+len(scan.table.Columns) {
			return -1, types.T{}
		}
		return idx - off, scan.table.Columns[idx-off].Type
	}
	defer func() {
		if scan.key == nil && scan.index == nil {
			if scan.am = b.planAccessMethod(scan, conjs, sc, off); scan.am == nil {
				scan.memo = b.scanMemoKeys(conjs, sc, scan.table, off)
			}
		}
	}()
	best, bestScore := (*indexScan)(nil), 0
	for i := range scan.table.Indexes {
		idx := &scan.table.Indexes[i]
		if amIndex(idx) {
			continue
		}
		if idx.Predicate != "" {
			if ok, err := b.predicateImplied(scan.table, conjs, qcol, idx.Predicate); err != nil || !ok {
				continue
			}
		}
		s, score := indexFor(*idx, func(k int) []keyCond {
			if text := idx.KeyExpr(k); text != "" {
				return b.exprKeyConds(conjs, qcol, scan.table, text)
			}
			return conds[idx.Columns[k]]
		})
		if score > bestScore {
			best, bestScore = s, score
		}
	}
	scan.index = best
}

// primaryKey returns the key values when conds fix every primary key
// column by equality.
func primaryKey(table *catalog.TableDesc, conds map[int][]keyCond) []expr {
	if len(table.PK) == 0 {
		return nil
	}
	key := make([]expr, len(table.PK))
	for i, col := range table.PK {
		if key[i] = equality(conds[col]); key[i] == nil {
			return nil
		}
	}
	return key
}

func equality(conds []keyCond) expr {
	for _, c := range conds {
		if c.op == "=" {
			return c.vals[0]
		}
	}
	return nil
}

// indexFor builds the scan of idx that conds allow, scored by how much it
// narrows: each leading column fixed by equality counts most, then an IN
// list or a range on the next column.
func indexFor(idx catalog.IndexDesc, condsOf func(key int) []keyCond) (*indexScan, int) {
	s := &indexScan{index: idx}
	for k := range idx.Columns {
		conds := condsOf(k)
		if e := equality(conds); e != nil {
			s.eq = append(s.eq, e)
			continue
		}
		for _, c := range conds {
			switch c.op {
			case "in":
				if s.in == nil && s.lo == nil && s.hi == nil {
					s.in = c.vals
				}
			case ">", ">=":
				if s.in == nil && s.lo == nil {
					s.lo, s.loIncl = c.vals[0], c.op == ">="
				}
			case "<", "<=":
				if s.in == nil && s.hi == nil {
					s.hi, s.hiIncl = c.vals[0], c.op == "<="
				}
			}
		}
		s.post = postConds(idx, len(s.eq)+1, condsOf)
		break
	}
	score := 4 * len(s.eq)
	switch {
	case s.in != nil:
		score += 2
	case s.lo != nil && s.hi != nil:
		score += 2
	case s.lo != nil || s.hi != nil:
		score++
	}
	if score == 0 {
		return nil, 0
	}
	return s, score
}

// boolKeyCond reads a condition on a boolean column that fixes its value,
// as PostgreSQL matches it to an index key: b and b IS TRUE as b = true,
// NOT b and b IS FALSE as b = false.
func boolKeyCond(e ast.Expr) (*ast.ColumnRef, bool, bool) {
	switch x := e.(type) {
	case *ast.ColumnRef:
		return x, true, x.Column != "*"
	case *ast.UnaryExpr:
		cr, ok := x.X.(*ast.ColumnRef)
		return cr, false, ok && x.Op == "NOT"
	case *ast.IsExpr:
		cr, ok := x.X.(*ast.ColumnRef)
		return cr, x.What == "TRUE", ok && !x.Not && (x.What == "TRUE" || x.What == "FALSE")
	}
	return nil, false, false
}

// rowInEqualities reads (a, b) IN ((1, 2), (NULL, NULL)) as the
// equalities a = 1 AND b = 2 that WHERE needs to hold: a row of the list
// with a NULL never compares equal (the comparison is NULL or false), so
// only one row is left to match, as PostgreSQL's planner drops a NULL
// arm of the OR the list stands for. ok is false unless exactly one row
// of constants without NULL is left.
func rowInEqualities(in *ast.InExpr) (cols, vals []ast.Expr, ok bool) {
	row, isRow := in.X.(*ast.RowExpr)
	if !isRow || in.Query != nil || in.Array != nil || in.Not || in.Op != "" {
		return nil, nil, false
	}
	var left *ast.RowExpr
	for _, item := range in.List {
		r, isRow := item.(*ast.RowExpr)
		if !isRow || len(r.Items) != len(row.Items) {
			return nil, nil, false
		}
		if slices.ContainsFunc(r.Items, isNullLiteral) {
			continue
		}
		if left != nil || slices.ContainsFunc(r.Items, func(e ast.Expr) bool { return !isKeyConst(e) }) {
			return nil, nil, false
		}
		left = r
	}
	if left == nil {
		return nil, nil, false
	}
	return row.Items, left.Items, true
}
