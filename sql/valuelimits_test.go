package sql

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// TestTextLimits checks the 1 GB limits on text values with lengths, not
// allocations: PostgreSQL's string buffer error, repeat's own, replace's,
// and array_agg's.
func TestTextLimits(t *testing.T) {
	for _, tc := range []struct {
		have, add int
		ok        bool
	}{
		{0, allocBytesMax - 1, true},
		{0, allocBytesMax, false},
		{1073000000, 741822, true},
		{1073000000, 741823, false},
		{1073000000, 1000000, false},
		{allocBytesMax - 1, 0, true},
	} {
		err := enlargeText(tc.have, tc.add)
		if tc.ok != (err == nil) {
			t.Errorf("enlargeText(%d, %d) = %v", tc.have, tc.add, err)
			continue
		}
		if err != nil {
			pe := pgerr.Find(err)
			want := fmt.Sprintf("Cannot enlarge string buffer containing %d bytes by %d more bytes.", tc.have, tc.add)
			if pe.Code != pgerr.ProgramLimitExceeded || pe.Message != "out of memory" || pe.Detail != want {
				t.Errorf("enlargeText(%d, %d) = %s %s (%s)", tc.have, tc.add, pe.Code, pe.Message, pe.Detail)
			}
		}
	}

	for _, tc := range []struct {
		s     string
		count int64
		want  string // the result, or the error message
	}{
		{"ab", 3, "ababab"},
		{"ab", -1, ""},
		{"", 2000000000, ""},
		{"x", repeatBytesMax + 1, "requested length too large"},
		{"ab", repeatBytesMax/2 + 1, "requested length too large"},
		{"abcd", 1<<31 - 1, "requested length too large"},
	} {
		v, err := repeatText(tc.s, tc.count)
		got := fmt.Sprint(v)
		if err != nil {
			if pgerr.Code(err) != pgerr.ProgramLimitExceeded {
				t.Errorf("repeat(%q, %d): %v, want 54000", tc.s, tc.count, err)
			}
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("repeat(%q, %d) = %q, want %q", tc.s, tc.count, got, tc.want)
		}
	}

	// replace: 1 MiB of matches each replaced by 1 KiB fails at the last
	// match, where the buffer holds 1048575 replacements.
	s := strings.Repeat("a", 1<<20)
	to := strings.Repeat("b", 1024)
	_, err := replaceText(s, "a", to)
	if pe := pgerr.Find(err); pe == nil || pe.Code != pgerr.ProgramLimitExceeded ||
		pe.Detail != "Cannot enlarge string buffer containing 1073740800 bytes by 1024 more bytes." {
		t.Errorf("replace to over 1 GB: %v", err)
	}
	// concatenation checks before it allocates.
	if _, err := concatTexts(s, strings.Repeat("c", 1<<20)); err != nil {
		t.Errorf("concatenating 2 MiB: %v", err)
	}

	// array_agg stops at PostgreSQL 15's element count and size.
	for _, tc := range []struct {
		name  string
		count int64
		bytes int64
		v     types.Datum
	}{
		{"elements", arrayAggElemsMax, 0, int64(1)},
		{"bytes", 1, allocBytesMax - 4, "abc"},
	} {
		a := newAccumulator(&aggSpec{name: "array_agg"})
		a.count, a.arrayBytes = tc.count, tc.bytes
		err := a.add(nil, tc.v)
		if pe := pgerr.Find(err); pe == nil || pe.Code != pgerr.ProgramLimitExceeded || pe.Message != "array size exceeds the maximum allowed (1073741823)" {
			t.Errorf("array_agg past its %s: %v", tc.name, err)
		}
	}
	if err := newAccumulator(&aggSpec{name: "array_agg"}).add(nil, "abc"); err != nil {
		t.Errorf("array_agg of one value: %v", err)
	}
}
