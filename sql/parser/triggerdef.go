package parser

import (
	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/cairndb/cairn/sql/types"
)

// DeparseTriggerWhen renders a trigger's WHEN condition, stored as SQL
// text over old.col and new.col of a table with columns cols, as
// pg_get_triggerdef prints it inside WHEN (...): constants typed, and
// without pretty every operator expression parenthesized. A condition
// it cannot read is returned as written (in parentheses when not
// pretty).
func DeparseTriggerWhen(text string, cols []ViewColumn, pretty bool) string {
	fallback := "(" + text + ")"
	if pretty {
		fallback = text
	}
	tree, err := parseOne("SELECT " + text)
	if err != nil || len(tree.Stmts) != 1 {
		return fallback
	}
	sel := tree.Stmts[0].Stmt.GetSelectStmt()
	if sel == nil || len(sel.TargetList) != 1 {
		return fallback
	}
	table := &ViewTable{Columns: cols}
	record := types.New(types.Record)
	dp := deparser{full: !pretty, col: func(ref *pg.ColumnRef) (deparsed, bool) {
		if len(ref.Fields) != 2 {
			return deparsed{}, false
		}
		rel := str(ref.Fields[0])
		if rel != "old" && rel != "new" {
			return deparsed{}, false
		}
		if ref.Fields[1].GetAStar() != nil {
			return deparsed{sql: rel + ".*", t: record}, true
		}
		name := str(ref.Fields[1])
		i := table.column(name)
		if i < 0 {
			return deparsed{}, false
		}
		return deparsed{sql: rel + "." + QuoteIdent(name), t: cols[i].Type}, true
	}}
	d, ok := dp.node(sel.TargetList[0].GetResTarget().GetVal(), 0)
	if !ok {
		return fallback
	}
	return d.sql
}
