package pgwire

import (
	"context"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/cairndb/cairn/internal/pgerr"
)

// rateStep is one request to a rateLimiter at a fake time.
type rateStep struct {
	at        time.Duration // since the test's start
	stmt      bool          // a statement, else a connection
	addr      string
	role      string
	cancelled bool          // the wait ends with a cancel request
	wantCode  string        // "" for admitted
	wantWait  time.Duration // how long an admitted request waited
}

func TestRateLimiter(t *testing.T) {
	perSec := func(r float64, burst int) RateLimit { return RateLimit{PerSecond: r, Burst: burst} }
	tests := []struct {
		name   string
		limits RateLimits
		steps  []rateStep
	}{{
		name:   "off by default",
		limits: RateLimits{},
		steps: []rateStep{
			{addr: "a", role: "r"}, {addr: "a", role: "r"}, {stmt: true, addr: "a", role: "r"},
		},
	}, {
		name:   "connections per address, no wait",
		limits: RateLimits{ConnectionsPerAddress: perSec(1, 2), Wait: -1},
		steps: []rateStep{
			{addr: "a", role: "r"},
			{addr: "a", role: "r"},
			{addr: "a", role: "r", wantCode: "53400"},
			// Another address has its own bucket.
			{addr: "b", role: "r"},
			// Statements are not limited by the connection limits.
			{stmt: true, addr: "a", role: "r"},
			// A second later one token is back.
			{at: time.Second, addr: "a", role: "r"},
			{at: time.Second, addr: "a", role: "r", wantCode: "53400"},
		},
	}, {
		name:   "waits up to the bound",
		limits: RateLimits{StatementsPerRole: perSec(2, 1), Wait: time.Second},
		steps: []rateStep{
			{stmt: true, role: "r"},
			{stmt: true, role: "r", wantWait: 500 * time.Millisecond},
			{stmt: true, role: "r", wantWait: time.Second},
			// The next token is 1.5 s away: fail at once.
			{stmt: true, role: "r", wantCode: "53400"},
			{stmt: true, role: "s"},
			// The refused request took no token.
			{at: time.Second, stmt: true, role: "r", wantWait: 500 * time.Millisecond},
		},
	}, {
		name:   "a cancelled wait gives its token back",
		limits: RateLimits{StatementsPerAddress: perSec(1, 1)},
		steps: []rateStep{
			{stmt: true, addr: "a"},
			{stmt: true, addr: "a", cancelled: true, wantCode: "57014"},
			{stmt: true, addr: "a", wantWait: time.Second},
		},
	}, {
		name:   "statements by role and address together",
		limits: RateLimits{StatementsPerAddress: perSec(1, 2), StatementsPerRole: perSec(1, 1), Wait: -1},
		steps: []rateStep{
			{stmt: true, addr: "a", role: "r"},
			// r's bucket is empty; a's token is given back.
			{stmt: true, addr: "a", role: "r", wantCode: "53400"},
			{stmt: true, addr: "b", role: "r", wantCode: "53400"},
			{stmt: true, addr: "a", role: "s"},
			{stmt: true, addr: "a", role: "t", wantCode: "53400"},
		},
	}, {
		name:   "connections by address, then by role",
		limits: RateLimits{ConnectionsPerAddress: perSec(1, 2), ConnectionsPerRole: perSec(1, 1), Wait: -1},
		steps: []rateStep{
			{addr: "a", role: "r"},
			// Refused by r's limit after authentication: a's token
			// was used by the attempt.
			{addr: "a", role: "r", wantCode: "53400"},
			{addr: "a", role: "s", wantCode: "53400"},
			{addr: "b", role: "s"},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			now := start
			l := newRateLimiter(tt.limits)
			l.now = func() time.Time { return now }
			for i, st := range tt.steps {
				now = start.Add(st.at)
				var waited time.Duration
				l.sleep = func(ctx context.Context, d time.Duration) error {
					if st.cancelled {
						return errUserCancel
					}
					waited = d
					return nil
				}
				var err error
				if st.stmt {
					err = l.statement(context.Background(), st.addr, st.role)
				} else if err = l.connectionFrom(context.Background(), st.addr); err == nil {
					err = l.connectionAs(context.Background(), st.role)
				}
				if code := pgerr.Code(err); err != nil && code != st.wantCode || err == nil && st.wantCode != "" {
					t.Fatalf("step %d (%+v): err %v, want code %q", i, st, err, st.wantCode)
				}
				if waited != st.wantWait {
					t.Fatalf("step %d (%+v): waited %v, want %v", i, st, waited, st.wantWait)
				}
			}
		})
	}
}

func TestRateLimitMessage(t *testing.T) {
	l := newRateLimiter(RateLimits{ConnectionsPerAddress: RateLimit{PerSecond: 0.5, Burst: 1}, Wait: -1})
	l.connectionFrom(context.Background(), "10.0.0.1")
	err := l.connectionFrom(context.Background(), "10.0.0.1")
	want := "too many connections from address 10.0.0.1: the limit is 0.5 a second, 1 at once"
	if pgerr.Code(err) != pgerr.ConfigurationLimitExceeded || err.Error() != want {
		t.Fatalf("got %q (%s), want %q", err, pgerr.Code(err), want)
	}
}

// TestRateBucketSweep: full buckets are dropped once many are held, and
// one still refilling is kept.
func TestRateBucketSweep(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b := newBucketSet(RateLimit{PerSecond: 1, Burst: 1}, "connections", "from address")
	for i := range bucketSweepMin {
		b.reserve(fmt.Sprint(i), start)
	}
	// All are empty now: nothing can be dropped.
	b.reserve("new", start)
	if got := b.size(); got != bucketSweepMin+1 {
		t.Fatalf("after the first sweep: %d buckets, want %d", got, bucketSweepMin+1)
	}
	// An hour later the first ones are full again; new keys, each taking
	// its token, grow the set to the next sweep.
	later := start.Add(time.Hour)
	b.reserve("busy", later)
	for i := 0; ; i++ {
		before := b.size()
		b.reserve(fmt.Sprint("x", i), later)
		if b.size() <= before {
			break
		}
		if i > 4*bucketSweepMin {
			t.Fatalf("no sweep: %d buckets", b.size())
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for key := range b.mu.buckets {
		if key[0] != 'x' && key != "busy" {
			t.Fatalf("the sweep kept full bucket %q", key)
		}
	}
	if _, ok := b.mu.buckets["busy"]; !ok {
		t.Fatal("the sweep dropped a bucket that is not full")
	}
}

func TestAddressKey(t *testing.T) {
	for _, tt := range []struct {
		addr net.Addr
		want string
	}{
		{&net.TCPAddr{IP: net.ParseIP("10.1.2.3"), Port: 5}, "10.1.2.3"},
		{&net.TCPAddr{IP: net.ParseIP("::1"), Port: 5}, "::1"},
		{&net.UnixAddr{Name: "", Net: "unix"}, "[local]"},
		{nil, "[local]"},
	} {
		if got := addressKey(tt.addr); got != tt.want {
			t.Errorf("addressKey(%v) = %q, want %q", tt.addr, got, tt.want)
		}
	}
}
