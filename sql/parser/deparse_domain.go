package parser

import (
	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/cairndb/cairn/sql/types"
)

// DeparseDomainCheck renders a domain's CHECK condition, stored as SQL
// text over VALUE, as pg_get_constraintdef prints it inside CHECK (...):
// VALUE in capitals, constants typed, and without pretty every operator
// expression parenthesized. A condition it cannot read is returned as
// written.
func DeparseDomainCheck(text string, base types.T, pretty bool) string {
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
	dp := deparser{full: !pretty, col: func(ref *pg.ColumnRef) (deparsed, bool) {
		if len(ref.Fields) != 1 || str(ref.Fields[0]) != "value" {
			return deparsed{}, false
		}
		return deparsed{sql: "VALUE", t: base}, true
	}}
	d, ok := dp.node(sel.TargetList[0].GetResTarget().GetVal(), 0)
	if !ok {
		return fallback
	}
	return d.sql
}
