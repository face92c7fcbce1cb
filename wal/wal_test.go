package wal

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cairndb/cairn/internal/vfs"
)

var seedFlag = flag.Int64("seed", 0, "seed for randomized tests (0 = time-based)")

func testRand(t *testing.T) *rand.Rand {
	t.Helper()
	seed := *seedFlag
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	t.Logf("seed %d (rerun with -seed=%d)", seed, seed)
	return rand.New(rand.NewSource(seed))
}

const dir = "/db/wal"

type rec struct {
	lsn     LSN
	payload []byte
}

func mustOpen(t *testing.T, fs vfs.FS, opts Options) *Log {
	t.Helper()
	l, err := Open(fs, dir, opts)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return l
}

func appendAll(t *testing.T, l *Log, payloads [][]byte) []rec {
	t.Helper()
	var out []rec
	for _, p := range payloads {
		lsn, err := l.Append(p)
		if err != nil {
			t.Fatalf("append: %v", err)
		}
		out = append(out, rec{lsn, p})
	}
	return out
}

func replayAll(t *testing.T, l *Log, from LSN) []rec {
	t.Helper()
	var out []rec
	err := l.Replay(from, func(lsn LSN, p []byte) error {
		out = append(out, rec{lsn, append([]byte(nil), p...)})
		return nil
	})
	if err != nil {
		t.Fatalf("replay: %v", err)
	}
	return out
}

func equalRecs(t *testing.T, got, want []rec) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d records, want %d", len(got), len(want))
	}
	for i := range got {
		if got[i].lsn != want[i].lsn || !bytes.Equal(got[i].payload, want[i].payload) {
			t.Fatalf("record %d: got (%d, %q), want (%d, %q)", i, got[i].lsn, got[i].payload, want[i].lsn, want[i].payload)
		}
	}
}

func payloads(n, size int) [][]byte {
	var out [][]byte
	for i := range n {
		out = append(out, bytes.Repeat([]byte{byte('a' + i%26)}, size+i%7))
	}
	return out
}

