package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/parser"
)

// renameInViews rewrites the stored queries of the views that read table
// for the rename of its column at index col from old to new (updated is
// the table after it), so that they go on reading the same column, as a
// PostgreSQL view, which refers to columns by number, does. A view whose
// query cannot be rewritten so that it still binds refuses the rename
// (0A000), naming the view.
func renameInViews(x *execCtx, table, updated *catalog.TableDesc, col int, old, new string) error {
	all, err := x.s.e.cat.All(x.snap)
	if err != nil {
		return err
	}
	deps := catalog.Dependents(all, table, nil, x.s.e.parseStored)
	if len(deps) == 0 {
		return nil
	}
	names := make([]string, len(table.Columns))
	for i, c := range table.Columns {
		names[i] = c.Name
	}
	overrides := map[string]*catalog.TableDesc{table.Key(): updated}
	var changed []*catalog.TableDesc
	for _, d := range deps {
		if d.On.Key() != table.Key() {
			continue
		}
		v := d.View
		text, ch, ok := parser.RenameViewColumn(v.View, func(name string) bool { return catalog.NamesRelation(name, v, table) }, names, col, old, new)
		if !ok || !ch {
			continue
		}
		nv := *v
		nv.View = text
		overrides[v.Key()] = &nv
		changed = append(changed, &nv)
	}
	for _, d := range deps {
		v := d.View
		if o, ok := overrides[v.Key()]; ok {
			v = o
		}
		b := &binder{s: x.s, snap: x.snap, overrides: overrides}
		if _, _, err := b.bindViewRef(v, &ast.TableRef{Name: v.Name}); err != nil {
			if pgerr.Code(err) == pgerr.DataCorrupted {
				return err
			}
			return pgerr.New(pgerr.FeatureNotSupported, "cannot rename column \"%s\" of table \"%s\" while view \"%s\" uses it", old, table.Name, v.Name).
				WithHint("cairn could not rewrite the view's stored query: drop the view, rename the column and create the view again.")
		}
	}
	for _, v := range changed {
		_, tuple, err := x.s.e.cat.Lookup(x.snap, v.Key())
		if err != nil {
			return err
		}
		if err := replaceTableDesc(x, tuple, v); err != nil {
			return err
		}
	}
	return nil
}
