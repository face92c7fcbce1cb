package types

import (
	"strconv"
	"strings"
	"time"

	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/internal/pgerr"
)

// The JSON types. A json value is its input text, kept verbatim once it
// has been checked to be JSON (a Go string, as text's). A jsonb value is a
// parsed *JSON in PostgreSQL's canonical form: object keys sorted by
// length, then bytes, the last of duplicate keys kept, numbers as numeric,
// strings with their escapes resolved. Its text form is jsonb_out's:
// {"a": 1, "b": [1, 2]}.
const (
	JSONType  ID = 114
	JSONB     ID = 3802
	JSONArray ID = 199
	JSONBArr  ID = 3807
)

// JSONDepthMax bounds the nesting of arrays and objects a JSON text may
// have, so that parsing, printing and comparing never exhaust the stack
// (54001, as PostgreSQL's stack depth check answers). PostgreSQL 15 with
// its default max_stack_depth (2MB) takes about 14,500 levels.
const JSONDepthMax = 14000

func init() {
	register(
		&Info{ID: JSONType, Typname: "json", SQLName: "json", Len: -1, Array: JSONArray, arrays: true, Category: 'U',
			aliases: []string{"json"},
			input: func(_ T, s string) (Datum, error) {
				if err := ValidateJSON(s); err != nil {
					return nil, err
				}
				return s, nil
			},
			cast: castToJSON},
		&Info{ID: JSONB, Typname: "jsonb", SQLName: "jsonb", Len: -1, Array: JSONBArr, arrays: true, Category: 'U',
			aliases: []string{"jsonb"},
			input:   func(_ T, s string) (Datum, error) { return ParseJSONB(s) },
			cast:    castToJSONB},
	)
}

// JSONKind is the kind of a jsonb value, in PostgreSQL's jsonb sort
// order: null < string < number < boolean < array < object.
type JSONKind uint8

const (
	JSONNull JSONKind = iota
	JSONString
	JSONNumber
	JSONBool
	JSONArrayKind
	JSONObject
)

// String is the name jsonb_typeof gives the kind.
func (k JSONKind) String() string {
	return [...]string{"null", "string", "number", "boolean", "array", "object"}[k]
}

// JSON is a jsonb value. Only the fields of its Kind are set: Str for a
// string, Num for a number, Bool, Elems for an array, Keys and Vals (the
// same length, Keys in canonical order without duplicates) for an
// object. Values are immutable once built: functions that change a value
// build a new one (sharing unchanged parts).
type JSON struct {
	Kind  JSONKind
	Str   string
	Num   *apd.Decimal
	Bool  bool
	Elems []*JSON
	Keys  []string
	Vals  []*JSON

	// raw is, for a value read by ParseJSONText, its text in the input;
	// such a value's objects keep their keys in input order, duplicates
	// included (ordered).
	raw     string
	ordered bool
}

// JSONNullValue is the JSON null.
var JSONNullValue = &JSON{Kind: JSONNull}

// JSONStr is the JSON string s.
func JSONStr(s string) *JSON { return &JSON{Kind: JSONString, Str: s} }

// JSONNum is the JSON number d.
func JSONNum(d *apd.Decimal) *JSON { return &JSON{Kind: JSONNumber, Num: d} }

// JSONBoolean is the JSON boolean b.
func JSONBoolean(b bool) *JSON { return &JSON{Kind: JSONBool, Bool: b} }

// KeyLess is jsonb's key order: shorter keys first, then bytes.
func KeyLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// NewJSONObject builds an object from pairs in the order given: keys are
// sorted into jsonb's order and, of duplicate keys, the last pair is kept.
func NewJSONObject(keys []string, vals []*JSON) *JSON {
	idx := make([]int, len(keys))
	for i := range idx {
		idx[i] = i
	}
	// A stable insertion-ordered sort keeps equal keys in input order,
	// so the last of a run is the one to keep.
	sortStable(idx, func(i, j int) bool { return KeyLess(keys[i], keys[j]) })
	out := &JSON{Kind: JSONObject, Keys: make([]string, 0, len(keys)), Vals: make([]*JSON, 0, len(keys))}
	for n, i := range idx {
		if n+1 < len(idx) && keys[idx[n+1]] == keys[i] {
			continue
		}
		out.Keys = append(out.Keys, keys[i])
		out.Vals = append(out.Vals, vals[i])
	}
	return out
}

