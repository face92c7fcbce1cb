package types

import "strings"

// oidvector is the catalog's array of oids (pg_proc.proargtypes): an
// *Array of int64 whose text form is the oids separated by blanks
// ("23 25"), subscripted from 0, as int2vector is.
const OIDVector ID = 30

// oidVectorArray is the array type pg_type lists for oidvector.
const oidVectorArray ID = 1013

func init() {
	register(&Info{ID: OIDVector, Typname: "oidvector", SQLName: "oidvector", Len: -1, Array: oidVectorArray, Elem: OID,
		vector: true, Category: 'A', aliases: []string{"oidvector"}, input: parseOIDVector, cast: castToArray})
}

// parseOIDVector is oidvectorin: blank-separated oids.
func parseOIDVector(t T, s string) (Datum, error) {
	out := &Array{}
	for _, f := range strings.Fields(s) {
		v, err := parseOID(f)
		if err != nil {
			return nil, err
		}
		out.Elems = append(out.Elems, v)
	}
	return out, nil
}

// formatOIDVector is oidvectorout.
func formatOIDVector(a *Array) string {
	var b strings.Builder
	for i, e := range a.Elems {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(FormatText(New(OID), e))
	}
	return b.String()
}
