package checkpoint

import (
	"testing"
	"time"

	"github.com/cairndb/cairn/internal/vfs"
)

// TestStats: a checkpoint is counted, timed by the given clock and
// reported to OnCheckpoint; the WAL counts the bytes and the batch of
// the records it synced, and times its fsyncs.
func TestStats(t *testing.T) {
	var clock time.Time
	now := func() time.Time {
		clock = clock.Add(time.Millisecond)
		return clock
	}
	var infos []Info
	opts := Options{WALWriterDelay: -1, Now: now, OnCheckpoint: func(i Info) { infos = append(infos, i) }}
	s := open(t, vfs.NewMem(), opts)
	defer s.Close()
	last := write(t, s, op{key: batchKey(1), value: "v"})
	write(t, s, op{key: batchKey(2), value: "w"})
	mustSync(t, s, last+1000)
	st := s.Stats()
	if st.WAL.BytesWritten == 0 || st.WAL.BatchRecords.Count != 1 || st.WAL.BatchRecords.Buckets[2] != 1 || st.WAL.BatchRecords.Buckets[1] != 0 {
		t.Errorf("WAL stats after one sync of two records: %+v", st.WAL)
	}
	if st.WAL.FsyncSeconds.Count != 1 || st.WAL.FsyncSeconds.Sum != 0.001 {
		t.Errorf("fsync timing: %+v, want one fsync of 1 ms", st.WAL.FsyncSeconds)
	}
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	st = s.Stats()
	if st.Checkpoints != 1 || st.CheckpointSeconds.Count != 1 || st.CheckpointSeconds.Sum <= 0 {
		t.Errorf("checkpoint stats: %d, %+v", st.Checkpoints, st.CheckpointSeconds)
	}
	if len(infos) != 1 || infos[0].Duration <= 0 || infos[0].RedoLSN == 0 || infos[0].WALBytes == 0 || infos[0].TableBytes == 0 {
		t.Errorf("OnCheckpoint got %+v", infos)
	}
}