func readAll(t *testing.T, fs vfs.FS, name string) []byte {
	t.Helper()
	f, err := fs.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeAll(t *testing.T, fs vfs.FS, name string, data []byte) {
	t.Helper()
	f, err := fs.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// segmentFiles lists the segment files of the log (not the spares).
func segmentFiles(t *testing.T, fs vfs.FS) []string {
	return filesWithSuffix(t, fs, ".wal")
}

func spareFiles(t *testing.T, fs vfs.FS) []string {
	return filesWithSuffix(t, fs, ".spare")
}

func filesWithSuffix(t *testing.T, fs vfs.FS, suffix string) []string {
	t.Helper()
	names, err := fs.List(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range names {
		if strings.HasSuffix(n, suffix) {
			out = append(out, n)
		}
	}
	return out
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name        string
		segmentSize int64
		payloads    [][]byte
	}{
		{"empty log", 0, nil},
		{"one empty payload", 0, [][]byte{{}}},
		{"small records one segment", 0, payloads(100, 10)},
		{"rollover", 64, payloads(50, 20)},
		{"record bigger than segment", 16, [][]byte{[]byte("x"), bytes.Repeat([]byte("y"), 100), []byte("z")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := vfs.NewMem()
			opts := Options{SegmentSize: tc.segmentSize}
			l := mustOpen(t, fs, opts)
			if l.NextLSN() != FirstLSN {
				t.Fatalf("NextLSN of new log = %d, want %d", l.NextLSN(), FirstLSN)
			}
			want := appendAll(t, l, tc.payloads)
			for i := 1; i < len(want); i++ {
				if want[i].lsn <= want[i-1].lsn {
					t.Fatalf("LSNs not increasing: %d then %d", want[i-1].lsn, want[i].lsn)
				}
			}
			if err := l.SyncTo(l.NextLSN()); err != nil {
				t.Fatal(err)
			}
			end := l.NextLSN()
			if err := l.Close(); err != nil {
				t.Fatal(err)
			}
			l = mustOpen(t, fs, opts)
			if l.NextLSN() != end {
				t.Fatalf("NextLSN after reopen = %d, want %d", l.NextLSN(), end)
			}
			if cut, ok := l.Cut(); ok {
				t.Fatalf("clean log reopened with a cut: %v", cut)
			}
			equalRecs(t, replayAll(t, l, 0), want)
			if len(want) > 2 {
				mid := len(want) / 2
				equalRecs(t, replayAll(t, l, want[mid].lsn), want[mid:])
				equalRecs(t, replayAll(t, l, want[mid].lsn-1), want[mid:])
			}
			// Segment names are the LSN of their first record.
			for _, name := range segmentFiles(t, fs) {
				start, ok := parseSegmentName(name)
				if !ok {
					t.Fatalf("unexpected file %s", name)
				}
				found := start == end
				for _, r := range want {
					found = found || r.lsn == start
				}
				if !found {
					t.Fatalf("segment %s does not start at a record", name)
				}
			}
			if err := l.Close(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestReopenAndContinue(t *testing.T) {
	fs := vfs.NewMem()
	opts := Options{SegmentSize: 200}
	var want []rec
	for round := range 5 {
		l := mustOpen(t, fs, opts)
		equalRecs(t, replayAll(t, l, 0), want)
		want = append(want, appendAll(t, l, payloads(10+round, 15))...)
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
	}
	l := mustOpen(t, fs, opts)
	equalRecs(t, replayAll(t, l, 0), want)
	if _, err := l.Append([]byte("after")); err != nil {
		t.Fatal(err)
	}
	if err := l.Replay(0, func(LSN, []byte) error { return nil }); !errors.Is(err, ErrReplayAfterAppend) {
		t.Fatalf("replay after append: %v", err)
	}
	l.Close()
}

// TestTornTail cuts the last record at every byte, and damages it in other
// ways, and checks that Open drops exactly that record, reports where and
// why, and the log continues.
func TestTornTail(t *testing.T) {
	base := vfs.NewMem()
	l := mustOpen(t, base, Options{})
	want := appendAll(t, l, [][]byte{[]byte("first"), []byte("second record"), []byte("the last record")})
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	seg := dir + "/" + segmentName(FirstLSN)
	// The segment is preallocated: its records are followed by zeros.
	prealloc := readAll(t, base, seg)
	full := prealloc[:l.NextLSN()-FirstLSN]
	lastOff := int(want[2].lsn - FirstLSN)
	lastLen := len(full) - lastOff

	type damage struct {
		name   string
		file   []byte
		reason string // the Cut's Reason; "" means no cut
		bytes  int    // the Cut's Bytes
	}
	var cases []damage
	for cut := lastOff; cut < len(full); cut++ {
		d := damage{name: fmt.Sprintf("cut at %d", cut), file: full[:cut]}
		// The cut-off file's own trailing zeros are not data.
		d.bytes = len(bytes.TrimRight(full[lastOff:cut], "\x00"))
		switch n := cut - lastOff; {
		case n == 0:
		case n < headerSize:
			d.reason = fmt.Sprintf("short header (%d bytes)", n)
		default:
			d.reason = fmt.Sprintf("length %d beyond end of file", lastLen-headerSize)
		}
		cases = append(cases, d)
	}
	flipped := append([]byte(nil), full...)
	flipped[len(flipped)-1] ^= 0x40
	crcFlipped := append([]byte(nil), prealloc...)
	crcFlipped[lastOff+4] ^= 0x01
	cases = append(cases,
		damage{"crc mismatch in last record", flipped, "checksum mismatch", lastLen},
		damage{"crc byte flipped in preallocated segment", crcFlipped, "checksum mismatch", lastLen},
		damage{"zero-filled tail", append(append([]byte(nil), full[:lastOff]...), make([]byte, 64)...), "", 0},
		damage{"huge length", append(append([]byte(nil), full[:lastOff]...), 0xff, 0xff, 0xff, 0x7f, 1, 2, 3, 4, 5),
			"short header (9 bytes)", 9},
	)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := vfs.NewMem()
			if err := fs.MkdirAll(dir); err != nil {
				t.Fatal(err)
			}
			writeAll(t, fs, seg, tc.file)
			if err := fs.SyncDir(dir); err != nil {
				t.Fatal(err)
			}
			l := mustOpen(t, fs, Options{})
			cut, ok := l.Cut()
			switch {
			case tc.reason == "" && ok:
				t.Fatalf("Cut = %v, want none", cut)
			case tc.reason != "":
				wantCut := Cut{Segment: seg, Offset: int64(lastOff), LSN: want[2].lsn, Bytes: int64(tc.bytes), Reason: tc.reason}
				if !ok || cut != wantCut {
					t.Fatalf("Cut = %+v (%v), want %+v", cut, ok, wantCut)
				}
				wantText := fmt.Sprintf("recovery cut %d bytes at segment %s offset %d (LSN %d): %s", tc.bytes, seg, lastOff, want[2].lsn, tc.reason)
				if cut.String() != wantText {
					t.Fatalf("Cut.String() = %q, want %q", cut.String(), wantText)
				}
			}
			equalRecs(t, replayAll(t, l, 0), want[:2])
			if l.NextLSN() != want[2].lsn {
				t.Fatalf("NextLSN = %d, want %d", l.NextLSN(), want[2].lsn)
			}
			if _, err := l.AppendSync([]byte("replacement")); err != nil {
				t.Fatal(err)
			}
			l.Close()
			l = mustOpen(t, fs.CrashClone(), Options{})
			if cut, ok := l.Cut(); ok {
				t.Fatalf("reopening the repaired log cut again: %v", cut)
			}
			got := replayAll(t, l, 0)
			equalRecs(t, got, append(want[:2:2], rec{want[2].lsn, []byte("replacement")}))
		})
	}
}

func TestCorruption(t *testing.T) {
	tests := []struct {
		name        string
		segmentSize int64
		// damage returns the segment to damage and the byte offset to flip.
		segment LSN
		offset  int
		wantMsg string
	}{
		{"bad crc followed by valid record", 0, FirstLSN, 10, "0000000000000001.wal offset 0"},
		{"bad length followed by valid record", 0, FirstLSN, headerSize + 20 + 1, "0000000000000001.wal offset 36"},
		{"bad LSN field followed by valid record", 0, FirstLSN, 36 + 9, "0000000000000001.wal offset 36"},
		{"bad record in non-last segment", 80, FirstLSN, 36 + 9, "0000000000000001.wal offset 36"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := vfs.NewMem()
			l := mustOpen(t, fs, Options{SegmentSize: tc.segmentSize})
			appendAll(t, l, payloads(6, 20)) // 36-byte records
			if err := l.Close(); err != nil {
				t.Fatal(err)
			}
			name := dir + "/" + segmentName(tc.segment)
			data := readAll(t, fs, name)
			data[tc.offset] ^= 0x01
			writeAll(t, fs, name, data)
			_, err := Open(fs, dir, Options{SegmentSize: tc.segmentSize})
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("open: err = %v, want ErrCorrupt", err)
			}
			if !strings.Contains(err.Error(), tc.wantMsg) {
				t.Fatalf("error %q does not name %q", err, tc.wantMsg)
			}
		})
	}
}

func TestMissingSegment(t *testing.T) {
	fs := vfs.NewMem()
	l := mustOpen(t, fs, Options{SegmentSize: 64})
	appendAll(t, l, payloads(10, 20))
	l.Close()
	names := segmentFiles(t, fs)
	if len(names) < 3 {
		t.Fatalf("want at least 3 segments, got %v", names)
	}
	if err := fs.Remove(dir + "/" + names[1]); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(fs, dir, Options{SegmentSize: 64}); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("open with a gap: %v, want ErrCorrupt", err)
	}
}

func TestRolloverAndRemoveBefore(t *testing.T) {
	fs := vfs.NewMem()
	opts := Options{SegmentSize: 100}
	l := mustOpen(t, fs, opts)
	// 30-byte records: three fit in a 100-byte segment.
	var want []rec
	for range 30 {
		want = append(want, appendAll(t, l, [][]byte{bytes.Repeat([]byte("r"), 30-headerSize)})...)
	}
	if err := l.SyncTo(want[len(want)-1].lsn); err != nil {
		t.Fatal(err)
	}
	names := segmentFiles(t, fs)
	if len(names) != 10 {
		t.Fatalf("segments = %v, want 10", names)
	}
	for i, name := range names {
		if wantName := segmentName(want[3*i].lsn); name != wantName {
			t.Fatalf("segment %d = %s, want %s", i, name, wantName)
		}
	}
	// Removing before the 8th record drops the first two segments (records
	// 0-5); the third holds record 6 and 7 and must stay.
	if err := l.RemoveBefore(want[7].lsn); err != nil {
		t.Fatal(err)
	}
	if got := segmentFiles(t, fs); len(got) != 8 || got[0] != segmentName(want[6].lsn) {
		t.Fatalf("after RemoveBefore: %v", got)
	}
	// The active segment is never removed.
	if err := l.RemoveBefore(l.NextLSN() + 1000); err != nil {
		t.Fatal(err)
	}
	if got := segmentFiles(t, fs); len(got) != 1 || got[0] != segmentName(want[27].lsn) {
		t.Fatalf("after RemoveBefore(end): %v", got)
	}
	// Of the nine removed segments, sparesMax were kept for reuse.
	if got := spareFiles(t, fs); len(got) != sparesMax {
		t.Fatalf("spares after RemoveBefore(end): %v, want %d", got, sparesMax)
	}
	l.Close()
	l = mustOpen(t, fs, opts)
	equalRecs(t, replayAll(t, l, 0), want[27:])
	l.Close()
}

func TestGroupCommit(t *testing.T) {
	fs := vfs.NewMem()
	// One segment holds every record: starting a segment syncs, and the
	// held fsync below must be a commit's.
	opts := Options{SegmentSize: 64 << 10}
	l := mustOpen(t, fs, opts)
	// The first fsync is held, as a slow disk would hold it, until every
	// committer has appended and queued behind it: then one more round
	// must make all of them durable.
	arrived, release := make(chan struct{}), make(chan struct{})
	var gate sync.Once
	fs.InjectError(func(op vfs.Op, name string) error {
		if op == vfs.OpSync {
			gate.Do(func() {
				close(arrived)
				<-release
			})
		}
		return nil
	})
	const committers = 64
	const payloadBytes = len("commit 00")
	end := l.NextLSN() + LSN(committers*(headerSize+payloadBytes))
	var wg sync.WaitGroup
	lsns := make([]LSN, committers)
	errs := make([]error, committers)
	for i := range committers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lsns[i], errs[i] = l.AppendSync([]byte(fmt.Sprintf("commit %02d", i)))
		}()
	}
	select {
	case <-arrived:
	case <-time.After(30 * time.Second):
		t.Fatal("no fsync began")
	}
	deadline := time.Now().Add(30 * time.Second)
	for l.NextLSN() != end {
		if time.Now().After(deadline) {
			t.Fatalf("committers appended up to %d, want %d", l.NextLSN(), end)
		}
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("committer %d: %v", i, err)
		}
	}
	st := l.Stats()
	t.Logf("%d commits, %d syncs", committers, st.Syncs)
	if st.SyncedRecords != committers {
		t.Fatalf("SyncedRecords = %d, want %d", st.SyncedRecords, committers)
	}
	// The held round, and one for everyone queued behind it (none when
	// every record was appended before the first round began).
	if st.Syncs > 2 {
		t.Fatalf("Syncs = %d for %d commits queued behind one fsync, want at most 2", st.Syncs, committers)
	}
	// Everything acknowledged survives a crash.
	crashed := fs.CrashClone()
	l.Close()
	l = mustOpen(t, crashed, opts)
	got := replayAll(t, l, 0)
	if len(got) != committers {
		t.Fatalf("after crash %d records, want %d", len(got), committers)
	}
	seen := map[LSN]bool{}
	for _, r := range got {
		seen[r.lsn] = true
	}
	for i, lsn := range lsns {
		if !seen[lsn] {
			t.Fatalf("commit %d at LSN %d lost", i, lsn)
		}
	}
}

