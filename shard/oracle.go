package shard

import (
	"context"
	"fmt"
	"strconv"
	"sync"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// keyOracle holds the timestamp oracle's high-water mark: no timestamp at
// or above it has been handed out.
const keyOracle = "oracle"

// DefaultOracleBlock is how many timestamps the oracle reserves in etcd at
// a time.
const DefaultOracleBlock = 10000

// Oracle hands out the cluster's timestamps (doc.go, "Cluster
// snapshots"): strictly increasing, across restarts too. It counts in
// memory within a block of timestamps whose upper end is first written to
// etcd, so a restarted oracle starts above everything an earlier one may
// have handed out. Requests are batched: while a block is being reserved
// the callers that need it wait for that one reservation, and the next
// block is reserved when half of the current one is used, by the caller
// that crosses the mark, while the others go on with what is left.
type Oracle struct {
	store *Store
	block uint64

	mu        sync.Mutex
	done      sync.Cond // signalled when a reservation ends
	next      uint64
	limit     uint64
	reserving bool
	// aheadErr is the failure of the last reservation made ahead; the
	// next caller that finds the block used up tries again.
	aheadFailed bool
}

// NewOracle returns an oracle keeping its high-water mark in store,
// reserving block timestamps at a time (DefaultOracleBlock when 0). It
// reads nothing until its first timestamp is asked for.
func NewOracle(store *Store, block uint64) *Oracle {
	if block == 0 {
		block = DefaultOracleBlock
	}
	o := &Oracle{store: store, block: block}
	o.done.L = &o.mu
	return o
}

// Next returns a timestamp above every one handed out before, by this
// oracle or an earlier one on the same etcd prefix.
func (o *Oracle) Next(ctx context.Context) (uint64, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for o.next >= o.limit {
		if o.reserving {
			o.done.Wait()
			continue
		}
		if err := o.reserveLocked(ctx); err != nil {
			return 0, err
		}
	}
	ts := o.next
	o.next++
	if !o.reserving && !o.aheadFailed && o.limit-o.next <= o.block/2 {
		o.aheadFailed = o.reserveLocked(ctx) != nil
	}
	return ts, nil
}

// reserveLocked raises the high-water mark in etcd by a block and then
// the limit to it; called with mu held and no reservation under way, it
// releases mu meanwhile.
func (o *Oracle) reserveLocked(ctx context.Context) error {
	o.reserving = true
	o.mu.Unlock()
	from, to, err := o.store.ReserveTimestamps(ctx, o.block)
	o.mu.Lock()
	o.reserving = false
	o.done.Broadcast()
	if err != nil {
		return err
	}
	if from > o.next {
		// Another oracle (an earlier run, or one that should not be
		// running at once) handed out timestamps up to from.
		o.next = from
	}
	o.limit, o.aheadFailed = to, false
	return nil
}

// ReserveTimestamps raises the oracle's high-water mark by n, compare-
// and-swap on its revision, and returns the timestamps reserved: [from,
// to). The first reservation starts at 1.
func (s *Store) ReserveTimestamps(ctx context.Context, n uint64) (from, to uint64, err error) {
	ctx, cancel := ctxTimeout(ctx)
	defer cancel()
	key := s.prefix + keyOracle
	for {
		resp, err := s.cli.Get(ctx, key)
		if err != nil {
			return 0, 0, fmt.Errorf("shard: reading the timestamp oracle's mark: %w", err)
		}
		from, rev := uint64(1), int64(0)
		if len(resp.Kvs) == 1 {
			from, err = strconv.ParseUint(string(resp.Kvs[0].Value), 10, 64)
			if err != nil {
				return 0, 0, fmt.Errorf("shard: malformed timestamp oracle mark %q", resp.Kvs[0].Value)
			}
			rev = resp.Kvs[0].ModRevision
		}
		to := from + n
		tr, err := s.cli.Txn(ctx).
			If(clientv3.Compare(clientv3.ModRevision(key), "=", rev)).
			Then(clientv3.OpPut(key, strconv.FormatUint(to, 10))).
			Commit()
		if err != nil {
			return 0, 0, fmt.Errorf("shard: reserving timestamps: %w", err)
		}
		if tr.Succeeded {
			return from, to, nil
		}
	}
}
