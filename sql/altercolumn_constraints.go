package sql

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// What DROP COLUMN, RENAME COLUMN and ALTER COLUMN TYPE do to the CHECK and
// FOREIGN KEY constraints on the column, as PostgreSQL does: a dropped
// column takes its table's constraints on it along (silently), and a
// foreign key of another table that references it needs CASCADE; a
// renamed column is renamed in the CHECK conditions that name it; a
// column whose type changes must keep its foreign keys' types comparable,
// and its rows must pass the table's checks.

// checkUses reports whether a CHECK condition (SQL text) names column.
func checkUses(b *binder, text, column string) (bool, error) {
	e, err := b.parseCheck(text)
	if err != nil {
		return false, err
	}
	found := false
	ast.WalkExpr(e, func(x ast.Expr) bool {
		if r, ok := x.(*ast.ColumnRef); ok && r.Column == column {
			found = true
		}
		return !found
	})
	return found, nil
}

// shiftColumns renumbers column indexes after column col is removed.
func shiftColumns(cols []int, col int) []int {
	out := make([]int, len(cols))
	for i, c := range cols {
		out[i] = c
		if c > col {
			out[i] = c - 1
		}
	}
	return out
}

// dropColumnConstraints updates updated (table without column col) for
// the constraints on the column: its CHECKs and FOREIGN KEYs on it go,
// the others are renumbered. The foreign keys of other tables that
// reference the column make the statement fail with 2BP01, or with
// CASCADE are dropped (their notices returned); those that reference other
// columns of the table are renumbered. The other tables' new descriptors
// are written here.
func dropColumnConstraints(x *execCtx, table, updated *catalog.TableDesc, col int, cascade bool) ([]string, error) {
	name := table.Columns[col].Name
	b := &binder{s: x.s, snap: x.snap}
	for _, c := range table.Columns {
		if c.Generated == "" || c.Name == name {
			continue
		}
		uses, err := checkUses(b, c.Generated, name)
		if err != nil {
			return nil, err
		}
		if !uses {
			continue
		}
		if !cascade {
			return nil, pgerr.New(pgerr.DependentObjectsStillExist, "cannot drop column %s of table %s because other objects depend on it", name, table.Name).
				WithDetail("column " + c.Name + " of table " + table.Name + " depends on column " + name + " of table " + table.Name).
				WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
		}
		return nil, pgerr.New(pgerr.FeatureNotSupported, "DROP COLUMN ... CASCADE of a column a generated column uses is not supported")
	}
	updated.Checks = nil
	for _, c := range table.Checks {
		uses, err := checkUses(b, c.Expr, name)
		if err != nil {
			return nil, err
		}
		if !uses {
			updated.Checks = append(updated.Checks, c)
		}
	}
	renumber := func(fk catalog.ForeignKeyDesc) (catalog.ForeignKeyDesc, bool) {
		if fk.RefTable == table.Key() {
			if slices.Contains(fk.RefColumns, col) {
				return fk, false
			}
			fk.RefColumns = shiftColumns(fk.RefColumns, col)
		}
		return fk, true
	}
	var dependents []string
	updated.ForeignKeys = nil
	for _, fk := range table.ForeignKeys {
		if slices.Contains(fk.Columns, col) {
			continue // goes with the column
		}
		fk.Columns = shiftColumns(fk.Columns, col)
		fk, ok := renumber(fk)
		if !ok {
			dependents = append(dependents, "constraint "+fk.Name+" on table "+table.Name)
			continue
		}
		updated.ForeignKeys = append(updated.ForeignKeys, fk)
	}
	all, err := x.s.e.cat.All(x.snap)
	if err != nil {
		return nil, err
	}
	type change struct {
		desc *catalog.TableDesc
		fks  []catalog.ForeignKeyDesc
	}
	var others []change
	for _, t := range all {
		if t.Key() == table.Key() || t.IndexOf != "" || len(t.ForeignKeys) == 0 {
			continue
		}
		var fks []catalog.ForeignKeyDesc
		changed := false
		for _, fk := range t.ForeignKeys {
			if fk.RefTable != table.Key() {
				fks = append(fks, fk)
				continue
			}
			changed = true
			nfk, ok := renumber(fk)
			if !ok {
				dependents = append(dependents, "constraint "+fk.Name+" on table "+t.Name)
				continue
			}
			fks = append(fks, nfk)
		}
		if changed {
			others = append(others, change{t, fks})
		}
	}
	if len(dependents) > 0 && !cascade {
		lines := make([]string, len(dependents))
		for i, d := range dependents {
			lines[i] = d + " depends on column " + name + " of table " + table.Name
		}
		return nil, pgerr.New(pgerr.DependentObjectsStillExist, "cannot drop column %s of table %s because other objects depend on it", name, table.Name).
			WithDetail(strings.Join(lines, "\n")).
			WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
	}
	for _, o := range others {
		if err := x.lockTableForDDL(o.desc.ID, txn.AccessExclusive); err != nil {
			return nil, err
		}
		cur, tuple, err := x.s.e.cat.Lookup(x.snap, o.desc.Key())
		if err != nil {
			return nil, err
		}
		if cur == nil {
			continue
		}
		next := *cur
		next.ForeignKeys = o.fks
		if err := replaceTableDesc(x, tuple, &next); err != nil {
			return nil, err
		}
	}
	var notices []string
	for _, d := range dependents {
		notices = append(notices, "drop cascades to "+d)
	}
	return notices, nil
}