// TestFailureIsPermanent fails one file operation that may lose data
// handed to the kernel (a segment's write or fsync, the directory sync that
// makes a new segment's name durable) or that says the device is sick (an
// fsync of a new segment file): the log fails for good, reports it once to
// OnFail, and a crash keeps every record synced before.
func TestFailureIsPermanent(t *testing.T) {
	tests := []struct {
		name   string
		op     vfs.Op
		suffix string // of the file the fault hits
		cause  error
		// appended: the doomed record was accepted before the failure.
		appended bool
	}{
		{"fsync segment", vfs.OpSync, ".wal", syscall.EIO, true},
		{"write segment full disk", vfs.OpWrite, ".wal", syscall.ENOSPC, true},
		{"sync dir of new segment", vfs.OpSyncDir, "wal", syscall.EIO, true},
		{"fsync new segment file", vfs.OpSync, preparingName, syscall.EIO, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := vfs.NewMem()
			var failures []error
			opts := Options{SegmentSize: 64, FlushInterval: -1, OnFail: func(err error) { failures = append(failures, err) }}
			l := mustOpen(t, fs, opts)
			if _, err := l.AppendSync([]byte("durable")); err != nil {
				t.Fatal(err)
			}
			var calls int
			var mu sync.Mutex
			fs.InjectError(func(op vfs.Op, name string) error {
				mu.Lock()
				defer mu.Unlock()
				if op == tc.op && strings.HasSuffix(name, tc.suffix) && calls == 0 {
					calls++
					return tc.cause
				}
				return nil
			})
			// Too big for what is left of the first segment: it starts
			// the second.
			doomed := bytes.Repeat([]byte("d"), 40)
			_, err := l.AppendSync(doomed)
			if !errors.Is(err, ErrFailed) || !errors.Is(err, tc.cause) {
				t.Fatalf("AppendSync: err = %v, want ErrFailed and %v", err, tc.cause)
			}
			var fe *FileError
			if !errors.As(err, &fe) || strings.Contains(fe.File, "/") {
				t.Fatalf("AppendSync: err = %v, want a FileError naming a file of the log by its base name", err)
			}
			if len(failures) != 1 || !errors.Is(failures[0], ErrFailed) {
				t.Fatalf("OnFail calls: %v, want one with ErrFailed", failures)
			}
			if l.Failed() == nil {
				t.Fatal("Failed() = nil after the failure")
			}
			// The fault is gone, but the log stays failed.
			if _, err := l.Append([]byte("x")); !errors.Is(err, ErrFailed) {
				t.Fatalf("Append after failure: %v", err)
			}
			if err := l.SyncTo(l.NextLSN()); tc.appended != errors.Is(err, ErrFailed) {
				t.Fatalf("SyncTo after failure: %v (doomed record appended: %v)", err, tc.appended)
			}
			if _, err := l.AppendSync([]byte("x")); !errors.Is(err, ErrFailed) {
				t.Fatalf("AppendSync after failure: %v", err)
			}
			if err := l.Close(); !errors.Is(err, ErrFailed) {
				t.Fatalf("Close after failure: %v", err)
			}
			if len(failures) != 1 {
				t.Fatalf("OnFail called %d times, want once", len(failures))
			}
			l = mustOpen(t, fs.CrashClone(), opts)
			got := replayAll(t, l, 0)
			if len(got) == 0 || string(got[0].payload) != "durable" {
				t.Fatalf("after crash: %v", got)
			}
		})
	}
}

