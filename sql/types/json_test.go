package types

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/cairndb/cairn/internal/pgerr"
)

func TestParseJSONBCanonical(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"b":1,"a":2,"aa":3,"a":4}`, `{"a": 4, "b": 1, "aa": 3}`},
		{` [1, 2 ,{"x":[]},{}] `, `[1, 2, {"x": []}, {}]`},
		{`-0`, `0`},
		{`1e2`, `100`},
		{`1.50`, `1.50`},
		{`1E-2`, `0.01`},
		{`"\u00e9\n\u0001\/"`, `"é\n\u0001/"`},
		{`"\ud83d\ude00"`, `"😀"`},
		{"true", "true"},
		{"null", "null"},
		{`{"a":{"c":1,"b":null}}`, `{"a": {"b": null, "c": 1}}`},
	} {
		j, err := ParseJSONB(tc.in)
		if err != nil {
			t.Errorf("ParseJSONB(%q): %v", tc.in, err)
			continue
		}
		if got := j.String(); got != tc.want {
			t.Errorf("ParseJSONB(%q) = %s, want %s", tc.in, got, tc.want)
		}
		// The text form reads back to an equal value.
		again, err := ParseJSONB(j.String())
		if err != nil || CompareJSON(j, again) != 0 {
			t.Errorf("%s does not read back: %v", j, err)
		}
	}
}

// The errors are PostgreSQL 15's, detail and context included.
func TestParseJSONErrors(t *testing.T) {
	for _, tc := range []struct{ in, code, detail, where string }{
		{`{"a":}`, "22P02", `Expected JSON value, but found "}".`, `JSON data, line 1: {"a":}`},
		{`{"a" 1}`, "22P02", `Expected ":", but found "1".`, `JSON data, line 1: {"a" 1...`},
		{`[1,2`, "22P02", `The input string ended unexpectedly.`, `JSON data, line 1: [1,2`},
		{`tru`, "22P02", `Token "tru" is invalid.`, `JSON data, line 1: tru`},
		{`"abc`, "22P02", `Token ""abc" is invalid.`, `JSON data, line 1: "abc`},
		{`{"a":1,}`, "22P02", `Expected string, but found "}".`, `JSON data, line 1: {"a":1,}`},
		{``, "22P02", `The input string ended unexpectedly.`, `JSON data, line 1: `},
		{`1 2`, "22P02", `Expected end of input, but found "2".`, `JSON data, line 1: 1 2`},
		{`{1:2}`, "22P02", `Expected string or "}", but found "1".`, `JSON data, line 1: {1...`},
		{`"\u00"`, "22P02", `"\u" must be followed by four hexadecimal digits.`, `JSON data, line 1: "\u00"`},
		{`"\x"`, "22P02", `Escape sequence "\x" is invalid.`, `JSON data, line 1: "\x...`},
		{`01`, "22P02", `Token "01" is invalid.`, `JSON data, line 1: 01`},
		{`1.`, "22P02", `Token "1." is invalid.`, `JSON data, line 1: 1.`},
		{`-`, "22P02", `Token "-" is invalid.`, `JSON data, line 1: -`},
		{`[1,]`, "22P02", `Expected JSON value, but found "]".`, `JSON data, line 1: [1,]`},
		{"\"a\nb\"", "22P02", `Character with value 0x0a must be escaped.`, `JSON data, line 1: "a`},
		{`"\u0000"`, "22P05", `\u0000 cannot be converted to text.`, `JSON data, line 1: "\u0000...`},
		{`{"a":1}}`, "22P02", `Expected end of input, but found "}".`, `JSON data, line 1: {"a":1}}`},
		{`[,1]`, "22P02", `Expected JSON value, but found ",".`, `JSON data, line 1: [,...`},
		{`{"a":1 "b"}`, "22P02", `Expected "," or "}", but found ""b"".`, `JSON data, line 1: {"a":1 "b"...`},
		{`[1 2]`, "22P02", `Expected "," or "]", but found "2".`, `JSON data, line 1: [1 2...`},
		{`"\ud83d"`, "22P02", `Unicode low surrogate must follow a high surrogate.`, `JSON data, line 1: "\ud83d"`},
		{`"\ude00"`, "22P02", `Unicode low surrogate must follow a high surrogate.`, `JSON data, line 1: "\ude00...`},
		{`"\ud83d\ud83d"`, "22P02", `Unicode high surrogate must not follow a high surrogate.`, `JSON data, line 1: "\ud83d\ud83d...`},
		{`1e131072`, "22003", "", ""},
		{`[1e-16384]`, "22003", "", ""},
		{"[1,\n 2,\n x]", "22P02", `Token "x" is invalid.`, `JSON data, line 3:  x...`},
		{`$`, "22P02", `Token "$" is invalid.`, `JSON data, line 1: $`},
	} {
		_, err := ParseJSONB(tc.in)
		pe := pgerr.Find(err)
		if pe == nil {
			t.Errorf("ParseJSONB(%q) = %v, want an error", tc.in, err)
			continue
		}
		if pe.Code != tc.code || pe.Detail != tc.detail || pe.Where != tc.where {
			t.Errorf("ParseJSONB(%q) = %s %q %q, want %s %q %q", tc.in, pe.Code, pe.Detail, pe.Where, tc.code, tc.detail, tc.where)
		}
	}
}

// json keeps its text and does not resolve escapes, so \u0000 and lone
// surrogates pass, as in PostgreSQL.
func TestJSONKeepsText(t *testing.T) {
	for _, in := range []string{`["\u0000"]`, `"\ud83d"`, ` {"b":1, "a":2, "a":3} `} {
		d, err := ParseText(New(JSONType), in)
		if err != nil || d != in {
			t.Errorf("json %q = %v, %v", in, d, err)
		}
	}
	if err := ValidateJSON(`{"a":`); pgerr.Code(err) != pgerr.InvalidTextRepresentation {
		t.Errorf("ValidateJSON accepted bad input: %v", err)
	}
}

// The order is PostgreSQL 15's jsonb btree order (results of a > b
// there).
func TestCompareJSON(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{`[]`, `null`, -1}, {`1`, `[1]`, -1}, {`1`, `[0]`, -1}, {`1`, `[]`, 1},
		{`1`, `[1,2]`, -1}, {`{}`, `[1,2]`, 1}, {`1`, `{}`, -1}, {`"a"`, `1`, -1},
		{`true`, `1`, 1}, {`null`, `""`, -1}, {`[1]`, `["a"]`, 1}, {`[1,2]`, `[3]`, 1},
		{`{"b":1}`, `{"aa":1}`, 1}, {`{"a":1,"b":2}`, `{"c":0}`, 1}, {`{"a":2}`, `{"a":1}`, 1},
		{`1.0`, `1`, 0}, {`[[1]]`, `[1]`, 1}, {`[{}]`, `[[]]`, 1}, {`false`, `true`, -1}, {`"b"`, `"ab"`, 1},
	} {
		a, _ := ParseJSONB(tc.a)
		b, _ := ParseJSONB(tc.b)
		if got := Compare(a, b); got != tc.want {
			t.Errorf("Compare(%s, %s) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := Compare(b, a); got != -tc.want {
			t.Errorf("Compare(%s, %s) = %d, want %d", tc.b, tc.a, got, -tc.want)
		}
		ka, kb := EncodeKey([]Datum{a}), EncodeKey([]Datum{b})
		if bytes.Equal(ka, kb) != (tc.want == 0) {
			t.Errorf("keys of %s and %s: equal %v, want %v", tc.a, tc.b, bytes.Equal(ka, kb), tc.want == 0)
		}
	}
}

func TestJSONBRowAndCasts(t *testing.T) {
	j, _ := ParseJSONB(`{"a": [1, "x", null, true]}`)
	row, err := DecodeRow(EncodeRow([]Datum{j, nil}))
	if err != nil || Compare(row[0], j) != 0 || row[1] != nil {
		t.Fatalf("row round trip: %v %v", row, err)
	}
	for _, tc := range []struct {
		in   string
		to   ID
		want string
		code string
	}{
		{`1.5`, Int4, "2", ""},
		{`12.25`, Numeric, "12.25", ""},
		{`true`, Bool, "t", ""},
		{`"1"`, Int4, "", pgerr.InvalidParameterValue},
		{`1`, Bool, "", pgerr.InvalidParameterValue},
		{`{"a":1}`, Text, `{"a": 1}`, ""},
		{`{"a":1}`, JSONType, `{"a": 1}`, ""},
		{`3000000000`, Int4, "", pgerr.NumericValueOutOfRange},
	} {
		v, _ := ParseJSONB(tc.in)
		got, err := Cast(v, New(JSONB), New(tc.to), true)
		if tc.code != "" {
			if pgerr.Code(err) != tc.code {
				t.Errorf("%s::%s: %v, want %s", tc.in, New(tc.to).Name(), err, tc.code)
			}
			continue
		}
		if err != nil || FormatText(New(tc.to), got) != tc.want {
			t.Errorf("%s::%s = %v, %v, want %s", tc.in, New(tc.to).Name(), got, err, tc.want)
		}
	}
	if _, err := Cast(int64(1), New(Int4), New(JSONB), true); pgerr.Code(err) != pgerr.CannotCoerce {
		t.Errorf("int4 to jsonb: %v", err)
	}
}

func TestJSONPretty(t *testing.T) {
	j, _ := ParseJSONB(`{"a":[], "b":{}, "c":[1,{"x":null}]}`)
	want := "{\n    \"a\": [\n    ],\n    \"b\": {\n    },\n    \"c\": [\n        1,\n        {\n            \"x\": null\n        }\n    ]\n}"
	if got := j.Pretty(); got != want {
		t.Errorf("Pretty = %q, want %q", got, want)
	}
}

func TestJSONDepth(t *testing.T) {
	deep := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	if _, err := ParseJSONB(deep(10000)); err != nil {
		t.Errorf("10000 levels: %v", err)
	}
	for _, parse := range []func(string) error{
		func(s string) error { _, err := ParseJSONB(s); return err },
		ValidateJSON,
	} {
		if err := parse(deep(100000)); pgerr.Code(err) != pgerr.StatementTooComplex {
			t.Errorf("100000 levels: %v, want 54001", err)
		}
	}
}

// The expected values are PostgreSQL 15's to_json and to_jsonb.
func TestToJSONRecordsAndTimes(t *testing.T) {
	stamp := time.Date(2014, 5, 28, 16, 22, 35, 614298000, time.UTC)
	rec := &RecordValue{Shape: &RecordShape{Names: []string{"a", "b"}, Types: []T{New(Int4), New(Text)}}, Fields: []Datum{int64(1), "x"}}
	anon := &RecordValue{Fields: []Datum{nil}}
	recs := &Array{Elems: []Datum{rec, nil}}
	for _, tc := range []struct {
		t       T
		d       Datum
		zone    *time.Location
		json    string
		jsonb   string
		comment string
	}{
		{New(TimestampTZ), stamp, time.FixedZone("", 10*3600+1800), `"2014-05-29T02:52:35.614298+10:30"`, `"2014-05-29T02:52:35.614298+10:30"`, "zone offset"},
		{New(TimestampTZ), stamp, time.FixedZone("", -8*3600), `"2014-05-28T08:22:35.614298-08:00"`, `"2014-05-28T08:22:35.614298-08:00"`, "whole hours keep minutes"},
		{New(TimestampTZ), stamp, nil, `"2014-05-28T16:22:35.614298+00:00"`, `"2014-05-28T16:22:35.614298+00:00"`, "UTC"},
		{New(TimestampTZ), InfinityTime, nil, `"infinity"`, `"infinity"`, ""},
		{New(Timestamp), NegInfinityTime, nil, `"-infinity"`, `"-infinity"`, ""},
		{New(Date), InfinityTime, nil, `"infinity"`, `"infinity"`, ""},
		{New(Timestamp), time.Date(-43, 3, 15, 10, 0, 0, 0, time.UTC), nil, `"0044-03-15T10:00:00 BC"`, `"0044-03-15T10:00:00 BC"`, "BC last"},
		{RecordOf(rec.Shape.Names, rec.Shape.Types), rec, nil, `{"a":1,"b":"x"}`, `{"a": 1, "b": "x"}`, "record"},
		{New(Record), anon, nil, `{"f1":null}`, `{"f1": null}`, "unnamed field"},
		{New(RecordArray), recs, nil, `[{"a":1,"b":"x"},null]`, `[{"a": 1, "b": "x"}, null]`, "record array"},
	} {
		st := Style{Zone: tc.zone}
		if got := string(AppendJSONTextStyle(nil, tc.t, tc.d, st)); got != tc.json {
			t.Errorf("%s: to_json = %s, want %s", tc.comment, got, tc.json)
		}
		j, err := ToJSONBStyle(tc.t, tc.d, st)
		if err != nil || j.String() != tc.jsonb {
			t.Errorf("%s: to_jsonb = %v, %v; want %s", tc.comment, j, err, tc.jsonb)
		}
	}
}

// max_stack_depth lowers the nesting JSON input may have, never raises
// it; PostgreSQL 15 at 100kB refuses 1000 levels.
func TestJSONDepthFollowsStackDepth(t *testing.T) {
	deep := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	small := Style{MaxStackDepthKB: 100}
	if _, err := ParseJSONBStyle(deep(1000), small); pgerr.Code(err) != pgerr.StatementTooComplex {
		t.Errorf("1000 levels at 100kB: %v, want 54001", err)
	}
	if err := ValidateJSONStyle(deep(1000), small); pgerr.Code(err) != pgerr.StatementTooComplex {
		t.Errorf("json, 1000 levels at 100kB: %v, want 54001", err)
	}
	if _, err := ParseJSONBStyle(deep(500), small); err != nil {
		t.Errorf("500 levels at 100kB: %v", err)
	}
	if _, err := ParseJSONBStyle(deep(JSONDepthMax+1), Style{MaxStackDepthKB: 7680}); pgerr.Code(err) != pgerr.StatementTooComplex {
		t.Errorf("a larger setting raised the bound: %v", err)
	}
	if _, err := CastStyle(deep(1000), New(Text), New(JSONB), false, small); pgerr.Code(err) != pgerr.StatementTooComplex {
		t.Errorf("cast at 100kB: %v, want 54001", err)
	}
	if !StyleDependent(New(Text), New(JSONType)) {
		t.Error("text to json does not follow the style")
	}
}
