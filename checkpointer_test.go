package cairn

import (
	"context"
	"fmt"
	"strings"
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
