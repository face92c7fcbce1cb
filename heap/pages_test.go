package heap

import (
	"fmt"
	"slices"
	"testing"
)

// TestScanPages: a table ingested as blocks has many pages; reading every
// page reads every visible row once, in key order; reading some pages
// reads a part of them, each row at most once; a store that lists no
// blocks gives one page, the whole table.
func TestScanPages(t *testing.T) {
	e := newEnv(t)
	const rows = 20000
	tx := e.begin(t)
	data := make([][]byte, rows)
	for i := range data {
		data[i] = fmt.Appendf(nil, "row %05d with some bytes to fill the blocks", i)
	}
	if err := e.h.IngestRows(Op{Tx: tx, Snap: e.tm.Snapshot(tx, 0)}, table, data); err != nil {
		t.Fatal(err)
	}
	commit(t, tx)
	// A version the scan must not see: the second row deleted.
	var second TupleID
	n := 0
	if err := e.h.Scan(e.tm.ReadSnapshot(), table, func(tu Tuple) error {
		if n++; n == 2 {
			second = tu.ID
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	del := e.begin(t)
	if err := e.h.Delete(Op{Tx: del, Snap: e.tm.Snapshot(del, 0)}, second); err != nil {
		t.Fatal(err)
	}
	commit(t, del)

	p, err := e.h.TablePages(table)
	if err != nil {
		t.Fatal(err)
	}
	if p.Len() < 20 {
		t.Fatalf("%d pages over %d ingested rows, want at least 20", p.Len(), rows)
	}
	read := func(pages []int) []string {
		t.Helper()
		var out []string
		if err := e.h.ScanPages(e.tm.ReadSnapshot(), p, pages, func(tu Tuple) error {
			out = append(out, string(tu.Data))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	all := make([]int, p.Len())
	for i := range all {
		all[i] = i
	}
	got := read(all)
	var want []string
	if err := e.h.Scan(e.tm.ReadSnapshot(), table, func(tu Tuple) error {
		want = append(want, string(tu.Data))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != rows-1 || !slices.Equal(got, want) {
		t.Fatalf("all pages read %d rows, the scan %d; want %d, the same", len(got), len(want), rows-1)
	}
	// Every other page, then the pages one by one: each row once.
	var even, odd []int
	for i := range all {
		if i%2 == 0 {
			even = append(even, i)
		} else {
			odd = append(odd, i)
		}
	}
	halves := append(read(even), read(odd)...)
	slices.Sort(halves)
	if !slices.Equal(halves, slices.Sorted(slices.Values(want))) {
		t.Errorf("the even and odd pages read %d rows together, want the %d rows once each", len(halves), len(want))
	}
	if part := read(even); len(part) < rows/4 || len(part) > 3*rows/4 {
		t.Errorf("half the pages read %d of %d rows", len(part), rows)
	}
	per := 0
	for _, i := range all {
		per += len(read([]int{i}))
	}
	if per != rows-1 {
		t.Errorf("the pages one by one read %d rows, want %d", per, rows-1)
	}

	// A store that cannot list its blocks: one page.
	plain := New(&writeCountingStore{Storage: e.store}, e.tm)
	if p, err := plain.TablePages(table); err != nil || p.Len() != 1 {
		t.Errorf("pages without a block list: %d, %v; want 1", p.Len(), err)
	}
}
