package cairn

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cairndb/cairn/internal/vfs"
)

// TestCheckpointOnWALVolume writes more than MaxWALSize with the timer, its
// poll and the memtable budget an hour or a GiB away: the checkpointer must
// run on WAL volume alone. The deadline only catches one that never runs.
func TestCheckpointOnWALVolume(t *testing.T) {
	db, err := OpenWithOptions("data", &Options{
		FS:                 vfs.NewMem(),
		CheckpointInterval: time.Hour,
		checkpointPoll:     time.Hour,
		MemtableBytes:      1 << 30,
		MaxWALSize:         256 << 10,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if err := db.Exec(ctx, "CREATE TABLE t (id int8 PRIMARY KEY, v text)"); err != nil {
		t.Fatal(err)
	}
	start := db.store.RedoLSN()
	pad := strings.Repeat("x", 2000)
	for i := range 200 { // about 400 KiB of WAL
		if err := db.Exec(ctx, fmt.Sprintf("INSERT INTO t VALUES (%d, '%s')", i, pad)); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for db.store.RedoLSN() == start {
		if time.Now().After(deadline) {
			t.Fatal("no checkpoint after writing more than MaxWALSize")
		}
		time.Sleep(time.Millisecond)
	}
}

// errorLog records the messages logged at ERROR.
type errorLog struct {
	mu   sync.Mutex
	msgs []string
}

func (h *errorLog) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelError }
func (h *errorLog) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.msgs = append(h.msgs, r.Message)
	return nil
}
func (h *errorLog) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *errorLog) WithGroup(string) slog.Handler      { return h }

func (h *errorLog) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.msgs)
}

// TestCheckpointerOnFullDisk fills the disk so that the checkpoint's flush
// fails: the checkpointer logs it and retries with backoff, the database
// goes on serving reads and writes (the WAL has room), no WAL is dropped,
// and once space is back a checkpoint succeeds. The deadlines only catch a
// checkpointer that never acts.
func TestCheckpointerOnFullDisk(t *testing.T) {
	fs := vfs.NewMem()
	logs := &errorLog{}
	db, err := OpenWithOptions("data", &Options{
		FS:                 fs,
		Logger:             slog.New(logs),
		CheckpointInterval: time.Hour,
		checkpointPoll:     time.Millisecond,
		MemtableBytes:      1 << 30,
		MaxWALSize:         64 << 10,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if err := db.Exec(ctx, "CREATE TABLE t (id int8 PRIMARY KEY, v text)"); err != nil {
		t.Fatal(err)
	}
	start := db.store.RedoLSN()
	fs.SetQuota(fs.Used())
	pad := strings.Repeat("x", 2000)
	for i := range 100 { // about 200 KiB of WAL, inside the first segment
		if err := db.Exec(ctx, fmt.Sprintf("INSERT INTO t VALUES (%d, '%s')", i, pad)); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for logs.count() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no checkpoint failure logged on a full disk")
		}
		time.Sleep(time.Millisecond)
	}
	if err := db.Exec(ctx, "INSERT INTO t VALUES (1000, 'during')"); err != nil {
		t.Fatalf("write while checkpoints fail: %v", err)
	}
	if db.store.RedoLSN() != start || db.store.Failed() != nil {
		t.Fatalf("redo %d (from %d), failed %v after failed checkpoints", db.store.RedoLSN(), start, db.store.Failed())
	}
	fs.SetQuota(0)
	for db.store.RedoLSN() == start {
		if time.Now().After(deadline) {
			t.Fatal("no checkpoint after space came back")
		}
		time.Sleep(time.Millisecond)
	}
	logs.mu.Lock()
	t.Logf("%d failed checkpoints logged before space came back", len(logs.msgs))
	for _, m := range logs.msgs {
		if m != "checkpoint failed" {
			t.Errorf("unexpected ERROR log: %q", m)
		}
	}
	logs.mu.Unlock()
}
