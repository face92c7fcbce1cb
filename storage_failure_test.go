package cairn_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cairndb/cairn"
	"github.com/cairndb/cairn/internal/vfs"
	"github.com/cairndb/cairn/pgwire"
)

// Storage failures end to end (reliability PLAN.md (c) fsync failure and
// (d) disk full), on the in-memory file system, over the wire where the
// client-visible error matters.

const memDataDir = "data"

// logRecorder is a slog handler that keeps the records, to check what the
// server logged and how often.
type logRecorder struct {
	mu      sync.Mutex
	records []slog.Record
}

func (h *logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (h *logRecorder) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.records = append(h.records, r)
	return nil
}
func (h *logRecorder) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *logRecorder) WithGroup(string) slog.Handler      { return h }

// errors returns the messages logged at ERROR or above.
func (h *logRecorder) errors() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for _, r := range h.records {
		if r.Level >= slog.LevelError {
			out = append(out, r.Message)
		}
	}
	return out
}

func openMemDB(t *testing.T, fs *vfs.MemFS, logs *logRecorder, segmentBytes int64) *cairn.DB {
	t.Helper()
	opts := &cairn.Options{FS: fs, Logger: slog.New(logs)}
	if segmentBytes > 0 {
		cairn.SetWALSegmentBytes(opts, segmentBytes)
	}
	db, err := cairn.OpenWithOptions(memDataDir, opts)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return db
}

// serveDB serves db over the wire until stop is called (or the test ends).
func serveDB(t *testing.T, db *cairn.DB) (url string, stop func()) {
	t.Helper()
	_, addr, stop := serveWire(t, db, pgwire.Options{})
	return wireURL(addr), stop
}

