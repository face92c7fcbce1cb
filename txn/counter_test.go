package txn

import (
	"testing"
	"time"

	"github.com/cairndb/cairn/lsm"
)

// stallingStore is a Storage whose Sync waits on release while stall is
// set; it records the limits written.
type stallingStore struct {
	Storage
	stall   bool
	syncing chan struct{} // receives when a stalled Sync starts
	release chan struct{}
	written []uint64
}

func (s *stallingStore) Get([]byte) ([]byte, bool, error) { return nil, false, nil }

func (s *stallingStore) Write(b *lsm.Batch) (uint64, error) {
	return uint64(len(s.written)), nil
}

func (s *stallingStore) Sync(uint64) error {
	if s.stall {
		s.syncing <- struct{}{}
		<-s.release
	}
	return nil
}

// TestCounterReservesAhead checks that the taker that uses half a block
// reserves the next one while the others go on taking the numbers left,
// and that the numbers stay unique and increasing throughout.
func TestCounterReservesAhead(t *testing.T) {
	store := &stallingStore{syncing: make(chan struct{}), release: make(chan struct{})}
	var c counter
	if err := c.init(store, []byte("k"), 1); err != nil {
		t.Fatal(err)
	}
	last := uint64(0)
	take := func() uint64 {
		t.Helper()
		n, err := c.take()
		if err != nil {
			t.Fatal(err)
		}
		if n <= last {
			t.Fatalf("took %d after %d", n, last)
		}
		last = n
		return n
	}
	take() // reserves the first block
	for c.limit-c.next > counterBlock/2+1 {
		take()
	}
	store.stall = true
	crosser := make(chan uint64)
	go func() {
		n, err := c.take() // crosses the mark: reserves, stalls in Sync
		if err != nil {
			t.Error(err)
		}
		crosser <- n
	}()
	select {
	case <-store.syncing:
	case n := <-crosser:
		t.Fatalf("took %d past half the block without reserving the next", n)
	}
	// While the reservation is stalled, the numbers left are handed out.
	others := make(chan struct{})
	go func() {
		defer close(others)
		for range counterBlock / 4 {
			if _, err := c.take(); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	select {
	case <-others:
	case <-time.After(30 * time.Second):
		t.Fatal("takers waited for the reservation while numbers were left")
	}
	close(store.release)
	<-crosser
	store.stall = false
	c.mu.Lock()
	next, limit := c.next, c.limit
	c.mu.Unlock()
	if limit-next <= counterBlock {
		t.Fatalf("limit %d, next %d: the block reserved ahead is missing", limit, next)
	}
}
