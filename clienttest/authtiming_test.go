package clienttest

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"flag"
	"fmt"
	"math"
	mrand "math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgproto3"
)

var timingSeed = flag.Uint64("timing.seed", 0, "seed of TestAuthTiming's sample order (0: from the clock)")

// Sizes and thresholds of TestAuthTiming.
const (
	timingWarmup  = 30  // attempts of each kind made first, not counted
	timingSamples = 300 // counted attempts of each kind
	// timingZMax is the two-sided critical value of the rank test at
	// p = 0.001: a difference is reported only past it.
	timingZMax = 3.29
	// timingBootstrap is how many resamples estimate the confidence
	// interval of the difference of the medians.
	timingBootstrap = 2000
)

// TestAuthTiming: a client cannot tell a role that does not exist from a
// wrong password by how long the server takes to answer. For each pair of
// attempts compared, the test makes a few hundred of each, interleaved in
// a random order (so that drift in the machine's load falls on both
// alike), times the server's part of each (the sum of the round trips from
// each message the client sends to the server's answer; the client's own
// work is not timed), and compares the two samples with a Mann-Whitney
// rank test, failing only when they differ at p < 0.001. A bootstrap
// interval of the difference of the medians is logged with it.
//
// Pairs: under a scram-sha-256 rule, a missing role against a role with a
// SCRAM password given a wrong one; under an md5 rule, the same (a missing
// role gets the SCRAM exchange there too, as in PostgreSQL, because roles'
// passwords are stored as SCRAM by default), and a missing role against a
// role with no password. A positive control checks that the test sees a
// difference that is there: an md5 challenge (two round trips) against a
// SCRAM exchange (three) must differ significantly.
func TestAuthTiming(t *testing.T) {
	if testing.Short() {
		t.Skip("timing samples take a few seconds")
	}
	seed := *timingSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (replay with -timing.seed=%d)", seed, seed)
	rng := mrand.New(mrand.NewPCG(seed, seed^0x9e3779b97f4a7c15))

	hba := filepath.Join(t.TempDir(), "pg_hba.conf")
	rules := "host all postgres 127.0.0.1/32 trust\n"
	for _, u := range []string{"alice", "ghost"} {
		rules += "host all " + u + " 127.0.0.1/32 scram-sha-256\n"
	}
	for _, u := range []string{"alice5", "bob5", "carol5", "ghost5"} {
		rules += "host all " + u + " 127.0.0.1/32 md5\n"
	}
	if err := os.WriteFile(hba, []byte(rules), 0o600); err != nil {
		t.Fatal(err)
	}
	port := startCairnPort(t, "--hba-file", hba)
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"CREATE ROLE alice LOGIN PASSWORD 'wonderland'",
		"CREATE ROLE alice5 LOGIN PASSWORD 'wonderland'",
		"CREATE ROLE carol5 LOGIN",
		"SET password_encryption = 'md5'",
		"CREATE ROLE bob5 LOGIN PASSWORD 'builder'",
	} {
		if _, err := admin.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	admin.Close(ctx)
	addr := fmt.Sprintf("127.0.0.1:%d", port)

	for _, c := range []struct {
		name       string
		a, b       string
		mustDiffer bool
	}{
		{"scram rule: missing role vs wrong password", "ghost", "alice", false},
		{"md5 rule: missing role vs wrong SCRAM password", "ghost5", "alice5", false},
		{"md5 rule: missing role vs role without password", "ghost5", "carol5", false},
		{"positive control: md5 challenge vs SCRAM exchange", "bob5", "ghost5", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			var sa, sb []float64
			for i := 0; i < timingWarmup+timingSamples; i++ {
				first, second := &sa, &sb
				ua, ub := c.a, c.b
				if rng.IntN(2) == 1 {
					first, second, ua, ub = second, first, ub, ua
				}
				da, err := failedLogin(addr, ua)
				if err != nil {
					t.Fatalf("%s: %v", ua, err)
				}
				db, err := failedLogin(addr, ub)
				if err != nil {
					t.Fatalf("%s: %v", ub, err)
				}
				if i >= timingWarmup {
					*first = append(*first, float64(da.Microseconds()))
					*second = append(*second, float64(db.Microseconds()))
				}
			}
			z := mannWhitneyZ(sa, sb)
			lo, hi := bootstrapMedianDiff(sa, sb, rng)
			t.Logf("%s: median %.0f µs, %s: median %.0f µs; Mann-Whitney z = %.2f (|z| > %.2f is p < 0.001); "+
				"95%% bootstrap interval of the median difference [%.0f, %.0f] µs",
				c.a, median(sa), c.b, median(sb), z, timingZMax, lo, hi)
			differ := math.Abs(z) > timingZMax
			switch {
			case c.mustDiffer && !differ:
				t.Errorf("the test did not see a difference that is there (z = %.2f)", z)
			case !c.mustDiffer && differ:
				t.Errorf("response times tell %s from %s (z = %.2f, p < 0.001)", c.a, c.b, z)
			}
		})
	}
}

