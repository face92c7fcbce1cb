package sql

import (
	"slices"
	"testing"
)

// TestPgQsortTies checks that pgQsort leaves rows that compare equal in
// PostgreSQL 15's order: the expected orders are PostgreSQL's output for
// tenk1 rows in their heap order sorted by unique1 % 4 and unique1 % 10.
func TestPgQsortTies(t *testing.T) {
	heap100 := []int{59, 88, 39, 18, 54, 80, 53, 35, 23, 83, 84, 15, 55, 46, 32, 70, 4, 21, 76, 94, 36, 77, 51, 50, 33, 2, 91, 1, 6, 58,
		79, 56, 37, 24, 52, 82, 71, 47, 72, 31, 98, 93, 14, 65, 9, 43, 34, 73, 67, 8, 30, 42, 5, 20, 3, 13, 48, 96, 40, 74, 75, 49, 60,
		28, 12, 66, 95, 63, 22, 44, 29, 19, 87, 78, 69, 26, 92, 64, 17, 62, 61, 85, 11, 41, 7, 27, 97, 81, 10, 99, 86, 57, 38, 25, 90,
		16, 68, 45, 89, 0}
	for _, tc := range []struct {
		name string
		in   []int
		mod  int
		want []int
	}{
		{"ten rows by four", []int{4, 2, 1, 6, 9, 8, 5, 3, 7, 0}, 4, []int{0, 8, 4, 5, 9, 1, 6, 2, 3, 7}},
		{"hundred rows by ten", heap100, 10, []int{70, 0, 90, 10, 60, 80, 40, 20, 30, 50, 81, 21, 51, 91, 1, 71, 31, 61, 11, 41,
			22, 92, 82, 52, 42, 2, 12, 72, 32, 62, 13, 83, 33, 3, 63, 93, 43, 73, 53, 23, 54, 34, 14, 4, 24, 44, 64, 74, 84, 94,
			75, 25, 65, 5, 35, 95, 45, 85, 15, 55, 66, 86, 96, 16, 6, 46, 26, 56, 76, 36, 77, 57, 17, 87, 7, 27, 97, 47, 67, 37,
			38, 98, 28, 68, 78, 58, 88, 18, 8, 48, 89, 79, 69, 19, 29, 49, 9, 59, 39, 99}},
		{"presorted", []int{1, 2, 3, 4, 5, 6, 7, 8}, 100, []int{1, 2, 3, 4, 5, 6, 7, 8}},
		{"short", []int{3, 1, 2}, 100, []int{1, 2, 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := slices.Clone(tc.in)
			pgQsort(got, func(a, b int) int { return a%tc.mod - b%tc.mod })
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v\nwant %v", got, tc.want)
			}
		})
	}
}
