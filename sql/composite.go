package sql

import (
	"slices"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// Composite types, CREATE TYPE name AS (a int, b text) (catalog/composite.go
// keeps them). In expressions and in the columns that hold it, a
// composite type is a record type whose shape names the type
// (types.RecordShape.OID), so its values are records: field selection,
// comparison, output and storage are the records' (record.go). This file
// resolves and casts to the type and runs CREATE TYPE AS and ALTER TYPE's
// attribute actions; a change of the type's attributes is carried into the
// columns (and other composite types) that use it, whose stored shape is a
// copy.

// compositeOID is the oid of the composite type t is, or is an array of;
// 0 for other types.
func compositeOID(t types.T) uint32 {
	if t.Shape != nil && (t.ID == types.Record || t.ID == types.RecordArray) {
		return t.Shape.OID
	}
	return 0
}

// castComposite binds a cast to a composite type: from an untyped
// literal or a string, through the type's input; from a record with as
// many fields, field by field. ok is false when to is no composite type.
func (b *binder) castComposite(e expr, from, to types.T, explicit bool, pos int32) (expr, bool, error) {
	if !to.IsComposite() {
		return nil, false, nil
	}
	if p, isParam := e.(*paramExpr); isParam && from.ID == types.Unknown {
		b.params[p.n-1] = to
		return p, true, nil
	}
	if from.ID == types.Unknown || explicit && from.IsString() && !from.IsArray() {
		if c, isConst := e.(*constExpr); isConst {
			if c.v == nil {
				return &constExpr{t: to}, true, nil
			}
			v, err := types.ParseRecord(to.Shape, c.v.(string))
			if err != nil {
				if pe := pgerr.Find(err); pe != nil && pe.Position == 0 {
					pe.Position = pos
				}
				return nil, true, err
			}
			return &constExpr{t: to, v: v}, true, nil
		}
		return &funcExpr{t: to, args: []expr{e}, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
			return types.ParseRecord(to.Shape, a[0].(string))
		}}, true, nil
	}
	if from.ID != types.Record || from.Shape == nil {
		return nil, true, pgerr.New(pgerr.CannotCoerce, "cannot cast type %s to %s", b.typeName(from), to.Name()).WithPosition(pos)
	}
	if from.Shape.OID == to.Shape.OID {
		return &retypeExpr{x: e, t: to}, true, nil
	}
	if fields, err := b.ancestorFields(from, to); err != nil || fields != nil {
		return &rowConvertExpr{x: e, t: to, fields: fields}, true, err
	}
	n, want := len(from.Shape.Types), len(to.Shape.Types)
	if n != want {
		detail := "Input has too few columns."
		if n > want {
			detail = "Input has too many columns."
		}
		return nil, true, pgerr.New(pgerr.CannotCoerce, "cannot cast type %s to %s", from.Name(), to.Name()).WithDetail(detail).WithPosition(pos)
	}
	// A row constructor's items convert where they stand.
	if r, isRow := e.(*rowExpr); isRow {
		items := make([]expr, len(r.items))
		for i, it := range r.items {
			c, err := b.castField(it, to.Shape.Types[i], explicit, from, to, i, pos)
			if err != nil {
				return nil, true, err
			}
			items[i] = c
		}
		return &rowExpr{t: to, items: items}, true, nil
	}
	// Any other record: each field converts as a value in a row of its
	// own (colExpr 0 of a one-column row).
	convs := make([]expr, want)
	for i, ft := range from.Shape.Types {
		c, err := b.castField(&colExpr{t: ft, idx: 0}, to.Shape.Types[i], explicit, from, to, i, pos)
		if err != nil {
			return nil, true, err
		}
		convs[i] = c
	}
	return &recordCastExpr{x: e, t: to, convs: convs}, true, nil
}

