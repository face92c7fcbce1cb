package catalog

import (
	"strconv"
	"strings"

	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
)

// PartitionKey is a partitioned table's PARTITION BY: its strategy and
// key columns. A partitioned table stores no rows of its own: each row
// lives in the partition whose bound (PartitionBound) admits its key.
type PartitionKey struct {
	// Strategy is "r" (RANGE), "l" (LIST) or "h" (HASH), as
	// pg_partitioned_table.partstrat.
	Strategy string `json:"strategy"`
	// Columns are the key columns' indexes, in key order; -1 for a key
	// that is an expression.
	Columns []int `json:"columns"`
	// Exprs holds an expression key's SQL text ("" for a column key) and
	// ExprTypes its type; nil when every key is a column.
	Exprs     []string  `json:"exprs,omitempty"`
	ExprTypes []types.T `json:"expr_types,omitempty"`
	// Collations holds per key a COLLATE written in PARTITION BY: ""
	// (the column's), "C" or "POSIX", which order text as cairn always
	// does (by code point); nil when no key has one.
	Collations []string `json:"collations,omitempty"`
	// Opclasses holds per key an operator class written in PARTITION BY
	// that is not the key type's default ("" for the default), which
	// orders and hashes keys as the default does; nil when no key has
	// one.
	Opclasses []string `json:"opclasses,omitempty"`
}

// KeyOpclass returns key i's non-default operator class, or "".
func (k *PartitionKey) KeyOpclass(i int) string {
	if i < len(k.Opclasses) {
		return k.Opclasses[i]
	}
	return ""
}

// KeyCollation returns key i's COLLATE name, or "".
func (k *PartitionKey) KeyCollation(i int) string {
	if i < len(k.Collations) {
		return k.Collations[i]
	}
	return ""
}

// KeyExpr is the SQL text of key i when it is an expression, else "".
func (k *PartitionKey) KeyExpr(i int) string {
	if i < len(k.Exprs) {
		return k.Exprs[i]
	}
	return ""
}

// HasExprs reports whether a key is an expression.
func (k *PartitionKey) HasExprs() bool {
	for _, e := range k.Exprs {
		if e != "" {
			return true
		}
	}
	return false
}

// KeyName is key i as PostgreSQL prints it (pg_get_partkeydef, the
// routing error's detail): a column's quoted name, an expression
// deparsed, in parentheses unless it is a function call.
func (t *TableDesc) KeyName(i int) string {
	if e := t.PartKey.KeyExpr(i); e != "" {
		return keyExprSQL(e, t.Columns)
	}
	return parser.QuoteIdent(t.Columns[t.PartKey.Columns[i]].Name)
}

// keyExprSQL deparses an expression key over columns, parenthesized
// unless a call.
func keyExprSQL(text string, cols []ColumnDesc) string {
	vc := make([]parser.ViewColumn, len(cols))
	for i, c := range cols {
		vc[i] = parser.ViewColumn{Name: c.Name, Type: c.Type}
	}
	s := parser.DeparseCheck(text, vc, true)
	if !parser.LooksLikeCall(text) {
		s = "(" + s + ")"
	}
	return s
}

// BoundKind says what one entry of a range bound is.
type BoundKind int8

// The kinds of a range bound's entries: MINVALUE sorts before every
// value, MAXVALUE after every value.
const (
	BoundValue BoundKind = iota
	BoundMinValue
	BoundMaxValue
)

// BoundDatum is one value of a partition bound, in its column's text
// output form; Null marks NULL (a LIST bound may hold it).
type BoundDatum struct {
	Kind BoundKind `json:"kind,omitempty"`
	Null bool      `json:"null,omitempty"`
	Text string    `json:"text,omitempty"`
}

// PartitionBound is a partition's FOR VALUES clause.
type PartitionBound struct {
	Default bool `json:"default,omitempty"`
	// In holds a LIST partition's values.
	In []BoundDatum `json:"in,omitempty"`
	// From (inclusive) and To (exclusive) hold a RANGE partition's
	// bounds, one entry per key column.
	From []BoundDatum `json:"from,omitempty"`
	To   []BoundDatum `json:"to,omitempty"`
	// Modulus and Remainder are a HASH partition's.
	Modulus   int `json:"modulus,omitempty"`
	Remainder int `json:"remainder,omitempty"`
}