// Get is the value of key in an object, or nil; in a json object with
// duplicate keys, the last one's.
func (j *JSON) Get(key string) *JSON {
	if j.Kind != JSONObject {
		return nil
	}
	if j.ordered {
		for i := len(j.Keys) - 1; i >= 0; i-- {
			if j.Keys[i] == key {
				return j.Vals[i]
			}
		}
		return nil
	}
	lo, hi := 0, len(j.Keys)
	for lo < hi {
		m := (lo + hi) / 2
		if KeyLess(j.Keys[m], key) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(j.Keys) && j.Keys[lo] == key {
		return j.Vals[lo]
	}
	return nil
}

// IsScalar reports whether j is neither an array nor an object.
func (j *JSON) IsScalar() bool { return j.Kind < JSONArrayKind }

// String is jsonb_out's text form.
func (j *JSON) String() string { return string(j.AppendText(nil)) }

// Text is j's json text: its text in the input when ParseJSONText read
// it, else its jsonb text form.
func (j *JSON) Text() string {
	if j.raw != "" {
		return j.raw
	}
	return j.String()
}

// AppendText appends jsonb_out's text form of j to buf.
func (j *JSON) AppendText(buf []byte) []byte {
	switch j.Kind {
	case JSONNull:
		return append(buf, "null"...)
	case JSONString:
		return AppendJSONString(buf, j.Str)
	case JSONNumber:
		return append(buf, FormatNumeric(j.Num)...)
	case JSONBool:
		return strconv.AppendBool(buf, j.Bool)
	case JSONArrayKind:
		buf = append(buf, '[')
		for i, e := range j.Elems {
			if i > 0 {
				buf = append(buf, ", "...)
			}
			buf = e.AppendText(buf)
		}
		return append(buf, ']')
	}
	buf = append(buf, '{')
	for i, k := range j.Keys {
		if i > 0 {
			buf = append(buf, ", "...)
		}
		buf = AppendJSONString(buf, k)
		buf = append(buf, ": "...)
		buf = j.Vals[i].AppendText(buf)
	}
	return append(buf, '}')
}

// Pretty is jsonb_pretty's form: one element or pair a line, indented by
// four spaces a level.
func (j *JSON) Pretty() string {
	var b []byte
	j.appendPretty(&b, 0)
	return string(b)
}

func (j *JSON) appendPretty(b *[]byte, level int) {
	indent := func(n int) {
		*b = append(*b, '\n')
		for i := 0; i < n; i++ {
			*b = append(*b, "    "...)
		}
	}
	switch j.Kind {
	case JSONArrayKind:
		*b = append(*b, '[')
		for i, e := range j.Elems {
			if i > 0 {
				*b = append(*b, ',')
			}
			indent(level + 1)
			e.appendPretty(b, level+1)
		}
		indent(level)
		*b = append(*b, ']')
	case JSONObject:
		*b = append(*b, '{')
		for i, k := range j.Keys {
			if i > 0 {
				*b = append(*b, ',')
			}
			indent(level + 1)
			*b = AppendJSONString(*b, k)
			*b = append(*b, ": "...)
			j.Vals[i].appendPretty(b, level+1)
		}
		indent(level)
		*b = append(*b, '}')
	default:
		*b = j.AppendText(*b)
	}
}

// AppendJSONString appends s as a JSON string literal, escaped as
// PostgreSQL's escape_json does.
func AppendJSONString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			buf = append(buf, '\\', '"')
		case '\\':
			buf = append(buf, '\\', '\\')
		case '\b':
			buf = append(buf, '\\', 'b')
		case '\f':
			buf = append(buf, '\\', 'f')
		case '\n':
			buf = append(buf, '\\', 'n')
		case '\r':
			buf = append(buf, '\\', 'r')
		case '\t':
			buf = append(buf, '\\', 't')
		default:
			if c < 0x20 {
				const hex = "0123456789abcdef"
				buf = append(buf, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
				continue
			}
			buf = append(buf, c)
		}
	}
	return append(buf, '"')
}

