package sql

import (
	"slices"
	"sort"
	"strings"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// Declarative partitioning: partition bounds, routing rows to partitions,
// and pruning partitions from scans.
//
// A partitioned table (TableDesc.PartKey) stores no rows. Each partition
// has a bound (TableDesc.PartBound) over the key: RANGE partitions a
// half-open interval FROM (...) TO (...) compared column by column,
// MINVALUE and MAXVALUE sorting before and after every value; LIST
// partitions a set of values (NULL among them); HASH partitions a
// remainder of the key's hash modulo a modulus; the DEFAULT partition
// takes the rows no other partition admits. Bounds may not overlap
// (42P17). An INSERT or COPY into the partitioned table routes each row to
// its partition, through sub-partitioned ones (router); a row no partition
// admits is 23514. A write to a partition directly checks the row
// against the partition's bound and its ancestors' (partition
// constraint, 23514). A primary key or unique constraint on a
// partitioned table must hold the key's columns, so each partition's own
// index enforces it across all of them.

// rangeDatum is one decoded entry of a range bound.
type rangeDatum struct {
	kind catalog.BoundKind
	v    types.Datum
}

// decodedBound is a partition bound with its values decoded.
type decodedBound struct {
	def      bool
	in       []types.Datum // nil entries are NULL
	from, to []rangeDatum
	modulus  int
	rem      int
}

func decodeBound(b *catalog.PartitionBound, keyTypes []types.T) (*decodedBound, error) {
	out := &decodedBound{def: b.Default, modulus: b.Modulus, rem: b.Remainder}
	for _, d := range b.In {
		if d.Null {
			out.in = append(out.in, nil)
			continue
		}
		v, err := types.ParseText(keyTypes[0], d.Text)
		if err != nil {
			return nil, err
		}
		out.in = append(out.in, v)
	}
	side := func(ds []catalog.BoundDatum) ([]rangeDatum, error) {
		var r []rangeDatum
		for i, d := range ds {
			rd := rangeDatum{kind: d.Kind}
			if d.Kind == catalog.BoundValue && i < len(keyTypes) {
				v, err := types.ParseText(keyTypes[i], d.Text)
				if err != nil {
					return nil, err
				}
				rd.v = v
			}
			r = append(r, rd)
		}
		return r, nil
	}
	var err error
	if out.from, err = side(b.From); err != nil {
		return nil, err
	}
	if out.to, err = side(b.To); err != nil {
		return nil, err
	}
	return out, nil
}

// cmpRangeKey compares a range bound with a key: the first entry that
// differs decides; MINVALUE is below and MAXVALUE above every value.
func cmpRangeKey(b []rangeDatum, key []types.Datum) int {
	for i, d := range b {
		switch d.kind {
		case catalog.BoundMinValue:
			return -1
		case catalog.BoundMaxValue:
			return 1
		}
		if c := types.Compare(d.v, key[i]); c != 0 {
			return c
		}
	}
	return 0
}

// cmpRangeBounds compares two range bounds entry by entry.
func cmpRangeBounds(a, b []rangeDatum) int {
	for i := range a {
		if a[i].kind != b[i].kind {
			return kindRank(a[i].kind) - kindRank(b[i].kind)
		}
		if a[i].kind != catalog.BoundValue {
			return 0
		}
		if c := types.Compare(a[i].v, b[i].v); c != 0 {
			return c
		}
	}
	return 0
}

// kindRank places MINVALUE before values before MAXVALUE.
func kindRank(k catalog.BoundKind) int {
	switch k {
	case catalog.BoundMinValue:
		return -1
	case catalog.BoundMaxValue:
		return 1
	}
	return 0
}

// admits reports whether a non-default bound admits key, the row's
// values of the partition key's columns.
func (d *decodedBound) admits(strategy string, keyTypes []types.T, key []types.Datum) bool {
	switch strategy {
	case "l":
		for _, v := range d.in {
			if v == nil && key[0] == nil || v != nil && key[0] != nil && types.Compare(v, key[0]) == 0 {
				return true
			}
		}
		return false
	case "r":
		for _, v := range key {
			if v == nil {
				return false
			}
		}
		return cmpRangeKey(d.from, key) <= 0 && cmpRangeKey(d.to, key) > 0
	case "h":
		return partitionHash(keyTypes, key)%uint64(d.modulus) == uint64(d.rem)
	}
	return false
}

// partLevel is a partition's bound as a check on rows of another table
// (the scanned or written one), whose columns keyCols name.
type partLevel struct {
	strategy string
	// parent is the partitioned table the bound is of, siblings its
	// other partitions' bounds (a default partition admits what they
	// do not).
	parent   *catalog.TableDesc
	keyCols  []int
	keyExprs []expr // expression keys over the base table's row; nil for column keys
	keyTypes []types.T
	bound    *decodedBound
	siblings []*decodedBound
}

// newPartLevel builds the check of part's bound (a partition of parent)
// on rows of base, whose columns it finds by name.
func (b *binder) newPartLevel(base, parent *catalog.TableDesc, part *catalog.PartitionBound) (partLevel, error) {
	lv, err := b.scanPartLevel(base, parent, part)
	if err != nil {
		return lv, err
	}
	if lv.bound, err = decodeBound(part, lv.keyTypes); err != nil {
		return lv, err
	}
	if part.Default {
		for _, name := range parent.Children {
			d, _, err := b.s.e.cat.Lookup(b.snap, name)
			if err != nil {
				return lv, err
			}
			if d == nil || d.PartBound == nil || d.PartBound.Default {
				continue
			}
			db, err := decodeBound(d.PartBound, lv.keyTypes)
			if err != nil {
				return lv, err
			}
			lv.siblings = append(lv.siblings, db)
		}
	}
	return lv, nil
}

// scanPartLevel is the check of part's bound (a partition of parent) on
// rows of root, without the siblings a default partition's check needs.
func (b *binder) scanPartLevel(root, parent *catalog.TableDesc, part *catalog.PartitionBound) (partLevel, error) {
	lv := partLevel{strategy: parent.PartKey.Strategy, parent: parent, keyTypes: parent.KeyTypes()}
	for _, c := range parent.PartKey.Columns {
		if c < 0 {
			lv.keyCols = append(lv.keyCols, -1)
			continue
		}
		lv.keyCols = append(lv.keyCols, root.ColumnIndex(parent.Columns[c].Name))
	}
	var err error
	if lv.keyExprs, err = b.partKeyExprs(root, parent); err != nil {
		return lv, err
	}
	lv.bound, err = decodeBound(part, lv.keyTypes)
	return lv, err
}

// key extracts the level's key from a row of its base table.
func (lv *partLevel) key(row []types.Datum) ([]types.Datum, error) {
	return partKeyOf(lv.keyCols, lv.keyExprs, row)
}

// admits reports whether the row (of the level's base table) satisfies
// the bound; a key expression that fails admits nothing.
func (lv *partLevel) admits(row []types.Datum) bool {
	key, err := lv.key(row)
	if err != nil {
		return false
	}
	if !lv.bound.def {
		return lv.bound.admits(lv.strategy, lv.keyTypes, key)
	}
	for _, s := range lv.siblings {
		if s.admits(lv.strategy, lv.keyTypes, key) {
			return false
		}
	}
	return true
}

// sortPartitions orders a partitioned table's partitions as PostgreSQL
// lists them: by bound (range by lower bound, list by least value, hash
// by modulus then remainder), the default partition last.
func sortPartitions(parent *catalog.TableDesc, parts []*catalog.TableDesc) {
	keyTypes := parent.KeyTypes()
	type entry struct {
		d *catalog.TableDesc
		b *decodedBound
	}
	es := make([]entry, len(parts))
	for i, p := range parts {
		es[i].d = p
		if p.PartBound != nil {
			es[i].b, _ = decodeBound(p.PartBound, keyTypes)
		}
	}
	least := func(b *decodedBound) types.Datum {
		var m types.Datum
		for _, v := range b.in {
			if v != nil && (m == nil || types.Compare(v, m) < 0) {
				m = v
			}
		}
		return m
	}
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i].b, es[j].b
		switch {
		case a == nil || b == nil:
			return a != nil
		case a.def || b.def:
			return !a.def && b.def
		}
		switch parent.PartKey.Strategy {
		case "r":
			return cmpRangeBounds(a.from, b.from) < 0
		case "l":
			ma, mb := least(a), least(b)
			switch {
			case ma == nil || mb == nil:
				// A partition of NULL alone comes after those with
				// values.
				return ma != nil
			}
			return types.Compare(ma, mb) < 0
		case "h":
			if a.modulus != b.modulus {
				return a.modulus < b.modulus
			}
			return a.rem < b.rem
		}
		return false
	})
	for i := range es {
		parts[i] = es[i].d
	}
}