// TestFullDiskAtNewSegment fills the disk so that the next segment's file
// cannot be made: the record that would start it is refused with ENOSPC
// and nothing else changes (earlier records, synced or not, are kept and
// sync; the log does not fail; the partial file is removed). Once space is
// back the same Append succeeds, and a crash keeps exactly the records that
// were accepted and synced.
func TestFullDiskAtNewSegment(t *testing.T) {
	fs := vfs.NewMem()
	opts := Options{SegmentSize: 256, FlushInterval: -1, OnFail: func(err error) { t.Errorf("OnFail(%v) on a full disk", err) }}
	l := mustOpen(t, fs, opts)
	want := appendAll(t, l, payloads(4, 20))
	if err := l.SyncTo(want[len(want)-1].lsn); err != nil {
		t.Fatal(err)
	}
	used := fs.Used()
	fs.SetQuota(used)
	// One more record fits in the first segment; it stays unsynced.
	want = append(want, appendAll(t, l, [][]byte{[]byte("pending")})...)
	big := bytes.Repeat([]byte("b"), 200)
	for range 3 {
		if _, err := l.Append(big); !vfs.IsNoSpace(err) || errors.Is(err, ErrFailed) {
			t.Fatalf("Append on a full disk: err = %v, want ENOSPC without ErrFailed", err)
		}
	}
	if l.Failed() != nil {
		t.Fatalf("log failed on a full disk: %v", l.Failed())
	}
	if got := fs.Used(); got != used {
		t.Fatalf("disk use %d after refused segments, want %d (partial file left?)", got, used)
	}
	// The record accepted before the refusal still becomes durable.
	if err := l.SyncTo(want[len(want)-1].lsn); err != nil {
		t.Fatalf("SyncTo of a record before the refused one: %v", err)
	}
	fs.SetQuota(used + 2*opts.SegmentSize)
	want = append(want, appendAll(t, l, [][]byte{big, []byte("after")})...)
	if err := l.SyncTo(l.NextLSN()); err != nil {
		t.Fatal(err)
	}
	fs.SetQuota(0)
	crashed := fs.CrashClone()
	l.Close()
	l = mustOpen(t, crashed, opts)
	equalRecs(t, replayAll(t, l, 0), want)
	l.Close()
}

