package membudget

import (
	"context"
	"sync"
	"time"
)

// Options configure a Budget.
type Options struct {
	// OnIdle is called, on its own goroutine, when the budget becomes idle
	// after at least IdleBytes were released since the last call.
	OnIdle func()
	// IdleBytes is how much must be released before OnIdle is due.
	// Default 64 MiB.
	IdleBytes int64
	// IdleInterval is the least time between two OnIdle calls. Default
	// 5 s.
	IdleInterval time.Duration
	// Now is the clock for IdleInterval. Default time.Now.
	Now func() time.Time
}

// Budget is a limited number of bytes shared by concurrent work.
type Budget struct {
	limit int64
	opts  Options

	mu struct {
		sync.Mutex
		used     int64
		waiters  []*waiter // in arrival order
		released int64     // bytes released since the last OnIdle
		lastIdle time.Time
		recheck  bool // a timer will look for idleness again
	}
}

type waiter struct {
	n     int64
	ready chan struct{} // closed when the bytes are granted
}

// New returns a budget of limit bytes.
func New(limit int64, opts Options) *Budget {
	if opts.IdleBytes <= 0 {
		opts.IdleBytes = 64 << 20
	}
	if opts.IdleInterval <= 0 {
		opts.IdleInterval = 5 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Budget{limit: limit, opts: opts}
}

// Limit returns the budget's size in bytes; 0 for a nil Budget.
func (b *Budget) Limit() int64 {
	if b == nil {
		return 0
	}
	return b.limit
}

// Used returns the bytes currently held.
func (b *Budget) Used() int64 {
	if b == nil {
		return 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.mu.used
}

// Waiting returns the number of Acquire calls waiting for memory.
func (b *Budget) Waiting() int {
	if b == nil {
		return 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.mu.waiters)
}

// clamp makes a request that exceeds the whole budget a request for all of
// it. Callers release what Acquire or TryAcquire returned.
func (b *Budget) clamp(n int64) int64 { return max(0, min(n, b.limit)) }

// Acquire waits until n bytes fit, behind earlier waiters, and returns the
// bytes granted (n, or the whole limit when n exceeds it), which the caller
// must Release. It returns ctx's error if ctx ends first.
func (b *Budget) Acquire(ctx context.Context, n int64) (int64, error) {
	if b == nil {
		return 0, nil
	}
	n = b.clamp(n)
	b.mu.Lock()
	if len(b.mu.waiters) == 0 && b.mu.used+n <= b.limit {
		b.mu.used += n
		b.mu.Unlock()
		return n, nil
	}
	w := &waiter{n: n, ready: make(chan struct{})}
	b.mu.waiters = append(b.mu.waiters, w)
	b.mu.Unlock()
	select {
	case <-w.ready:
		return n, nil
	case <-ctx.Done():
		b.mu.Lock()
		select {
		case <-w.ready:
			// Granted while the context ended: give the bytes back.
			b.mu.Unlock()
			b.Release(n)
		default:
			for i, x := range b.mu.waiters {
				if x == w {
					b.mu.waiters = append(b.mu.waiters[:i], b.mu.waiters[i+1:]...)
					break
				}
			}
			// The head may fit now that this waiter is gone.
			b.grantLocked()
			b.mu.Unlock()
		}
		return 0, ctx.Err()
	}
}

// TryAcquire takes n bytes if they fit now, whoever is waiting in Acquire,
// and reports whether it did.
func (b *Budget) TryAcquire(n int64) bool {
	if b == nil {
		return true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if n < 0 || b.mu.used+n > b.limit {
		return false
	}
	b.mu.used += n
	return true
}

// Release returns n bytes taken by Acquire or TryAcquire.
func (b *Budget) Release(n int64) {
	if b == nil || n <= 0 {
		return
	}
	b.mu.Lock()
	b.mu.used -= n
	if b.mu.used < 0 {
		b.mu.used = 0
	}
	b.mu.released += n
	b.grantLocked()
	b.maybeIdleLocked()
	b.mu.Unlock()
}

// maybeIdleLocked calls OnIdle if the budget is idle after IdleBytes were
// released, or, when the last call was less than IdleInterval ago,
// arranges to look again once the interval has passed.
func (b *Budget) maybeIdleLocked() {
	if b.opts.OnIdle == nil || b.mu.used != 0 || len(b.mu.waiters) != 0 || b.mu.released < b.opts.IdleBytes {
		return
	}
	now := b.opts.Now()
	if wait := b.opts.IdleInterval - now.Sub(b.mu.lastIdle); wait > 0 {
		if !b.mu.recheck {
			b.mu.recheck = true
			time.AfterFunc(wait, func() {
				b.mu.Lock()
				b.mu.recheck = false
				b.maybeIdleLocked()
				b.mu.Unlock()
			})
		}
		return
	}
	b.mu.lastIdle, b.mu.released = now, 0
	go b.opts.OnIdle()
}

// grantLocked grants waiters in arrival order while the head fits.
func (b *Budget) grantLocked() {
	for len(b.mu.waiters) > 0 {
		w := b.mu.waiters[0]
		if b.mu.used+w.n > b.limit {
			return
		}
		b.mu.used += w.n
		b.mu.waiters = b.mu.waiters[1:]
		close(w.ready)
	}
}