// router sends rows written to a partitioned table to their partitions.
type router struct {
	table *catalog.TableDesc
	parts []routedPart
	// def indexes the default partition in parts, -1 for none.
	def int
	// keyExprs are the table's expression keys over its rows (nil
	// entries for column keys).
	keyExprs []expr
}

type routedPart struct {
	bound *decodedBound
	w     *tableWriter
	// cols[j] is the partitioned table's column for the partition's
	// column j.
	cols []int
}

// newRouter binds the writers of desc's partitions, recursively.
func (b *binder) newRouter(desc *catalog.TableDesc, depth int) (*router, error) {
	if depth > inheritDepthMax {
		return nil, pgerr.New(pgerr.ProgramLimitExceeded, "partition hierarchy of \"%s\" is too deep", desc.Name)
	}
	r := &router{table: desc, def: -1}
	kids, err := b.children(desc, map[string]bool{})
	if err != nil {
		return nil, err
	}
	if r.keyExprs, err = b.partKeyExprs(desc, desc); err != nil {
		return nil, err
	}
	sortPartitions(desc, kids)
	keyTypes := desc.KeyTypes()
	for _, k := range kids {
		if k.PartBound == nil {
			continue
		}
		db, err := decodeBound(k.PartBound, keyTypes)
		if err != nil {
			return nil, err
		}
		w, err := b.newTableWriterDepth(k, depth+1)
		if err != nil {
			return nil, err
		}
		p := routedPart{bound: db, w: &w, cols: make([]int, len(k.Columns))}
		for j, c := range k.Columns {
			p.cols[j] = desc.ColumnIndex(c.Name)
		}
		if db.def {
			r.def = len(r.parts)
		}
		r.parts = append(r.parts, p)
	}
	return r, nil
}

