package sql

import (
	"math"
	"testing"

	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/internal/pgerr"
)

// TestInRange checks the in_range rules of RANGE frame offsets against
// PostgreSQL 15's: overflow past the integers' range, infinities and NaN
// for the floats and numeric, and negative offsets (22013).
func TestInRange(t *testing.T) {
	dec := func(s string) *apd.Decimal {
		d, _, err := apd.NewFromString(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	inf := math.Inf(1)
	for _, tc := range []struct {
		name              string
		kind              string
		sub, less         bool
		val, base, offset any
		want              bool
		code              string
	}{
		{"int within", "int", true, false, int64(4), int64(5), int64(1), true, ""},
		{"int below", "int", true, false, int64(3), int64(5), int64(1), false, ""},
		{"int overflow adding", "int", false, true, int64(math.MaxInt64), int64(math.MaxInt64), int64(1), true, ""},
		{"int overflow subtracting", "int", true, false, int64(math.MinInt64), int64(math.MinInt64), int64(1), true, ""},
		{"int negative offset", "int", true, false, int64(1), int64(1), int64(-1), false, pgerr.InvalidPrecedingOrFollowingSize},
		{"float infinite offset at infinity", "float", true, false, -inf, inf, inf, true, ""},
		{"float nan val", "float", false, true, math.NaN(), 1.0, 1.0, false, ""},
		{"float nan both", "float", false, true, math.NaN(), math.NaN(), 1.0, true, ""},
		{"float nan offset", "float", false, true, 1.0, 1.0, math.NaN(), false, pgerr.InvalidPrecedingOrFollowingSize},
		{"numeric within", "numeric", false, true, dec("2.5"), dec("1"), dec("1.5"), true, ""},
		{"numeric infinite offset", "numeric", true, true, dec("-Infinity"), dec("5"), dec("Infinity"), true, ""},
		{"numeric infinite offset finite val", "numeric", true, true, dec("4"), dec("5"), dec("Infinity"), false, ""},
		{"numeric negative offset", "numeric", true, true, dec("4"), dec("5"), dec("-1"), false, pgerr.InvalidPrecedingOrFollowingSize},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rb := &rangeBound{kind: tc.kind, sub: tc.sub, less: tc.less}
			got, err := rb.inRange(nil, tc.val, tc.base, tc.offset)
			if tc.code != "" {
				if pgerr.Code(err) != tc.code {
					t.Fatalf("got %v, want SQLSTATE %s", err, tc.code)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("got %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}

// TestFrameSegments checks the rows EXCLUDE takes out of a frame.
func TestFrameSegments(t *testing.T) {
	// Rows 0..5; peers 1..3.
	peerStart := []int{0, 1, 1, 1, 4, 5}
	peerEnd := []int{1, 4, 4, 4, 5, 6}
	for _, tc := range []struct {
		exclude string
		want    [][2]int
	}{
		{"", [][2]int{{0, 6}}},
		{"current row", [][2]int{{0, 2}, {3, 6}}},
		{"group", [][2]int{{0, 1}, {4, 6}}},
		{"ties", [][2]int{{0, 1}, {2, 3}, {4, 6}}},
	} {
		f := &winFunc{}
		f.frame.Exclude = tc.exclude
		got := f.segments(2, 0, 6, peerStart, peerEnd)
		if len(got) != len(tc.want) {
			t.Fatalf("%q: got %v, want %v", tc.exclude, got, tc.want)
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%q: got %v, want %v", tc.exclude, got, tc.want)
			}
		}
	}
}
