package sql

import (
	"slices"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/txn"
)

// viewRewrite rewrites the stored query of view v, which reads the
// relation being altered: the new text, whether it changed, and whether
// the text could be read.
type viewRewrite func(v *catalog.TableDesc, isRel func(name string) bool) (text string, changed, ok bool)

// rewriteViews applies rewrite to the views that read rel directly, with
// rel replaced by updated. With strict, every view on rel (directly or
// through others) must still bind afterwards, or the statement is
// refused (0A000) naming the view; without, a view rewrite breaks is
// left as it was.
func rewriteViews(x *execCtx, rel, updated *catalog.TableDesc, what string, strict bool, rewrite viewRewrite) (map[string]*catalog.TableDesc, error) {
	all, err := x.s.e.cat.All(x.snap)
	if err != nil {
		return nil, err
	}
	deps := catalog.Dependents(all, rel, nil, x.s.e.parseStored)
	if len(deps) == 0 {
		return nil, nil
	}
	overrides := map[string]*catalog.TableDesc{rel.Key(): updated}
	var changed []*catalog.TableDesc
	for _, d := range deps {
		if d.On.Key() != rel.Key() {
			continue
		}
		v := d.View
		text, ch, ok := rewrite(v, func(name string) bool { return catalog.NamesRelation(name, v, rel) })
		if !ok || !ch {
			continue
		}
		nv := *v
		nv.View = text
		if !strict {
			b := &binder{s: x.s, snap: x.snap, overrides: overrides}
			if _, _, err := b.bindViewRef(&nv, &ast.TableRef{Name: nv.Name}); err != nil {
				continue
			}
		}
		overrides[v.Key()] = &nv
		changed = append(changed, &nv)
	}
	if strict {
		for _, d := range deps {
			v := d.View
			if o, ok := overrides[v.Key()]; ok {
				v = o
			}
			b := &binder{s: x.s, snap: x.snap, overrides: overrides}
			if _, _, err := b.bindViewRef(v, &ast.TableRef{Name: v.Name}); err != nil {
				if pgerr.Code(err) == pgerr.DataCorrupted {
					return nil, err
				}
				return nil, pgerr.New(pgerr.FeatureNotSupported, "cannot %s while view \"%s\" uses it", what, v.Name).
					WithHint("cairn could not rewrite the view's stored query: drop the view, alter and create the view again.")
			}
		}
	}
	out := make(map[string]*catalog.TableDesc, len(changed))
	for _, v := range changed {
		_, tuple, err := x.s.e.cat.Lookup(x.snap, v.Key())
		if err != nil {
			return nil, err
		}
		if err := replaceTableDesc(x, tuple, v); err != nil {
			return nil, err
		}
		out[v.Key()] = v
	}
	return out, nil
}

// renameInViews rewrites the views that read rel for the rename of its
// column at index col from old to new (updated is rel after it), so that
// they go on reading the same column, as a PostgreSQL view, which refers
// to columns by number, does.
func renameInViews(x *execCtx, rel, updated *catalog.TableDesc, col int, old, new string) error {
	names := make([]string, len(rel.Columns))
	for i, c := range rel.Columns {
		names[i] = c.Name
	}
	what := "rename column \"" + old + "\" of relation \"" + rel.Name + "\""
	_, err := rewriteViews(x, rel, updated, what, true, func(v *catalog.TableDesc, isRel func(string) bool) (string, bool, bool) {
		return parser.RenameViewColumn(v.View, isRel, names, col, old, new)
	})
	return err
}

// addColumnInViews rewrites the views that read table, which gained a
// column, where they name all its columns by aliases: the new column gets
// an alias of its own, so that it is not mistaken for an aliased one.
func addColumnInViews(x *execCtx, table, updated *catalog.TableDesc) error {
	names := make([]string, len(table.Columns))
	for i, c := range table.Columns {
		names[i] = c.Name
	}
	name := updated.Columns[len(updated.Columns)-1].Name
	_, err := rewriteViews(x, table, updated, "", false, func(v *catalog.TableDesc, isRel func(string) bool) (string, bool, bool) {
		text, changed, ok := parser.ExtendViewAliases(v.View, isRel, names, name)
		if !ok {
			return text, changed, ok
		}
		joined, joinChanged, ok := parser.ExtendJoinAliases(text, isRel, relationWidth(x), len(names), name)
		if !ok {
			return text, changed, true
		}
		return joined, changed || joinChanged, true
	})
	return err
}

// relationWidth counts the columns of the relations a view's stored
// query names, as the catalog holds them now.
func relationWidth(x *execCtx) parser.RelationWidth {
	return func(name string) (int, bool) {
		d, _, err := x.s.lookupRel(x.snap, name)
		if err != nil || d == nil || d.IndexOf != "" {
			return 0, false
		}
		return len(d.Columns), true
	}
}

// renameViewColumn is ALTER VIEW (or ALTER TABLE) ... RENAME COLUMN on a
// view: the view's column takes the new name (its query is unchanged:
// the view's column names are kept beside it), and the views that read
// it are rewritten to read the renamed column.
func renameViewColumn(x *execCtx, s *ast.AlterTableStmt) (*Result, error) {
	rc := s.RenameColumn
	found, _, err := x.s.lookupRel(x.snap, s.Table.Name)
	if err != nil {
		return nil, err
	}
	if found == nil || found.View == "" {
		return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", catalog.DisplayName(s.Table.Name))
	}
	if err := x.checkOwner(found); err != nil {
		return nil, err
	}
	if err := x.lockTableForDDL(found.ID, txn.AccessExclusive); err != nil {
		return nil, err
	}
	view, tuple, err := x.s.e.cat.Lookup(x.snap, found.Key())
	if err != nil {
		return nil, err
	}
	if view == nil {
		return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", catalog.DisplayName(s.Table.Name))
	}
	col := view.ColumnIndex(rc.Old)
	if col < 0 {
		return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" does not exist", rc.Old)
	}
	if view.ColumnIndex(rc.New) >= 0 {
		return nil, pgerr.New(pgerr.DuplicateColumn, "column \"%s\" of relation \"%s\" already exists", rc.New, view.Name)
	}
	updated := *view
	updated.Columns = slices.Clone(view.Columns)
	updated.Columns[col].Name = rc.New
	if err := renameInViews(x, view, &updated, col, rc.Old, rc.New); err != nil {
		return nil, err
	}
	if err := replaceTableDesc(x, tuple, &updated); err != nil {
		return nil, err
	}
	return &Result{Tag: "ALTER VIEW"}, nil
}

// dropColumnInViews rewrites the views that read table and name its
// column at index col by an alias, for the column's drop: the alias goes
// with it. A view that reads the column is left as it was, for the drop
// to refuse (or cascade to) it. It returns the views rewritten.
func dropColumnInViews(x *execCtx, table, updated *catalog.TableDesc, col int) (map[string]*catalog.TableDesc, error) {
	return rewriteViews(x, table, updated, "", false, func(v *catalog.TableDesc, isRel func(string) bool) (string, bool, bool) {
		text, changed, ok := parser.DropViewAlias(v.View, isRel, col)
		if !ok {
			return text, changed, ok
		}
		joined, joinChanged, ok := parser.DropJoinAlias(text, isRel, relationWidth(x), len(table.Columns), col)
		if !ok {
			return text, changed, true
		}
		return joined, changed || joinChanged, true
	})
}