// failedLogin tries to log in as user with a wrong password over a raw
// protocol connection and returns the server's part of the time taken:
// the sum of the waits for its answers. Any outcome but 28P01 after the
// method's full exchange is an error.
func failedLogin(addr, user string) (time.Duration, error) {
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		return 0, err
	}
	defer nc.Close()
	nc.SetDeadline(time.Now().Add(10 * time.Second))
	fe := pgproto3.NewFrontend(nc, nc)
	var spent time.Duration
	ask := func(m pgproto3.FrontendMessage) (pgproto3.BackendMessage, error) {
		fe.Send(m)
		start := time.Now()
		if err := fe.Flush(); err != nil {
			return nil, err
		}
		reply, err := fe.Receive()
		spent += time.Since(start)
		return reply, err
	}
	reply, err := ask(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersion30,
		Parameters: map[string]string{"user": user, "database": "postgres"}})
	if err != nil {
		return 0, err
	}
	switch m := reply.(type) {
	case *pgproto3.AuthenticationMD5Password:
		reply, err = ask(&pgproto3.PasswordMessage{Password: "md5" + strings.Repeat("0", 32)})
	case *pgproto3.AuthenticationSASL:
		var cnonce [18]byte
		rand.Read(cnonce[:])
		reply, err = ask(&pgproto3.SASLInitialResponse{AuthMechanism: "SCRAM-SHA-256",
			Data: []byte("n,,n=,r=" + base64.StdEncoding.EncodeToString(cnonce[:]))})
		if err != nil {
			return 0, err
		}
		cont, ok := reply.(*pgproto3.AuthenticationSASLContinue)
		if !ok {
			return 0, fmt.Errorf("after SASLInitialResponse: %T %+v", reply, reply)
		}
		nonce, _, _ := strings.Cut(string(cont.Data), ",")
		var proof [32]byte
		rand.Read(proof[:])
		reply, err = ask(&pgproto3.SASLResponse{Data: []byte("c=biws," + nonce + ",p=" + base64.StdEncoding.EncodeToString(proof[:]))})
	default:
		return 0, fmt.Errorf("first answer %T %+v", m, m)
	}
	if err != nil {
		return 0, err
	}
	if e, ok := reply.(*pgproto3.ErrorResponse); !ok || e.Code != "28P01" {
		return 0, fmt.Errorf("last answer %T %+v, want error 28P01", reply, reply)
	}
	return spent, nil
}

// mannWhitneyZ is the normal approximation of the Mann-Whitney U
// statistic of a against b, with midranks and the tie correction.
func mannWhitneyZ(a, b []float64) float64 {
	type obs struct {
		v    float64
		inA  bool
		rank float64
	}
	all := make([]obs, 0, len(a)+len(b))
	for _, v := range a {
		all = append(all, obs{v: v, inA: true})
	}
	for _, v := range b {
		all = append(all, obs{v: v})
	}
	slices.SortFunc(all, func(x, y obs) int {
		switch {
		case x.v < y.v:
			return -1
		case x.v > y.v:
			return 1
		}
		return 0
	})
	var tieTerm float64
	for i := 0; i < len(all); {
		j := i
		for j < len(all) && all[j].v == all[i].v {
			j++
		}
		mid := float64(i+j+1) / 2 // ranks i+1..j
		for k := i; k < j; k++ {
			all[k].rank = mid
		}
		tc := float64(j - i)
		tieTerm += tc*tc*tc - tc
		i = j
	}
	var ra float64
	for _, o := range all {
		if o.inA {
			ra += o.rank
		}
	}
	n1, n2 := float64(len(a)), float64(len(b))
	n := n1 + n2
	u := ra - n1*(n1+1)/2
	mean := n1 * n2 / 2
	sd := math.Sqrt(n1 * n2 / 12 * ((n + 1) - tieTerm/(n*(n-1))))
	if sd == 0 {
		return 0
	}
	return (u - mean) / sd
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// bootstrapMedianDiff is a 95% percentile bootstrap interval of
// median(a) - median(b).
func bootstrapMedianDiff(a, b []float64, rng *mrand.Rand) (lo, hi float64) {
	diffs := make([]float64, timingBootstrap)
	ra, rb := make([]float64, len(a)), make([]float64, len(b))
	for i := range diffs {
		for j := range ra {
			ra[j] = a[rng.IntN(len(a))]
		}
		for j := range rb {
			rb[j] = b[rng.IntN(len(b))]
		}
		diffs[i] = median(ra) - median(rb)
	}
	slices.Sort(diffs)
	return diffs[timingBootstrap*25/1000], diffs[timingBootstrap*975/1000]
}