// renameInChecks rewrites the CHECK conditions of updated that name column
// from to name it to: each reference to it is replaced in the stored text.
// A check's condition is over its own table's columns only, so every
// reference by that name is to this column.
func renameInChecks(b *binder, updated *catalog.TableDesc, from, to string) error {
	for i, c := range updated.Columns {
		if c.Generated == "" {
			continue
		}
		text, err := renameColumnRefs(b, c.Generated, from, to)
		if err != nil {
			return err
		}
		updated.Columns[i].Generated = text
	}
	updated.Checks = slices.Clone(updated.Checks)
	for i, c := range updated.Checks {
		text, err := renameColumnRefs(b, c.Expr, from, to)
		if err != nil {
			return err
		}
		updated.Checks[i].Expr = text
	}
	return nil
}

// renameColumnRefs returns the expression text with each reference to
// column from replaced by to, quoted as needed.
func renameColumnRefs(b *binder, text, from, to string) (string, error) {
	const prefix = "SELECT "
	e, err := b.parseCheck(text)
	if err != nil {
		return "", err
	}
	src := prefix + text
	var cuts []int // byte offsets in src of the references' column names
	var bad error
	ast.WalkExpr(e, func(x ast.Expr) bool {
		r, ok := x.(*ast.ColumnRef)
		if !ok || r.Column != from {
			return true
		}
		// Pos counts characters from 1.
		at := runeOffset(src, int(r.Pos)-1)
		if r.Table != "" {
			at = skipIdent(src, at)
			if at >= len(src) || src[at] != '.' {
				bad = pgerr.New(pgerr.InternalError, "cannot find column %q in %q", from, text)
				return false
			}
			at++
		}
		cuts = append(cuts, at)
		return true
	})
	if bad != nil {
		return "", bad
	}
	slices.Sort(cuts)
	var out strings.Builder
	last := 0
	for _, at := range cuts {
		end := skipIdent(src, at)
		out.WriteString(src[last:at])
		out.WriteString(parser.QuoteIdent(to))
		last = end
	}
	out.WriteString(src[last:])
	return strings.TrimPrefix(out.String(), prefix), nil
}

// runeOffset is the byte offset of the n-th character of s.
func runeOffset(s string, n int) int {
	at := 0
	for i := 0; i < n && at < len(s); i++ {
		_, size := utf8.DecodeRuneInString(s[at:])
		at += size
	}
	return at
}

// skipIdent returns the offset just past the identifier (quoted or not)
// that starts at s[at].
func skipIdent(s string, at int) int {
	if at < len(s) && s[at] == '"' {
		for i := at + 1; i < len(s); i++ {
			if s[i] == '"' {
				if i+1 < len(s) && s[i+1] == '"' {
					i++
					continue
				}
				return i + 1
			}
		}
		return len(s)
	}
	i := at
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !(r == '_' || r == '$' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r >= 0x80) {
			break
		}
		i += size
	}
	return i
}

// checkTypeChangeKeys refuses a column type change that leaves a foreign
// key on the column with key types PostgreSQL cannot compare (42804).
func checkTypeChangeKeys(x *execCtx, table *catalog.TableDesc, col int, t types.T) error {
	b := &binder{s: x.s, snap: x.snap}
	for i, c := range table.Columns {
		if c.Generated == "" || i == col {
			continue
		}
		uses, err := checkUses(b, c.Generated, table.Columns[col].Name)
		if err != nil {
			return err
		}
		if uses {
			return pgerr.New(pgerr.FeatureNotSupported, "cannot alter type of a column used by a generated column").
				WithDetail("Column \"" + table.Columns[col].Name + "\" is used by generated column \"" + c.Name + "\".")
		}
	}
	all, err := x.s.e.cat.All(x.snap)
	if err != nil {
		return err
	}
	byName := make(map[string]*catalog.TableDesc, len(all))
	for _, d := range all {
		byName[d.Key()] = d
	}
	incompatible := func(fk catalog.ForeignKeyDesc, child, parent types.T, childCol, parentCol string) error {
		return pgerr.New(pgerr.DatatypeMismatch, "foreign key constraint \"%s\" cannot be implemented", fk.Name).
			WithDetail("Key columns \"" + childCol + "\" and \"" + parentCol + "\" are of incompatible types: " + child.Name() + " and " + parent.Name() + ".")
	}
	for _, fk := range table.ForeignKeys {
		parent := byName[fk.RefTable]
		if parent == nil {
			continue
		}
		for i, c := range fk.Columns {
			if c == col {
				pc := parent.Columns[fk.RefColumns[i]]
				if parent.Key() == table.Key() && fk.RefColumns[i] == col {
					continue // the column references itself: both sides change
				}
				if !keyTypesCompatible(t, pc.Type) {
					return incompatible(fk, t, pc.Type, table.Columns[col].Name, pc.Name)
				}
			}
		}
	}
	for _, child := range all {
		for _, fk := range child.ForeignKeys {
			if fk.RefTable != table.Key() {
				continue
			}
			for i, rc := range fk.RefColumns {
				if rc != col || child.Name == table.Name && fk.Columns[i] == col {
					continue
				}
				cc := child.Columns[fk.Columns[i]]
				if !keyTypesCompatible(cc.Type, t) {
					return incompatible(fk, cc.Type, t, cc.Name, table.Columns[col].Name)
				}
			}
		}
	}
	return nil
}
