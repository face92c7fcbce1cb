package sql

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
)

// pausingSource is a COPY source that hands out first, then, at the next
// Read, tells paused and waits for resume before ending the data: while
// it waits, every row of first has been stored.
type pausingSource struct {
	first          *strings.Reader
	paused, resume chan struct{}
	done           bool
}

func (p *pausingSource) Begin(int, bool) error { return nil }

func (p *pausingSource) Read(b []byte) (int, error) {
	if p.first.Len() > 0 {
		return p.first.Read(b)
	}
	if !p.done {
		p.done = true
		close(p.paused)
		<-p.resume
	}
	return 0, io.EOF
}

// TestProgressCopy: while a COPY FROM STDIN runs, another session sees its
// row in pg_stat_progress_copy with the bytes and rows it has taken;
// after it, none.
func TestProgressCopy(t *testing.T) {
	e := newTestEngine(t)
	s1, s2 := newTestSession(t, e), newTestSession(t, e)
	mustRun(t, s1, "CREATE TABLE cp (a int, b text)")
	var data strings.Builder
	for i := 1; i <= 100; i++ {
		fmt.Fprintf(&data, "%d\tx%d\n", i, i)
	}
	src := &pausingSource{first: strings.NewReader(data.String()), paused: make(chan struct{}), resume: make(chan struct{})}
	ps, err := s1.PrepareAll(context.Background(), "COPY cp FROM STDIN")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := s1.CopyIn(context.Background(), ps[0], src)
		done <- err
	}()
	select {
	case <-src.paused:
	case err := <-done:
		t.Fatalf("COPY ended before its data did: %v", err)
	}
	q := fmt.Sprintf("SELECT relid = 'cp'::regclass, datname, command, type, bytes_processed, bytes_total, tuples_processed, tuples_excluded FROM pg_stat_progress_copy WHERE pid = %d", s1.BackendPID())
	got := outcome(s2, q)
	want := fmt.Sprintf("[t postgres COPY FROM PIPE %d 0 100 0]", data.Len())
	close(src.resume)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("during the COPY: %s, want %s", got, want)
	}
	if got := outcome(s2, "SELECT count(*) FROM pg_stat_progress_copy"); got != "[0]" {
		t.Fatalf("after the COPY: %s rows", got)
	}
}

// pauseAt makes the progress test hook stop command's statement when its
// counter reaches at: paused is closed then, and the statement goes on
// once resume is closed.
func pauseAt(t *testing.T, command progressCommand, at int64) (paused, resume chan struct{}) {
	paused, resume = make(chan struct{}), make(chan struct{})
	progressTestHook = func(c progressCommand, done int64) {
		if c == command && done == at {
			close(paused)
			<-resume
		}
	}
	t.Cleanup(func() { progressTestHook = nil })
	return paused, resume
}

// runPaused runs query on s until the hook pauses it, calls during, lets
// it finish and returns during's result.
func runPaused(t *testing.T, s *Session, query string, paused, resume chan struct{}, during func() string) string {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		_, err := run(s, query)
		done <- err
	}()
	select {
	case <-paused:
	case err := <-done:
		t.Fatalf("%s ended without reaching the pause: %v", query, err)
	}
	got := during()
	close(resume)
	if err := <-done; err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return got
}

// TestProgressCreateIndex: a CREATE INDEX paused after reading 50 rows
// shows them in pg_stat_progress_create_index.
func TestProgressCreateIndex(t *testing.T) {
	e := newTestEngine(t)
	s1, s2 := newTestSession(t, e), newTestSession(t, e)
	mustRun(t, s1, "CREATE TABLE ci (a int, b text)")
	mustRun(t, s1, "INSERT INTO ci SELECT g, 'v' || g FROM generate_series(1, 200) g")
	paused, resume := pauseAt(t, progressCreateIndex, 50)
	q := fmt.Sprintf("SELECT relid = 'ci'::regclass, index_relid <> 0, command, phase, tuples_done, tuples_total, blocks_done FROM pg_stat_progress_create_index WHERE pid = %d", s1.BackendPID())
	got := runPaused(t, s1, "CREATE INDEX ci_b ON ci (b)", paused, resume, func() string { return outcome(s2, q) })
	if want := "[t t CREATE INDEX building index: scanning table 50 0 0]"; got != want {
		t.Fatalf("during CREATE INDEX: %s, want %s", got, want)
	}
	if got := outcome(s2, "SELECT index_relid = 'ci_b'::regclass FROM pg_stat_progress_create_index"); got != "" {
		t.Fatalf("after CREATE INDEX: %s", got)
	}
}

