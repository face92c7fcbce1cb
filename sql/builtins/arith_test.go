package builtins

import (
	"testing"

	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// TestNumericPower checks numeric ^ against answers of PostgreSQL 15,
// whose result scale depends on whether the exponent is an integer.
func TestNumericPower(t *testing.T) {
	for _, tc := range []struct {
		x, y string
		want string // result text, or SQLSTATE for an error
	}{
		{"2.0", "3", "8.0000000000000000"},
		{"1.5", "2", "2.2500000000000000"},
		{"4", "0.5", "2.0000000000000000"},
		{"2.0", "0.5", "1.4142135623730950"},
		{"1.5", "2.000", "2.2500000000000000"},
		{"10.0", "20", "100000000000000000000.0000000000000000"},
		{"0.5", "10", "0.0009765625000000"},
		{"1.1", "-3", "0.7513148009015778"},
		{"0.1", "30", "0.0000000000000000"},
		{"0.0", "0", "1.0000000000000000"},
		{"0", "0.0", "1.0000000000000000"},
		{"3.0", "0.5", "1.7320508075688773"},
		{"100.0", "0.5", "10.000000000000000"},
		{"0.01", "0.5", "0.10000000000000000"},
		{"1.000001", "1000000", "2.7182804693193769"},
		{"0.0", "2.5", "0.0000000000000000"},
		{"-2.0", "3", "-8.0000000000000000"},
		{"0.0", "-1", invalidArgumentForPower},
		{"-2.0", "0.5", invalidArgumentForPower},
		{"9.9", "1e10", pgerr.NumericValueOutOfRange},
	} {
		x, _, _ := apd.NewFromString(tc.x)
		y, _, _ := apd.NewFromString(tc.y)
		got, err := numericPower(x, y)
		var text string
		if err != nil {
			text = pgerr.Code(err)
		} else {
			text = types.FormatNumeric(got.(*apd.Decimal))
		}
		if text != tc.want {
			t.Errorf("%s ^ %s = %s, want %s", tc.x, tc.y, text, tc.want)
		}
	}
}
