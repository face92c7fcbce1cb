package shard

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/cespare/xxhash/v2"
	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

func ringNodes(rng *rand.Rand, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("node-%d-%d", i, rng.IntN(1000000))
	}
	return out
}

// TestRingMovesOnlyWhatChanges is the consistent-hashing property: adding
// a node moves shards only to it, removing one moves only its shards.
func TestRingMovesOnlyWhatChanges(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 0))
	for trial := range 50 {
		nodes := ringNodes(rng, 1+rng.IntN(10))
		shards := []int{1, 7, 64, 256}[rng.IntN(4)]
		r := NewRing(0, nodes...)
		before := r.Place(shards)
		added := fmt.Sprintf("new-%d", trial)
		after := r.With(added).Place(shards)
		moved := 0
		for i := range before {
			if before[i] != after[i] {
				moved++
				if after[i] != added {
					t.Fatalf("trial %d: adding %s moved shard %d from %s to %s", trial, added, i, before[i], after[i])
				}
			}
		}
		if shards >= 64 && moved == 0 {
			t.Errorf("trial %d: adding a node to %d moved none of %d shards", trial, len(nodes), shards)
		}
		if len(nodes) < 2 {
			continue
		}
		gone := nodes[rng.IntN(len(nodes))]
		without := r.Without(gone).Place(shards)
		for i := range before {
			if before[i] != without[i] {
				if before[i] != gone {
					t.Fatalf("trial %d: removing %s moved shard %d from %s", trial, gone, i, before[i])
				}
			}
			if without[i] == gone {
				t.Fatalf("trial %d: shard %d still on removed %s", trial, i, gone)
			}
		}
		// With then Without is the ring we started from.
		if got := r.With(added).Without(added).Place(shards); fmt.Sprint(got) != fmt.Sprint(before) {
			t.Fatalf("trial %d: adding and removing %s changed the placement", trial, added)
		}
	}
}

// TestRingBalance bounds how unevenly the ring shares the hash space: with
// DefaultPoints points a node's share stays within 30% of 1/N.
func TestRingBalance(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	for range 20 {
		n := 2 + rng.IntN(15)
		r := NewRing(0, ringNodes(rng, n)...)
		share := map[string]float64{}
		for i, p := range r.points {
			prev := r.points[(i+len(r.points)-1)%len(r.points)].hash
			share[p.node] += float64(p.hash-prev) / (1 << 64) // wraps around for i == 0
		}
		fair := 1 / float64(n)
		for node, s := range share {
			if s < 0.7*fair || s > 1.3*fair {
				t.Errorf("%d nodes: %s owns %.3f of the ring, fair is %.3f", n, node, s, fair)
			}
		}
		// Keys follow the shares.
		const keys = 20000
		count := map[string]int{}
		for range keys {
			count[r.Owner(rng.Uint64())]++
		}
		for _, node := range r.Nodes() {
			if c := float64(count[node]); c < 0.65*keys*fair || c > 1.35*keys*fair {
				t.Errorf("%d nodes: %s got %v of %d keys", n, node, c, keys)
			}
		}
	}
}

func TestRingEmpty(t *testing.T) {
	r := NewRing(0)
	if got := r.Owner(42); got != "" {
		t.Fatalf("empty ring owner %q", got)
	}
	if got := r.Place(64); got != nil {
		t.Fatalf("empty ring placed %v", got)
	}
	if r.With("a").With("a").Nodes()[0] != "a" || len(r.With("a").With("a").points) != DefaultPoints {
		t.Fatal("adding a node twice added its points twice")
	}
}

func TestHashValueCanonical(t *testing.T) {
	dec := func(s string) *apd.Decimal {
		d, _, err := apd.NewFromString(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	ts := time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC)
	u := types.UUIDValue{1, 2, 3}
	same := []struct {
		name string
		at   types.T
		a    types.Datum
		bt   types.T
		b    types.Datum
	}{
		{"int widths", types.New(types.Int2), int64(7), types.New(types.Int8), int64(7)},
		{"int4 int8", types.New(types.Int4), int64(-123456), types.New(types.Int8), int64(-123456)},
		{"numeric scale", types.New(types.Numeric), dec("1.0"), types.New(types.Numeric), dec("1.000")},
		{"numeric zero", types.New(types.Numeric), dec("-0.00"), types.New(types.Numeric), dec("0")},
		{"numeric exponent", types.New(types.Numeric), dec("1200"), types.New(types.Numeric), dec("1.2E3")},
		{"float zero", types.New(types.Float8), 0.0, types.New(types.Float8), negZero()},
		{"bpchar padding", types.New(types.Bpchar), "ab   ", types.New(types.Bpchar), "ab"},
		{"text varchar", types.New(types.Text), "héllo", types.New(types.Varchar), "héllo"},
		{"timestamp timestamptz", types.New(types.Timestamp), ts, types.New(types.TimestampTZ), ts},
		{"uuid", types.New(types.UUID), u, types.New(types.UUID), u},
	}
	for _, c := range same {
		ha, err := HashValue(c.at, c.a)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		hb, err := HashValue(c.bt, c.b)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if ha != hb {
			t.Errorf("%s: %v and %v hash differently", c.name, c.a, c.b)
		}
	}
	differ := [][2]types.Datum{{int64(1), int64(2)}, {int64(0), int64(-1)}}
	for _, d := range differ {
		a, _ := HashValue(types.New(types.Int8), d[0])
		b, _ := HashValue(types.New(types.Int8), d[1])
		if a == b {
			t.Errorf("%v and %v hash alike", d[0], d[1])
		}
	}
	// The documented form: 8 big-endian bytes for an integer; the empty
	// string hashes as xxhash64 of nothing.
	if h, _ := HashValue(types.New(types.Int4), int64(1)); h != xxhash.Sum64([]byte{0, 0, 0, 0, 0, 0, 0, 1}) {
		t.Errorf("hash of int 1 = %#x", h)
	}
	if h, _ := HashValue(types.New(types.Text), ""); h != 0xef46db3751d8e999 {
		t.Errorf("hash of '' = %#x, want xxhash64 of no bytes", h)
	}
	if _, err := HashValue(types.New(types.Int4), nil); pgerr.Code(err) != pgerr.NotNullViolation {
		t.Errorf("NULL: %v", err)
	}
	if _, err := HashValue(types.New(types.Interval), types.IntervalValue{}); pgerr.Code(err) != pgerr.FeatureNotSupported {
		t.Errorf("interval: %v", err)
	}
}

func TestShardIndexRanges(t *testing.T) {
	for _, n := range []int{1, 2, 64, 1000} {
		if got := ShardIndex(0, n); got != 0 {
			t.Errorf("n=%d: ShardIndex(0) = %d", n, got)
		}
		if got := ShardIndex(^uint64(0), n); got != n-1 {
			t.Errorf("n=%d: ShardIndex(max) = %d", n, got)
		}
		// The boundary of shard 1 is at 2^64/n.
		if n > 1 {
			b := (uint64(1) << 32) / uint64(n) << 32
			if ShardIndex(b-(1<<32), n) != 0 && ShardIndex(b+(1<<32), n) != 1 {
				t.Errorf("n=%d: boundary misplaced", n)
			}
		}
	}
}

func negZero() float64 { return math.Copysign(0, -1) }