// find picks the partition for a row of the partitioned table.
func (r *router) find(row []types.Datum) (*routedPart, error) {
	keyTypes := r.table.KeyTypes()
	key, err := partKeyOf(r.table.PartKey.Columns, r.keyExprs, row)
	if err != nil {
		return nil, err
	}
	for i := range r.parts {
		p := &r.parts[i]
		if !p.bound.def && p.bound.admits(r.table.PartKey.Strategy, keyTypes, key) {
			return p, nil
		}
	}
	if r.def >= 0 {
		return &r.parts[r.def], nil
	}
	names := make([]string, len(key))
	vals := make([]string, len(key))
	for i, c := range r.table.PartKey.Columns {
		if c < 0 {
			names[i] = r.table.KeyName(i)
		} else {
			names[i] = r.table.Columns[c].Name
		}
		if key[i] == nil {
			vals[i] = "null"
		} else {
			vals[i] = types.FormatText(keyTypes[i], key[i])
		}
	}
	return nil, pgerr.New(pgerr.CheckViolation, "no partition of relation \"%s\" found for row", r.table.Name).
		WithDetail("Partition key of the failing row contains (" + strings.Join(names, ", ") + ") = (" + strings.Join(vals, ", ") + ").")
}

// insert routes a row of the partitioned table to its partition and
// stores it there; it returns the table the row went to (a partition of
// a partition's, when that is partitioned too).
func (r *router) insert(x *execCtx, ec *evalCtx, row []types.Datum) (uint32, error) {
	p, err := r.find(row)
	if err != nil {
		return 0, err
	}
	out := make([]types.Datum, len(p.cols))
	for j, c := range p.cols {
		if c >= 0 {
			out[j] = row[c]
		}
	}
	if err := x.lockTableForWrite(p.w.table.ID); err != nil {
		return 0, err
	}
	var run *triggerRun
	if p.w.route == nil && p.w.trig != nil {
		if run, out, err = x.routedBefore(ec, p.w.trig, out); err != nil {
			return 0, err
		}
		if out == nil {
			return 0, errRowSkipped
		}
	}
	if err := p.w.insertRow(x, ec, out); err != nil {
		return 0, err
	}
	// The row as stored is the statement's row (RETURNING, transition
	// tables).
	for j, c := range p.cols {
		if c >= 0 {
			row[c] = out[j]
		}
	}
	if run != nil {
		if err := run.routedAfter(out); err != nil {
			return 0, err
		}
	}
	return p.w.stored, nil
}

