package types

import "strings"

// int2vector is the catalog's array of smallints (pg_index.indkey and
// indoption): an *Array of int64 whose text form is the numbers separated
// by blanks ("1 3"), subscripted from 0 as PostgreSQL's int2vector is. It
// takes part in anyarray arguments as an array of smallint. A cast to
// smallint[] keeps the subscripts from 0, as PostgreSQL's does
// ([0:1]={1,2}).
const Int2Vector ID = 22

// int2VectorArray is the array type pg_type lists for int2vector.
const int2VectorArray ID = 1006

func init() {
	register(&Info{ID: Int2Vector, Typname: "int2vector", SQLName: "int2vector", Len: -1, Array: int2VectorArray, Elem: Int2,
		vector: true, Category: 'A', aliases: []string{"int2vector"}, input: parseInt2Vector, cast: castToArray})
}

// parseInt2Vector is int2vectorin: blank-separated smallints.
func parseInt2Vector(t T, s string) (Datum, error) {
	out := &Array{}
	for _, f := range strings.Fields(s) {
		v, err := parseInt(New(Int2), f)
		if err != nil {
			return nil, err
		}
		out.Elems = append(out.Elems, v)
	}
	return out, nil
}

// formatInt2Vector is int2vectorout.
func formatInt2Vector(a *Array) string {
	var b strings.Builder
	for i, e := range a.Elems {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(FormatText(New(Int2), e))
	}
	return b.String()
}

// LowerBound is the subscript of an array's first element for type t: 0
// for int2vector, 1 for arrays.
func LowerBound(t T) int64 {
	if t.ID == Int2Vector || t.ID == OIDVector {
		return 0
	}
	return 1
}
