package parser

import (
	"testing"

	"github.com/cairndb/cairn/sql/types"
)

// TestPgGetExprDefault renders defaults as PostgreSQL 15's pg_get_expr
// prints them for the same column definitions.
func TestPgGetExprDefault(t *testing.T) {
	ty := func(id types.ID, mod int32) types.T { return types.T{ID: id, Mod: mod} }
	int4, int8, num, text := types.New(types.Int4), types.New(types.Int8), types.New(types.Numeric), types.New(types.Text)
	for _, tc := range []struct {
		def  string
		col  types.T
		want string
	}{
		{"5", int4, "5"},
		{"-5", int4, "'-5'::integer"},
		{"5", int8, "5"},
		{"5000000000", int8, "'5000000000'::bigint"},
		{"-5000000000", int8, "'-5000000000'::bigint"},
		{"1.5", num, "1.5"},
		{"1.5", ty(types.Numeric, 10<<16|2+4), "1.5"},
		{"'1.5'", ty(types.Numeric, 10<<16|2+4), "1.5"},
		{"10", num, "10"},
		{"-1.5e3", num, "'-1500'::numeric"},
		{"'NaN'", num, "'NaN'::numeric"},
		{"1.5", types.New(types.Float8), "1.5"},
		{"'NaN'", types.New(types.Float8), "'NaN'::double precision"},
		{"'x'", text, "'x'::text"},
		{"nextval('invoice_numbers')", int8, "nextval('invoice_numbers'::regclass)"},
		{"upper('a')", text, "upper('a'::text)"},
		{"left('abc', 2)", text, "\"left\"('abc'::text, 2)"},
		{"right('abc', 2)", text, "\"right\"('abc'::text, 2)"},
		{"'x'", ty(types.Varchar, 5), "'x'::character varying"},
		{"'x'", ty(types.Bpchar, 2), "'x'::bpchar"},
		{"'x'::varchar", text, "'x'::character varying"},
		{"'x'::text", ty(types.Varchar, 5), "'x'::text"},
		{"'it''s'", text, "'it''s'::text"},
		{`'a\b'`, text, `'a\b'::text`},
		{"true", types.New(types.Bool), "true"},
		{"'f'", types.New(types.Bool), "false"},
		{"'7'", int4, "7"},
		{"'-7'", int4, "'-7'::integer"},
		{"-3", types.New(types.Int2), "'-3'::integer"},
		{"'2024-01-02'", types.New(types.Date), "'2024-01-02'::date"},
		{"'2024-01-01 00:00:00+00'", types.New(types.TimestampTZ), "'2024-01-01 00:00:00+00'::timestamp with time zone"},
		{"now()", types.New(types.TimestampTZ), "now()"},
		{"current_timestamp", types.New(types.Timestamp), "CURRENT_TIMESTAMP"},
		{"current_date", types.New(types.Date), "CURRENT_DATE"},
		{"localtimestamp", types.New(types.Timestamp), "LOCALTIMESTAMP"},
		{"1 + 2", int4, "1 + 2"},
		{"(1 + 2) * 3", int4, "(1 + 2) * 3"},
		{"1 + 2 * 3", int4, "1 + 2 * 3"},
		{"10 - 2 - 1", int4, "10 - 2 - 1"},
		{"10 - (2 - 1)", int4, "10 - (2 - 1)"},
		{"3 - -2", int8, "(3 - '-2'::integer)"},
		{"2 * 3", int8, "(2 * 3)"},
		{"5::int8", int4, "5::bigint"},
		{"'a' || 'b'", text, "'a'::text || 'b'::text"},
		{"'x' || upper('y')", text, "'x'::text || upper('y'::text)"},
		{"upper('x')", text, "upper('x'::text)"},
		{"abs(-3)", int4, "abs('-3'::integer)"},
		{"1.5 * 2", num, "1.5 * 2::numeric"},
		{"1 + 2.5", num, "1::numeric + 2.5"},
		{"1 + 5000000000", int8, "1 + '5000000000'::bigint"},
		{"(1 + 2) * 2.5", num, "(1 + 2)::numeric * 2.5"},
		{"-2 * 1.5", num, "'-2'::integer::numeric * 1.5"},
	} {
		got, err := DeparseDefault(tc.def, tc.col)
		if err != nil {
			t.Errorf("%s: %v", tc.def, err)
			continue
		}
		if got != tc.want {
			t.Errorf("default %s for %s: got %s, want %s", tc.def, tc.col.Name(), got, tc.want)
		}
	}
}