// CompareJSON orders jsonb values as PostgreSQL's jsonb btree operator
// class does: by kind (null < string < number < boolean < array <
// object); arrays by length, then element by element; objects by number
// of pairs, then key and value pair by pair in key order. A scalar at the
// top level is, as in PostgreSQL, a one-element array that sorts before a
// real array of one element.
func CompareJSON(a, b *JSON) int {
	aScalar, bScalar := a.IsScalar(), b.IsScalar()
	switch {
	case aScalar && bScalar:
		return compareJSONValue(a, b)
	case aScalar && b.Kind == JSONArrayKind:
		if len(b.Elems) != 1 {
			return cmpOrdered(1, int64(len(b.Elems)))
		}
		return -1
	case bScalar && a.Kind == JSONArrayKind:
		if len(a.Elems) != 1 {
			return cmpOrdered(int64(len(a.Elems)), 1)
		}
		return 1
	case aScalar:
		return -1 // a pseudo-array sorts before an object
	case bScalar:
		return 1
	}
	return compareJSONValue(a, b)
}

func compareJSONValue(a, b *JSON) int {
	if a.Kind != b.Kind {
		return cmpOrdered(int64(a.Kind), int64(b.Kind))
	}
	switch a.Kind {
	case JSONString:
		return strings.Compare(a.Str, b.Str)
	case JSONNumber:
		return cmpDecimal(a.Num, b.Num)
	case JSONBool:
		return Compare(a.Bool, b.Bool)
	case JSONArrayKind:
		if len(a.Elems) != len(b.Elems) {
			return cmpOrdered(int64(len(a.Elems)), int64(len(b.Elems)))
		}
		for i := range a.Elems {
			if c := compareJSONValue(a.Elems[i], b.Elems[i]); c != 0 {
				return c
			}
		}
	case JSONObject:
		if len(a.Keys) != len(b.Keys) {
			return cmpOrdered(int64(len(a.Keys)), int64(len(b.Keys)))
		}
		for i := range a.Keys {
			if c := strings.Compare(a.Keys[i], b.Keys[i]); c != 0 {
				return c
			}
			if c := compareJSONValue(a.Vals[i], b.Vals[i]); c != 0 {
				return c
			}
		}
	}
	return 0
}

// appendJSONKey appends a canonical, self-delimiting encoding of j for
// keys (equal values give equal bytes; it does not sort in jsonb order).
func appendJSONKey(buf []byte, j *JSON) []byte {
	buf = append(buf, byte(j.Kind)+1)
	switch j.Kind {
	case JSONString:
		buf = appendEscaped(buf, j.Str)
	case JSONNumber:
		var r apd.Decimal
		r.Reduce(j.Num)
		if r.IsZero() {
			r.Negative = false
		}
		buf = appendEscaped(buf, r.String())
	case JSONBool:
		if j.Bool {
			buf = append(buf, 1)
		} else {
			buf = append(buf, 0)
		}
	case JSONArrayKind:
		for _, e := range j.Elems {
			buf = appendJSONKey(append(buf, 1), e)
		}
		buf = append(buf, 0)
	case JSONObject:
		for i, k := range j.Keys {
			buf = appendEscaped(append(buf, 1), k)
			buf = appendJSONKey(buf, j.Vals[i])
		}
		buf = append(buf, 0)
	}
	return buf
}

// castToJSON converts jsonb (its text form) and text (checked) to json.
func castToJSON(d Datum, from, to T, explicit bool) (Datum, error) {
	switch v := d.(type) {
	case *JSON:
		return v.String(), nil
	case string:
		if err := ValidateJSON(v); err != nil {
			return nil, err
		}
		return v, nil
	}
	return nil, cannotCast(from, to)
}

// castToJSONB converts json and text to jsonb by parsing them.
func castToJSONB(d Datum, from, to T, explicit bool) (Datum, error) {
	if v, ok := d.(string); ok {
		return ParseJSONB(v)
	}
	return nil, cannotCast(from, to)
}

// JSONBToScalar is the cast of a jsonb value to boolean, numeric, an
// integer type or float8: only a JSON boolean converts to boolean and only
// a number to the others; anything else is 22023 as in PostgreSQL.
func JSONBToScalar(j *JSON, to T) (Datum, error) {
	want := JSONNumber
	if to.ID == Bool {
		want = JSONBool
	}
	if j.Kind != want {
		kind := j.Kind.String()
		if j.Kind == JSONNumber {
			kind = "numeric"
		}
		return nil, pgerr.New(pgerr.InvalidParameterValue, "cannot cast jsonb %s to type %s", kind, to.Name())
	}
	if want == JSONBool {
		return j.Bool, nil
	}
	return Cast(j.Num, New(Numeric), to, true)
}