// routeRow stores a row written to a partitioned table in its
// partition, after checking the table's own partition constraint when it
// is a partition itself.
func (w *tableWriter) routeRow(x *execCtx, ec *evalCtx, row []types.Datum) error {
	if err := w.partitionCheck(row); err != nil {
		return err
	}
	leaf, err := w.route.insert(x, ec, row)
	w.stored = leaf
	return err
}

// partitionCheck enforces the bounds of a partition and of its
// partitioned ancestors on a row written to it.
func (w *tableWriter) partitionCheck(row []types.Datum) error {
	for i := range w.partLevels {
		if !w.partLevels[i].admits(row) {
			return pgerr.New(pgerr.CheckViolation, "new row for relation \"%s\" violates partition constraint", w.table.Name).
				WithDetail("Failing row contains " + w.failingRow(row) + ".")
		}
	}
	return nil
}

// partitionLevels builds the partition constraint of desc: its bound and
// those of its ancestors, each as a check on rows of desc.
func (b *binder) partitionLevels(desc *catalog.TableDesc) ([]partLevel, error) {
	var out []partLevel
	cur := desc
	for depth := 0; cur.PartBound != nil && len(cur.Inherits) == 1; depth++ {
		if depth > inheritDepthMax {
			return nil, pgerr.New(pgerr.ProgramLimitExceeded, "partition hierarchy of \"%s\" is too deep", desc.Name)
		}
		parent, _, err := b.s.e.cat.Lookup(b.snap, cur.Inherits[0])
		if err != nil {
			return nil, err
		}
		if parent == nil || parent.PartKey == nil {
			break
		}
		lv, err := b.newPartLevel(desc, parent, cur.PartBound)
		if err != nil {
			return nil, err
		}
		out = append(out, lv)
		cur = parent
	}
	return out, nil
}

// partPruner holds the conditions of a scan's WHERE on partition key
// columns, evaluated when the scan starts.
type partPruner struct {
	conds map[int][]keyCond
}

// prunedConds are a pruner's conditions with their values.
type prunedConds struct {
	// eq lists, per column, the values an equality or IN allows; lo and
	// hi bound a column.
	eq     map[int][]types.Datum
	lo, hi map[int]bound1
	// none is set when a condition can hold for no row (col = NULL).
	none bool
	// nulls are the columns tested IS NULL (true) or IS NOT NULL
	// (false), known when the scan is planned (partprune.go).
	nulls map[int]bool
	// chars are the values equalities allow a character(n) column, known
	// when the scan is planned (partprune.go).
	chars map[int][]types.Datum
}

type bound1 struct {
	v    types.Datum
	incl bool
}

// newPruner keeps the conditions on the key columns of the partitioned
// tables among the members.
func newPruner(members []*inhMember, conds map[int][]keyCond) *partPruner {
	keep := make(map[int][]keyCond)
	for _, m := range members {
		for _, lv := range m.levels {
			for _, c := range lv.keyCols {
				if cs, ok := conds[c]; ok && c >= 0 {
					keep[c] = cs
				}
			}
		}
	}
	if len(keep) == 0 {
		return nil
	}
	return &partPruner{conds: keep}
}

