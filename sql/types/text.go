package types

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
)

// The string types: text, varchar(n), character(n) and unknown, the type
// of a string literal until its context gives it one. Their values are Go
// strings.
const (
	Unknown ID = 705
	Text    ID = 25
	Varchar ID = 1043
	Bpchar  ID = 1042

	TextArray    ID = 1009
	VarcharArray ID = 1015
	BpcharArray  ID = 1014
)

func init() {
	verbatim := func(_ T, s string) (Datum, error) { return s, nil }
	register(
		&Info{ID: Unknown, Typname: "unknown", SQLName: "unknown", Len: -1, unlisted: true, Category: 'X',
			aliases: []string{"unknown"},
			input:   verbatim, cast: castToText},
		&Info{ID: Text, Typname: "text", SQLName: "text", Len: -1, Array: TextArray, arrays: true,
			Category: 'S', Preferred: true, implicit: []ID{SysName, Bpchar, Varchar, Regclass},
			aliases: []string{"text"}, input: verbatim, cast: castToText},
		&Info{ID: Varchar, Typname: "varchar", SQLName: "character varying", Len: -1, Array: VarcharArray, arrays: true,
			Category: 'S', implicit: []ID{SysName, Text, Bpchar, Regclass},
			aliases: []string{"varchar", "character varying"}, modifiers: varcharModifiers,
			nameMod: func(mod int32) string { return "character varying(" + strconv.Itoa(int(mod)) + ")" },
			input:   func(t T, s string) (Datum, error) { return checkVarchar(t, s, false) },
			cast:    castToVarchar},
		&Info{ID: Bpchar, Typname: "bpchar", SQLName: "character", Len: -1, Array: BpcharArray, arrays: true,
			Category: 'S', implicit: []ID{SysName, Text, Varchar},
			aliases: []string{"bpchar", "character", "char"}, modifiers: resolveBpchar,
			nameMod: func(mod int32) string { return "character(" + strconv.Itoa(int(mod)) + ")" },
			input:   func(t T, s string) (Datum, error) { return checkBpchar(t, s, false) },
			cast:    castToBpchar},
	)
}

// varcharModifiers resolves varchar and varchar(n).
func varcharModifiers(tn ast.TypeName) (T, error) {
	switch len(tn.Mods) {
	case 0:
		return New(Varchar), nil
	case 1:
		if tn.Mods[0] < 1 {
			return T{}, pgerr.New(pgerr.InvalidParameterValue, "length for type varchar must be at least 1").WithPosition(tn.Pos)
		}
		return T{ID: Varchar, Mod: tn.Mods[0]}, nil
	}
	return T{}, badModifier(tn)
}

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
	return T{}, badModifier(tn)
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

// CompareBpchar compares two character values without their trailing
// blanks, as bpcharcmp does.
func CompareBpchar(a, b Datum) int {
	return strings.Compare(strings.TrimRight(a.(string), " "), strings.TrimRight(b.(string), " "))
}

// checkVarchar enforces varchar(n). An explicit cast truncates silently; an
// assignment of a longer value fails with 22001, unless the excess is spaces.
func checkVarchar(t T, s string, explicit bool) (Datum, error) {
	if t.Mod < 0 {
		return s, nil
	}
	n := int(t.Mod)
	if strings.Count(s, "")-1 <= n {
		return s, nil
	}
	runes := []rune(s)
	if explicit || strings.TrimRight(string(runes[n:]), " ") == "" {
		return string(runes[:n]), nil
	}
	return nil, pgerr.New(pgerr.StringDataRightTruncation, "value too long for type character varying(%d)", n)
}

// castText is the text a cast to a string type produces. It is the type's
// output form except for bool, whose cast spells out true and false (the
// output form, used by || and concat, is t and f).
func castText(from T, d Datum) string {
	if v, ok := d.(bool); ok {
		return strconv.FormatBool(v)
	}
	if from.ID == Bpchar {
		// character's trailing blanks are padding, not data.
		return strings.TrimRight(d.(string), " ")
	}
	if v, ok := d.(InetValue); ok {
		// inet's and cidr's casts to the string types are text(inet),
		// network_show, which always writes the mask.
		return v.Show()
	}
	return FormatText(from, d)
}

// castToText converts any value to text (and to unknown) by its text
// form.
func castToText(d Datum, from, _ T, _ bool) (Datum, error) {
	if _, ok := d.(string); ok && from.ID != Bpchar && from.ID != Char && from.ID != Bytea {
		// The text of every other string-valued type is the string
		// itself (castText, formatPlain): keep d rather than box a copy
		// of its header again.
		return d, nil
	}
	return castText(from, d), nil
}

// castToVarchar converts any value to varchar(n) by its text form.
func castToVarchar(d Datum, from, to T, explicit bool) (Datum, error) {
	return checkVarchar(to, castText(from, d), explicit)
}

// castToBpchar converts any value to character(n) by its text form;
// between character types the padding is kept, then adjusted to the new
// length.
func castToBpchar(d Datum, from, to T, explicit bool) (Datum, error) {
	if from.ID == Bpchar {
		return checkBpchar(to, d.(string), explicit)
	}
	return checkBpchar(to, castText(from, d), explicit)
}
