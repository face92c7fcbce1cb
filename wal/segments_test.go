package wal

import (
	"testing"

	"github.com/cairndb/cairn/internal/vfs"
)

// TestSwitchFinishedTruncate: SwitchSegment ends a segment early, Finished
// lists the segments whose successor holds a durable record, and
// TruncateAt cuts a closed log at a record so that Open ends it there and
// appends after it.
func TestSwitchFinishedTruncate(t *testing.T) {
	fs := vfs.NewMem()
	l := mustOpen(t, fs, Options{SegmentSize: 1 << 10, FlushInterval: -1})
	if l.SwitchSegment() {
		t.Fatal("SwitchSegment of an empty segment reported a switch")
	}
	var lsns []LSN
	add := func(p string) {
		t.Helper()
		lsn, err := l.AppendSync([]byte(p))
		if err != nil {
			t.Fatal(err)
		}
		lsns = append(lsns, lsn)
	}
	add("a")
	add("b")
	if got := l.Finished(); len(got) != 0 {
		t.Fatalf("finished before a switch: %v", got)
	}
	if !l.SwitchSegment() {
		t.Fatal("SwitchSegment reported no switch")
	}
	add("c") // starts the second segment
	add("d")
	segs := l.Segments()
	if len(segs) != 2 || segs[1] != lsns[2] {
		t.Fatalf("segments %v, want the second to start at %d", segs, lsns[2])
	}
	fin := l.Finished()
	if len(fin) != 1 || fin[0].Start != FirstLSN || fin[0].End != lsns[2] || fin[0].Name != SegmentName(FirstLSN) {
		t.Fatalf("finished %+v", fin)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		at   int // cut before lsns[at]
		want []string
	}{
		{3, []string{"a", "b", "c"}},
		{1, []string{"a"}},
	} {
		if err := TruncateAt(fs, dir, lsns[tc.at]); err != nil {
			t.Fatal(err)
		}
		l := mustOpen(t, fs, Options{SegmentSize: 1 << 10, FlushInterval: -1})
		var got []string
		if err := l.Replay(FirstLSN, func(_ LSN, p []byte) error { got = append(got, string(p)); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(got) != len(tc.want) {
			t.Fatalf("cut before %d: replayed %q, want %q", tc.at, got, tc.want)
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Fatalf("cut before %d: replayed %q, want %q", tc.at, got, tc.want)
			}
		}
		if next := l.NextLSN(); next != lsns[tc.at] {
			t.Fatalf("cut before %d: the log goes on at %d, want %d", tc.at, next, lsns[tc.at])
		}
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