// ancestorFields, when from is a table's row type and to the row type of
// one of its ancestors (INHERITS), returns for each of to's fields the
// field of from it takes: a child has its parents' columns, found by
// name, and may have more (PostgreSQL's ConvertRowtypeExpr). nil for
// other types.
func (b *binder) ancestorFields(from, to types.T) ([]int, error) {
	if b.s == nil || from.Shape.OID&catalog.RowTypeBit == 0 || to.Shape.OID&catalog.RowTypeBit == 0 || from.Shape.TypeName == "" {
		return nil, nil
	}
	d, _, err := b.s.e.cat.Lookup(b.snap, from.Shape.TypeName)
	if err != nil || d == nil || d.RowTypeOID() != from.Shape.OID {
		return nil, err
	}
	seen := map[string]bool{d.Name: true}
	level := d.Inherits
	for depth := 0; len(level) > 0 && depth <= inheritDepthMax; depth++ {
		var next []string
		for _, name := range level {
			if seen[name] {
				continue
			}
			seen[name] = true
			p, _, err := b.s.e.cat.Lookup(b.snap, name)
			if err != nil || p == nil {
				return nil, err
			}
			if p.RowTypeOID() == to.Shape.OID {
				fields := make([]int, len(to.Shape.Names))
				for i, n := range to.Shape.Names {
					fields[i] = slices.Index(from.Shape.Names, n)
					if fields[i] < 0 {
						return nil, nil
					}
				}
				return fields, nil
			}
			next = append(next, p.Inherits...)
		}
		level = next
	}
	return nil, nil
}

// rowConvertExpr converts a row of a table to the row type of one of its
// ancestors: field i of the result is field fields[i] of the row.
type rowConvertExpr struct {
	x      expr
	t      types.T
	fields []int
}

func (e *rowConvertExpr) Type() types.T { return e.t }
func (e *rowConvertExpr) Eval(c *evalCtx, row []types.Datum) (types.Datum, error) {
	v, err := e.x.Eval(c, row)
	if err != nil || v == nil {
		return nil, err
	}
	r, ok := v.(*types.RecordValue)
	if !ok {
		return nil, pgerr.New(pgerr.InternalError, "row type conversion from %T", v)
	}
	out := &types.RecordValue{Shape: e.t.Shape, Fields: make([]types.Datum, len(e.fields))}
	for i, f := range e.fields {
		if f < len(r.Fields) {
			out.Fields[i] = r.Fields[f]
		}
	}
	return out, nil
}

// castField converts field i of a record cast from one record type to
// another.
func (b *binder) castField(e expr, ft types.T, explicit bool, from, to types.T, i int, pos int32) (expr, error) {
	et := e.Type()
	if et.ID != types.Unknown && !types.CanCast(et, ft) && !ft.IsComposite() {
		return nil, pgerr.New(pgerr.CannotCoerce, "cannot cast type %s to %s", from.Name(), to.Name()).
			WithDetail("Cannot cast type " + b.typeName(et) + " to " + b.typeName(ft) + " in column " + itoa(i+1) + ".").WithPosition(pos)
	}
	return b.cast(e, ft, explicit || assignable(et, ft), pos)
}

// retypeExpr gives a value another description of the same type: a
// composite value read under an older shape of its type.
type retypeExpr struct {
	x expr
	t types.T
}

func (e *retypeExpr) Type() types.T { return e.t }
func (e *retypeExpr) Eval(c *evalCtx, row []types.Datum) (types.Datum, error) {
	return e.x.Eval(c, row)
}

// recordCastExpr converts a record to a composite type field by field:
// convs[i] reads field i as column 0 of a row of its own.
type recordCastExpr struct {
	x     expr
	t     types.T
	convs []expr
}