func TestTooLarge(t *testing.T) {
	l := mustOpen(t, vfs.NewMem(), Options{})
	defer l.Close()
	if _, err := l.Append(make([]byte, MaxPayload+1)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
}

// TestCrashKeepsSynced appends random records from several goroutines,
// syncing some, crashes at random points and checks that every synced record
// survives and what survives is a prefix of what was appended.
func TestCrashKeepsSynced(t *testing.T) {
	rng := testRand(t)
	fs := vfs.NewMem()
	opts := Options{SegmentSize: 256}
	var history []rec // every record ever appended, in LSN order
	for round := range 20 {
		l := mustOpen(t, fs, opts)
		got := replayAll(t, l, 0)
		// What survived must be a prefix of history that includes every
		// synced record; later records are lost for good.
		if len(got) > len(history) {
			t.Fatalf("round %d: %d records replayed, only %d appended", round, len(got), len(history))
		}
		equalRecs(t, got, history[:len(got)])
		history = history[:len(got)]

		var mu sync.Mutex
		var wg sync.WaitGroup
		var synced LSN
		for w := range 4 {
			wg.Add(1)
			n, doSync := 1+rng.Intn(10), rng.Intn(2) == 0
			size := rng.Intn(80)
			go func() {
				defer wg.Done()
				for i := range n {
					p := bytes.Repeat([]byte{byte(w)}, size+i)
					mu.Lock()
					lsn, err := l.Append(p)
					if err == nil {
						history = append(history, rec{lsn, p})
					}
					mu.Unlock()
					if err != nil {
						t.Errorf("append: %v", err)
						return
					}
					if doSync {
						if err := l.SyncTo(lsn); err != nil {
							t.Errorf("sync: %v", err)
							return
						}
						mu.Lock()
						synced = max(synced, lsn)
						mu.Unlock()
					}
				}
			}()
		}
		wg.Wait()
		crashed := fs.CrashClone()
		l.Close()
		fs = crashed
		l = mustOpen(t, fs, opts)
		got = replayAll(t, l, 0)
		if synced != 0 && (len(got) == 0 || got[len(got)-1].lsn < synced) {
			t.Fatalf("round %d: synced through LSN %d but only %d records survived", round, synced, len(got))
		}
		l.Close()
	}
}