func (p *partPruner) eval(ec *evalCtx) (*prunedConds, error) {
	out := &prunedConds{eq: map[int][]types.Datum{}, lo: map[int]bound1{}, hi: map[int]bound1{}}
	for col, cs := range p.conds {
		for _, c := range cs {
			vals := make([]types.Datum, len(c.vals))
			for i, e := range c.vals {
				v, err := e.Eval(ec, nil)
				if err != nil {
					return nil, err
				}
				vals[i] = v
			}
			switch c.op {
			case "=", "in":
				var keep []types.Datum
				for _, v := range vals {
					if v != nil {
						keep = append(keep, v)
					}
				}
				if old, ok := out.eq[col]; ok {
					keep = slices.DeleteFunc(keep, func(v types.Datum) bool {
						return !slices.ContainsFunc(old, func(o types.Datum) bool { return types.Compare(o, v) == 0 })
					})
				}
				if len(keep) == 0 {
					out.none = true
				}
				out.eq[col] = keep
			case ">", ">=":
				if vals[0] == nil {
					out.none = true
					continue
				}
				if old, ok := out.lo[col]; !ok || types.Compare(vals[0], old.v) > 0 {
					out.lo[col] = bound1{vals[0], c.op == ">="}
				}
			case "<", "<=":
				if vals[0] == nil {
					out.none = true
					continue
				}
				if old, ok := out.hi[col]; !ok || types.Compare(vals[0], old.v) < 0 {
					out.hi[col] = bound1{vals[0], c.op == "<="}
				}
			}
		}
	}
	return out, nil
}

// excludes reports whether the conditions exclude every row a member's
// bounds admit. It reasons on the first key column of each level only,
// and never excludes a default partition.
func (c *prunedConds) excludes(levels []partLevel) bool {
	for i := range levels {
		lv := &levels[i]
		if c.nulls != nil && c.excludesNulls(lv) {
			return true
		}
		if c.chars != nil && c.excludesChars(lv) {
			return true
		}
		col := lv.keyCols[0]
		if col < 0 || lv.bound.def {
			continue
		}
		eq, hasEq := c.eq[col]
		lo, hasLo := c.lo[col]
		hi, hasHi := c.hi[col]
		inRange := func(v types.Datum) bool {
			if hasLo && (types.Compare(v, lo.v) < 0 || !lo.incl && types.Compare(v, lo.v) == 0) {
				return false
			}
			if hasHi && (types.Compare(v, hi.v) > 0 || !hi.incl && types.Compare(v, hi.v) == 0) {
				return false
			}
			return true
		}
		switch lv.strategy {
		case "l":
			if !hasEq && !hasLo && !hasHi {
				// No condition on the column: a partition of NULL alone
				// holds rows too.
				continue
			}
			ok := false
			for _, v := range lv.bound.in {
				if v == nil || !inRange(v) {
					continue
				}
				if hasEq && !slices.ContainsFunc(eq, func(e types.Datum) bool { return types.Compare(e, v) == 0 }) {
					continue
				}
				ok = true
				break
			}
			if !ok {
				return true
			}
		case "r":
			from, to := lv.bound.from[0], lv.bound.to[0]
			single := len(lv.keyCols) == 1
			// below reports whether v lies below the partition's
			// first-column interval, above whether above it.
			below := func(v types.Datum, incl bool) bool {
				if from.kind != catalog.BoundValue {
					return from.kind == catalog.BoundMaxValue
				}
				c := types.Compare(v, from.v)
				return c < 0 || c == 0 && !incl
			}
			above := func(v types.Datum, incl bool) bool {
				if to.kind != catalog.BoundValue {
					return to.kind == catalog.BoundMinValue
				}
				c := types.Compare(v, to.v)
				return c > 0 || c == 0 && (single || !incl)
			}
			if hasHi && below(hi.v, hi.incl) {
				return true
			}
			if hasLo && above(lo.v, lo.incl) {
				return true
			}
			if hasEq {
				all := true
				for _, v := range eq {
					if !below(v, true) && !above(v, true) {
						all = false
						break
					}
				}
				if all {
					return true
				}
			}
		case "h":
			if len(lv.keyCols) != 1 || !hasEq {
				continue
			}
			all := true
			for _, v := range eq {
				if lv.bound.admits("h", lv.keyTypes, []types.Datum{v}) {
					all = false
					break
				}
			}
			if all {
				return true
			}
		}
	}
	return false
}

