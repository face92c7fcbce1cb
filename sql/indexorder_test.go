package sql

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/cairndb/cairn/sql/types"
)

// TestNullsLast checks the order an ordered index scan gives entries of
// two key columns (b, i): ascending with NULLs last in each column, and
// the exact reverse backward, from entries in key order (NULL first).
func TestNullsLast(t *testing.T) {
	rows := [][]types.Datum{
		{nil, nil}, {nil, int64(1)}, {false, nil}, {false, int64(1)}, {false, int64(2)},
		{true, nil}, {true, int64(0)}, {true, int64(0)}, {true, int64(5)},
	}
	name := func(r []types.Datum) string {
		var parts []string
		for _, v := range r {
			parts = append(parts, types.FormatText(types.New(types.Text), v))
		}
		return strings.Join(parts, "/")
	}
	var ents []keyedEntry
	for i, r := range rows {
		ents = append(ents, keyedEntry{indexEntry{key: types.EncodeKey(r), pk: []byte{byte(i)}}, 0})
	}
	slices.SortStableFunc(ents, func(a, b keyedEntry) int { return bytes.Compare(a.key, b.key) })
	for _, tc := range []struct {
		backward bool
		want     []int
	}{
		{false, []int{3, 4, 2, 6, 7, 8, 5, 1, 0}},
		{true, []int{0, 1, 5, 8, 7, 6, 2, 4, 3}},
	} {
		out, err := nullsLast(slices.Clone(ents), 2, tc.backward, nil)
		if err != nil {
			t.Fatal(err)
		}
		var got, want []string
		for _, e := range out {
			got = append(got, name(rows[e.pk[0]]))
		}
		for _, i := range tc.want {
			want = append(want, name(rows[i]))
		}
		if !slices.Equal(got, want) {
			t.Errorf("backward=%v: %v, want %v", tc.backward, got, want)
		}
	}
}
