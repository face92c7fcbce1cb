package checkpoint

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/vfs"
)

// TestCheckpointDueByWALVolume checks that writing more WAL than
// MaxWALBytes since the redo point makes a checkpoint due and signals Due,
// with a memtable budget far away, and that a checkpoint clears it.
func TestCheckpointDueByWALVolume(t *testing.T) {
	const maxWAL = 64 << 10
	s := open(t, vfs.NewMem(), Options{WALSegmentBytes: 16 << 10, MemtableBytes: 1 << 30, MaxWALBytes: maxWAL})
	defer s.Close()
	value := strings.Repeat("v", 1000)
	written := 0
	for i := 0; written < maxWAL/2; i++ {
		write(t, s, op{key: fmt.Sprintf("k%05d", i), value: value})
		written += 1000
	}
	if s.CheckpointDue() {
		t.Fatalf("checkpoint due after %d bytes of WAL, max %d", written, maxWAL)
	}
	select {
	case <-s.Due():
		t.Fatal("Due signalled below MaxWALBytes")
	default:
	}
	for i := 0; written < 2*maxWAL; i++ {
		write(t, s, op{key: fmt.Sprintf("m%05d", i), value: value})
		written += 1000
	}
	if !s.CheckpointDue() {
		t.Fatalf("no checkpoint due after %d bytes of WAL, max %d", written, maxWAL)
	}
	select {
	case <-s.Due():
	default:
		t.Fatal("Due not signalled past MaxWALBytes")
	}
	before := s.RedoLSN()
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	if s.RedoLSN() <= before {
		t.Fatalf("RedoLSN %d did not advance from %d", s.RedoLSN(), before)
	}
	if s.CheckpointDue() {
		t.Fatal("checkpoint still due right after a checkpoint")
	}
}
