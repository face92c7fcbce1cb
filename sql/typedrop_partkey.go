package sql

import (
	"slices"
	"strings"

	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
)

// splitKeyUses separates, among the columns of a type being dropped, the
// partitioned tables whose partition key column is of it: as in
// PostgreSQL, such a table depends on the type as a whole (its key cannot
// lose the column), so DROP ... CASCADE drops the table, its partitions
// with it. rest holds the other uses, less the partitions' columns of
// the tables returned (they go with their table).
func splitKeyUses(uses []typeUse) (keyTables []*catalog.TableDesc, rest []typeUse) {
	byKey := make(map[string]*catalog.TableDesc)
	dropped := make(map[string]bool)
	for _, u := range uses {
		byKey[u.table.Key()] = u.table
		if u.table.PartKey != nil && slices.Contains(u.table.PartKey.Columns, u.column) && !dropped[u.table.Key()] {
			dropped[u.table.Key()] = true
			keyTables = append(keyTables, u.table)
		}
	}
	// goes reports whether t is dropped with a key table: it is one, or
	// a partition of one through tables that have the column too.
	goes := func(t *catalog.TableDesc) bool {
		for n := 0; t != nil && n <= len(byKey); n++ {
			if dropped[t.Key()] {
				return true
			}
			if t.PartBound == nil || len(t.Inherits) != 1 {
				return false
			}
			t = byKey[t.Inherits[0]]
		}
		return false
	}
	for _, u := range uses {
		if !goes(u.table) {
			rest = append(rest, u)
		}
	}
	return keyTables, rest
}

// dropKeyTables drops the partitioned tables splitKeyUses found, and
// returns the "drop cascades to" lines for them.
func dropKeyTables(x *execCtx, ec *evalCtx, tables []*catalog.TableDesc) ([]string, error) {
	var out []string
	for _, t := range tables {
		x.nextCommand()
		drop := &dropTablePlan{stmt: &ast.DropTableStmt{Tables: []ast.TableRef{{Name: t.Key()}}, Cascade: true, IfExists: true}}
		res, err := drop.execute(x, ec)
		if err != nil {
			return nil, err
		}
		out = append(out, "drop cascades to table "+t.Name)
		for _, n := range res.Notices {
			// What the table's drop cascaded to (views on it) follows it.
			switch {
			case n.Detail != "" && strings.HasPrefix(n.Detail, "drop cascades to "):
				out = append(out, strings.Split(n.Detail, "\n")...)
			case strings.HasPrefix(n.Message, "drop cascades to "):
				out = append(out, n.Message)
			}
		}
	}
	return out, nil
}
