package shard

import (
	"context"
	"strconv"
	"sync"
	"testing"
)

func TestOracle(t *testing.T) {
	s := startEtcd(t)
	ctx := context.Background()
	mark := func() uint64 {
		t.Helper()
		resp, err := s.cli.Get(ctx, s.prefix+keyOracle)
		if err != nil || len(resp.Kvs) != 1 {
			t.Fatalf("oracle mark: %v %v", resp, err)
		}
		v, err := strconv.ParseUint(string(resp.Kvs[0].Value), 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}

	const block, perWorker, workers = 100, 250, 8
	o := NewOracle(s, block)
	var mu sync.Mutex
	seen := map[uint64]bool{}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			last := uint64(0)
			for range perWorker {
				ts, err := o.Next(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				if ts <= last {
					t.Errorf("timestamp %d after %d in one goroutine", ts, last)
				}
				last = ts
				mu.Lock()
				if seen[ts] {
					t.Errorf("timestamp %d handed out twice", ts)
				}
				seen[ts] = true
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	var top uint64
	for ts := range seen {
		top = max(top, ts)
	}
	// Batched: 2000 timestamps cost about 20 reservations of 100, not
	// 2000 etcd writes; the mark is at most a block and a half ahead.
	if m := mark(); m <= top || m > top+block+block/2+1 {
		t.Fatalf("mark %d after handing out up to %d (block %d)", m, top, block)
	}

	// A restarted oracle (a new one on the same etcd keys) starts above
	// everything the first handed out, even unused reserved ones.
	before := mark()
	o2 := NewOracle(s, block)
	ts, err := o2.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ts < before || ts <= top {
		t.Fatalf("after a restart: %d, want at least the mark %d (top handed out %d)", ts, before, top)
	}
	// The old one, were it still running, would not hand out o2's.
	old, err := o.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if old == ts {
		t.Fatalf("two oracles handed out %d", ts)
	}
}
