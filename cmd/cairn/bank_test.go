package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

var (
	seedFlag      = flag.Uint64("seed", 0, "seed for the randomised process tests (0: derive from the clock)")
	bankTransfers = flag.Int("bank-transfers", 250, "transfers per writer client in TestBank")
)

// testSeed returns the -seed value, or a clock-derived one, and logs it so a
// failing run can be repeated.
func testSeed(t *testing.T) uint64 {
	t.Helper()
	seed := *seedFlag
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (rerun with -seed=%d)", seed, seed)
	return seed
}

// liveServer is the currently running server of a test that kills and
// restarts it; clients read its URL each time they (re)connect.
type liveServer struct {
	mu  sync.Mutex
	srv *server
}

func (l *liveServer) get() *server {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.srv
}

func (l *liveServer) set(s *server) {
	l.mu.Lock()
	l.srv = s
	l.mu.Unlock()
}

// awaitProgress polls until done reports true, or fails the test with
// what after a minute (and returns, so the caller stops its workload).
// Kill tests use it to see the workload make progress on a restarted
// server, rather than hoping a pause was long enough.
func awaitProgress(t *testing.T, what string, done func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !done() {
		if time.Now().After(deadline) {
			t.Errorf("%s within a minute", what)
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// sqlState returns the SQLSTATE of err, or "" when err is not a server
// error (e.g. the connection was lost).
func sqlState(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// dial connects to the live server, retrying while it is down (being
// restarted) until stop is closed or a minute has passed.
func dial(live *liveServer, stop <-chan struct{}) (*pgx.Conn, error) {
	deadline := time.Now().Add(time.Minute)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		c, err := pgx.Connect(ctx, live.get().url)
		cancel()
		if err == nil {
			return c, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("could not connect for a minute: %w", err)
		}
		select {
		case <-stop:
			return nil, err
		case <-time.After(20 * time.Millisecond):
		}
	}
}

const (
	bankAccounts = 5
	bankTotal    = 50
)

func createBank(t *testing.T, s *server) {
	t.Helper()
	ctx := context.Background()
	c := connect(t, s)
	if _, err := c.Exec(ctx, "CREATE TABLE accounts (id int4 PRIMARY KEY, balance int8 NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= bankAccounts; i++ {
		if _, err := c.Exec(ctx, "INSERT INTO accounts VALUES ($1, $2)", i, int64(bankTotal/bankAccounts)); err != nil {
			t.Fatal(err)
		}
	}
	c.Close(ctx)
}

// checkBalances reads every balance in one transaction at level and
// returns a description of what is wrong with it, or "".
func checkBalances(ctx context.Context, c *pgx.Conn, level string) (string, error) {
	if _, err := c.Exec(ctx, "BEGIN ISOLATION LEVEL "+level); err != nil {
		return "", err
	}
	rows, err := c.Query(ctx, "SELECT id, balance FROM accounts")
	if err != nil {
		c.Exec(ctx, "ROLLBACK")
		return "", err
	}
	var n, sum int64
	var bad string
	var got []string
	for rows.Next() {
		var id int32
		var bal int64
		if err := rows.Scan(&id, &bal); err != nil {
			rows.Close()
			c.Exec(ctx, "ROLLBACK")
			return "", err
		}
		n++
		sum += bal
		if bal < 0 {
			bad = "negative balance"
		}
		got = append(got, fmt.Sprintf("%d:%d", id, bal))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		c.Exec(ctx, "ROLLBACK")
		return "", err
	}
	// A consistent snapshot always shows the invariant, so the rows are
	// judged even when COMMIT then fails (e.g. 40001 under SERIALIZABLE).
	if n != bankAccounts || sum != bankTotal || bad != "" {
		bad = fmt.Sprintf("read %d rows summing to %d %s: %v", n, sum, bad, got)
	}
	_, err = c.Exec(ctx, "COMMIT")
	return bad, err
}

// bankStats counts what the bank clients saw.
type bankStats struct {
	transfers, refused, attempts, retry40001, retry40P01    atomic.Int64
	indeterminate, connLost, reads, readRetries, violations atomic.Int64
}

// bankRun drives writers and readers against live. Writers stop after
// perWriter transfers each (if positive) or when stop is closed; readers
// stop when writersDone is closed. killing says connection losses are
// expected.
type bankRun struct {
	t          *testing.T
	live       *liveServer
	level      string
	seed       uint64
	perWriter  int
	killing    bool
	stop       chan struct{} // ends writers (kill test)
	writerDone chan struct{} // ends readers
	stats      bankStats
}

func (b *bankRun) violation(format string, args ...any) {
	if b.stats.violations.Add(1) <= 10 {
		b.t.Errorf(format, args...)
	}
}

// lost handles a connection-level error: expected while the server is
// being killed, a failure otherwise.
func (b *bankRun) lost(who string, err error) {
	b.stats.connLost.Add(1)
	if !b.killing {
		b.violation("%s: connection error: %v", who, err)
	}
}

func (b *bankRun) stopped() bool {
	select {
	case <-b.stop:
		return true
	default:
		return false
	}
}

const maxRetries = 10000

func (b *bankRun) writer(id int) {
	who := fmt.Sprintf("writer %d", id)
	rng := rand.New(rand.NewPCG(b.seed, uint64(id)))
	var c *pgx.Conn
	defer func() {
		if c != nil {
			c.Close(context.Background())
		}
	}()
	limit := b.perWriter
	if limit <= 0 {
		limit = 1_000_000 // bounded even if stop never came
	}
	for i := 0; i < limit && !b.stopped(); i++ {
		from := int32(rng.IntN(bankAccounts)) + 1
		to := int32(rng.IntN(bankAccounts-1)) + 1
		if to >= from {
			to++
		}
		amount := int64(rng.IntN(5)) + 1
		for try := 0; ; try++ {
			if try == maxRetries {
				b.violation("%s: transfer %d gave up after %d retries", who, i, maxRetries)
				return
			}
			if c == nil {
				var err error
				if c, err = dial(b.live, b.stop); err != nil {
					if !b.stopped() {
						b.violation("%s: %v", who, err)
					}
					return
				}
			}
			b.stats.attempts.Add(1)
			moved, atCommit, err := b.transfer(c, from, to, amount)
			if err == nil {
				if moved {
					b.stats.transfers.Add(1)
				} else {
					b.stats.refused.Add(1)
				}
				break
			}
			switch code := sqlState(err); code {
			case "40001", "40P01":
				if code == "40001" {
					b.stats.retry40001.Add(1)
				} else {
					b.stats.retry40P01.Add(1)
				}
				if !atCommit {
					rollback(c)
				}
				continue
			case "":
				if !c.IsClosed() {
					b.violation("%s: transfer %d->%d of %d: %v", who, from, to, amount, err)
				}
				b.lost(who, err)
				c.Close(context.Background())
				c = nil
				if atCommit {
					// Applied or not: either way the sum is conserved.
					b.stats.indeterminate.Add(1)
					break
				}
				if b.stopped() {
					return
				}
				continue
			default:
				b.violation("%s: transfer %d->%d of %d: %v", who, from, to, amount, err)
				if !atCommit {
					rollback(c)
				}
			}
			break
		}
	}
}

func rollback(c *pgx.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c.Exec(ctx, "ROLLBACK")
}

// transfer runs one transfer transaction. atCommit reports that COMMIT was
// sent (so a connection error leaves the outcome unknown and the
// transaction needs no ROLLBACK).
func (b *bankRun) transfer(c *pgx.Conn, from, to int32, amount int64) (moved, atCommit bool, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := c.Exec(ctx, "BEGIN ISOLATION LEVEL "+b.level); err != nil {
		return false, false, err
	}
	var fromBal, toBal int64
	if err := c.QueryRow(ctx, "SELECT balance FROM accounts WHERE id = $1", from).Scan(&fromBal); err != nil {
		return false, false, err
	}
	if err := c.QueryRow(ctx, "SELECT balance FROM accounts WHERE id = $1", to).Scan(&toBal); err != nil {
		return false, false, err
	}
	if fromBal < 0 || toBal < 0 {
		b.violation("writer read negative balances %d=%d %d=%d", from, fromBal, to, toBal)
	}
	if fromBal >= amount {
		for _, u := range [][2]int64{{int64(from), fromBal - amount}, {int64(to), toBal + amount}} {
			tag, err := c.Exec(ctx, "UPDATE accounts SET balance = $2 WHERE id = $1", int32(u[0]), u[1])
			if err != nil {
				return false, false, err
			}
			if tag.RowsAffected() != 1 {
				return false, false, fmt.Errorf("UPDATE of account %d affected %d rows", u[0], tag.RowsAffected())
			}
		}
		moved = true
	}
	tag, err := c.Exec(ctx, "COMMIT")
	if err != nil {
		return moved, true, err
	}
	if tag.String() != "COMMIT" {
		return moved, true, fmt.Errorf("COMMIT answered %q", tag.String())
	}
	return moved, true, nil
}

func (b *bankRun) reader(id int) {
	who := fmt.Sprintf("reader %d", id)
	var c *pgx.Conn
	defer func() {
		if c != nil {
			c.Close(context.Background())
		}
	}()
	for i := 0; i < 1_000_000; i++ {
		select {
		case <-b.writerDone:
			return
		default:
		}
		if c == nil {
			var err error
			if c, err = dial(b.live, b.writerDone); err != nil {
				select {
				case <-b.writerDone:
				default:
					b.violation("%s: %v", who, err)
				}
				return
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		bad, err := checkBalances(ctx, c, b.level)
		cancel()
		if bad != "" {
			b.violation("%s: %s", who, bad)
		}
		switch {
		case err == nil:
			b.stats.reads.Add(1)
		case sqlState(err) == "40001" || sqlState(err) == "40P01":
			b.stats.readRetries.Add(1)
		case sqlState(err) == "":
			b.lost(who, err)
			c.Close(context.Background())
			c = nil
		default:
			b.violation("%s: %v", who, err)
		}
	}
}

// start launches writers and readers; wait waits for the writers, ends the
// readers and waits for them.
func (b *bankRun) start(writers, readers int) (wait func()) {
	b.writerDone = make(chan struct{})
	if b.stop == nil {
		b.stop = make(chan struct{})
	}
	var ww, rw sync.WaitGroup
	for i := 0; i < writers; i++ {
		ww.Add(1)
		go func() { defer ww.Done(); b.writer(i) }()
	}
	for i := 0; i < readers; i++ {
		rw.Add(1)
		go func() { defer rw.Done(); b.reader(i) }()
	}
	return func() {
		ww.Wait()
		close(b.writerDone)
		rw.Wait()
	}
}

func (b *bankRun) report(elapsed time.Duration) {
	s := &b.stats
	rate := 0.0
	if a := s.attempts.Load(); a > 0 {
		rate = 100 * float64(s.retry40001.Load()) / float64(a)
	}
	b.t.Logf("%s: %d transfers + %d refused in %v (%.0f committed/s); %d attempts, 40001 retries %d (%.1f%% of attempts), 40P01 retries %d; "+
		"%d reads, %d read retries; %d indeterminate commits, %d connection losses",
		b.level, s.transfers.Load(), s.refused.Load(), elapsed.Round(time.Millisecond),
		float64(s.transfers.Load()+s.refused.Load())/elapsed.Seconds(),
		s.attempts.Load(), s.retry40001.Load(), rate, s.retry40P01.Load(),
		s.reads.Load(), s.readRetries.Load(), s.indeterminate.Load(), s.connLost.Load())
}

// finalCheck verifies the invariant with a fresh connection.
func finalCheck(t *testing.T, s *server, when string) {
	t.Helper()
	c := connect(t, s)
	defer c.Close(context.Background())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	bad, err := checkBalances(ctx, c, "REPEATABLE READ")
	if err != nil {
		t.Fatalf("%s: %v", when, err)
	}
	if bad != "" {
		t.Errorf("%s: %s", when, bad)
	}
}

// TestBank is the Jepsen bank workload (PLAN.md (f)): 8 writers move money
// between 5 accounts while 2 readers check that every snapshot has 5 rows
// summing to 50 with no negative balance.
func TestBank(t *testing.T) {
	seed := testSeed(t)
	for i, level := range []string{"REPEATABLE READ", "SERIALIZABLE"} {
		t.Run(level, func(t *testing.T) {
			s := startServer(t, t.TempDir())
			createBank(t, s)
			live := &liveServer{srv: s}
			b := &bankRun{t: t, live: live, level: level, seed: seed + uint64(i), perWriter: *bankTransfers}
			begin := time.Now()
			wait := b.start(8, 2)
			wait()
			b.report(time.Since(begin))
			finalCheck(t, s, "after the run")
			s.stop(t)
		})
	}
}

// TestBankKill runs the bank workload at REPEATABLE READ while the server
// is killed with SIGKILL three times and restarted on the same data.
func TestBankKill(t *testing.T) {
	seed := testSeed(t)
	rng := rand.New(rand.NewPCG(seed, 1000))
	dir := t.TempDir()
	s := startServer(t, dir)
	createBank(t, s)
	live := &liveServer{srv: s}
	b := &bankRun{t: t, live: live, level: "REPEATABLE READ", seed: seed, killing: true, stop: make(chan struct{})}
	begin := time.Now()
	wait := b.start(8, 2)
	pause := func() { time.Sleep(300*time.Millisecond + time.Duration(rng.Int64N(int64(1200*time.Millisecond)))) }
	for round := 1; round <= 3; round++ {
		pause()
		before := b.stats.transfers.Load()
		live.get().kill(t)
		t0 := time.Now()
		ns := startServer(t, dir)
		restart := time.Since(t0)
		finalCheck(t, ns, fmt.Sprintf("after kill %d", round))
		live.set(ns)
		t.Logf("kill %d: %d transfers committed before it; restart took %v", round, before, restart.Round(time.Millisecond))
	}
	afterKills := b.stats.transfers.Load()
	pause()
	awaitProgress(t, fmt.Sprintf("no transfer committed after the last restart (%d before)", afterKills),
		func() bool { return b.stats.transfers.Load() > afterKills })
	close(b.stop)
	wait()
	b.report(time.Since(begin))
	finalCheck(t, live.get(), "at the end")
	live.get().stop(t)
}

// TestWriteSkew is the "doctors on call" case: two transactions each see two
// doctors on call and take their own doctor off call. SERIALIZABLE must
// abort one of them with 40001; REPEATABLE READ (snapshot isolation, as in
// PostgreSQL) lets both commit, leaving nobody on call.
func TestWriteSkew(t *testing.T) {
	for _, level := range []string{"SERIALIZABLE", "REPEATABLE READ"} {
		t.Run(level, func(t *testing.T) {
			s := startServer(t, t.TempDir())
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			setup := connect(t, s)
			for _, q := range []string{
				"CREATE TABLE doctors (name text PRIMARY KEY, on_call bool)",
				"INSERT INTO doctors VALUES ('alice', true), ('bob', true)",
			} {
				if _, err := setup.Exec(ctx, q); err != nil {
					t.Fatal(err)
				}
			}
			conns := []*pgx.Conn{connect(t, s), connect(t, s)}
			names := []string{"alice", "bob"}
			failed := []string{"", ""} // the step at which each failed
			// step runs one statement of transaction i unless it has failed.
			step := func(i int, what string, fn func(c *pgx.Conn) error) {
				if failed[i] != "" {
					return
				}
				err := fn(conns[i])
				if err == nil {
					return
				}
				if sqlState(err) != "40001" {
					t.Fatalf("T%d %s: %v", i+1, what, err)
				}
				t.Logf("T%d failed at %s: %v", i+1, what, err)
				failed[i] = what
				if what != "commit" {
					if _, err := conns[i].Exec(ctx, "ROLLBACK"); err != nil {
						t.Fatalf("T%d ROLLBACK: %v", i+1, err)
					}
				}
			}
			beginCount := func(i int) {
				step(i, "begin", func(c *pgx.Conn) error {
					_, err := c.Exec(ctx, "BEGIN ISOLATION LEVEL "+level)
					return err
				})
				step(i, "count", func(c *pgx.Conn) error {
					var n int64
					if err := c.QueryRow(ctx, "SELECT count(*) FROM doctors WHERE on_call").Scan(&n); err != nil {
						return err
					}
					if n != 2 {
						t.Errorf("T%d sees %d doctors on call, want 2", i+1, n)
					}
					return nil
				})
			}
			update := func(i int) {
				step(i, "update", func(c *pgx.Conn) error {
					tag, err := c.Exec(ctx, "UPDATE doctors SET on_call = false WHERE name = $1", names[i])
					if err == nil && tag.RowsAffected() != 1 {
						t.Errorf("T%d UPDATE affected %d rows", i+1, tag.RowsAffected())
					}
					return err
				})
			}
			commit := func(i int) {
				step(i, "commit", func(c *pgx.Conn) error {
					tag, err := c.Exec(ctx, "COMMIT")
					if err == nil && tag.String() != "COMMIT" {
						return fmt.Errorf("COMMIT answered %q", tag.String())
					}
					return err
				})
			}
			beginCount(0)
			beginCount(1)
			update(0)
			update(1)
			commit(0)
			commit(1)

			var onCall int64
			if err := setup.QueryRow(ctx, "SELECT count(*) FROM doctors WHERE on_call").Scan(&onCall); err != nil {
				t.Fatal(err)
			}
			nFailed := 0
			for _, f := range failed {
				if f != "" {
					nFailed++
				}
			}
			if level == "SERIALIZABLE" {
				if nFailed != 1 {
					t.Errorf("%d of the 2 transactions failed with 40001 (steps %q), want exactly 1", nFailed, failed)
				}
				if onCall < 1 {
					t.Errorf("%d doctors on call afterwards, want at least 1 (SERIALIZABLE let write skew through)", onCall)
				}
			} else {
				if nFailed != 0 {
					t.Errorf("transactions failed at %q, want both to commit under REPEATABLE READ", failed)
				}
				if onCall != 0 {
					t.Errorf("%d doctors on call afterwards, want 0 (PostgreSQL's write skew under snapshot isolation)", onCall)
				}
			}
		})
	}
}