// TestProgressVacuum: a VACUUM paused while it reads the table shows the
// versions read in pg_stat_progress_vacuum.
func TestProgressVacuum(t *testing.T) {
	e := newTestEngine(t)
	s1, s2 := newTestSession(t, e), newTestSession(t, e)
	mustRun(t, s1, "CREATE TABLE va (a int PRIMARY KEY)")
	mustRun(t, s1, "INSERT INTO va SELECT g FROM generate_series(1, 600) g")
	mustRun(t, s1, "DELETE FROM va WHERE a > 300")
	paused, resume := pauseAt(t, progressVacuum, 256)
	q := fmt.Sprintf("SELECT relid = 'va'::regclass, phase, heap_blks_total, heap_blks_scanned, heap_blks_vacuumed, index_vacuum_count FROM pg_stat_progress_vacuum WHERE pid = %d", s1.BackendPID())
	got := runPaused(t, s1, "VACUUM va", paused, resume, func() string { return outcome(s2, q) })
	if want := "[t scanning heap 0 256 0 0]"; got != want {
		t.Fatalf("during VACUUM: %s, want %s", got, want)
	}
	if got := outcome(s2, "SELECT count(*) FROM pg_stat_progress_vacuum"); got != "[0]" {
		t.Fatalf("after VACUUM: %s rows", got)
	}
}