// bindBound evaluates a FOR VALUES clause against parent's key into the
// catalog's form; name is the partition's, for messages.
func bindBound(x *execCtx, parent *catalog.TableDesc, name string, ab *ast.PartitionBound) (*catalog.PartitionBound, error) {
	key := parent.PartKey
	out := &catalog.PartitionBound{Default: ab.Default}
	if ab.Default {
		if key.Strategy == "h" {
			return nil, pgerr.New(pgerr.InvalidTableDefinition, "a hash-partitioned table may not have a default partition")
		}
		return out, nil
	}
	strat := map[string]string{"r": "range", "l": "list", "h": "hash"}[key.Strategy]
	if ab.Strategy != strat {
		return nil, pgerr.New(pgerr.InvalidTableDefinition, "invalid bound specification for a %s partition", strat).WithPosition(ab.Pos)
	}
	b := &binder{s: x.s, snap: x.snap}
	ec := &evalCtx{exec: x}
	keyTypes := parent.KeyTypes()
	value := func(e ast.Expr, col int) (catalog.BoundDatum, error) {
		var ref *ast.ColumnRef
		var sub ast.Expr
		ast.WalkExpr(e, func(n ast.Expr) bool {
			if r, ok := n.(*ast.ColumnRef); ok && ref == nil {
				ref = r
			}
			if _, ok := n.(*ast.SubqueryExpr); ok && sub == nil {
				sub = n
			}
			return ref == nil && sub == nil
		})
		if sub != nil {
			return catalog.BoundDatum{}, pgerr.New(pgerr.FeatureNotSupported, "cannot use subquery in partition bound").WithPosition(sub.Position())
		}
		if ref != nil {
			return catalog.BoundDatum{}, pgerr.New(pgerr.FeatureNotSupported, "cannot use column reference in partition bound expression").WithPosition(ref.Pos)
		}
		if containsAggregate(e) {
			return catalog.BoundDatum{}, pgerr.New(pgerr.GroupingError, "aggregate functions are not allowed in partition bound").WithPosition(e.Position())
		}
		t := keyTypes[col]
		be, err := b.bindExpr(e, nil)
		if err != nil {
			return catalog.BoundDatum{}, err
		}
		name := parent.KeyName(col)
		if c := key.Columns[col]; c >= 0 {
			name = parent.Columns[c].Name
		}
		if be, err = b.assign(be, t, name, e.Position()); err != nil {
			return catalog.BoundDatum{}, err
		}
		v, err := be.Eval(ec, nil)
		if err != nil {
			return catalog.BoundDatum{}, err
		}
		if v == nil {
			return catalog.BoundDatum{Null: true}, nil
		}
		return catalog.BoundDatum{Text: types.FormatText(t, v)}, nil
	}
	switch key.Strategy {
	case "l":
		seen := map[string]bool{}
		for _, e := range ab.In {
			d, err := value(e, 0)
			if err != nil {
				return nil, err
			}
			k := d.Text
			if d.Null {
				k = "\x00null"
			}
			if seen[k] {
				continue
			}
			seen[k] = true
			out.In = append(out.In, d)
		}
	case "r":
		side := func(vals []ast.Expr, kinds []ast.RangeDatumKind, what string) ([]catalog.BoundDatum, error) {
			if len(vals) != len(key.Columns) {
				return nil, pgerr.New(pgerr.InvalidTableDefinition, "%s must specify exactly one value per partitioning column", what).WithPosition(ab.Pos)
			}
			var ds []catalog.BoundDatum
			for i, e := range vals {
				switch kinds[i] {
				case ast.RangeMinValue:
					ds = append(ds, catalog.BoundDatum{Kind: catalog.BoundMinValue})
					continue
				case ast.RangeMaxValue:
					ds = append(ds, catalog.BoundDatum{Kind: catalog.BoundMaxValue})
					continue
				}
				d, err := value(e, i)
				if err != nil {
					return nil, err
				}
				if d.Null {
					return nil, pgerr.New(pgerr.InvalidObjectDefinition, "cannot specify NULL in range bound")
				}
				ds = append(ds, d)
			}
			// Every entry after MINVALUE (MAXVALUE) must be MINVALUE
			// (MAXVALUE), as PostgreSQL requires.
			for i := 1; i < len(ds); i++ {
				if prev := ds[i-1].Kind; prev != catalog.BoundValue && ds[i].Kind != prev {
					which := map[catalog.BoundKind]string{catalog.BoundMinValue: "MINVALUE", catalog.BoundMaxValue: "MAXVALUE"}[prev]
					return nil, pgerr.New(pgerr.DatatypeMismatch, "every bound following %s must also be %s", which, which).WithPosition(ab.Pos)
				}
			}
			return ds, nil
		}
		// Both sides' lengths are checked before any value is read.
		if len(ab.From) != len(key.Columns) {
			return nil, pgerr.New(pgerr.InvalidTableDefinition, "FROM must specify exactly one value per partitioning column").WithPosition(ab.Pos)
		}
		if len(ab.To) != len(key.Columns) {
			return nil, pgerr.New(pgerr.InvalidTableDefinition, "TO must specify exactly one value per partitioning column").WithPosition(ab.Pos)
		}
		var err error
		if out.From, err = side(ab.From, ab.FromKind, "FROM"); err != nil {
			return nil, err
		}
		if out.To, err = side(ab.To, ab.ToKind, "TO"); err != nil {
			return nil, err
		}
		db, err := decodeBound(out, keyTypes)
		if err != nil {
			return nil, err
		}
		if cmpRangeBounds(db.from, db.to) >= 0 {
			return nil, pgerr.New(pgerr.InvalidObjectDefinition, "empty range bound specified for partition \"%s\"", name).
				WithDetail("Specified lower bound " + boundText(out.From, keyTypes) + " is greater than or equal to upper bound " + boundText(out.To, keyTypes) + ".").
				WithPosition(ab.ValuesPos)
		}
	case "h":
		if ab.Modulus <= 0 {
			return nil, pgerr.New(pgerr.InvalidTableDefinition, "modulus for hash partition must be an integer value greater than zero")
		}
		if ab.Remainder < 0 {
			return nil, pgerr.New(pgerr.InvalidTableDefinition, "remainder for hash partition must be an integer value greater than or equal to zero")
		}
		if ab.Remainder >= ab.Modulus {
			return nil, pgerr.New(pgerr.InvalidTableDefinition, "remainder for hash partition must be less than modulus")
		}
		out.Modulus, out.Remainder = ab.Modulus, ab.Remainder
	}
	return out, nil
}