// IsPartitioned reports whether the table is a partitioned table
// (relkind 'p').
func (t *TableDesc) IsPartitioned() bool { return t.PartKey != nil }

// IsPartition reports whether the table is a partition of another.
func (t *TableDesc) IsPartition() bool { return t.PartBound != nil }

// KeyTypes are the types of a partitioned table's key columns.
func (t *TableDesc) KeyTypes() []types.T {
	out := make([]types.T, len(t.PartKey.Columns))
	for i, c := range t.PartKey.Columns {
		if c < 0 {
			if i < len(t.PartKey.ExprTypes) {
				out[i] = t.PartKey.ExprTypes[i]
			}
			continue
		}
		out[i] = t.Columns[c].Type
	}
	return out
}

// PartKeyDef renders the partition key as pg_get_partkeydef does:
// RANGE (a, b).
func (t *TableDesc) PartKeyDef() string {
	if t.PartKey == nil {
		return ""
	}
	var names []string
	for i := range t.PartKey.Columns {
		// An expression in parentheses, as the grammar wants it.
		n := t.KeyName(i)
		if e := t.PartKey.KeyExpr(i); e != "" && !parser.LooksLikeCall(e) {
			n = "(" + n + ")"
		}
		if coll := t.PartKey.KeyCollation(i); coll != "" {
			n += " COLLATE " + parser.QuoteIdent(coll)
		}
		if oc := t.PartKey.KeyOpclass(i); oc != "" {
			n += " " + parser.QuoteIdent(oc)
		}
		names = append(names, n)
	}
	strat := map[string]string{"r": "RANGE", "l": "LIST", "h": "HASH"}[t.PartKey.Strategy]
	return strat + " (" + strings.Join(names, ", ") + ")"
}

// SQL renders the bound as pg_get_expr(relpartbound) does; keyTypes are
// the partitioned table's key column types.
func (b *PartitionBound) SQL(keyTypes []types.T) string {
	switch {
	case b == nil:
		return ""
	case b.Default:
		return "DEFAULT"
	case b.Modulus > 0:
		return "FOR VALUES WITH (modulus " + strconv.Itoa(b.Modulus) + ", remainder " + strconv.Itoa(b.Remainder) + ")"
	case b.In != nil:
		vals := make([]string, len(b.In))
		for i, d := range b.In {
			vals[i] = d.sql(keyTypes[0])
		}
		return "FOR VALUES IN (" + strings.Join(vals, ", ") + ")"
	}
	side := func(ds []BoundDatum) string {
		vals := make([]string, len(ds))
		for i, d := range ds {
			vals[i] = d.sql(keyTypes[min(i, len(keyTypes)-1)])
		}
		return "(" + strings.Join(vals, ", ") + ")"
	}
	return "FOR VALUES FROM " + side(b.From) + " TO " + side(b.To)
}

// sql renders one bound value as PostgreSQL's deparser prints a constant
// without its type: numbers bare (a negative one quoted), booleans as
// true/false, everything else as a quoted literal.
func (d BoundDatum) sql(t types.T) string {
	switch {
	case d.Kind == BoundMinValue:
		return "MINVALUE"
	case d.Kind == BoundMaxValue:
		return "MAXVALUE"
	case d.Null:
		return "NULL"
	}
	switch t.ID {
	case types.Int4:
		if !strings.HasPrefix(d.Text, "-") {
			return d.Text
		}
	case types.Numeric:
		if d.Text != "" && d.Text[0] >= '0' && d.Text[0] <= '9' && strings.Trim(d.Text, "0123456789+-eE.") == "" {
			return d.Text
		}
	case types.Bool:
		if d.Text == "t" {
			return "true"
		}
		return "false"
	}
	return "'" + strings.ReplaceAll(d.Text, "'", "''") + "'"
}