// TestStatDatabase: pg_stat_database counts the session's transactions,
// rows and sessions, and pg_stat_reset sets them back to zero.
func TestStatDatabase(t *testing.T) {
	e := newTestEngine(t)
	s1, s2 := newTestSession(t, e), newTestSession(t, e)
	mustRun(t, s1, "CREATE TABLE sd (a int PRIMARY KEY, b int)")
	mustRun(t, s1, "INSERT INTO sd SELECT g, g FROM generate_series(1, 10) g")
	mustRun(t, s1, "UPDATE sd SET b = 0 WHERE a <= 3")
	mustRun(t, s1, "DELETE FROM sd WHERE a = 10")
	mustRun(t, s1, "BEGIN")
	mustRun(t, s1, "INSERT INTO sd VALUES (100, 100)")
	mustRun(t, s1, "ROLLBACK")
	mustRun(t, s1, "SELECT * FROM sd WHERE a = 5")
	mustRun(t, s1, "SELECT * FROM sd")
	const q = "SELECT numbackends, xact_commit, xact_rollback, tup_returned, tup_fetched, tup_inserted, tup_updated, tup_deleted, sessions, stats_reset IS NULL FROM pg_stat_database WHERE datname = 'postgres'"
	// Commits: CREATE, INSERT, UPDATE, DELETE and the two SELECTs; the
	// rolled-back INSERT's row counts, as PostgreSQL counts it.
	got := outcome(s2, q)
	var commits, rollbacks, returned, fetched, inserted, updated, deleted, sessions int64
	var backends int64
	var noReset rune
	if _, err := fmt.Sscanf(got, "[%d %d %d %d %d %d %d %d %d %c]", &backends, &commits, &rollbacks, &returned, &fetched, &inserted, &updated, &deleted, &sessions, &noReset); err != nil {
		t.Fatalf("%s: %v", got, err)
	}
	if backends != 2 || commits != 6 || rollbacks != 1 || inserted != 11 || updated != 3 || deleted != 1 || sessions != 2 || noReset != 't' {
		t.Fatalf("pg_stat_database: %s", got)
	}
	// The key lookup read one row; the last SELECT read the 9 left.
	if fetched < 1 || returned < 9+fetched {
		t.Fatalf("pg_stat_database: %d returned, %d fetched", returned, fetched)
	}
	mustRun(t, s1, "SELECT pg_stat_reset()")
	if got := outcome(s2, "SELECT xact_commit, tup_inserted, tup_returned, stats_reset IS NOT NULL FROM pg_stat_database WHERE datname = 'postgres'"); got != "[1 0 0 t]" {
		t.Fatalf("after pg_stat_reset: %s", got)
	}
	if got := outcome(s2, "SELECT seq_scan, n_tup_ins FROM pg_stat_user_tables WHERE relname = 'sd'"); got != "[0 0]" {
		t.Fatalf("pg_stat_user_tables after pg_stat_reset: %s", got)
	}
	mustRun(t, s1, "CREATE ROLE plain LOGIN")
	s3, err := e.NewSession("plain", "postgres", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s3.Close()
	if got := outcome(s3, "SELECT pg_stat_reset()"); !strings.HasPrefix(got, "42501") {
		t.Fatalf("pg_stat_reset by a plain role: %s", got)
	}
}

// pausingBackuper reports a backup half copied, then waits for resume.
type pausingBackuper struct{ paused, resume chan struct{} }

func (b pausingBackuper) Backup(ctx context.Context, dir string) (string, error) {
	report := BackupProgressFunc(ctx)
	if report == nil {
		return "", fmt.Errorf("no progress function in the backup's context")
	}
	report("copying", 0, 1000)
	report("copying", 500, 1000)
	close(b.paused)
	<-b.resume
	report("copying", 1000, 1000)
	report("verifying: checking data", 1, 2)
	return "label", nil
}

func (pausingBackuper) SwitchWAL() (bool, error) { return false, nil }

// TestProgressBasebackup: while cairn_backup() runs, another session
// sees its bytes copied in pg_stat_progress_basebackup.
func TestProgressBasebackup(t *testing.T) {
	e := newTestEngine(t)
	s1, s2 := newTestSession(t, e), newTestSession(t, e)
	b := pausingBackuper{paused: make(chan struct{}), resume: make(chan struct{})}
	e.SetBackuper(b)
	q := fmt.Sprintf("SELECT phase, backup_total, backup_streamed, tablespaces_total, tablespaces_streamed FROM pg_stat_progress_basebackup WHERE pid = %d", s1.BackendPID())
	got := runPaused(t, s1, "SELECT cairn_backup('/backups/b1')", b.paused, b.resume, func() string { return outcome(s2, q) })
	if want := "[streaming database files 1000 500 1 0]"; got != want {
		t.Fatalf("during the backup: %s, want %s", got, want)
	}
	if got := outcome(s2, "SELECT count(*) FROM pg_stat_progress_basebackup"); got != "[0]" {
		t.Fatalf("after the backup: %s rows", got)
	}
}

// TestStatDatabaseCopy: COPY FROM's rows count as inserted, COPY TO's do
// not.
func TestStatDatabaseCopy(t *testing.T) {
	e := newTestEngine(t)
	s := newTestSession(t, e)
	mustRun(t, s, "CREATE TABLE sc (a int)")
	if _, _, err := copyIn(t, s, "COPY sc FROM STDIN", "1\n2\n3\n"); err != nil {
		t.Fatal(err)
	}
	ps, err := s.PrepareAll(context.Background(), "COPY sc TO STDOUT")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CopyOut(context.Background(), ps[0], discardSink{}); err != nil {
		t.Fatal(err)
	}
	if got := outcome(s, "SELECT tup_inserted FROM pg_stat_database WHERE datname = 'postgres'"); got != "[3]" {
		t.Fatalf("tup_inserted %s, want 3", got)
	}
}

type discardSink struct{}

func (discardSink) Begin(int, bool) error { return nil }
func (discardSink) Line([]byte) error     { return nil }
