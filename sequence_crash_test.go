package cairn_test

import (
	"context"
	"flag"
	"math/rand/v2"
	"testing"

	"github.com/cairndb/cairn"
	"github.com/cairndb/cairn/internal/vfs"
	"github.com/cairndb/cairn/sql"
)

var seqCrashSeed = flag.Uint64("seq-crash-seed", 0, "seed of TestSequenceCrash (0: a fixed default)")

// TestSequenceCrash: a sequence never hands out a value twice across a
// crash. Sessions take values with nextval (autocommit, in transactions
// that commit or roll back, through serial defaults, with CACHE and
// descending increments), the database checkpoints now and then, and the
// file system loses everything unsynced. After each restart every value
// the sequence hands out must lie beyond every value a committed
// transaction was given.
func TestSequenceCrash(t *testing.T) {
	seed := *seqCrashSeed
	if seed == 0 {
		seed = 20261207
	}
	t.Logf("seed %d (-seq-crash-seed to replay)", seed)
	rng := rand.New(rand.NewPCG(seed, 7))
	must := func(s *sql.Session, q string) *sql.Result {
		t.Helper()
		return mustScript(t, s, q)
	}
	one := func(s *sql.Session, q string) int64 {
		t.Helper()
		res := must(s, q)
		return res.Rows[len(res.Rows)-1][0].(int64)
	}
	// sign turns each sequence's values into an ascending order.
	seqs := []struct {
		name, create string
		sign         int64
		take         string
	}{
		{"up", "CREATE SEQUENCE up", 1, "SELECT nextval('up')"},
		{"cached", "CREATE SEQUENCE cached CACHE 5 INCREMENT 3", 1, "SELECT nextval('cached')"},
		{"down", "CREATE SEQUENCE down INCREMENT -2 START -10", -1, "SELECT nextval('down')"},
		{"t_id_seq", "CREATE TABLE t (id bigserial PRIMARY KEY, v int4)", 1, "INSERT INTO t (v) VALUES (1) RETURNING id"},
	}
	fs := vfs.NewMem()
	open := func(fs vfs.FS) (*cairn.DB, []*sql.Session) {
		db, err := cairn.OpenWithOptions("data", &cairn.Options{FS: fs})
		if err != nil {
			t.Fatal(err)
		}
		var ss []*sql.Session
		for range 3 {
			s, err := db.NewSession()
			if err != nil {
				t.Fatal(err)
			}
			ss = append(ss, s)
		}
		return db, ss
	}
	db, ss := open(fs)
	for _, q := range seqs {
		must(ss[0], q.create)
	}
	committed := make([]int64, len(seqs)) // the highest (signed) value committed, per sequence
	for i := range committed {
		committed[i] = -1 << 62
	}
	for round := 0; round < 8; round++ {
		for op := 0; op < 150; op++ {
			i := rng.IntN(len(seqs))
			s := ss[rng.IntN(len(ss))]
			q := seqs[i]
			switch rng.IntN(10) {
			case 0: // in a transaction that rolls back: nothing is promised
				must(s, "BEGIN")
				one(s, q.take)
				must(s, "ROLLBACK")
			case 1, 2: // in a transaction that commits
				must(s, "BEGIN")
				v := one(s, q.take)
				must(s, "COMMIT")
				committed[i] = max(committed[i], q.sign*v)
			case 3:
				if rng.IntN(10) == 0 {
					if err := db.Checkpoint(); err != nil {
						t.Fatal(err)
					}
				}
			default: // autocommit
				v := one(s, q.take)
				committed[i] = max(committed[i], q.sign*v)
			}
		}
		// Read-only transactions alone before the crash: their commits
		// write nothing, and must still wait for the records of the
		// values they were given (one every sequence.LogAhead values).
		for i, q := range seqs[:3] {
			for k := 0; k < 40; k++ {
				committed[i] = max(committed[i], q.sign*one(ss[k%len(ss)], q.take))
			}
		}
		crashed := fs.CrashClone()
		_ = db // abandoned, as a crashed process would be
		fs = crashed
		db, ss = open(fs)
		for i, q := range seqs {
			for k := 0; k < 3; k++ {
				s := ss[k]
				if v := q.sign * one(s, q.take); v <= committed[i] {
					t.Fatalf("round %d: after the crash %s handed out %d, but %d was committed before it", round, q.name, q.sign*v, q.sign*committed[i])
				} else {
					committed[i] = v
				}
			}
		}
	}
	db.Close()
}

// TestSequenceCacheCrash: a value a session hands out from its cache
// (CACHE > 1) was logged when the cache was filled, maybe by a
// transaction that rolled back; a commit that uses it must still wait for
// that record.
func TestSequenceCacheCrash(t *testing.T) {
	ctx := context.Background()
	fs := vfs.NewMem()
	db, err := cairn.OpenWithOptions("data", &cairn.Options{FS: fs})
	if err != nil {
		t.Fatal(err)
	}
	s, err := db.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	run := func(s *sql.Session, q string) *sql.Result {
		t.Helper()
		ps, err := s.PrepareAll(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var res *sql.Result
		for _, p := range ps {
			if res, err = s.Execute(ctx, p, nil); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		return res
	}
	run(s, "CREATE SEQUENCE c CACHE 5")
	run(s, "BEGIN; SELECT nextval('c'); ROLLBACK")
	committed := run(s, "SELECT nextval('c')").Rows[0][0].(int64)
	db2, err := cairn.OpenWithOptions("data", &cairn.Options{FS: fs.CrashClone()})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	s2, err := db2.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if v := run(s2, "SELECT nextval('c')").Rows[0][0].(int64); v <= committed {
		t.Fatalf("after the crash nextval gave %d, but %d was committed before it", v, committed)
	}
	_ = db
}
