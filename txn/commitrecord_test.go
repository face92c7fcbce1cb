package txn

import (
	"encoding/binary"
	"testing"
	"time"

	"github.com/cairndb/cairn/internal/vfs"
	"github.com/cairndb/cairn/lsm"
)

// recordingStore keeps a copy of every batch written.
type recordingStore struct {
	Storage
	batches []*lsm.Batch
}

func (r *recordingStore) Write(b *lsm.Batch) (uint64, error) {
	c, err := lsm.DecodeBatch(b.Encode())
	if err != nil {
		return 0, err
	}
	r.batches = append(r.batches, c)
	return r.Storage.Write(b)
}

// TestCommitRecordTime: with a clock, each commit record carries its
// revision and time, the time never goes back though the clock does, and
// DecodeCommit finds them (and nothing in other batches); commit-log
// values of 8 bytes, as earlier versions wrote, are still read.
func TestCommitRecordTime(t *testing.T) {
	fs := vfs.NewMem()
	rs := &recordingStore{Storage: openStore(t, fs)}
	base := time.Date(2026, 12, 7, 17, 0, 0, 0, time.UTC)
	clock := []time.Time{base, base.Add(time.Second), base.Add(-time.Hour), base.Add(2 * time.Second)}
	m, err := OpenWithOptions(rs, Options{Now: func() time.Time {
		now := clock[0]
		clock = clock[1:]
		return now
	}})
	if err != nil {
		t.Fatal(err)
	}
	var revs []Rev
	for range 4 {
		revs = append(revs, commitWrite(t, rs, begin(t, m)))
	}
	var got []CommitRecord
	for _, b := range rs.batches {
		if c, ok := DecodeCommit(b); ok {
			got = append(got, c)
		}
	}
	want := []time.Time{base, base.Add(time.Second), base.Add(time.Second), base.Add(2 * time.Second)}
	if len(got) != len(want) {
		t.Fatalf("%d commit records, want %d: %+v", len(got), len(want), got)
	}
	for i, c := range got {
		if c.Rev != revs[i] || !c.Time.Equal(want[i]) {
			t.Errorf("commit %d: %+v, want revision %d at %v", i, c, revs[i], want[i])
		}
	}

	// An 8-byte value, without a time.
	var b lsm.Batch
	b.Set(clogKey(9999), binary.BigEndian.AppendUint64(nil, uint64(revs[3]+1)))
	if _, err := rs.Write(&b); err != nil {
		t.Fatal(err)
	}
	if c, ok := DecodeCommit(rs.batches[len(rs.batches)-1]); !ok || c.Rev != revs[3]+1 || !c.Time.IsZero() {
		t.Fatalf("an 8-byte commit value decodes as %+v, %v", c, ok)
	}
	m2, err := Open(rs)
	if err != nil {
		t.Fatal(err)
	}
	if m2.Published() != revs[3]+1 {
		t.Fatalf("reopened at revision %d, want %d", m2.Published(), revs[3]+1)
	}
}
