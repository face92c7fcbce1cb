package main

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/cairndb/cairn/pgwire"
)

// readHBA reads the client authentication rules of --hba-file ("" when
// none is given). cairn.ServeOptions.Check parses them, and refuses a
// server listening beyond loopback without any: pgwire's defaults trust
// the Unix socket and loopback clients only.
func readHBA(file string) (string, error) {
	if file == "" {
		return "", nil
	}
	text, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("reading --hba-file: %w", err)
	}
	if len(text) == 0 {
		return "", fmt.Errorf("%s has no rules: no client could connect", file)
	}
	return string(text), nil
}

// reservedOption maps --superuser-reserved-connections to pgwire's
// option, where zero means the default.
func reservedOption(n int) int {
	if n == 0 {
		return -1
	}
	return n
}

// rateFlags are serve's --rate-* flags: token buckets on new connections
// and statements, per client address and per role (pgwire.RateLimits).
type rateFlags struct {
	connAddr, connRole, stmtAddr, stmtRole rateFlag
	wait                                   time.Duration
}

// rateFlag is one bucket's --rate-X (a second) and --rate-X-burst.
type rateFlag struct {
	name      string
	perSecond float64
	burst     int
}

func (r *rateFlags) register(fs *flag.FlagSet) {
	for _, f := range []struct {
		rf        *rateFlag
		name, per string
	}{
		{&r.connAddr, "rate-connections-per-address", "new connections a second from one client IP address (all Unix socket clients count as one)"},
		{&r.connRole, "rate-connections-per-role", "new connections a second as one role"},
		{&r.stmtAddr, "rate-statements-per-address", "statements a second from one client IP address"},
		{&r.stmtRole, "rate-statements-per-role", "statements a second by one role (the user named at connection)"},
	} {
		f.rf.name = f.name
		fs.Float64Var(&f.rf.perSecond, f.name, 0, "most "+f.per+"; more wait up to --rate-wait, then get 53400 (default 0: no limit)")
		fs.IntVar(&f.rf.burst, f.name+"-burst", 0, "how many may come at once within --"+f.name+" (default: the rate rounded up)")
	}
	fs.DurationVar(&r.wait, "rate-wait", time.Second, "how long a connection or statement over a --rate-* limit waits for its turn before failing with 53400 (0: not at all)")
}

// options checks the flags and makes pgwire's options of them.
func (r *rateFlags) options() (pgwire.RateLimits, error) {
	l := pgwire.RateLimits{Wait: r.wait}
	if r.wait < 0 {
		return l, fmt.Errorf("--rate-wait must not be negative, not %v", r.wait)
	}
	if r.wait == 0 {
		l.Wait = -1 // pgwire: fail at once
	}
	for _, f := range []struct {
		rf  rateFlag
		opt *pgwire.RateLimit
	}{{r.connAddr, &l.ConnectionsPerAddress}, {r.connRole, &l.ConnectionsPerRole},
		{r.stmtAddr, &l.StatementsPerAddress}, {r.stmtRole, &l.StatementsPerRole}} {
		limit, err := f.rf.limit()
		if err != nil {
			return l, err
		}
		*f.opt = limit
	}
	return l, nil
}

var errRateFlag = errors.New("a rate must be a number of a second at least 0, and a burst at least 0")

func (f rateFlag) limit() (pgwire.RateLimit, error) {
	if f.perSecond < 0 || math.IsNaN(f.perSecond) || math.IsInf(f.perSecond, 0) || f.burst < 0 {
		return pgwire.RateLimit{}, fmt.Errorf("--%s %v --%s-burst %d: %w", f.name, f.perSecond, f.name, f.burst, errRateFlag)
	}
	if f.perSecond == 0 {
		if f.burst != 0 {
			return pgwire.RateLimit{}, fmt.Errorf("--%s-burst needs --%s", f.name, f.name)
		}
		return pgwire.RateLimit{}, nil
	}
	burst := f.burst
	if burst == 0 {
		burst = int(min(math.Ceil(f.perSecond), math.MaxInt32))
	}
	return pgwire.RateLimit{PerSecond: f.perSecond, Burst: burst}, nil
}

// versionString is what `cairn version` prints: the PostgreSQL version
// cairn speaks as, the module version and VCS revision it was built from,
// and the Go version.
func versionString() string {
	mod, rev, dirty := "(devel)", "", ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			mod = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					dirty = "+dirty"
				}
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	out := "cairn " + mod
	if rev != "" {
		out += " (" + rev + dirty + ")"
	}
	return out + ", PostgreSQL 15.18 protocol, " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH
}
