package sql

import (
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
)

// Row types of relations (catalog/rowtype.go): a table's, view's or
// sequence's name names a composite type wherever a type name is
// accepted (NULL::t, row(1, 'a')::t, a column of type t or t[], _t), and
// a whole-row reference to a table, t in SELECT t FROM t, has that type.
// Its values are records whose shape names the type, as for CREATE TYPE
// ... AS (composite.go), so casts, field selection, comparison, I/O and
// storage are the composite types'. The type follows its relation: ALTER
// TABLE ... ADD, DROP and RENAME COLUMN carry the change into the columns
// (and composite types) that hold its values; ALTER COLUMN TYPE is
// refused while any do (0A000); DROP of the relation refuses (2BP01) or,
// with CASCADE, drops those columns.

// relationRowType resolves tn as the row type of the relation it names
// (or, for _rel, its array type); ok is false when it names none.
func (b *binder) relationRowType(tn ast.TypeName) (t types.T, ok bool, err error) {
	name, array := tn.Name, tn.Array
	d, _, err := b.s.lookupRel(b.snap, name)
	if err != nil {
		if pgerr.Code(err) == pgerr.InvalidSchemaName {
			return types.T{}, false, nil
		}
		return types.T{}, false, err
	}
	if (d == nil || !d.HasRowType()) && len(name) > 1 && name[0] == '_' && !array {
		if d, _, err = b.s.lookupRel(b.snap, name[1:]); err != nil {
			return types.T{}, false, nil
		}
		array = true
	}
	if d == nil || !d.HasRowType() {
		return types.T{}, false, nil
	}
	if o, over := b.overrides[d.Key()]; over {
		d = o
	}
	if len(tn.Mods) > 0 {
		return types.T{}, true, pgerr.New(pgerr.SyntaxError, "type modifier is not allowed for type \"%s\"", d.Name).WithPosition(tn.Pos)
	}
	t = d.RowType()
	if array {
		t, _ = types.ArrayOf(t)
	}
	return t, true, nil
}

// wholeRowType is the row type of the table whose columns, all of them
// in order, are cols (a whole-row reference to a table); ok is false for
// other FROM items (subqueries, joins, functions, views), whose rows are
// anonymous records.
func (b *binder) wholeRowType(cols []scopeCol) (types.T, bool) {
	if len(cols) == 0 || cols[0].tableID == 0 {
		return types.T{}, false
	}
	var d *catalog.TableDesc
	for _, t := range b.tables {
		if t.ID == cols[0].tableID {
			d = t
			break
		}
	}
	if d == nil || d.View != "" || len(d.Columns) != len(cols) {
		return types.T{}, false
	}
	for i, c := range cols {
		if c.tableID != d.ID || int(c.attr) != i+1 || c.name != d.Columns[i].Name {
			return types.T{}, false
		}
	}
	return d.RowType(), true
}

// rowTypeUse is a column of a table, or an attribute of a composite type,
// whose type is a relation's row type or an array of it.
type rowTypeUse struct {
	table     *catalog.TableDesc // the table, or the composite type
	column    string
	composite bool
	array     bool
}

// rowTypeUses lists the uses of relation d's row type, in the order
// PostgreSQL reports them: attributes of composite types, then columns
// of arrays of the type, then columns of the type.
func rowTypeUses(x *execCtx, d *catalog.TableDesc, dropping map[string]bool) ([]rowTypeUse, error) {
	if !d.HasRowType() {
		return nil, nil
	}
	oid := d.RowTypeOID()
	var attrs, arrays, plain []rowTypeUse
	typs, err := x.s.e.cat.Types(x.snap)
	if err != nil {
		return nil, err
	}
	for _, ct := range typs {
		if !ct.IsComposite() {
			continue
		}
		for _, c := range ct.Columns {
			if compositeOID(c.Type) == oid {
				attrs = append(attrs, rowTypeUse{table: ct, column: c.Name, composite: true, array: c.Type.IsArray()})
			}
		}
	}
	all, err := x.s.e.cat.All(x.snap)
	if err != nil {
		return nil, err
	}
	for _, t := range all {
		if t.View != "" || t.IndexOf != "" || t.Sequence != nil || t.ID == d.ID || dropping[t.Key()] {
			continue
		}
		for _, c := range t.Columns {
			if compositeOID(c.Type) != oid {
				continue
			}
			if c.Type.IsArray() {
				arrays = append(arrays, rowTypeUse{table: t, column: c.Name, array: true})
			} else {
				plain = append(plain, rowTypeUse{table: t, column: c.Name})
			}
		}
	}
	return append(append(attrs, arrays...), plain...), nil
}

