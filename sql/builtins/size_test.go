package builtins

import (
	"testing"

	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// TestSizeFunctions checks pg_size_pretty and pg_size_bytes against
// PostgreSQL 15's answers.
func TestSizeFunctions(t *testing.T) {
	for _, tc := range []struct {
		in   int64
		want string
	}{
		{0, "0 bytes"}, {10239, "10239 bytes"}, {10240, "10 kB"}, {-10240, "-10 kB"},
		{20971519, "20 MB"}, {20971520, "20 MB"}, {9223372036854775807, "8192 PB"},
	} {
		if got := SizePretty(tc.in); got != tc.want {
			t.Errorf("pg_size_pretty(%d) = %s, want %s", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"1.5", "1.5 bytes"}, {"10240.7", "10 kB"}, {"123456789012345678901234567890", "109651655766237 PB"}, {"-99999", "-98 kB"},
	} {
		d, _ := types.ParseText(types.New(types.Numeric), tc.in)
		got, err := sizePrettyNumeric(d.(*apd.Decimal))
		if err != nil || got != tc.want {
			t.Errorf("pg_size_pretty(%s::numeric) = %v, %v, want %s", tc.in, got, err, tc.want)
		}
	}
	for _, tc := range []struct {
		in   string
		want string // the bytes, or the error's SQLSTATE and message
	}{
		{"1", "1"}, {" 1.5 kB ", "1536"}, {"1e3MB", "1048576000"}, {"-2 GB", "-2147483648"},
		{"1 pb", "1125899906842624"}, {".5 bytes", "1"}, {"1TB", "1099511627776"},
		{"1 B", `22023 invalid size: "1 B"`}, {"abc", `22023 invalid size: "abc"`},
		{"1e", `22023 invalid size: "1e"`}, {"99999999999 PB", "22003 bigint out of range"},
	} {
		v, err := sizeBytes(tc.in)
		got := types.FormatText(types.New(types.Int8), v)
		if err != nil {
			got = pgerr.Code(err) + " " + err.Error()
		}
		if got != tc.want {
			t.Errorf("pg_size_bytes(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}