func (e *recordCastExpr) Type() types.T { return e.t }
func (e *recordCastExpr) Eval(c *evalCtx, row []types.Datum) (types.Datum, error) {
	v, err := e.x.Eval(c, row)
	if err != nil || v == nil {
		return nil, err
	}
	r, ok := v.(*types.RecordValue)
	if !ok {
		return nil, pgerr.New(pgerr.InternalError, "record cast from %T", v)
	}
	out := &types.RecordValue{Shape: e.t.Shape, Fields: make([]types.Datum, len(e.convs))}
	for i, conv := range e.convs {
		var f types.Datum
		if i < len(r.Fields) {
			f = r.Fields[i]
		}
		if out.Fields[i], err = conv.Eval(c, []types.Datum{f}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

type createCompositePlan struct{ stmt *ast.CreateCompositeStmt }

func (p *createCompositePlan) columns() []Column { return nil }

func (p *createCompositePlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	s := p.stmt
	if err := typeNameFree(x, s.Name); err != nil {
		return nil, err
	}
	if len(s.Attrs) > types.ColumnsMax {
		return nil, pgerr.New(pgerr.TooManyColumns, "tables can have at most %d columns", types.ColumnsMax)
	}
	desc := &catalog.TableDesc{Name: s.Name, Type: &catalog.TypeDesc{Kind: catalog.TypeComposite}}
	seen := make(map[string]bool)
	for _, a := range s.Attrs {
		if seen[a.Name] {
			return nil, pgerr.New(pgerr.DuplicateColumn, "column \"%s\" specified more than once", a.Name)
		}
		seen[a.Name] = true
		t, dom, err := attributeType(x, a)
		if err != nil {
			return nil, err
		}
		desc.Columns = append(desc.Columns, catalog.ColumnDesc{Name: a.Name, Type: t, Domain: dom})
	}
	rel, err := x.s.e.tm.NextOID()
	if err != nil {
		return nil, err
	}
	desc.Type.RelOID = rel
	if err := createTypeDesc(x, desc); err != nil {
		return nil, err
	}
	return &Result{Tag: s.Tag()}, nil
}

// attributeType resolves the type of attribute a as a column's: its
// type, and the oid of the domain it is declared with (0 for none; the
// populate functions check a field's domain).
func attributeType(x *execCtx, a ast.CompositeAttr) (types.T, uint32, error) {
	if a.Type.Name == "unknown" && !a.Type.Array {
		return types.T{}, 0, pgerr.New(pgerr.InvalidTableDefinition, "column \"%s\" has pseudo-type unknown", a.Name)
	}
	b := &binder{s: x.s, snap: x.snap}
	t, dom, err := b.resolveColumnType(a.Type)
	if err != nil {
		return types.T{}, 0, err
	}
	if err := b.checkTypeUsage(t, dom); err != nil {
		return types.T{}, 0, err
	}
	if types.IsPolymorphic(t.ID) {
		return types.T{}, 0, pgerr.New(pgerr.InvalidTableDefinition, "column \"%s\" has pseudo-type %s", a.Name, t.Name())
	}
	if dom != nil {
		return t, dom.ID, nil
	}
	return t, 0, nil
}

type alterCompositePlan struct{ stmt *ast.AlterCompositeStmt }

func (p *alterCompositePlan) columns() []Column { return nil }

func (p *alterCompositePlan) execute(x *execCtx, ec *evalCtx) (*Result, error) {
	s := p.stmt
	d, id, err := x.s.e.cat.LookupType(x.snap, s.Name)
	if err != nil {
		return nil, err
	}
	if d == nil || !d.IsComposite() {
		if d != nil && s.Actions[0].Kind == "rename" {
			return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a composite type", s.Name)
		}
		return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", s.Name)
	}
	typed, err := typedTablesOf(x, d)
	if err != nil {
		return nil, err
	}
	if err := refuseTypedTables(typed, d, s.Actions); err != nil {
		return nil, err
	}
	updated := cloneType(d)
	updated.Columns = append([]catalog.ColumnDesc(nil), d.Columns...)
	res := &Result{Tag: s.Tag()}
	// dropped lists, in order, the attribute indexes dropped from the
	// stored values.
	var dropped []int
	// physical maps each current attribute to its place in the stored
	// values, -1 for one added by this statement.
	physical := make([]int, len(d.Columns))
	for i := range physical {
		physical[i] = i
	}
	for _, a := range s.Actions {
		i := attributeIndex(updated, a.Attr.Name)
		switch a.Kind {
		case "add":
			if i >= 0 {
				return nil, pgerr.New(pgerr.DuplicateColumn, "column \"%s\" of relation \"%s\" already exists", a.Attr.Name, s.Name)
			}
			if len(updated.Columns) >= types.ColumnsMax {
				return nil, pgerr.New(pgerr.TooManyColumns, "tables can have at most %d columns", types.ColumnsMax)
			}
			t, dom, err := attributeType(x, a.Attr)
			if err != nil {
				return nil, err
			}
			if catalog.UsesComposite(t, d.ID) {
				return nil, pgerr.New(pgerr.InvalidTableDefinition, "composite type %s cannot be made a member of itself", s.Name)
			}
			updated.Columns = append(updated.Columns, catalog.ColumnDesc{Name: a.Attr.Name, Type: t, Domain: dom})
			physical = append(physical, -1)
		case "drop":
			if i < 0 {
				if a.IfExists {
					res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion,
						Message: "column \"" + a.Attr.Name + "\" of relation \"" + s.Name + "\" does not exist, skipping"})
					continue
				}
				return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", a.Attr.Name, s.Name)
			}
			if physical[i] >= 0 {
				dropped = append(dropped, physical[i])
			}
			updated.Columns = append(updated.Columns[:i:i], updated.Columns[i+1:]...)
			physical = append(physical[:i:i], physical[i+1:]...)
		case "type":
			if i < 0 {
				return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", a.Attr.Name, s.Name)
			}
			if err := compositeUnused(x, d); err != nil {
				return nil, err
			}
			t, dom, err := attributeType(x, a.Attr)
			if err != nil {
				return nil, err
			}
			if catalog.UsesComposite(t, d.ID) {
				return nil, pgerr.New(pgerr.InvalidTableDefinition, "composite type %s cannot be made a member of itself", s.Name)
			}
			updated.Columns[i].Type, updated.Columns[i].Domain = t, dom
		case "rename":
			if i < 0 {
				return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" does not exist", a.Attr.Name)
			}
			if attributeIndex(updated, a.NewName) >= 0 {
				return nil, pgerr.New(pgerr.DuplicateColumn, "column \"%s\" of relation \"%s\" already exists", a.NewName, s.Name)
			}
			updated.Columns[i].Name = a.NewName
		}
	}
	if err := replaceTypeDesc(x, id, updated); err != nil {
		return nil, err
	}
	if err := reshapeUses(x, d, updated, dropped, 0); err != nil {
		return nil, err
	}
	notices, err := typedTablesCascade(x, ec, typed, s.Actions)
	if err != nil {
		return nil, err
	}
	res.Notices = append(res.Notices, notices...)
	return res, nil
}

