package sql

import (
	"bytes"
	"encoding/binary"
	"math"
	"slices"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// GIN and GiST indexes. Both keep their entries in the heap's index key
// space like btree ones (heap/doc.go), under keys of their own:
//
//   - GIN (arrays): one entry per distinct element of a row's array,
//     keyed (key column number, element); an empty array gets one entry
//     (column number, ginEmpty) and a NULL array (column number, ginNull).
//     A condition is answered from the entries of the elements it names:
//     @> intersects their rows, && unites them, <@ unites them with the
//     empty arrays', = is @> (or the empty arrays' for '{}').
//   - GiST (box, point, polygon, circle): one entry per row, keyed by the
//     bounding box of the first key column's value, (xlow, ylow, xhigh,
//     yhigh) as floats, so entries sort by their left edge; NULL is its
//     own key. A scan reads the entries whose left edge a condition
//     allows and tests each entry's box against the condition before it
//     reads the row, as GiST's consistent function does at a leaf.
//
// The index only narrows the rows read: a box is a superset test for
// polygons and circles, an entry may lead to a row since updated (entries
// are not versioned), and the filter above the scan re-checks the whole
// WHERE clause (the Recheck Cond of a bitmap scan). GIN keeps no order,
// so it is read only as a bitmap: the matching row keys are collected,
// sorted and then read, each once. GiST is read as an index scan (rows in
// entry order) or, with enable_indexscan off, as a bitmap.

// Tags after a GIN entry's column number, below every key tag
// (types.KeyNull is the lowest), for the arrays without elements.
const (
	ginEmpty byte = 0x02
	ginNull  byte = 0x03
)

// amIndex reports whether idx is a GIN or GiST index, which the btree
// planning and lookups must not use.
func amIndex(idx *catalog.IndexDesc) bool {
	return idx.Method == "gin" || idx.Method == "gist"
}

// indexEntryKeys returns the keys of the entries a row with key values
// vals has in idx: one for btree, hash and GiST, one per element for GIN.
func indexEntryKeys(idx *catalog.IndexDesc, vals []types.Datum) [][]byte {
	switch idx.Method {
	case "gin":
		return ginEntryKeys(vals)
	case "gist":
		return [][]byte{gistEntryKey(vals[0])}
	}
	return [][]byte{types.EncodeKey(vals)}
}

// ginEntryKeys returns a row's GIN entry keys, distinct and sorted.
func ginEntryKeys(vals []types.Datum) [][]byte {
	var out [][]byte
	for k, v := range vals {
		col := types.EncodeKey([]types.Datum{int64(k)})
		a, ok := v.(*types.Array)
		switch {
		case v == nil || !ok:
			out = append(out, append(col, ginNull))
		case len(a.Elems) == 0:
			out = append(out, append(col, ginEmpty))
		default:
			for _, e := range a.Elems {
				out = append(out, ginElemKey(k, e))
			}
		}
	}
	slices.SortFunc(out, bytes.Compare)
	return slices.CompactFunc(out, bytes.Equal)
}

// ginElemKey is the key of element e of key column k.
func ginElemKey(k int, e types.Datum) []byte {
	return types.EncodeKey([]types.Datum{int64(k), types.NormalizeForKey(e)})
}

// geoBox is a bounding box: low corner, high corner.
type geoBox struct{ xlo, ylo, xhi, yhi float64 }

// boundingBox returns the bounding box of a geometric value.
func boundingBox(v types.Datum) (geoBox, bool) {
	switch g := v.(type) {
	case types.Point:
		return geoBox{g.X, g.Y, g.X, g.Y}, true
	case types.Box:
		return geoBox{g.Low.X, g.Low.Y, g.High.X, g.High.Y}, true
	case *types.Polygon:
		b := g.BBox
		return geoBox{b.Low.X, b.Low.Y, b.High.X, b.High.Y}, true
	case types.Circle:
		return geoBox{g.Center.X - g.R, g.Center.Y - g.R, g.Center.X + g.R, g.Center.Y + g.R}, true
	}
	return geoBox{}, false
}

// gistEntryKey is the GiST entry key of value v.
func gistEntryKey(v types.Datum) []byte {
	b, ok := boundingBox(v)
	if !ok {
		return types.EncodeKey([]types.Datum{nil})
	}
	return types.EncodeKey([]types.Datum{b.xlo, b.ylo, b.xhi, b.yhi})
}

// gistKeyBox decodes a GiST entry key; false for NULL's.
func gistKeyBox(key []byte) (geoBox, bool) {
	if len(key) != 4*9 {
		return geoBox{}, false
	}
	f := func(i int) float64 { return floatFromKey(key[i*9+1 : i*9+9]) }
	return geoBox{f(0), f(1), f(2), f(3)}, true
}

// floatFromKey inverts the key encoding of a float (types.AppendKey).
func floatFromKey(b []byte) float64 {
	bits := binary.BigEndian.Uint64(b)
	if bits&(1<<63) != 0 {
		bits &^= 1 << 63
	} else {
		bits = ^bits
	}
	return math.Float64frombits(bits)
}

// amCond is a WHERE conjunct a GIN or GiST index answers: key column key
// op value (the column on the left), or IS [NOT] NULL (val nil).
type amCond struct {
	key int
	op  string // an operator, or "isnull" / "notnull"
	val expr
	src ast.Expr
}

// amScan reads a table through a GIN or GiST index.
type amScan struct {
	index  catalog.IndexDesc
	conds  []amCond
	bitmap bool
	// order, for a GiST index scan, returns the rows nearest first
	// (ORDER BY column <-> point; indexknn.go).
	order *amOrder
}

// gistCommute turns "value op column" into "column op' value".
var gistCommute = map[string]string{"&&": "&&", "~=": "~=", "<@": "@>", "@>": "<@", "<<": ">>", ">>": "<<", "<<|": "|>>", "|>>": "<<|"}

// ginCommute is gistCommute for the array operators.
var ginCommute = map[string]string{"&&": "&&", "=": "=", "<@": "@>", "@>": "<@"}

// planAccessMethod finds a GIN or GiST index of scan's table that the
// conjuncts constrain, and the way to read it the enable_* settings
// allow; nil when none serves.
func (b *binder) planAccessMethod(scan *scanNode, conjs []ast.Expr, sc *scope, off int) *amScan {
	if len(scan.inh) > 0 {
		return nil
	}
	enabled := func(name string) bool {
		_, v, ok := b.s.settingValue(name)
		return !ok || v != "off"
	}
	var flat []ast.Expr
	for _, c := range conjs {
		flat = append(flat, splitAnd(c)...)
	}
	qcol := func(cr *ast.ColumnRef) (int, types.T) {
		if !b.inScope(cr, sc) {
			return -1, types.T{}
		}
		i, level, _, err := sc.resolve(cr)
		if err != nil || level != 0 || i < off || i >= off+len(scan.table.Columns) {
			return -1, types.T{}
		}
		return i - off, scan.table.Columns[i-off].Type
	}
	for i := range scan.table.Indexes {
		idx := &scan.table.Indexes[i]
		if !amIndex(idx) {
			continue
		}
		bitmap := idx.Method == "gin" || !enabled("enable_indexscan")
		if bitmap && !enabled("enable_bitmapscan") {
			continue
		}
		if idx.Predicate != "" {
			if ok, err := b.predicateImplied(scan.table, conjs, qcol, idx.Predicate); err != nil || !ok {
				continue
			}
		}
		var conds []amCond
		for _, c := range flat {
			if ac, ok := b.amCondFor(idx, c, qcol, sc); ok {
				conds = append(conds, ac)
			}
		}
		if len(conds) > 0 {
			return &amScan{index: *idx, conds: conds, bitmap: bitmap}
		}
	}
	return nil
}

// amCondFor reads conjunct c as a condition idx answers.
func (b *binder) amCondFor(idx *catalog.IndexDesc, c ast.Expr, qcol colResolver, sc *scope) (amCond, bool) {
	keyOf := func(e ast.Expr) (int, types.T) {
		cr, ok := e.(*ast.ColumnRef)
		if !ok {
			return -1, types.T{}
		}
		col, t := qcol(cr)
		if col < 0 {
			return -1, types.T{}
		}
		for k, kc := range idx.Columns {
			if kc == col && idx.KeyExpr(k) == "" && (idx.Method == "gin" || k == 0) {
				return k, t
			}
		}
		return -1, types.T{}
	}
	if is, ok := c.(*ast.IsExpr); ok && is.What == "NULL" && idx.Method == "gist" {
		if k, _ := keyOf(is.X); k >= 0 {
			op := "isnull"
			if is.Not {
				op = "notnull"
			}
			return amCond{key: k, op: op, src: c}, true
		}
		return amCond{}, false
	}
	be, ok := c.(*ast.BinaryExpr)
	if !ok {
		return amCond{}, false
	}
	commute := gistCommute
	if idx.Method == "gin" {
		commute = ginCommute
	}
	flipped, ok := commute[be.Op]
	if !ok {
		return amCond{}, false
	}
	op, colSide, valSide := be.Op, be.L, be.R
	k, t := keyOf(colSide)
	if k < 0 {
		op, colSide, valSide = flipped, be.R, be.L
		if k, t = keyOf(colSide); k < 0 {
			return amCond{}, false
		}
	}
	if !b.amConst(valSide, sc) {
		return amCond{}, false
	}
	// The condition must bind as the query has it (an operator exists
	// for the two types).
	if whole, err := b.bindExpr(c, sc); err != nil || whole.Type().ID != types.Bool {
		return amCond{}, false
	}
	v, err := b.bindExpr(valSide, sc)
	if err != nil {
		return amCond{}, false
	}
	vt := v.Type()
	if vt.ID == types.Unknown {
		// An untyped literal takes the column's type where the
		// operator takes two values of one type.
		if idx.Method == "gist" && (op == "<@" || op == "@>") {
			return amCond{}, false
		}
		if v, err = b.cast(v, t, false, 0); err != nil {
			return amCond{}, false
		}
		vt = t
	}
	switch idx.Method {
	case "gin":
		if types.Base(vt) != types.Base(t) {
			return amCond{}, false
		}
	case "gist":
		switch vt.ID {
		case types.PointType, types.BoxType, types.PolygonType, types.CircleType:
		default:
			return amCond{}, false
		}
	}
	return amCond{key: k, op: op, val: v, src: c}, true
}

// scan calls visit with each row version the index leads to, once per
// row: in entry order, or for a bitmap in row key order.
func (s *amScan) scan(ec *evalCtx, table *catalog.TableDesc, visit func(heap.Tuple) error) error {
	vals := make([]types.Datum, len(s.conds))
	for i, c := range s.conds {
		if c.val == nil {
			continue
		}
		v, err := c.val.Eval(ec, nil)
		if err != nil {
			return err
		}
		if v == nil {
			return nil // the operators are strict: nothing matches NULL
		}
		vals[i] = v
	}
	x := ec.exec
	h := x.s.e.heap
	var pks [][]byte
	var err error
	if s.index.Method == "gin" {
		pks, err = s.ginRows(ec, table, vals)
	} else {
		var entries []indexEntry
		if entries, err = s.gistEntries(ec, table, vals); err != nil {
			return err
		}
		if s.order != nil {
			return s.order.scan(ec, table, entries, visit)
		}
		for _, e := range entries {
			pks = append(pks, e.pk)
		}
	}
	if err != nil {
		return err
	}
	if s.bitmap {
		slices.SortFunc(pks, bytes.Compare)
		pks = slices.CompactFunc(pks, bytes.Equal)
	}
	seen := make(map[string]bool, len(pks))
	for _, pk := range pks {
		if seen[string(pk)] {
			continue
		}
		seen[string(pk)] = true
		if err := h.ScanKey(x.snap, table.StorageID(), pk, visit); err != nil {
			return err
		}
	}
	return nil
}

// entries calls fn for the entries of the index in [lower, upper).
func (s *amScan) entries(ec *evalCtx, table *catalog.TableDesc, lower, upper []byte, fn func(key, pk []byte) error) error {
	x := ec.exec
	return x.s.e.heap.ScanIndexEntries(x.snap, table.StorageID(), s.index.StorageID(), lower, upper, func(key, pk []byte) error {
		if err := x.tick(); err != nil {
			return err
		}
		return fn(key, pk)
	})
}

// ginRows returns the row keys the GIN entries give for the conditions
// (their intersection).
func (s *amScan) ginRows(ec *evalCtx, table *catalog.TableDesc, vals []types.Datum) ([][]byte, error) {
	// rowsUnder returns the row keys of the entries starting with prefix.
	rowsUnder := func(prefix []byte) (map[string]bool, error) {
		out := make(map[string]bool)
		err := s.entries(ec, table, prefix, keyEnd(prefix), func(_, pk []byte) error {
			out[string(pk)] = true
			return nil
		})
		return out, err
	}
	var result map[string]bool
	for i, c := range s.conds {
		a, ok := vals[i].(*types.Array)
		if !ok {
			return nil, nil
		}
		col := types.EncodeKey([]types.Datum{int64(c.key)})
		var sets []map[string]bool
		for _, e := range a.Elems {
			set, err := rowsUnder(ginElemKey(c.key, e))
			if err != nil {
				return nil, err
			}
			sets = append(sets, set)
		}
		var rows map[string]bool
		switch {
		case c.op == "&&":
			rows = unite(sets)
		case c.op == "<@":
			empty, err := rowsUnder(append(slices.Clip(col), ginEmpty))
			if err != nil {
				return nil, err
			}
			rows = unite(append(sets, empty))
		case len(a.Elems) > 0: // @> and =
			rows = intersect(sets)
		case c.op == "=":
			var err error
			if rows, err = rowsUnder(append(slices.Clip(col), ginEmpty)); err != nil {
				return nil, err
			}
		default: // @> '{}': every non-NULL array
			var err error
			if rows, err = rowsUnder(col); err != nil {
				return nil, err
			}
		}
		if result == nil {
			result = rows
		} else {
			result = intersect([]map[string]bool{result, rows})
		}
	}
	out := make([][]byte, 0, len(result))
	for pk := range result {
		out = append(out, []byte(pk))
	}
	return out, nil
}

func unite(sets []map[string]bool) map[string]bool {
	out := make(map[string]bool)
	for _, s := range sets {
		for k := range s {
			out[k] = true
		}
	}
	return out
}

func intersect(sets []map[string]bool) map[string]bool {
	if len(sets) == 0 {
		return map[string]bool{}
	}
	out := make(map[string]bool)
	for k := range sets[0] {
		in := true
		for _, s := range sets[1:] {
			in = in && s[k]
		}
		if in {
			out[k] = true
		}
	}
	return out
}

// gistSlack widens a query box for the tests of entry boxes:
// PostgreSQL's geometric comparisons are fuzzy (within 1e-6), and a
// test that lets too much through only costs a re-check.
func gistSlack(v float64) float64 { return 1e-5 + math.Abs(v)*1e-9 }

// gistEntries returns, in entry order, the GiST entries whose boxes may
// satisfy every condition.
func (s *amScan) gistEntries(ec *evalCtx, table *catalog.TableDesc, vals []types.Datum) ([]indexEntry, error) {
	boxes := make([]geoBox, len(s.conds))
	nullKey := types.EncodeKey([]types.Datum{nil})
	lower, upper := []byte(nil), []byte(nil)
	lo, hi := math.Inf(-1), math.Inf(1)
	for i, c := range s.conds {
		switch c.op {
		case "isnull":
			lower, upper = nullKey, keyEnd(nullKey)
			continue
		case "notnull":
			continue
		}
		q, ok := boundingBox(vals[i])
		if !ok {
			return nil, nil
		}
		boxes[i] = q
		// The left edges an entry satisfying the condition may have.
		switch c.op {
		case "&&", "<@", "<<", "~=":
			hi = math.Min(hi, q.xhi+gistSlack(q.xhi))
		}
		switch c.op {
		case "<@", "~=":
			lo = math.Max(lo, q.xlo-gistSlack(q.xlo))
		case ">>":
			lo = math.Max(lo, q.xhi-gistSlack(q.xhi))
		}
	}
	if lower == nil && (len(s.conds) > 0 || s.order == nil) {
		lower = keyEnd(nullKey)
		if !math.IsInf(lo, -1) && !math.IsNaN(lo) {
			lower = types.EncodeKey([]types.Datum{lo})
		}
		if !math.IsInf(hi, 1) && !math.IsNaN(hi) {
			upper = keyEnd(types.EncodeKey([]types.Datum{hi}))
		}
	}
	var out []indexEntry
	err := s.entries(ec, table, lower, upper, func(key, pk []byte) error {
		e, notNull := gistKeyBox(key)
		for i, c := range s.conds {
			switch c.op {
			case "isnull":
				if notNull {
					return nil
				}
				continue
			case "notnull":
				if !notNull {
					return nil
				}
				continue
			}
			if !notNull || !gistConsistent(c.op, e, boxes[i]) {
				return nil
			}
		}
		out = append(out, indexEntry{key: slices.Clone(key), pk: slices.Clone(pk)})
		return nil
	})
	return out, err
}

// gistConsistent reports whether a value with bounding box e may satisfy
// "value op q" for a query value with bounding box q. A box with a NaN
// coordinate may satisfy anything.
func gistConsistent(op string, e, q geoBox) bool {
	for _, f := range []float64{e.xlo, e.ylo, e.xhi, e.yhi, q.xlo, q.ylo, q.xhi, q.yhi} {
		if math.IsNaN(f) {
			return true
		}
	}
	le := func(a, b float64) bool { return a <= b+gistSlack(b) } // a <= b, fuzzily
	switch op {
	case "&&":
		return le(e.xlo, q.xhi) && le(q.xlo, e.xhi) && le(e.ylo, q.yhi) && le(q.ylo, e.yhi)
	case "<@":
		return le(q.xlo, e.xlo) && le(e.xhi, q.xhi) && le(q.ylo, e.ylo) && le(e.yhi, q.yhi)
	case "@>":
		return le(e.xlo, q.xlo) && le(q.xhi, e.xhi) && le(e.ylo, q.ylo) && le(q.yhi, e.yhi)
	case "~=":
		return le(e.xlo, q.xlo) && le(q.xlo, e.xlo) && le(e.xhi, q.xhi) && le(q.xhi, e.xhi) &&
			le(e.ylo, q.ylo) && le(q.ylo, e.ylo) && le(e.yhi, q.yhi) && le(q.yhi, e.yhi)
	case "<<":
		return le(e.xhi, q.xlo)
	case ">>":
		return le(q.xhi, e.xlo)
	case "<<|":
		return le(e.yhi, q.ylo)
	case "|>>":
		return le(q.yhi, e.ylo)
	}
	return true
}

// amRefuses refuses what CREATE INDEX s asks of GIN or GiST (method) that
// PostgreSQL's access method does not support, with its message, and an
// exclusion constraint over GiST, whose operators cairn's exclusion
// constraints (equality only) do not take.
func amRefuses(s *ast.CreateIndexStmt, method string) error {
	refuses := func(what string) error {
		return pgerr.New(pgerr.FeatureNotSupported, "access method \"%s\" does not support %s", method, what)
	}
	switch {
	case s.Unique && !s.Exclusion:
		return refuses("unique indexes")
	case len(s.Include) > 0 && method == "gin":
		return refuses("included columns")
	case s.Exclusion && method == "gin":
		return refuses("exclusion constraints")
	case s.Exclusion:
		return pgerr.New(pgerr.FeatureNotSupported, "exclusion constraints using access method \"%s\" are not supported", method).
			WithHint("cairn's exclusion constraints use btree or hash with the = operator.")
	case slices.ContainsFunc(s.Columns, func(c ast.IndexColumn) bool { return c.Desc }):
		return refuses("ASC/DESC options")
	case slices.ContainsFunc(s.Columns, func(c ast.IndexColumn) bool { return c.Nulls != "" }):
		return refuses("NULLS FIRST/LAST options")
	}
	return nil
}

// amKeeps reports whether cairn keeps an index of method on a key of
// type t: GIN on arrays, GiST on box, point, polygon and circle.
func amKeeps(method string, t types.T) bool {
	switch method {
	case "gin":
		return t.IsArray()
	case "gist":
		switch t.ID {
		case types.PointType, types.BoxType, types.PolygonType, types.CircleType:
			return true
		}
	}
	return false
}

// writeAMIndex adds the GIN or GiST entries of a row just written under
// key pk with key values vals (writeIndex): those its old version, under
// the same key, did not have already.
func (w *tableWriter) writeAMIndex(x *execCtx, idx *catalog.IndexDesc, pk []byte, vals, old []types.Datum, oldPK []byte) error {
	var had [][]byte
	if old != nil && bytes.Equal(pk, oldPK) {
		ks, in, err := w.keys.entries(x, idx, old)
		if err != nil {
			return err
		}
		if in {
			had = ks
		}
	}
	for _, k := range indexEntryKeys(idx, vals) {
		if slices.ContainsFunc(had, func(h []byte) bool { return bytes.Equal(h, k) }) {
			continue // the old entry still leads to the row
		}
		if err := x.s.e.heap.InsertIndexEntry(x.op(), idx.StorageID(), k, pk); err != nil {
			return err
		}
	}
	return nil
}

// describeAMScan completes n, the EXPLAIN node of a scan through a GIN or
// GiST index of rows rows: its Index Cond, or for a bitmap its Recheck
// Cond and the Bitmap Index Scan below it.
func (d *describer) describeAMScan(n *explainNode, s *amScan, origin scanOrigin, hasOrigin bool, rows float64) {
	var conds []ast.Expr
	for _, c := range s.conds {
		conds = append(conds, c.src)
	}
	n.indexConds = conds
	n.rows = clampRows(rows * 0.005)
	n.startup, n.total = 0.15, 0.15+randomPageCost*2+n.rows*cpuTupleCost
	text := func() string {
		if !hasOrigin {
			return "?"
		}
		return d.conjText(conds, origin.sc)
	}
	if !s.bitmap {
		if len(conds) > 0 {
			d.prop(n, "Index Cond", text)
		}
		if o := s.order; o != nil {
			d.prop(n, "Order By", func() string { return d.astText(o.src, o.sc) })
		}
		return
	}
	d.prop(n, "Recheck Cond", text)
	child := d.node("Bitmap Index Scan", "Bitmap Index Scan")
	child.stats = nil
	child.index = s.index.Name
	child.rows, child.total = n.rows, 0.15+randomPageCost+n.rows*cpuOperatorCost
	d.prop(child, "Index Cond", text)
	n.children = append(n.children, child)
}

// amConst reports whether e keeps one value for a whole scan: what
// isScanConst accepts, or a cast of it ('(0,0,1,1)'::box).
func (b *binder) amConst(e ast.Expr, sc *scope) bool {
	if c, ok := e.(*ast.CastExpr); ok {
		return b.amConst(c.X, sc)
	}
	return b.isScanConst(e, sc)
}
