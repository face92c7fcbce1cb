package sql

import "github.com/cairndb/cairn/sql/types"

// pgQsort sorts s by cmp with PostgreSQL's in-memory sort
// (src/include/lib/sort_template.h, a Bentley-McIlroy quicksort): the
// same comparisons and swaps in the same order, so that rows that compare
// equal come out in the order PostgreSQL leaves them, which a window's
// peers and an ORDER BY with ties show. Insertion sort below 7 elements,
// a check for already sorted input, the median of three (of three
// medians above 40) as pivot, and a three-way partition.
func pgQsort[T any](s []T, cmp func(a, b T) int) {
	for {
		n := len(s)
		if n < 7 {
			for m := 1; m < n; m++ {
				for l := m; l > 0 && cmp(s[l-1], s[l]) > 0; l-- {
					s[l], s[l-1] = s[l-1], s[l]
				}
			}
			return
		}
		presorted := true
		for m := 1; m < n; m++ {
			if cmp(s[m-1], s[m]) > 0 {
				presorted = false
				break
			}
		}
		if presorted {
			return
		}
		m := n / 2
		if n > 7 {
			l, h := 0, n-1
			if n > 40 {
				d := n / 8
				l = med3(s, l, l+d, l+2*d, cmp)
				m = med3(s, m-d, m, m+d, cmp)
				h = med3(s, h-2*d, h-d, h, cmp)
			}
			m = med3(s, l, m, h, cmp)
		}
		s[0], s[m] = s[m], s[0]
		a, b := 1, 1
		c, d := n-1, n-1
		for {
			for b <= c {
				r := cmp(s[b], s[0])
				if r > 0 {
					break
				}
				if r == 0 {
					s[a], s[b] = s[b], s[a]
					a++
				}
				b++
			}
			for b <= c {
				r := cmp(s[c], s[0])
				if r < 0 {
					break
				}
				if r == 0 {
					s[c], s[d] = s[d], s[c]
					d--
				}
				c--
			}
			if b > c {
				break
			}
			s[b], s[c] = s[c], s[b]
			b++
			c--
		}
		d1 := min(a, b-a)
		swapRange(s, 0, b-d1, d1)
		d1 = min(d-c, n-d-1)
		swapRange(s, b, n-d1, d1)
		d1, d2 := b-a, d-c
		if d1 <= d2 {
			if d1 > 1 {
				pgQsort(s[:d1], cmp)
			}
			if d2 <= 1 {
				return
			}
			s = s[n-d2:]
		} else {
			if d2 > 1 {
				pgQsort(s[n-d2:], cmp)
			}
			if d1 <= 1 {
				return
			}
			s = s[:d1]
		}
	}
}

func med3[T any](s []T, a, b, c int, cmp func(a, b T) int) int {
	if cmp(s[a], s[b]) < 0 {
		if cmp(s[b], s[c]) < 0 {
			return b
		}
		if cmp(s[a], s[c]) < 0 {
			return c
		}
		return a
	}
	if cmp(s[b], s[c]) > 0 {
		return b
	}
	if cmp(s[a], s[c]) < 0 {
		return a
	}
	return c
}

// swapRange swaps the n elements from i with the n elements from j.
func swapRange[T any](s []T, i, j, n int) {
	for k := 0; k < n; k++ {
		s[i+k], s[j+k] = s[j+k], s[i+k]
	}
}

// compareRows orders two rows by sort keys as lessRow does, three-way.
func compareRows(a, b []types.Datum, keys []sortKey) int {
	for _, k := range keys {
		x, y := a[k.idx], b[k.idx]
		switch {
		case x == nil && y == nil:
			continue
		case x == nil:
			if k.nullsFirst {
				return -1
			}
			return 1
		case y == nil:
			if k.nullsFirst {
				return 1
			}
			return -1
		}
		c := types.Compare(x, y)
		if c == 0 {
			continue
		}
		if k.desc {
			c = -c
		}
		return c
	}
	return 0
}
