package sql

import (
	"slices"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// Typed tables: CREATE TABLE t OF type, ALTER TABLE t OF type and NOT OF.
// A typed table takes its columns from a stand-alone composite type
// (CREATE TYPE ... AS) and records it in TableDesc.OfType
// (pg_class.reloftype). Its columns then change only with the type:
// ALTER TABLE refuses to add, drop, retype or rename them, and ALTER TYPE
// ... CASCADE makes the same change to every typed table of the type
// (typedTablesCascade).

// ofType resolves the type a typed table names: a composite type made
// with CREATE TYPE, not a table's row type (42809 otherwise).
func (b *binder) ofType(tn ast.TypeName) (*catalog.TableDesc, error) {
	t, _, err := b.resolveType(tn)
	if err != nil {
		return nil, err
	}
	var d *catalog.TableDesc
	if oid := compositeOID(t); oid != 0 && !t.IsArray() {
		if d, _, err = b.s.e.cat.TypeByOID(b.snap, oid); err != nil {
			return nil, err
		}
	}
	if d == nil || !d.IsComposite() {
		return nil, pgerr.New(pgerr.WrongObjectType, "type %s is not a composite type", types.Format(t))
	}
	return d, nil
}

// typedColumns gives desc, a table created OF typ, the type's attributes
// as its columns.
func typedColumns(desc, typ *catalog.TableDesc) {
	desc.OfType = typ.ID
	for _, a := range typ.Columns {
		desc.Columns = append(desc.Columns, catalog.ColumnDesc{Name: a.Name, Type: a.Type, Domain: a.Domain})
	}
}

// typedColumnOptions applies c, the WITH OPTIONS clause of a typed
// table's column (it names no type), to that column of desc.
func (b *binder) typedColumnOptions(desc *catalog.TableDesc, c ast.ColumnDef, seen map[string]bool) error {
	i := desc.ColumnIndex(c.Name)
	if i < 0 {
		return pgerr.New(pgerr.UndefinedColumn, "column \"%s\" does not exist", c.Name)
	}
	if seen[c.Name] {
		return pgerr.New(pgerr.DuplicateColumn, "column \"%s\" specified more than once", c.Name)
	}
	seen[c.Name] = true
	if c.Identity != "" || c.Generated != nil || c.Serial {
		return pgerr.New(pgerr.FeatureNotSupported, "identity and generated columns of typed tables are not supported")
	}
	col := &desc.Columns[i]
	col.NotNull = col.NotNull || c.NotNull || c.PrimaryKey
	if c.Default != nil {
		if err := checkDefault(c.Default); err != nil {
			return err
		}
		e, err := b.bindExpr(c.Default, nil)
		if err != nil {
			return err
		}
		if _, err := b.assign(e, col.Type, c.Name, c.Default.Position()); err != nil {
			return err
		}
		if !isNullConst(e) {
			col.Default = c.DefaultSQL
		}
	}
	if c.PrimaryKey {
		if len(desc.PK) > 0 {
			return pgerr.New(pgerr.InvalidTableDefinition, "multiple primary keys for table \"%s\" are not allowed", desc.Name).WithPosition(c.Pos)
		}
		desc.PK, desc.PKName = []int{i}, c.PKName
	}
	return nil
}

// refuseTypedTableChange refuses the column changes a typed table takes
// only from its type, and INHERIT and NO INHERIT, as PostgreSQL does.
func (b *binder) refuseTypedTableChange(s *ast.AlterTableStmt) error {
	if s.FromType {
		return nil
	}
	kinds := []*ast.AlterTableStmt{s}
	if s.Subcommands != nil {
		kinds = s.Subcommands
	}
	if !slices.ContainsFunc(kinds, func(c *ast.AlterTableStmt) bool {
		return c.AddColumn != nil || c.DropColumn != nil || c.AlterType != nil || c.RenameColumn != nil || c.Inherit != nil || c.NoInherit != nil
	}) {
		return nil
	}
	t, _, err := b.s.lookupRel(b.snap, s.Table.Name)
	if err != nil || t == nil || t.OfType == 0 {
		return err
	}
	for _, c := range kinds {
		switch {
		case c.AddColumn != nil:
			return pgerr.New(pgerr.WrongObjectType, "cannot add column to typed table")
		case c.DropColumn != nil:
			return pgerr.New(pgerr.WrongObjectType, "cannot drop column from typed table")
		case c.AlterType != nil:
			return pgerr.New(pgerr.WrongObjectType, "cannot alter column type of typed table")
		case c.RenameColumn != nil:
			return pgerr.New(pgerr.WrongObjectType, "cannot rename column of typed table")
		case c.Inherit != nil || c.NoInherit != nil:
			return pgerr.New(pgerr.WrongObjectType, "cannot change inheritance of typed table")
		}
	}
	return nil
}

// typedTablePlan runs ALTER TABLE ... OF type and NOT OF.
type typedTablePlan struct{ stmt *ast.AlterTableStmt }

func (p *typedTablePlan) columns() []Column { return nil }

func (p *typedTablePlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	s := p.stmt
	table, tuple, res, err := lockAlterTarget(x, s)
	if table == nil {
		return res, err
	}
	updated := *table
	if s.NotOf {
		if table.OfType == 0 {
			return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a typed table", table.Name)
		}
		updated.OfType = 0
	} else {
		typ, err := (&binder{s: x.s, snap: x.snap}).ofType(*s.OfType)
		if err != nil {
			return nil, err
		}
		if err := matchesType(table, typ); err != nil {
			return nil, err
		}
		updated.OfType = typ.ID
	}
	if err := replaceTableDesc(x, tuple, &updated); err != nil {
		return nil, err
	}
	return res, nil
}

// matchesType checks that table's columns are typ's attributes: the same
// names, types and modifiers, in the same order, and no others. A table
// with parents cannot become typed.
func matchesType(table, typ *catalog.TableDesc) error {
	if len(table.Inherits) > 0 {
		return pgerr.New(pgerr.WrongObjectType, "typed tables cannot inherit")
	}
	for i, a := range typ.Columns {
		if i >= len(table.Columns) {
			return pgerr.New(pgerr.DatatypeMismatch, "table is missing column \"%s\"", a.Name)
		}
		c := table.Columns[i]
		if c.Name != a.Name {
			return pgerr.New(pgerr.DatatypeMismatch, "table has column \"%s\" where type requires \"%s\"", c.Name, a.Name)
		}
		if !sameType(c.Type, a.Type) || c.Domain != a.Domain {
			return pgerr.New(pgerr.DatatypeMismatch, "table \"%s\" has different type for column \"%s\"", table.Name, a.Name)
		}
	}
	if len(table.Columns) > len(typ.Columns) {
		return pgerr.New(pgerr.DatatypeMismatch, "table has extra column \"%s\"", table.Columns[len(typ.Columns)].Name)
	}
	return nil
}

// typedTablesOf returns the typed tables of the composite type d.
func typedTablesOf(x *execCtx, d *catalog.TableDesc) ([]*catalog.TableDesc, error) {
	all, err := x.s.e.cat.All(x.snap)
	if err != nil {
		return nil, err
	}
	var out []*catalog.TableDesc
	for _, t := range all {
		if t.OfType == d.ID && t.IndexOf == "" && t.View == "" && t.Sequence == nil {
			out = append(out, t)
		}
	}
	return out, nil
}

// refuseTypedTables fails ALTER TYPE on d without CASCADE while tables
// are typed with it.
func refuseTypedTables(tables []*catalog.TableDesc, d *catalog.TableDesc, actions []ast.CompositeAction) error {
	if len(tables) == 0 {
		return nil
	}
	for _, a := range actions {
		if !a.Cascade {
			return pgerr.New(pgerr.DependentObjectsStillExist, "cannot alter type \"%s\" because it is the type of a typed table", d.Name).
				WithHint("Use ALTER ... CASCADE to alter the typed tables too.")
		}
	}
	return nil
}

// typedTablesCascade makes ALTER TYPE's attribute changes to the typed
// tables of the type (and, as ALTER TABLE does, to their inheritance
// children): ADD, DROP, ALTER and RENAME ATTRIBUTE become the same
// commands on the columns.
func typedTablesCascade(x *execCtx, ec *evalCtx, tables []*catalog.TableDesc, actions []ast.CompositeAction) ([]Notice, error) {
	var notices []Notice
	for _, t := range tables {
		for _, a := range actions {
			s := &ast.AlterTableStmt{Table: ast.TableRef{Name: t.Key()}, FromType: true}
			switch a.Kind {
			case "add":
				s.AddColumn = &ast.ColumnDef{Name: a.Attr.Name, Type: a.Attr.Type, Pos: a.Attr.Pos}
			case "drop":
				s.DropColumn = &ast.DropColumn{Name: a.Attr.Name, MissingOk: a.IfExists, Cascade: true}
			case "type":
				s.AlterType = &ast.AlterColumnType{Column: a.Attr.Name, Type: a.Attr.Type, Pos: a.Attr.Pos}
			case "rename":
				s.RenameColumn = &ast.RenameColumn{Old: a.Attr.Name, New: a.NewName}
			}
			nextCommand(x)
			bound, err := (&binder{s: x.s, snap: x.snap}).bindAlterTable(s)
			if err != nil {
				return nil, err
			}
			res, err := bound.execute(x, ec)
			if err != nil {
				return nil, err
			}
			if res != nil {
				notices = append(notices, res.Notices...)
			}
		}
	}
	return notices, nil
}