// dropRowTypeUses refuses (2BP01) to drop relation d while columns or
// composite types' attributes hold values of its row type, or with
// cascade drops them, returning what it dropped as cascadeNotice takes it.
func dropRowTypeUses(x *execCtx, ec *evalCtx, d *catalog.TableDesc, cascade bool, dropping map[string]bool) ([]string, error) {
	uses, err := rowTypeUses(x, d, dropping)
	if err != nil || len(uses) == 0 {
		return nil, err
	}
	if !cascade {
		lines := make([]string, len(uses))
		for i, u := range uses {
			kind, name := "table", d.Name
			if u.composite {
				kind = "composite type"
			}
			if u.array {
				name += "[]"
			}
			lines[i] = "column " + u.column + " of " + kind + " " + u.table.Name + " depends on type " + name
		}
		return nil, pgerr.New(pgerr.DependentObjectsStillExist, "cannot drop %s %s because other objects depend on it", d.Kind(), d.Name).
			WithDetail(strings.Join(lines, "\n")).
			WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
	}
	var out []string
	for _, u := range uses {
		x.nextCommand()
		if u.composite {
			p := &alterCompositePlan{stmt: &ast.AlterCompositeStmt{Name: u.table.Name,
				Actions: []ast.CompositeAction{{Kind: "drop", Attr: ast.CompositeAttr{Name: u.column}, IfExists: true}}}}
			if _, err := p.execute(x, ec); err != nil {
				return nil, err
			}
			out = append(out, "column "+u.column+" of composite type "+u.table.Name)
			continue
		}
		drop := &dropColumnPlan{stmt: &ast.AlterTableStmt{Table: ast.TableRef{Name: u.table.Key()},
			DropColumn: &ast.DropColumn{Name: u.column, MissingOk: true, Cascade: true}}}
		if _, err := drop.execute(x, ec); err != nil {
			return nil, err
		}
		out = append(out, "column "+u.column+" of table "+u.table.Name)
	}
	x.nextCommand()
	return out, nil
}

// rowTypeUnused refuses (0A000) to change the type of a column of table
// while a table column holds values of its row type (directly, in an
// array, or inside a composite type), as PostgreSQL's
// find_composite_type_dependencies does.
func rowTypeUnused(x *execCtx, table *catalog.TableDesc) error {
	if !table.HasRowType() {
		return nil
	}
	oid := table.RowTypeOID()
	all, err := x.s.e.cat.All(x.snap)
	if err != nil {
		return err
	}
	// PostgreSQL meets the uses through the array type first.
	for _, arrays := range []bool{true, false} {
		for _, t := range all {
			if t.View != "" || t.IndexOf != "" || t.Sequence != nil {
				continue
			}
			for _, c := range t.Columns {
				if arrays && c.Type.IsArray() && compositeOID(c.Type) == oid || !arrays && catalog.UsesComposite(c.Type, oid) {
					return pgerr.New(pgerr.FeatureNotSupported, "cannot alter table \"%s\" because column \"%s.%s\" uses its row type", table.Name, t.Name, c.Name)
				}
			}
		}
	}
	return nil
}

// rowTypeChanged carries a change of table's columns (updated is the
// table now; dropped lists the column indexes dropped, in order) into the
// columns and composite types that hold values of its row type.
func rowTypeChanged(x *execCtx, table, updated *catalog.TableDesc, dropped []int) error {
	if !table.HasRowType() {
		return nil
	}
	oid := table.RowTypeOID()
	used := false
	all, err := x.s.e.cat.All(x.snap)
	if err != nil {
		return err
	}
	for _, t := range all {
		for _, c := range t.Columns {
			used = used || t.IndexOf == "" && catalog.UsesComposite(c.Type, oid)
		}
	}
	typs, err := x.s.e.cat.Types(x.snap)
	if err != nil {
		return err
	}
	for _, ct := range typs {
		for _, c := range ct.Columns {
			used = used || ct.IsComposite() && catalog.UsesComposite(c.Type, oid)
		}
	}
	if !used {
		return nil
	}
	return reshapeUsesOf(x, oid, updated.RowType(), dropped, 0)
}

// selfMember refuses a column of type t for table, which would make its
// row type a member of itself (42P16).
func selfMember(table *catalog.TableDesc, t types.T) error {
	if table.HasRowType() && catalog.UsesComposite(t, table.RowTypeOID()) {
		return pgerr.New(pgerr.InvalidTableDefinition, "composite type %s cannot be made a member of itself", table.Name)
	}
	return nil
}

// rowTypeName is format_type for the oid of a relation's row type or its
// array type; ok is false for other oids.
func (b *binder) rowTypeName(oid int64) (string, bool, error) {
	id := uint32(oid)
	if b.s == nil || int64(id) != oid || id&catalog.RowTypeBit == 0 {
		return "", false, nil
	}
	array := types.ID(id)&types.UserArrayBit != 0
	rel := id &^ (uint32(types.UserArrayBit) | catalog.RowTypeBit)
	all, err := b.s.e.cat.All(b.snap)
	if err != nil {
		return "", false, err
	}
	for _, d := range all {
		if d.ID == rel && d.HasRowType() {
			name := parser.QuoteIdent(d.Name)
			if array {
				name += "[]"
			}
			return name, true, nil
		}
	}
	return "", false, nil
}
