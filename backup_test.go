package cairn_test

import (
	"context"
	dbsql "database/sql"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/cairndb/cairn"
	"github.com/cairndb/cairn/internal/vfs"
)

// bank is a bank-transfer workload: accounts whose balances several
// goroutines move money between; the sum never changes.
type bank struct {
	db       *dbsql.DB
	accounts int
	// pause, held for writing, stops the transfers between two
	// transactions (each transfer holds it for reading).
	pause     sync.RWMutex
	transfers atomic.Int64
}

const bankStart = 1000

func newBank(t *testing.T, db *cairn.DB, accounts int) *bank {
	t.Helper()
	b := &bank{db: dbsql.OpenDB(cairn.NewConnector(db)), accounts: accounts}
	t.Cleanup(func() { b.db.Close() })
	if _, err := b.db.Exec("CREATE TABLE acct (id int PRIMARY KEY, balance int NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.db.Exec(fmt.Sprintf("INSERT INTO acct SELECT g, %d FROM generate_series(1, %d) g", bankStart, accounts)); err != nil {
		t.Fatal(err)
	}
	return b
}

// run starts workers goroutines moving money until stop is closed; the
// returned function waits for them and returns the first error.
func (b *bank) run(workers int, seed int64, stop <-chan struct{}) func() error {
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(r *rand.Rand) {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				from, to := r.Intn(b.accounts)+1, r.Intn(b.accounts)+1
				if from == to {
					continue
				}
				if err := b.transfer(min(from, to), max(from, to), r.Intn(50)-25); err != nil {
					errs <- err
					return
				}
			}
		}(rand.New(rand.NewSource(seed + int64(w))))
	}
	return func() error {
		wg.Wait()
		close(errs)
		return <-errs
	}
}

// transfer moves amount from account a to account b (a < b: locks are
// taken in id order, so transfers do not deadlock).
func (b *bank) transfer(a, c, amount int) error {
	b.pause.RLock()
	defer b.pause.RUnlock()
	tx, err := b.db.Begin()
	if err != nil {
		return err
	}
	if _, err := tx.Exec("UPDATE acct SET balance = balance - $1 WHERE id = $2", amount, a); err != nil {
		tx.Rollback()
		return err
	}
	if _, err := tx.Exec("UPDATE acct SET balance = balance + $1 WHERE id = $2", amount, c); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	b.transfers.Add(1)
	return nil
}

