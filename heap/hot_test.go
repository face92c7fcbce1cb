package heap

import (
	"fmt"
	"testing"
)

func TestHotRows(t *testing.T) {
	var s hotRows
	row := func(i int) []byte { return rowPrefix(table, pk(fmt.Sprint("row", i))) }
	if s.has(row(1)) {
		t.Fatal("an empty set has a row")
	}
	s.add(row(1), row(2))
	for _, i := range []int{1, 2} {
		if !s.has(row(i)) {
			t.Errorf("row %d added but not in the set", i)
		}
	}
	if s.has(row(3)) {
		t.Error("row 3 never added but in the set")
	}
	// Adding more rows than there are slots evicts some, never makes a
	// row that was not added a member (but for a 64-bit hash collision).
	const n = 2 * hotRowsSlots
	for i := 10; i < 10+n; i++ {
		s.add(row(i))
	}
	members := 0
	for i := 10; i < 10+n; i++ {
		if s.has(row(i)) {
			members++
		}
	}
	if members == 0 || members > hotRowsSlots {
		t.Errorf("%d of %d rows added are members, want between 1 and %d", members, n, hotRowsSlots)
	}
	if s.has(row(10 + n)) {
		t.Error("a row never added is in the set")
	}
}