func dialDB(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

func pgxExec(t *testing.T, c *pgx.Conn, q string, args ...any) {
	t.Helper()
	if _, err := c.Exec(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func queryInt(t *testing.T, c *pgx.Conn, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := c.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// pgError checks that err is a server error with code whose message
// contains want, and that it names no file by a path under the data
// directory (only relative to it).
func pgError(t *testing.T, what string, err error, code, want string) *pgconn.PgError {
	t.Helper()
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != code {
		t.Fatalf("%s: %v, want SQLSTATE %s", what, err, code)
	}
	if !strings.Contains(pe.Message, want) {
		t.Fatalf("%s: message %q, want it to contain %q", what, pe.Message, want)
	}
	all := pe.Message + pe.Detail + pe.Hint
	if strings.Contains(all, memDataDir+"/") || strings.Contains(all, ": wal:") || strings.Contains(all, "checkpoint:") {
		t.Fatalf("%s: the client sees internals: %q / %q / %q", what, pe.Message, pe.Detail, pe.Hint)
	}
	return pe
}

// walSyncGate holds the next fsync of a WAL segment once armed and ends it
// with the error given to release.
type walSyncGate struct {
	mu      sync.Mutex
	armed   bool
	arrived chan struct{}
	result  chan error
}

func newWALSyncGate(fs *vfs.MemFS) *walSyncGate {
	g := &walSyncGate{arrived: make(chan struct{}, 1), result: make(chan error, 1)}
	fs.InjectError(func(op vfs.Op, name string) error {
		if op != vfs.OpSync || !strings.HasSuffix(name, ".wal") {
			return nil
		}
		g.mu.Lock()
		armed := g.armed
		g.armed = false
		g.mu.Unlock()
		if !armed {
			return nil
		}
		g.arrived <- struct{}{}
		return <-g.result
	})
	return g
}

func (g *walSyncGate) arm() {
	g.mu.Lock()
	g.armed = true
	g.mu.Unlock()
}

// TestFailedCommitNeverVisible is (a): the fsync of a commit record fails.
// While it is in flight and after it failed, no other session sees the
// transaction: not a new snapshot, and not a SELECT ... FOR UPDATE that
// waited for its row. The committer is told the outcome is unknown (58030).
// Then the node is read-only: every write fails with 58030 without a data
// path in the message, reads go on, the failure is logged once at ERROR,
// Close succeeds, and a reopen after a crash keeps every acknowledged
// commit.
func TestFailedCommitNeverVisible(t *testing.T) {
	ctx := context.Background()
	fs := vfs.NewMem()
	logs := &logRecorder{}
	db := openMemDB(t, fs, logs, 1<<20)
	url, stopServer := serveDB(t, db)
	a, b, c := dialDB(t, url), dialDB(t, url), dialDB(t, url)
	pgxExec(t, c, "CREATE TABLE t (id int8 PRIMARY KEY, v int8 NOT NULL)")
	pgxExec(t, c, "INSERT INTO t VALUES (1, 1)")

	pgxExec(t, a, "BEGIN")
	pgxExec(t, a, "UPDATE t SET v = 2 WHERE id = 1")
	pgxExec(t, b, "BEGIN")
	type locked struct {
		v   int64
		err error
	}
	forUpdate := make(chan locked, 1)
	go func() {
		var v int64
		err := b.QueryRow(ctx, "SELECT v FROM t WHERE id = 1 FOR UPDATE").Scan(&v)
		forUpdate <- locked{v, err}
	}()
	// An acknowledged commit that also makes every earlier record (the
	// UPDATE's) durable, so that the next fsync is the one of a's commit.
	pgxExec(t, c, "INSERT INTO t VALUES (100, 100)")

	gate := newWALSyncGate(fs)
	gate.arm()
	committed := make(chan error, 1)
	go func() { _, err := a.Exec(ctx, "COMMIT"); committed <- err }()
	select {
	case <-gate.arrived:
	case <-time.After(30 * time.Second):
		t.Fatal("no WAL fsync for the commit")
	}
	if v := queryInt(t, c, "SELECT v FROM t WHERE id = 1"); v != 1 {
		t.Fatalf("a new snapshot sees v = %d during the commit's fsync, want 1", v)
	}
	gate.result <- syscall.EIO

	pe := pgError(t, "COMMIT with a failed fsync", <-committed, "58030", "the outcome of the commit")
	if !strings.Contains(pe.Message, `could not fsync file "wal/0000000000000001.wal": Input/output error`) {
		t.Fatalf("COMMIT error message %q does not name the WAL file", pe.Message)
	}
	r := <-forUpdate
	t.Logf("SELECT ... FOR UPDATE: v = %d, err = %v", r.v, r.err)
	if r.err == nil && r.v != 1 {
		t.Fatalf("SELECT ... FOR UPDATE that waited for the failed commit returned v = %d, want 1", r.v)
	} else if r.err != nil {
		pgError(t, "SELECT ... FOR UPDATE after the failure", r.err, "58030", "could not fsync file")
	}
	b.Exec(ctx, "ROLLBACK")
	if v := queryInt(t, c, "SELECT v FROM t WHERE id = 1"); v != 1 {
		t.Fatalf("a new snapshot sees v = %d after the failed commit, want 1", v)
	}

	// Fail-stop: writes refused, reads go on.
	for _, q := range []string{"INSERT INTO t VALUES (2, 2)", "UPDATE t SET v = 3 WHERE id = 100", "CREATE TABLE u (id int8)"} {
		_, err := c.Exec(ctx, q)
		pe := pgError(t, q, err, "58030", `could not fsync file "wal/0000000000000001.wal": Input/output error`)
		if !strings.Contains(pe.Detail, "restarted") {
			t.Fatalf("%s: detail %q does not say a restart is needed", q, pe.Detail)
		}
	}
	if n := queryInt(t, c, "SELECT count(*) FROM t"); n != 2 {
		t.Fatalf("count after the failure = %d, want 2", n)
	}
	if errs := logs.errors(); len(errs) != 1 || !strings.Contains(errs[0], "write-ahead log failed") {
		t.Fatalf("ERROR log records %q, want the WAL failure once", errs)
	}

	for _, conn := range []*pgx.Conn{a, b, c} {
		conn.Close(ctx)
	}
	stopServer()
	crashed := fs.CrashClone()
	if err := db.Close(); err != nil {
		t.Fatalf("Close of a failed database: %v", err)
	}

	db = openMemDB(t, crashed, &logRecorder{}, 1<<20)
	defer db.Close()
	url, _ = serveDB(t, db)
	c = dialDB(t, url)
	if v := queryInt(t, c, "SELECT v FROM t WHERE id = 100"); v != 100 {
		t.Fatalf("acknowledged row after reopen: v = %d", v)
	}
	// The failed commit's outcome was unknown: either state is allowed.
	if v := queryInt(t, c, "SELECT v FROM t WHERE id = 1"); v != 1 && v != 2 {
		t.Fatalf("row 1 after reopen: v = %d", v)
	}
	pgxExec(t, c, "INSERT INTO t VALUES (3, 3)")
}

// TestFullDiskAtNewSegment is (b): the disk fills up, so the WAL cannot make
// its next segment. The statement that needed it fails with 53100 in
// PostgreSQL's words; no one sees its transaction; the database stays up
// and reads go on; once space is freed writes succeed again without a
// restart; and after a crash every acknowledged transaction is there and
// the failed ones are not.
func TestFullDiskAtNewSegment(t *testing.T) {
	ctx := context.Background()
	fs := vfs.NewMem()
	logs := &logRecorder{}
	const segment = 256 << 10
	db := openMemDB(t, fs, logs, segment)
	url, stopServer := serveDB(t, db)
	c, other := dialDB(t, url), dialDB(t, url)
	pgxExec(t, c, "CREATE TABLE t (id int8 PRIMARY KEY, pad text NOT NULL)")
	pad := strings.Repeat("p", 2000)
	acked := map[int64]bool{}
	insert := func(id int64) error {
		_, err := c.Exec(ctx, "INSERT INTO t VALUES ($1, $2)", id, pad)
		if err == nil {
			acked[id] = true
		}
		return err
	}
	for id := range int64(10) {
		if err := insert(id); err != nil {
			t.Fatal(err)
		}
	}
	fs.SetQuota(fs.Used())

	// An explicit transaction whose statement meets the full disk is
	// aborted as PostgreSQL aborts it.
	var failedIDs []int64
	pgxExec(t, other, "BEGIN")
	var fullErr error
	for id := int64(1000); fullErr == nil; id++ {
		if id > 1000+int64(2*segment/len(pad)) {
			t.Fatal("the WAL never needed a new segment")
		}
		if _, fullErr = other.Exec(ctx, "INSERT INTO t VALUES ($1, $2)", id, pad); fullErr == nil {
			failedIDs = append(failedIDs, id)
		}
	}
	pe := pgError(t, "INSERT on a full disk", fullErr, "53100", `could not extend file "wal/spare.tmp": No space left on device`)
	if pe.Hint != "Check free disk space." {
		t.Fatalf("hint %q", pe.Hint)
	}
	if _, err := other.Exec(ctx, "SELECT 1"); sqlState(err) != "25P02" {
		t.Fatalf("statement after the failed one: %v, want 25P02", err)
	}
	pgxExec(t, other, "ROLLBACK")

	// Autocommit statements keep failing while the disk is full (a
	// statement that needs no new segment may succeed); reads go on.
	for id := int64(10); id < 20; id++ {
		if err := insert(id); err != nil {
			pgError(t, "INSERT on a full disk", err, "53100", "No space left on device")
			failedIDs = append(failedIDs, id)
		}
	}
	if n := queryInt(t, other, "SELECT count(*) FROM t"); n != int64(len(acked)) {
		t.Fatalf("count on a full disk = %d, want the %d acknowledged rows", n, len(acked))
	}
	for _, id := range failedIDs {
		if n := queryInt(t, other, "SELECT count(*) FROM t WHERE id = $1", id); n != 0 {
			t.Fatalf("row %d of a failed transaction is visible", id)
		}
	}

	// Space comes back: writes succeed without a restart.
	fs.SetQuota(0)
	for id := int64(20); id < 30; id++ {
		if err := insert(id); err != nil {
			t.Fatalf("INSERT after space came back: %v", err)
		}
	}
	if errs := logs.errors(); len(errs) != 0 {
		t.Fatalf("ERROR log records on a full disk: %q", errs)
	}

	c.Close(ctx)
	other.Close(ctx)
	stopServer()
	crashed := fs.CrashClone()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openMemDB(t, crashed, &logRecorder{}, segment)
	defer db.Close()
	url, _ = serveDB(t, db)
	c = dialDB(t, url)
	rows, err := c.Query(ctx, "SELECT id FROM t")
	if err != nil {
		t.Fatal(err)
	}
	got := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		got[id] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for id := range acked {
		if !got[id] {
			t.Errorf("acknowledged row %d lost", id)
		}
	}
	for id := range got {
		if !acked[id] {
			t.Errorf("row %d of a failed transaction came back", id)
		}
	}
}

// TestFsyncFailureFailStop is (c), through the embedded API: after a WAL
// fsync fails, every later write fails with 58030, reads go on (past the
// block of transaction ids reserved before), Close does not fail, and a
// reopen recovers every acknowledged commit.
func TestFsyncFailureFailStop(t *testing.T) {
	ctx := context.Background()
	fs := vfs.NewMem()
	db := openMemDB(t, fs, &logRecorder{}, 1<<20)
	if err := db.Exec(ctx, "CREATE TABLE t (id int8 PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	for id := range 20 {
		if err := db.Exec(ctx, fmt.Sprintf("INSERT INTO t VALUES (%d)", id)); err != nil {
			t.Fatal(err)
		}
	}
	fs.InjectError(func(op vfs.Op, name string) error {
		if op == vfs.OpSync && strings.HasSuffix(name, ".wal") {
			return syscall.EIO
		}
		return nil
	})
	err := db.Exec(ctx, "INSERT INTO t VALUES (20)")
	if sqlState(err) != "58030" || !strings.Contains(err.Error(), "outcome of the commit") {
		t.Fatalf("commit with a failing fsync: %v (SQLSTATE %s), want 58030 and an unknown outcome", err, sqlState(err))
	}
	for _, q := range []string{"INSERT INTO t VALUES (21)", "DELETE FROM t WHERE id = 1", "CREATE TABLE u (id int8)"} {
		if err := db.Exec(ctx, q); sqlState(err) != "58030" {
			t.Fatalf("%s after the failure: %v (SQLSTATE %s), want 58030", q, err, sqlState(err))
		}
	}
	s, err := db.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	count, err := s.PrepareAll(context.Background(), "SELECT count(*) FROM t")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5000 {
		res, err := s.Execute(ctx, count[0], nil)
		if err != nil {
			t.Fatalf("read %d after the failure: %v", i, err)
		}
		if n := fmt.Sprint(res.Rows[0][0]); n != "20" {
			t.Fatalf("read %d after the failure: count %s, want 20", i, n)
		}
	}
	s.Close()
	crashed := fs.CrashClone()
	if err := db.Close(); err != nil {
		t.Fatalf("Close after the failure: %v", err)
	}
	db = openMemDB(t, crashed, &logRecorder{}, 1<<20)
	defer db.Close()
	for id := range 20 {
		s, err := db.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		p, err := s.PrepareAll(context.Background(), fmt.Sprintf("SELECT count(*) FROM t WHERE id = %d", id))
		if err != nil {
			t.Fatal(err)
		}
		res, err := s.Execute(ctx, p[0], nil)
		s.Close()
		if err != nil || fmt.Sprint(res.Rows[0][0]) != "1" {
			t.Fatalf("acknowledged row %d after reopen: %v %v", id, res, err)
		}
	}
	if err := db.Exec(ctx, "INSERT INTO t VALUES (22)"); err != nil {
		t.Fatalf("write after reopen: %v", err)
	}
}
