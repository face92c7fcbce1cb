package ast

// PartitionSpec is CREATE TABLE's PARTITION BY clause.
type PartitionSpec struct {
	// Strategy is "range", "list" or "hash".
	Strategy string
	// Columns name the partition key's columns, in key order, written
	// at ColumnPos.
	Columns   []string
	ColumnPos []int32
	// Exprs holds, for a key that is an expression rather than a column
	// (its Columns entry is ""), the expression's canonical SQL text, and
	// ExprNodes the expression as written (positions in the statement);
	// both nil when every key is a column.
	Exprs     []string
	ExprNodes []Expr
	Pos       int32
	// Collations holds per column key its COLLATE ("" for none); nil
	// when no key has one.
	Collations []string
	// Opclasses holds per column key its operator class ("" for the
	// default); nil when no key names one.
	Opclasses []string
}

// PartitionBound is a partition's FOR VALUES clause, or DEFAULT.
type PartitionBound struct {
	// Strategy is "range", "list" or "hash" as the clause is written;
	// empty for DEFAULT.
	Strategy string
	Default  bool
	// In holds the values of FOR VALUES IN (...).
	In []Expr
	// From and To hold the bounds of FOR VALUES FROM (...) TO (...);
	// a MINVALUE or MAXVALUE entry is a nil Expr whose kind FromKind or
	// ToKind gives.
	From, To         []Expr
	FromKind, ToKind []RangeDatumKind
	// Modulus and Remainder are FOR VALUES WITH (MODULUS m, REMAINDER r).
	Modulus, Remainder int
	Pos                int32
	// ValuesPos is where PostgreSQL points at the bound's values: the
	// first FROM entry of a range, the first value of a list.
	ValuesPos int32
}

// RangeDatumKind says whether an entry of a range bound is a value,
// MINVALUE or MAXVALUE.
type RangeDatumKind int8

// The kinds of a range bound's entries.
const (
	RangeValue RangeDatumKind = iota
	RangeMinValue
	RangeMaxValue
)

// PartitionCmd is ALTER TABLE's ATTACH PARTITION (with Bound) and
// DETACH PARTITION (without).
type PartitionCmd struct {
	Table TableRef
	Bound *PartitionBound
	// Concurrently marks DETACH PARTITION ... CONCURRENTLY.
	Concurrently bool
}

// KeyCollation returns key i's COLLATE name, or "".
func (s *PartitionSpec) KeyOpclass(i int) string {
	if i < len(s.Opclasses) {
		return s.Opclasses[i]
	}
	return ""
}

// KeyCollation returns key i's COLLATE name, or "".
func (s *PartitionSpec) KeyCollation(i int) string {
	if i < len(s.Collations) {
		return s.Collations[i]
	}
	return ""
}
