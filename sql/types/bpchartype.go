package types

import (
	"strings"
	"unicode/utf8"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
)

// character(n) (bpchar, OID 1042) follows PostgreSQL:
//
//   - A value is stored and sent blank-padded to n characters; a longer
//     value fails with 22001 on assignment unless the excess is blanks, and
//     is truncated by an explicit cast. "char" and "character" without a
//     length mean character(1); "bpchar" without a length has no limit and
//     no padding.
//   - Comparisons between character values ignore trailing blanks. Mixed
//     with text or varchar, the character operand is cast to text, which
//     drops its trailing blanks; so do || and functions taking text.

// bpcharLengthMax is PostgreSQL's MaxAttrSize limit on character(n).
const bpcharLengthMax = 10485760

// resolveBpchar resolves character, char and bpchar with their length.
func resolveBpchar(tn ast.TypeName) (T, error) {
	switch len(tn.Mods) {
	case 0:
		if tn.Name == "bpchar" {
			return New(Bpchar), nil
		}
		return T{ID: Bpchar, Mod: 1}, nil
	case 1:
		n := tn.Mods[0]
		if n < 1 {
			return T{}, pgerr.New(pgerr.InvalidParameterValue, "length for type char must be at least 1").WithPosition(tn.Pos)
		}
		if n > bpcharLengthMax {
			return T{}, pgerr.New(pgerr.InvalidParameterValue, "length for type char cannot exceed %d", bpcharLengthMax).WithPosition(tn.Pos)
		}
		return T{ID: Bpchar, Mod: n}, nil
	}
	return T{}, pgerr.New(pgerr.SyntaxError, "invalid type modifier for type %s", tn.Name).WithPosition(tn.Pos)
}

// checkBpchar pads s to character(n)'s length or cuts it down to it. An
// explicit cast truncates silently; an assignment of a longer value fails
// with 22001 unless the excess is blanks.
func checkBpchar(t T, s string, explicit bool) (Datum, error) {
	if t.Mod < 0 {
		return s, nil
	}
	n := int(t.Mod)
	length := utf8.RuneCountInString(s)
	if length == n {
		return s, nil
	}
	if length < n {
		return s + strings.Repeat(" ", n-length), nil
	}
	cut := 0
	for i := 0; i < n; i++ {
		_, size := utf8.DecodeRuneInString(s[cut:])
		cut += size
	}
	if !explicit && strings.TrimRight(s[cut:], " ") != "" {
		return nil, pgerr.New(pgerr.StringDataRightTruncation, "value too long for type character(%d)", n)
	}
	return s[:cut], nil
}

// compareBpchar compares two character values without their trailing
// blanks, as bpcharcmp does.
func CompareBpchar(a, b Datum) int {
	return strings.Compare(strings.TrimRight(a.(string), " "), strings.TrimRight(b.(string), " "))
}
