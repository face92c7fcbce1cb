package pgwire

import (
	"context"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/cairndb/cairn/internal/pgerr"
)

// RateLimit is a token bucket: it holds up to Burst tokens and gains
// PerSecond of them a second. Each new connection or statement it governs
// takes one. The zero value is no limit.
type RateLimit struct {
	// PerSecond is the sustained rate; 0 or less means no limit.
	PerSecond float64
	// Burst is how many tokens a full bucket holds, so how many may come
	// at once after a quiet spell; less than 1 means 1.
	Burst int
}

func (l RateLimit) on() bool { return l.PerSecond > 0 }

func (l RateLimit) burst() int { return max(l.Burst, 1) }

// RateLimits is the server's admission control: one bucket per client
// address (the IP address without the port; every Unix socket connection
// shares the bucket "[local]") and one per role (the user named in the
// startup packet) for new connections, and likewise for statements.
// Over a limit, a connection or statement waits up to Wait for a token
// and then fails with SQLSTATE 53400 (configuration_limit_exceeded): a
// connection with FATAL (its address's limit before authentication, so
// before it takes one of MaxConnections; its role's after, so that a
// client cannot use up the tokens of a role it cannot log in as), a
// statement with ERROR before it runs. A waiting statement is cancelled by a CancelRequest or
// statement_timeout (57014) like a running one; a waiting connection by
// Shutdown. A token not used because of an error is given back.
type RateLimits struct {
	ConnectionsPerAddress RateLimit
	ConnectionsPerRole    RateLimit
	StatementsPerAddress  RateLimit
	StatementsPerRole     RateLimit
	// Wait bounds the wait for a token. Default 1 s; negative: no wait,
	// fail at once when no token is there.
	Wait time.Duration
}

// rateWaitDefault is RateLimits.Wait's default.
const rateWaitDefault = time.Second

// bucketSweepMin is how many buckets a bucketSet holds before it drops the
// full ones (which are no different from new ones).
const bucketSweepMin = 1024

// bucketSet is one token bucket per key, made when the key is first seen.
type bucketSet struct {
	limit RateLimit
	what  string // "connections" or "statements"
	by    string // "from address" or "by role"

	mu struct {
		sync.Mutex
		buckets map[string]*rate.Limiter
		// sweepAt is the size at which full buckets are dropped.
		sweepAt int
	}
}

func newBucketSet(limit RateLimit, what, by string) *bucketSet {
	if !limit.on() {
		return nil
	}
	b := &bucketSet{limit: limit, what: what, by: by}
	b.mu.buckets = make(map[string]*rate.Limiter)
	b.mu.sweepAt = bucketSweepMin
	return b
}

// reserve takes key's next token at now, returning the reservation and
// how long after now the token is there.
func (b *bucketSet) reserve(key string, now time.Time) (*rate.Reservation, time.Duration) {
	b.mu.Lock()
	lim, ok := b.mu.buckets[key]
	if !ok {
		if len(b.mu.buckets) >= b.mu.sweepAt {
			b.sweepLocked(now)
		}
		lim = rate.NewLimiter(rate.Limit(b.limit.PerSecond), b.limit.burst())
		b.mu.buckets[key] = lim
	}
	b.mu.Unlock()
	r := lim.ReserveN(now, 1)
	return r, r.DelayFrom(now)
}

// sweepLocked drops the buckets that are full at now: a new bucket is full
// too, so forgetting them changes nothing but the memory held.
func (b *bucketSet) sweepLocked(now time.Time) {
	for key, lim := range b.mu.buckets {
		if lim.TokensAt(now) >= float64(b.limit.burst()) {
			delete(b.mu.buckets, key)
		}
	}
	b.mu.sweepAt = max(2*len(b.mu.buckets), bucketSweepMin)
}

// size is the number of buckets held.
func (b *bucketSet) size() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.mu.buckets)
}

func (b *bucketSet) exceeded(key string) error {
	return pgerr.New(pgerr.ConfigurationLimitExceeded, "too many %s %s %s: the limit is %g a second, %d at once",
		b.what, b.by, key, b.limit.PerSecond, b.limit.burst())
}

// rateLimiter applies a RateLimits. Its clock and wait are fields so that
// tests decide outcomes without sleeping.
type rateLimiter struct {
	wait               time.Duration
	connAddr, connRole *bucketSet // nil: no limit
	stmtAddr, stmtRole *bucketSet
	now                func() time.Time
	sleep              func(ctx context.Context, d time.Duration) error
	// rejectedConns and rejectedStmts count the refusals (53400).
	rejectedConns, rejectedStmts atomic.Uint64
}

func newRateLimiter(l RateLimits) *rateLimiter {
	wait := l.Wait
	switch {
	case wait == 0:
		wait = rateWaitDefault
	case wait < 0:
		wait = 0
	}
	return &rateLimiter{
		wait:     wait,
		connAddr: newBucketSet(l.ConnectionsPerAddress, "connections", "from address"),
		connRole: newBucketSet(l.ConnectionsPerRole, "connections", "by role"),
		stmtAddr: newBucketSet(l.StatementsPerAddress, "statements", "from address"),
		stmtRole: newBucketSet(l.StatementsPerRole, "statements", "by role"),
		now:      time.Now,
		sleep:    sleepContext,
	}
}

// sleepContext waits d or until ctx ends, returning ctx's cause then.
func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// connectionFrom takes a new connection's token of its address.
func (l *rateLimiter) connectionFrom(ctx context.Context, addr string) error {
	return l.take(ctx, l.connAddr, addr, nil, "")
}

// connectionAs takes an authenticated connection's token of its role.
func (l *rateLimiter) connectionAs(ctx context.Context, role string) error {
	return l.take(ctx, nil, "", l.connRole, role)
}

// statement takes a statement's tokens.
func (l *rateLimiter) statement(ctx context.Context, addr, role string) error {
	return l.take(ctx, l.stmtAddr, addr, l.stmtRole, role)
}

// take reserves a token from byAddr's bucket for addr and byRole's for
// role, then waits until both are there. It fails with 53400, taking
// nothing, when that would be longer than l.wait, and with ctx's cause,
// giving the tokens back, when ctx ends first.
func (l *rateLimiter) take(ctx context.Context, byAddr *bucketSet, addr string, byRole *bucketSet, role string) error {
	if byAddr == nil && byRole == nil {
		return nil
	}
	now := l.now()
	var held []*rate.Reservation
	giveBack := func(at time.Time) {
		for _, r := range held {
			r.CancelAt(at)
		}
	}
	var delay time.Duration
	for _, b := range []struct {
		set *bucketSet
		key string
	}{{byAddr, addr}, {byRole, role}} {
		if b.set == nil {
			continue
		}
		r, d := b.set.reserve(b.key, now)
		held = append(held, r)
		if !r.OK() || d > l.wait {
			giveBack(now)
			if b.set.what == "connections" {
				l.rejectedConns.Add(1)
			} else {
				l.rejectedStmts.Add(1)
			}
			return b.set.exceeded(b.key)
		}
		delay = max(delay, d)
	}
	if delay <= 0 {
		return nil
	}
	if err := l.sleep(ctx, delay); err != nil {
		giveBack(l.now())
		return err
	}
	return nil
}

// addressKey is the bucket key of a client address: its IP address, or
// "[local]" for a Unix socket.
func addressKey(a net.Addr) string {
	switch a := a.(type) {
	case *net.TCPAddr:
		return a.IP.String()
	case *net.UnixAddr, nil:
		return "[local]"
	}
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return fmt.Sprint(a)
	}
	return host
}
