package wal

import (
	"testing"
	"time"

	"github.com/cairndb/cairn/internal/vfs"
)

// TestFlushAfterBytes: records nobody syncs are synced by the background
// writer once flushAfterBytes of them are appended, long before its
// interval ends, and survive a crash then.
func TestFlushAfterBytes(t *testing.T) {
	fs := vfs.NewMem()
	l := mustOpen(t, fs, Options{FlushInterval: time.Hour})
	defer l.Close()
	payload := make([]byte, 64<<10)
	var last LSN
	for n := 0; n <= flushAfterBytes; n += len(payload) {
		lsn, err := l.Append(payload)
		if err != nil {
			t.Fatal(err)
		}
		last = lsn
	}
	deadline := time.Now().Add(30 * time.Second)
	for l.SyncedLSN() <= last-LSN(flushAfterBytes)/2 {
		if time.Now().After(deadline) {
			t.Fatalf("after %d bytes appended the log is synced to %d only", flushAfterBytes, l.SyncedLSN())
		}
		time.Sleep(time.Millisecond)
	}
	synced := l.SyncedLSN()
	crashed := mustOpen(t, fs.CrashClone(), Options{FlushInterval: -1})
	defer crashed.Close()
	got := replayAll(t, crashed, 0)
	if len(got) == 0 || got[len(got)-1].lsn+LSN(headerSize+len(payload)) < synced {
		t.Fatalf("after the crash %d records replay, short of the synced %d", len(got), synced)
	}
}