// attributeIndex is the index of d's attribute called name, or -1.
func attributeIndex(d *catalog.TableDesc, name string) int {
	for i, c := range d.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// compositeUnused refuses (0A000) to change an attribute's type while a
// table column holds values of the type.
func compositeUnused(x *execCtx, d *catalog.TableDesc) error {
	all, err := x.s.e.cat.All(x.snap)
	if err != nil {
		return err
	}
	for _, t := range all {
		if t.View != "" || t.IndexOf != "" || t.Sequence != nil {
			continue
		}
		for _, c := range t.Columns {
			if catalog.UsesComposite(c.Type, d.ID) {
				return pgerr.New(pgerr.FeatureNotSupported, "cannot alter type \"%s\" because column \"%s.%s\" uses it", d.Name, t.Name, c.Name)
			}
		}
	}
	return nil
}

// reshapeUses carries a change of composite type old (now updated) into
// the table columns and the other composite types that hold its values:
// their types name its new shape, and the stored values lose the fields
// at the indexes dropped.
func reshapeUses(x *execCtx, old, updated *catalog.TableDesc, dropped []int, depth int) error {
	return reshapeUsesOf(x, old.ID, updated.CompositeType(), dropped, depth)
}

// reshapeUsesOf is reshapeUses for the composite type of oid id (a
// composite type's or a relation's row type), whose type is now nt.
func reshapeUsesOf(x *execCtx, id uint32, nt types.T, dropped []int, depth int) error {
	if depth > typeDepthMax {
		return pgerr.New(pgerr.StatementTooComplex, "composite types nest too deeply")
	}
	x.nextCommand()
	all, err := x.s.e.cat.All(x.snap)
	if err != nil {
		return err
	}
	for _, t := range all {
		if t.View != "" || t.IndexOf != "" || t.Sequence != nil {
			continue
		}
		var cols []int
		for i, c := range t.Columns {
			if catalog.UsesComposite(c.Type, id) {
				cols = append(cols, i)
			}
		}
		if len(cols) == 0 {
			continue
		}
		_, tid, err := x.s.e.cat.Lookup(x.snap, t.Key())
		if err != nil {
			return err
		}
		ut := *t
		ut.Columns = append([]catalog.ColumnDesc(nil), t.Columns...)
		oldTypes := make(map[int]types.T, len(cols))
		for _, i := range cols {
			oldTypes[i] = t.Columns[i].Type
			ut.Columns[i].Type = replaceShape(t.Columns[i].Type, id, nt)
		}
		if err := replaceTableDesc(x, tid, &ut); err != nil {
			return err
		}
		if len(dropped) == 0 {
			continue
		}
		if err := x.lockTableForDDL(t.ID, txn.AccessExclusive); err != nil {
			return err
		}
		transform := func(row []types.Datum) ([]types.Datum, error) {
			out := append([]types.Datum(nil), row...)
			for _, i := range cols {
				if i < len(out) {
					out[i] = dropFields(out[i], oldTypes[i], id, dropped)
				}
			}
			return out, nil
		}
		x.nextCommand()
		if err := rewriteTable(x, t, &ut, transform, false, nil); err != nil {
			return err
		}
	}
	typs, err := x.s.e.cat.Types(x.snap)
	if err != nil {
		return err
	}
	for _, ct := range typs {
		if !ct.IsComposite() || ct.ID == id {
			continue
		}
		uses := false
		for _, c := range ct.Columns {
			uses = uses || catalog.UsesComposite(c.Type, id)
		}
		if !uses {
			continue
		}
		_, cid, err := x.s.e.cat.LookupType(x.snap, ct.Name)
		if err != nil {
			return err
		}
		uct := cloneType(ct)
		uct.Columns = append([]catalog.ColumnDesc(nil), ct.Columns...)
		for i, c := range ct.Columns {
			uct.Columns[i].Type = replaceShape(c.Type, id, nt)
		}
		if err := replaceTypeDesc(x, cid, uct); err != nil {
			return err
		}
		// The values of ct held elsewhere change with it (no field of
		// ct itself is dropped).
		if err := reshapeUses(x, ct, uct, nil, depth+1); err != nil {
			return err
		}
		if len(dropped) > 0 {
			if err := dropNestedFields(x, ct, id, dropped); err != nil {
				return err
			}
		}
	}
	return nil
}

// dropNestedFields rewrites the stored values of composite type outer
// whose fields hold values of the composite type of oid inner, which lost
// the fields dropped.
func dropNestedFields(x *execCtx, outer *catalog.TableDesc, inner uint32, dropped []int) error {
	all, err := x.s.e.cat.All(x.snap)
	if err != nil {
		return err
	}
	for _, t := range all {
		if t.View != "" || t.IndexOf != "" || t.Sequence != nil {
			continue
		}
		var cols []int
		for i, c := range t.Columns {
			if catalog.UsesComposite(c.Type, outer.ID) {
				cols = append(cols, i)
			}
		}
		if len(cols) == 0 {
			continue
		}
		if err := x.lockTableForDDL(t.ID, txn.AccessExclusive); err != nil {
			return err
		}
		outerT := outer.CompositeType()
		transform := func(row []types.Datum) ([]types.Datum, error) {
			out := append([]types.Datum(nil), row...)
			for _, i := range cols {
				out[i] = dropFields(out[i], replaceShape(t.Columns[i].Type, outer.ID, outerT), inner, dropped)
			}
			return out, nil
		}
		x.nextCommand()
		if err := rewriteTable(x, t, t, transform, false, nil); err != nil {
			return err
		}
	}
	return nil
}

// replaceShape is t with every composite type of oid id in it (t itself,
// its elements, fields of nested composite types) described as nt.
func replaceShape(t types.T, id uint32, nt types.T) types.T {
	if t.Shape == nil || t.ID != types.Record && t.ID != types.RecordArray {
		return t
	}
	if t.Shape.OID == id {
		out := t
		out.Shape = nt.Shape
		return out
	}
	shape := *t.Shape
	shape.Types = make([]types.T, len(t.Shape.Types))
	for i, ft := range t.Shape.Types {
		shape.Types[i] = replaceShape(ft, id, nt)
	}
	out := t
	out.Shape = &shape
	return out
}

// dropFields removes, from the values of composite type id held in v (of
// type t, as the values were written), the fields at the indexes
// dropped (each an index after the earlier ones were removed).
func dropFields(v types.Datum, t types.T, id uint32, dropped []int) types.Datum {
	if v == nil || t.Shape == nil {
		return v
	}
	switch x := v.(type) {
	case *types.Array:
		et, ok := t.Elem()
		if !ok {
			return v
		}
		elems := make([]types.Datum, len(x.Elems))
		for i, e := range x.Elems {
			elems[i] = dropFields(e, et, id, dropped)
		}
		return x.WithElems(elems)
	case *types.RecordValue:
		fields := append([]types.Datum(nil), x.Fields...)
		if t.Shape.OID == id {
			for _, i := range dropped {
				if i < len(fields) {
					fields = append(fields[:i:i], fields[i+1:]...)
				}
			}
			return &types.RecordValue{Fields: fields}
		}
		for i := range fields {
			if i < len(t.Shape.Types) {
				fields[i] = dropFields(fields[i], t.Shape.Types[i], id, dropped)
			}
		}
		return &types.RecordValue{Fields: fields}
	}
	return v
}

// compositeUses are the "depends on type" lines of composite type d's
// uses in other composite types' attributes, and those types.
func compositeAttrUses(x *execCtx, d *catalog.TableDesc) ([]string, []*catalog.TableDesc, error) {
	typs, err := x.s.e.cat.Types(x.snap)
	if err != nil {
		return nil, nil, err
	}
	var lines []string
	var outer []*catalog.TableDesc
	for _, ct := range typs {
		if !ct.IsComposite() || ct.ID == d.ID {
			continue
		}
		for _, c := range ct.Columns {
			if catalog.UsesComposite(c.Type, d.ID) {
				name := d.Name
				if c.Type.ID == types.RecordArray && c.Type.Shape.OID == d.ID {
					name += "[]"
				}
				lines = append(lines, "column "+c.Name+" of composite type "+ct.Name+" depends on type "+name)
				outer = append(outer, ct)
			}
		}
	}
	return lines, outer, nil
}

// dropCompositeAttrUses drops, for DROP TYPE d CASCADE, the attributes of
// other composite types that hold d's values.
func dropCompositeAttrUses(x *execCtx, d *catalog.TableDesc) ([]string, error) {
	_, outer, err := compositeAttrUses(x, d)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, ct := range outer {
		x.nextCommand()
		cur, _, err := x.s.e.cat.LookupType(x.snap, ct.Name)
		if err != nil || cur == nil {
			return out, err
		}
		var acts []ast.CompositeAction
		for _, c := range cur.Columns {
			if catalog.UsesComposite(c.Type, d.ID) {
				acts = append(acts, ast.CompositeAction{Kind: "drop", Attr: ast.CompositeAttr{Name: c.Name}, IfExists: true})
				out = append(out, "drop cascades to column "+c.Name+" of composite type "+ct.Name)
			}
		}
		if len(acts) == 0 {
			continue
		}
		p := &alterCompositePlan{stmt: &ast.AlterCompositeStmt{Name: ct.Name, Actions: acts}}
		if _, err := p.execute(x, nil); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// compositeColumnName is the "depends on type" name of composite type d
// for a column of type t: d, or d[] for an array of it.
func compositeColumnName(d *catalog.TableDesc, t types.T) string {
	if t.ID == types.RecordArray && t.Shape != nil && t.Shape.OID == d.ID {
		return d.Name + "[]"
	}
	return d.Name
}

// sameType reports whether a and b are the same type: equal ids and
// modifiers, and for a composite type (or its array) the same type, as
// their shapes are copies.
func sameType(a, b types.T) bool {
	if a.ID != b.ID || a.Mod != b.Mod {
		return false
	}
	return compositeOID(a) == compositeOID(b)
}