// jsonCanCast reports the casts into and out of the JSON types; ok is
// false when neither type is one.
func jsonCanCast(from, to T) (can, ok bool) {
	fj := from.ID == JSONType || from.ID == JSONB
	tj := to.ID == JSONType || to.ID == JSONB
	switch {
	case fj && tj:
		return true, true
	case from.ID == JSONB:
		return to.IsString() || to.ID == Bool || to.IsNumeric(), true
	case fj:
		return to.IsString(), true
	case tj:
		return from.IsString(), true
	}
	return false, false
}

// sortStable is an insertion sort of idx by less, stable; objects are
// small enough that it beats sort.SliceStable's overhead, and large ones
// fall back to a merge.
func sortStable(idx []int, less func(i, j int) bool) {
	if len(idx) > 32 {
		mid := len(idx) / 2
		sortStable(idx[:mid], less)
		sortStable(idx[mid:], less)
		merged := make([]int, 0, len(idx))
		i, j := 0, mid
		for i < mid && j < len(idx) {
			if less(idx[j], idx[i]) {
				merged = append(merged, idx[j])
				j++
			} else {
				merged = append(merged, idx[i])
				i++
			}
		}
		merged = append(merged, idx[i:mid]...)
		merged = append(merged, idx[j:]...)
		copy(idx, merged)
		return
	}
	for i := 1; i < len(idx); i++ {
		for k := i; k > 0 && less(idx[k], idx[k-1]); k-- {
			idx[k], idx[k-1] = idx[k-1], idx[k]
		}
	}
}

// ToJSONB is to_jsonb: the value d of type t as jsonb. Numbers become
// JSON numbers (NaN and the infinities, strings), booleans booleans,
// arrays JSON arrays, records objects of their fields, json and jsonb
// their value, dates and timestamps ISO 8601 strings (timestamptz in
// UTC), anything else the string of its text form.
func ToJSONB(t T, d Datum) (*JSON, error) { return ToJSONBStyle(t, d, Style{}) }

// ToJSONBStyle is ToJSONB with timestamptz in the style's zone.
func ToJSONBStyle(t T, d Datum, st Style) (*JSON, error) {
	switch v := d.(type) {
	case nil:
		return JSONNullValue, nil
	case *JSON:
		return v, nil
	case bool:
		return JSONBoolean(v), nil
	case *Array:
		// One JSON array per dimension: {{1,2},{3,4}} is [[1,2],[3,4]].
		elem, _ := t.Elem()
		var build func(d int, elems []Datum) (*JSON, error)
		build = func(d int, elems []Datum) (*JSON, error) {
			n := v.DimLen(d)
			out := &JSON{Kind: JSONArrayKind, Elems: make([]*JSON, n)}
			stride := 0
			if n > 0 {
				stride = len(elems) / n
			}
			for i := range out.Elems {
				var err error
				if d+1 < v.NDims() {
					out.Elems[i], err = build(d+1, elems[i*stride:(i+1)*stride])
				} else {
					out.Elems[i], err = ToJSONBStyle(elem, elems[i], st)
				}
				if err != nil {
					return nil, err
				}
			}
			return out, nil
		}
		return build(0, v.Elems)
	case *RecordValue:
		keys := make([]string, len(v.Fields))
		vals := make([]*JSON, len(v.Fields))
		for i, f := range v.Fields {
			ft, name := RecordField(t, v, i)
			keys[i] = name
			var err error
			if vals[i], err = ToJSONBStyle(ft, f, st); err != nil {
				return nil, err
			}
		}
		return NewJSONObject(keys, vals), nil
	case string:
		if t.ID == JSONType {
			return ParseJSONB(v)
		}
	}
	if t.IsNumeric() {
		s := FormatText(t, d)
		if n, _, err := apd.NewFromString(s); err == nil && n.Form == apd.Finite {
			return JSONNum(n), nil
		}
		return JSONStr(s), nil
	}
	return JSONStr(jsonScalarText(t, d, st)), nil
}