// balances reads every balance, in id order, as one string.
func balances(t *testing.T, q interface {
	Query(string, ...any) (*dbsql.Rows, error)
}) string {
	t.Helper()
	rows, err := q.Query("SELECT id, balance FROM acct ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out strings.Builder
	for rows.Next() {
		var id, bal int
		if err := rows.Scan(&id, &bal); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&out, "%d:%d ", id, bal)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// openChecked opens dir, checks it as `cairn check` does and returns it
// with a database/sql handle on it.
func openChecked(t *testing.T, dir string) (*cairn.DB, *dbsql.DB) {
	t.Helper()
	db, err := cairn.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Check(); err != nil {
		t.Fatalf("check of %s: %v", dir, err)
	}
	sdb := dbsql.OpenDB(cairn.NewConnector(db))
	t.Cleanup(func() {
		sdb.Close()
		db.Close()
	})
	return db, sdb
}

func waitTransfers(b *bank, n int64) {
	for target := b.transfers.Load() + n; b.transfers.Load() < target; {
		time.Sleep(time.Millisecond)
	}
}

// TestBackupUnderLoad: a backup taken while transfers run (and while
// checkpoints and compactions replace the tables it copies) restores to a
// database that passes the check and holds the bank's invariant, at the
// revision the label records.
func TestBackupUnderLoad(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	db, err := cairn.OpenWithOptions(filepath.Join(root, "data"), &cairn.Options{MemtableBytes: 256 << 10})
	if err != nil {
		t.Fatal(err)
	}
	const accounts = 200
	b := newBank(t, db, accounts)
	stop := make(chan struct{})
	wait := b.run(4, 1, stop)
	// Compactions and checkpoints race with the backup's copying.
	churnDone := make(chan error, 1)
	go func() {
		for {
			select {
			case <-stop:
				churnDone <- nil
				return
			default:
			}
			if err := db.Compact(); err != nil {
				churnDone <- err
				return
			}
		}
	}()
	waitTransfers(b, 200)
	rep, err := db.Backup(ctx, filepath.Join(root, "backup"))
	if err != nil {
		t.Fatal(err)
	}
	waitTransfers(b, 100) // the source goes on after the backup
	close(stop)
	if err := wait(); err != nil {
		t.Fatal(err)
	}
	if err := <-churnDone; err != nil {
		t.Fatal(err)
	}
	if rep.EndRevision == 0 || rep.Tables == 0 || rep.Check == "" {
		t.Fatalf("backup report %+v", rep)
	}
	t.Logf("backup: end revision %d, %d tables (%d linked), %d WAL segments, %s", rep.EndRevision, rep.Tables, rep.LinkedTables, rep.WALSegments, rep.Check)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	restored := filepath.Join(root, "restored")
	rr, err := cairn.Restore(ctx, cairn.RestoreOptions{From: filepath.Join(root, "backup"), To: restored})
	if err != nil {
		t.Fatal(err)
	}
	if rr.Revision != rep.EndRevision {
		t.Fatalf("restored to revision %d, the backup ends at %d", rr.Revision, rep.EndRevision)
	}
	rdb, sdb := openChecked(t, restored)
	if got := rdb.Engine().Revision(); got != rep.EndRevision {
		t.Fatalf("restored database at revision %d, want %d", got, rep.EndRevision)
	}
	var n, sum int
	if err := sdb.QueryRow("SELECT count(*), sum(balance) FROM acct").Scan(&n, &sum); err != nil {
		t.Fatal(err)
	}
	if n != accounts || sum != accounts*bankStart {
		t.Fatalf("restored: %d accounts holding %d, want %d holding %d", n, sum, accounts, accounts*bankStart)
	}
	// The source reopens with every transfer, after the backup too.
	src, ssdb := openChecked(t, filepath.Join(root, "data"))
	if src.Engine().Revision() <= rep.EndRevision {
		t.Fatalf("source at revision %d, not past the backup's %d", src.Engine().Revision(), rep.EndRevision)
	}
	if err := ssdb.QueryRow("SELECT sum(balance) FROM acct").Scan(&sum); err != nil || sum != accounts*bankStart {
		t.Fatalf("source: sum %d, %v", sum, err)
	}
}

// snapshotAt reads every balance in a REPEATABLE READ transaction and
// returns them with the revision of its snapshot (pg_export_snapshot
// names it: XID-REVISION in hex).
func snapshotAt(t *testing.T, db *dbsql.DB) (uint64, string) {
	t.Helper()
	tx, err := db.BeginTx(context.Background(), &dbsql.TxOptions{Isolation: dbsql.LevelRepeatableRead})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var id string
	if err := tx.QueryRow("SELECT pg_export_snapshot()").Scan(&id); err != nil {
		t.Fatal(err)
	}
	_, revHex, ok := strings.Cut(id, "-")
	rev, err := strconv.ParseUint(revHex, 16, 64)
	if !ok || err != nil {
		t.Fatalf("snapshot id %q", id)
	}
	return rev, balances(t, tx)
}

// copyRows rows of 1 kB make a COPY that is ingested as a table.
const copyRows = 3000

// TestPointInTimeRestore: with the WAL archived, a backup restores to
// three revisions chosen while transfers ran, and to a time, each
// matching a snapshot read taken at that point on the live database;
// targets before the backup or past the archive are refused.
func TestPointInTimeRestore(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	archive := filepath.Join(root, "archive")
	opts := &cairn.Options{WALArchiveDir: archive, MemtableBytes: 256 << 10}
	cairn.SetWALSegmentBytes(opts, 64<<10)
	db, err := cairn.OpenWithOptions(filepath.Join(root, "data"), opts)
	if err != nil {
		t.Fatal(err)
	}
	b := newBank(t, db, 50)
	stop := make(chan struct{})
	wait := b.run(3, 2, stop)
	waitTransfers(b, 50)
	backup := filepath.Join(root, "backup")
	rep, err := db.Backup(ctx, backup)
	if err != nil {
		t.Fatal(err)
	}
	// A COPY big enough to be ingested as a table, after the backup: with
	// the WAL archived it goes through the WAL, so that replaying the
	// archive finds its rows.
	s, err := db.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var copyData strings.Builder
	for i := 1; i <= copyRows; i++ {
		fmt.Fprintf(&copyData, "%d\t%s\n", i, strings.Repeat("x", 1000))
	}
	for _, q := range []string{"CREATE TABLE big (a int4, b text)", "COPY big FROM STDIN"} {
		ps, err := s.PrepareAll(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if ps[0].CopyFromStdin() {
			_, err = s.CopyIn(ctx, ps[0], copySource{strings.NewReader(copyData.String())})
		} else {
			_, err = s.Execute(ctx, ps[0], nil)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	type point struct {
		rev  uint64
		at   time.Time
		want string
	}
	var points []point
	for i := 0; i < 3; i++ {
		waitTransfers(b, 150)
		rev, want := snapshotAt(t, b.db)
		points = append(points, point{rev: rev, want: want})
	}
	// A time: transfers paused, so the state at that time is one snapshot.
	waitTransfers(b, 100)
	b.pause.Lock()
	rev, want := snapshotAt(t, b.db)
	at := time.Now()
	for !time.Now().After(at.Add(time.Microsecond)) {
	}
	b.pause.Unlock()
	points = append(points, point{rev: rev, at: at, want: want})
	waitTransfers(b, 100)
	close(stop)
	if err := wait(); err != nil {
		t.Fatal(err)
	}
	if err := db.SwitchWAL(); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	for i, p := range points {
		to := filepath.Join(root, fmt.Sprintf("pitr%d", i))
		ro := cairn.RestoreOptions{From: backup, WALArchive: archive, To: to, TargetRevision: p.rev}
		if !p.at.IsZero() {
			ro.TargetRevision, ro.TargetTime = 0, p.at
		}
		rr, err := cairn.Restore(ctx, ro)
		if err != nil {
			t.Fatalf("point %d (revision %d): %v", i, p.rev, err)
		}
		// A time target may take in a commit of the background work
		// (autovacuum) made while the transfers were paused.
		if (rr.Revision != p.rev && p.at.IsZero()) || rr.Revision < p.rev || rr.ArchiveSegments == 0 {
			t.Fatalf("point %d: restored to revision %d with %d archived segments, want revision %d", i, rr.Revision, rr.ArchiveSegments, p.rev)
		}
		rdb, sdb := openChecked(t, to)
		if got := rdb.Engine().Revision(); got != rr.Revision {
			t.Fatalf("point %d: opened at revision %d, want %d", i, got, rr.Revision)
		}
		if got := balances(t, sdb); got != p.want {
			t.Fatalf("point %d (revision %d): restored balances differ from the snapshot read\n got %s\nwant %s", i, p.rev, got, p.want)
		}
		var n int
		if err := sdb.QueryRow("SELECT count(*) FROM big").Scan(&n); err != nil || n != copyRows {
			t.Fatalf("point %d: the ingested COPY restored with %d rows (%v), want %d", i, n, err, copyRows)
		}
		// The restored database takes writes.
		if _, err := sdb.Exec("UPDATE acct SET balance = balance + 1 WHERE id = 1"); err != nil {
			t.Fatal(err)
		}
		t.Logf("point %d: revision %d (%d archived segments, WAL cut at %d)", i, p.rev, rr.ArchiveSegments, rr.StopLSN)
	}

	// An archive missing a segment in the middle.
	gappy := filepath.Join(root, "gappy")
	segs, err := filepath.Glob(filepath.Join(archive, "*.wal"))
	if err != nil || len(segs) < 3 {
		t.Fatalf("archived segments %v, %v", segs, err)
	}
	if err := os.Mkdir(gappy, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, seg := range append(segs[:len(segs)-2:len(segs)-2], segs[len(segs)-1]) {
		data, err := os.ReadFile(seg)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(gappy, filepath.Base(seg)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name string
		ro   cairn.RestoreOptions
		want string
	}{
		{"archive with a gap", cairn.RestoreOptions{WALArchive: gappy, TargetRevision: points[len(points)-1].rev}, "do not join up"},
		{"before the backup", cairn.RestoreOptions{TargetRevision: rep.EndRevision - 1}, "before the end of the backup"},
		{"past the archive", cairn.RestoreOptions{TargetRevision: points[len(points)-1].rev + 1_000_000}, "before the target revision"},
		{"time past the archive", cairn.RestoreOptions{TargetTime: time.Now().Add(time.Hour)}, "before the target time"},
		{"time before the backup", cairn.RestoreOptions{TargetTime: time.Unix(1, 0)}, "before the end of the backup"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.ro.From, tc.ro.To = backup, filepath.Join(root, "refused")
			if tc.ro.WALArchive == "" {
				tc.ro.WALArchive = archive
			}
			_, err := cairn.Restore(ctx, tc.ro)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error saying %q", err, tc.want)
			}
		})
	}
}

// TestRestoreRefusesPartialBackup: a backup directory without its label
// (a backup cut short), or whose label or files were damaged, is refused.
func TestRestoreRefusesPartialBackup(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	db, err := cairn.Open(filepath.Join(root, "data"))
	if err != nil {
		t.Fatal(err)
	}
	newBank(t, db, 10)
	backup := func(name string) string {
		dir := filepath.Join(root, name)
		if _, err := db.Backup(ctx, dir); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	tests := []struct {
		name   string
		damage func(dir string) error
		want   string
	}{
		{"label missing", func(dir string) error { return os.Remove(filepath.Join(dir, "backup_label")) }, "has no backup_label"},
		{"label damaged", func(dir string) error {
			label := filepath.Join(dir, "backup_label")
			data, err := os.ReadFile(label)
			if err != nil {
				return err
			}
			return os.WriteFile(label, []byte(strings.Replace(string(data), "end revision: ", "end revision: 9", 1)), 0o644)
		}, "checksum mismatch"},
		{"table missing", func(dir string) error {
			tables, err := filepath.Glob(filepath.Join(dir, "lsm", "*.sst"))
			if err != nil || len(tables) == 0 {
				return fmt.Errorf("no table in the backup: %v", err)
			}
			return os.Remove(tables[0])
		}, "is missing"},
	}
	dirs := make([]string, len(tests))
	for i := range tests {
		dirs[i] = backup(fmt.Sprintf("backup%d", i))
	}
	if _, err := db.Backup(ctx, dirs[0]); !errors.Is(err, cairn.ErrBackupDirNotEmpty) {
		t.Fatalf("a backup into a used directory: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.damage(dirs[i]); err != nil {
				t.Fatal(err)
			}
			to := filepath.Join(root, fmt.Sprintf("out%d", i))
			_, err := cairn.Restore(ctx, cairn.RestoreOptions{From: dirs[i], To: to})
			if !errors.Is(err, cairn.ErrNotBackup) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want ErrNotBackup saying %q", err, tc.want)
			}
			if _, err := os.Stat(to); !os.IsNotExist(err) {
				t.Fatalf("a refused restore left %s: %v", to, err)
			}
		})
	}
}

// TestBackupFunctions: cairn_backup() writes a verified backup on the
// server and returns its label; only a superuser may call it or
// cairn_switch_wal(), with an absolute path.
func TestBackupFunctions(t *testing.T) {
	root := t.TempDir()
	db, err := cairn.Open(filepath.Join(root, "data"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := newBank(t, db, 5)
	dir := filepath.Join(root, "b")
	var label string
	if err := b.db.QueryRow("SELECT cairn_backup($1)", dir).Scan(&label); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(label, "cairn backup label 1\n") || !strings.Contains(label, "end revision: ") {
		t.Fatalf("label %q", label)
	}
	if _, err := cairn.Restore(context.Background(), cairn.RestoreOptions{From: dir, To: filepath.Join(root, "r")}); err != nil {
		t.Fatal(err)
	}
	conn, err := b.db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, tc := range []struct{ query, arg, code string }{
		{"SELECT cairn_backup($1)", "relative/dir", "42602"},
		{"SELECT cairn_backup($1)", dir, "58030"}, // not empty
		{"CREATE ROLE plain", "", ""},
		{"SET ROLE plain", "", ""},
		{"SELECT cairn_backup($1)", filepath.Join(root, "c"), "42501"},
		{"SELECT cairn_switch_wal()", "", "42501"},
		{"RESET ROLE", "", ""},
		{"SELECT cairn_switch_wal()", "", ""},
	} {
		var args []any
		if tc.arg != "" {
			args = append(args, tc.arg)
		}
		_, err := conn.ExecContext(context.Background(), tc.query, args...)
		if code := pgCode(err); code != tc.code {
			t.Fatalf("%s %q: %v (SQLSTATE %q), want SQLSTATE %q", tc.query, tc.arg, err, code, tc.code)
		}
	}
}

// pgCode returns the SQLSTATE an error carries, "" for nil.
func pgCode(err error) string {
	if err == nil {
		return ""
	}
	var coded interface{ SQLState() string }
	if errors.As(err, &coded) {
		return coded.SQLState()
	}
	return "XX000"
}

// TestBackupFailureLeavesSourceUnharmed: a backup that fails half-way (the
// backup's file system refuses a WAL segment, or its verification) removes
// what it wrote and leaves the source as it was: it takes writes, and
// reopens after a crash with every commit.
func TestBackupFailureLeavesSourceUnharmed(t *testing.T) {
	ctx := context.Background()
	for _, failing := range []string{"b/wal/", "b/verify.tmp/lsm/MANIFEST", "b/backup_label"} {
		t.Run(failing, func(t *testing.T) {
			fs := vfs.NewMem()
			db, err := cairn.OpenWithOptions("data", &cairn.Options{FS: fs})
			if err != nil {
				t.Fatal(err)
			}
			b := newBank(t, db, 20)
			fs.InjectError(func(op vfs.Op, name string) error {
				if op == vfs.OpCreate && strings.HasPrefix(name, failing) {
					return syscall.EIO
				}
				return nil
			})
			if _, err := db.Backup(ctx, "b"); !errors.Is(err, syscall.EIO) {
				t.Fatalf("backup with %s failing: %v", failing, err)
			}
			fs.InjectError(nil)
			if _, err := fs.List("b"); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("the failed backup left b: %v", err)
			}
			if err := b.transfer(1, 2, 5); err != nil {
				t.Fatal(err)
			}
			want := balances(t, b.db)
			fs = fs.CrashClone()
			db2, err := cairn.OpenWithOptions("data", &cairn.Options{FS: fs})
			if err != nil {
				t.Fatal(err)
			}
			defer db2.Close()
			if _, err := db2.Check(); err != nil {
				t.Fatal(err)
			}
			sdb := dbsql.OpenDB(cairn.NewConnector(db2))
			defer sdb.Close()
			if got := balances(t, sdb); got != want {
				t.Fatalf("after the failed backup and a crash:\n got %s\nwant %s", got, want)
			}
			// A backup now succeeds.
			if _, err := db2.Backup(ctx, "b"); err != nil {
				t.Fatal(err)
			}
		})
	}
}
