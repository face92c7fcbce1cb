package parser

import (
	"testing"

	"github.com/cairndb/cairn/sql/types"
)

// TestPgGetViewdef renders view queries as PostgreSQL 15's
// pg_get_viewdef(view, true) prints them for the same tables and views.
func TestPgGetViewdef(t *testing.T) {
	orders := &ViewTable{Name: "orders", Columns: []ViewColumn{
		{Name: "id", Type: types.New(types.Int8)}, {Name: "customer_id", Type: types.New(types.Int4)},
		{Name: "amount", Type: types.T{ID: types.Numeric, Mod: 10<<16 | 2 + 4}}, {Name: "status", Type: types.New(types.Text)},
		{Name: "placed_on", Type: types.New(types.Date)}, {Name: "Note", Type: types.New(types.Text)},
	}}
	customers := &ViewTable{Name: "customers", Columns: []ViewColumn{
		{Name: "id", Type: types.New(types.Int4)}, {Name: "email", Type: types.New(types.Text)},
		{Name: "name", Type: types.T{ID: types.Varchar, Mod: 100}},
	}}
	table := func(name string) *ViewTable {
		for _, d := range []*ViewTable{orders, customers} {
			if d.Name == name {
				return d
			}
		}
		return nil
	}
	for _, tc := range []struct {
		query string
		cols  []string
		want  string
	}{
		{"SELECT id, amount FROM orders WHERE amount > 100", []string{"id", "amount"},
			" SELECT orders.id,\n    orders.amount\n   FROM orders\n  WHERE orders.amount > 100::numeric;"},
		{"SELECT * FROM orders", []string{"id", "customer_id", "amount", "status", "placed_on", "Note"},
			" SELECT orders.id,\n    orders.customer_id,\n    orders.amount,\n    orders.status,\n    orders.placed_on,\n    orders.\"Note\"\n   FROM orders;"},
		{"SELECT id AS ident, amount * 2 AS dbl, status FROM orders WHERE status <> 'done' AND amount > 0 ORDER BY id DESC LIMIT 5",
			[]string{"ident", "dbl", "status"},
			" SELECT orders.id AS ident,\n    orders.amount * 2::numeric AS dbl,\n    orders.status\n   FROM orders\n  WHERE orders.status <> 'done'::text AND orders.amount > 0::numeric\n  ORDER BY orders.id DESC\n LIMIT 5;"},
		{"SELECT c.email, o.amount FROM customers c JOIN orders o ON o.customer_id = c.id", []string{"email", "amount"},
			" SELECT c.email,\n    o.amount\n   FROM customers c\n     JOIN orders o ON o.customer_id = c.id;"},
		{"SELECT status, count(*) AS n, sum(amount) FROM orders GROUP BY status HAVING count(*) > 1", []string{"status", "n", "sum"},
			" SELECT orders.status,\n    count(*) AS n,\n    sum(orders.amount) AS sum\n   FROM orders\n  GROUP BY orders.status\n HAVING count(*) > 1;"},
		{"SELECT 1 AS one, 'x' AS ex, now() AS t", []string{"one", "ex", "t"},
			" SELECT 1 AS one,\n    'x'::text AS ex,\n    now() AS t;"},
		{"SELECT name, email FROM customers WHERE name = 'bob' OR (id > 3 AND NOT (email IS NULL)) ORDER BY 1 NULLS FIRST", []string{"name", "email"},
			" SELECT customers.name,\n    customers.email\n   FROM customers\n  WHERE customers.name::text = 'bob'::text OR customers.id > 3 AND NOT customers.email IS NULL\n  ORDER BY customers.name NULLS FIRST;"},
		{"SELECT o.*, c.id AS cid FROM orders o LEFT JOIN customers c ON c.id = o.customer_id AND c.name <> 'x' OFFSET 2",
			[]string{"id", "customer_id", "amount", "status", "placed_on", "Note", "cid"},
			" SELECT o.id,\n    o.customer_id,\n    o.amount,\n    o.status,\n    o.placed_on,\n    o.\"Note\",\n    c.id AS cid\n   FROM orders o\n     LEFT JOIN customers c ON c.id = o.customer_id AND c.name::text <> 'x'::text\n OFFSET 2;"},
		{"SELECT count(DISTINCT status), min(orders.id) FROM orders, customers WHERE orders.customer_id = customers.id", []string{"count", "min"},
			" SELECT count(DISTINCT orders.status) AS count,\n    min(orders.id) AS min\n   FROM orders,\n    customers\n  WHERE orders.customer_id = customers.id;"},
		{"SELECT id, 'a' || status AS s, -amount AS neg, amount::int AS ai FROM orders WHERE placed_on > '2024-01-01'", []string{"id", "s", "neg", "ai"},
			" SELECT orders.id,\n    'a'::text || orders.status AS s,\n    - orders.amount AS neg,\n    orders.amount::integer AS ai\n   FROM orders\n  WHERE orders.placed_on > '2024-01-01'::date;"},
		{"SELECT id FROM orders WHERE NOT (id = 1 OR id = 2) AND (id > 0 OR id < -5)", []string{"id"},
			" SELECT orders.id\n   FROM orders\n  WHERE NOT (orders.id = 1 OR orders.id = 2) AND (orders.id > 0 OR orders.id < '-5'::integer);"},
		// A branch of another type than the result's prints as written.
		{"SELECT id FROM orders UNION SELECT id FROM customers", []string{"id"},
			" SELECT orders.id\n   FROM orders\nUNION\n SELECT customers.id\n   FROM customers;"},
	} {
		got, ok := DeparseView(tc.query, tc.cols, table, true)
		if !ok {
			t.Errorf("%s: not rendered", tc.query)
			continue
		}
		if got != tc.want {
			t.Errorf("%s\n got %q\nwant %q", tc.query, got, tc.want)
		}
	}
	// Queries outside what is rendered are left to the caller.
	for _, q := range []string{
		"SELECT DISTINCT status FROM orders",
		"SELECT id FROM nosuch",
	} {
		if got, ok := DeparseView(q, []string{"id"}, table, true); ok {
			t.Errorf("%s rendered as %q", q, got)
		}
	}
}

// FuzzPgGetViewdef renders arbitrary queries: it may decline, never panic.
func FuzzPgGetViewdef(f *testing.F) {
	for _, s := range []string{
		"SELECT id, amount FROM orders WHERE amount > 100",
		"SELECT o.*, c.id AS cid FROM orders o LEFT JOIN customers c ON c.id = o.customer_id OFFSET 2",
		"SELECT count(*) FROM orders GROUP BY 1 HAVING NOT (count(*) > 1 OR -id IS NULL) ORDER BY 1 DESC NULLS LAST",
		"SELECT 'a' || upper('b'), now(), 1.5 * 2, '1'::int8 FROM orders o, customers",
	} {
		f.Add(s)
	}
	orders := &ViewTable{Name: "orders", Columns: []ViewColumn{{Name: "id", Type: types.New(types.Int8)}, {Name: "amount", Type: types.New(types.Numeric)}}}
	customers := &ViewTable{Name: "customers", Columns: []ViewColumn{{Name: "id", Type: types.New(types.Int4)}, {Name: "name", Type: types.New(types.Varchar)}}}
	table := func(name string) *ViewTable {
		switch name {
		case "orders":
			return orders
		case "customers":
			return customers
		}
		return nil
	}
	f.Fuzz(func(t *testing.T, q string) {
		DeparseView(q, []string{"a", "b", "c", "d"}, table, true)
		DeparseDefault(q, types.New(types.Int4))
	})
}