// boundText renders a range bound as PostgreSQL's messages do: (1, 'a').
func boundText(ds []catalog.BoundDatum, keyTypes []types.T) string {
	b := &catalog.PartitionBound{From: ds, To: ds}
	s := b.SQL(keyTypes)
	return s[len("FOR VALUES FROM "):strings.Index(s, " TO ")]
}

// checkOverlap refuses a bound that overlaps one of parent's partitions'
// (42P17), a second default partition, or a hash modulus that is not a
// factor or multiple of its neighbours', as PostgreSQL's
// check_new_partition_bound does.
func checkOverlap(x *execCtx, parent *catalog.TableDesc, name string, nb *catalog.PartitionBound, ab *ast.PartitionBound) error {
	keyTypes := parent.KeyTypes()
	mine, err := decodeBound(nb, keyTypes)
	if err != nil {
		return err
	}
	type sibling struct {
		name string
		b    *decodedBound
	}
	var sibs []sibling
	for _, cn := range parent.Children {
		if cn == name {
			continue
		}
		c, _, err := x.s.e.cat.Lookup(x.snap, cn)
		if err != nil {
			return err
		}
		if c == nil || c.PartBound == nil {
			continue
		}
		if nb.Default && c.PartBound.Default {
			return pgerr.New(pgerr.InvalidObjectDefinition, "partition \"%s\" conflicts with existing default partition \"%s\"", name, c.Name).WithPosition(ab.Pos)
		}
		if nb.Default || c.PartBound.Default {
			continue
		}
		other, err := decodeBound(c.PartBound, keyTypes)
		if err != nil {
			return err
		}
		sibs = append(sibs, sibling{c.Name, other})
	}
	if nb.Default {
		return nil
	}
	if parent.PartKey.Strategy == "h" {
		sort.SliceStable(sibs, func(i, j int) bool {
			a, b := sibs[i].b, sibs[j].b
			return a.modulus < b.modulus || a.modulus == b.modulus && a.rem < b.rem
		})
		factor := func(detail string) error {
			return pgerr.New(pgerr.InvalidObjectDefinition, "every hash partition modulus must be a factor of the next larger modulus").WithDetail(detail)
		}
		offset := -1
		for i, sb := range sibs {
			if sb.b.modulus < mine.modulus || sb.b.modulus == mine.modulus && sb.b.rem <= mine.rem {
				offset = i
			}
		}
		if len(sibs) > 0 {
			if offset < 0 {
				if next := sibs[0]; next.b.modulus%mine.modulus != 0 {
					return factor("The new modulus " + itoa(mine.modulus) + " is not a factor of " + itoa(next.b.modulus) + ", the modulus of existing partition \"" + next.name + "\".")
				}
			} else {
				if prev := sibs[offset]; mine.modulus%prev.b.modulus != 0 {
					return factor("The new modulus " + itoa(mine.modulus) + " is not divisible by " + itoa(prev.b.modulus) + ", the modulus of existing partition \"" + prev.name + "\".")
				}
				if offset+1 < len(sibs) {
					if next := sibs[offset+1]; next.b.modulus%mine.modulus != 0 {
						return factor("The new modulus " + itoa(mine.modulus) + " is not a factor of " + itoa(next.b.modulus) + ", the modulus of existing partition \"" + next.name + "\".")
					}
				}
			}
		}
		greatest := mine.modulus
		for _, sb := range sibs {
			greatest = max(greatest, sb.b.modulus)
		}
		for r := mine.rem; r < greatest; r += mine.modulus {
			for _, sb := range sibs {
				if r%sb.b.modulus == sb.b.rem {
					return pgerr.New(pgerr.InvalidObjectDefinition, "partition \"%s\" would overlap partition \"%s\"", name, sb.name).WithPosition(ab.Pos)
				}
			}
		}
		return nil
	}
	for _, sb := range sibs {
		other := sb.b
		overlap := false
		switch parent.PartKey.Strategy {
		case "l":
			for _, v := range mine.in {
				if other.admits("l", keyTypes, []types.Datum{v}) {
					overlap = true
				}
			}
		case "r":
			overlap = cmpRangeBounds(mine.from, other.to) < 0 && cmpRangeBounds(other.from, mine.to) < 0
		}
		if overlap {
			return pgerr.New(pgerr.InvalidObjectDefinition, "partition \"%s\" would overlap partition \"%s\"", name, sb.name).WithPosition(ab.ValuesPos)
		}
	}
	return nil
}

// storedRows calls fn with each row of table visible to x, for DDL that
// checks existing rows (ATTACH PARTITION, a new partition beside a
// default one).
func storedRows(x *execCtx, table *catalog.TableDesc, fn func([]types.Datum) error) error {
	snap := x.snap
	snap.Serializable = false
	return x.s.e.heap.Scan(snap, table.StorageID(), func(t heap.Tuple) error {
		if x.ctx.Err() != nil {
			return pgerr.FromContext(x.ctx)
		}
		row, err := types.DecodeRow(t.Data)
		if err != nil {
			return err
		}
		return fn(row)
	})
}