// RecordField is the type and name of field i of r, a value of type rt:
// by r's shape, else rt's; f1, f2, ... where neither names it.
func RecordField(rt T, r *RecordValue, i int) (T, string) {
	var t T
	name := "f" + strconv.Itoa(i+1)
	shape := r.Shape
	if shape == nil {
		shape = rt.Shape
	}
	if shape != nil {
		if i < len(shape.Types) {
			t = shape.Types[i]
		}
		if i < len(shape.Names) && shape.Names[i] != "" {
			name = shape.Names[i]
		}
	}
	return t, name
}

// ToJSONText is to_json: the value d of type t as json text, compact
// (arrays as [1,2], records as {"f1":1}).
func ToJSONText(t T, d Datum) string { return string(AppendJSONText(nil, t, d)) }

// AppendJSONText appends to_json's text of d to buf.
func AppendJSONText(buf []byte, t T, d Datum) []byte { return AppendJSONTextStyle(buf, t, d, Style{}) }

// AppendJSONTextStyle is AppendJSONText with timestamptz in the style's
// zone.
func AppendJSONTextStyle(buf []byte, t T, d Datum, st Style) []byte {
	switch v := d.(type) {
	case nil:
		return append(buf, "null"...)
	case *JSON:
		return v.AppendText(buf)
	case bool:
		return strconv.AppendBool(buf, v)
	case *Array:
		// One JSON array per dimension: {{1,2},{3,4}} is [[1,2],[3,4]].
		elem, _ := t.Elem()
		var appendDim func(buf []byte, d int, elems []Datum) []byte
		appendDim = func(buf []byte, d int, elems []Datum) []byte {
			n := v.DimLen(d)
			stride := 0
			if n > 0 {
				stride = len(elems) / n
			}
			buf = append(buf, '[')
			for i := 0; i < n; i++ {
				if i > 0 {
					buf = append(buf, ',')
				}
				if d+1 < v.NDims() {
					buf = appendDim(buf, d+1, elems[i*stride:(i+1)*stride])
				} else {
					buf = AppendJSONTextStyle(buf, elem, elems[i], st)
				}
			}
			return append(buf, ']')
		}
		return appendDim(buf, 0, v.Elems)
	case *RecordValue:
		buf = append(buf, '{')
		for i, f := range v.Fields {
			if i > 0 {
				buf = append(buf, ',')
			}
			ft, name := RecordField(t, v, i)
			buf = AppendJSONString(buf, name)
			buf = append(buf, ':')
			buf = AppendJSONTextStyle(buf, ft, f, st)
		}
		return append(buf, '}')
	case string:
		if t.ID == JSONType {
			return append(buf, v...)
		}
	}
	if t.IsNumeric() {
		s := FormatText(t, d)
		if n, _, err := apd.NewFromString(s); err == nil && n.Form == apd.Finite {
			return append(buf, s...)
		}
		return AppendJSONString(buf, s)
	}
	return AppendJSONString(buf, jsonScalarText(t, d, st))
}

// jsonScalarText is the string a non-numeric scalar becomes in JSON:
// dates and timestamps in ISO 8601 (2024-02-29T13:14:15.5+10:30, the
// offset of the style's zone), infinity and -infinity as such, the rest
// their text form.
func jsonScalarText(t T, d Datum, st Style) string {
	if v, ok := d.(time.Time); ok && (t.ID == Date || t.ID == Timestamp || t.ID == TimestampTZ) {
		switch Infinite(v) {
		case 1:
			return "infinity"
		case -1:
			return "-infinity"
		}
		off := ""
		if t.ID == TimestampTZ {
			v = v.In(st.Location())
			_, east := v.Zone()
			off = xsdZoneOffset(east)
		}
		date, bc := strings.CutSuffix(formatDate(v), " BC")
		s := date
		if t.ID != Date {
			s += "T" + formatClock(v) + off
		}
		if bc {
			s += " BC"
		}
		return s
	}
	if t.ID == Bpchar {
		return d.(string)
	}
	return FormatText(t, d)
}

// xsdZoneOffset is a zone offset as XML Schema writes it: +HH:MM, with
// :SS when there are seconds.
func xsdZoneOffset(east int) string {
	sign := byte('+')
	if east < 0 {
		sign = '-'
		east = -east
	}
	out := string(sign) + pad(east/3600, 2) + ":" + pad(east/60%60, 2)
	if east%60 != 0 {
		out += ":" + pad(east%60, 2)
	}
	return out
}
