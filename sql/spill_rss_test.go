package sql

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// The peak memory test runs each operation in a child process (this test
// binary again), so that the peak resident set it reads from
// /proc/self/status is the operation's alone.

const spillRSSEnv = "CAIRN_SPILL_RSS_OP"

// spillRSSNoSpillEnv, set when the test runs, makes the children run with
// a work_mem that never spills: the test must then fail.
const spillRSSNoSpillEnv = "CAIRN_SPILL_RSS_NOSPILL"

// spillRSSWorkMem is the child's work_mem; its data is about 25 times
// that (the sort's rows estimate 150 bytes each, 360,000 of them).
const spillRSSWorkMem = 2 << 20

// spillRSSSource makes the rows without a table: a join of two recursive
// queries of 600 rows, which streams, so that nothing but the operation
// under test holds them.
const spillRSSSource = `WITH RECURSIVE a(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM a WHERE i < 600),
	b(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM b WHERE j < 600),
	rows AS (SELECT i * 1000 + j AS id, md5((i * 1000 + j)::text) || repeat('x', 60) AS v FROM a, b),
	rows2 AS (SELECT i * 1000 + j AS id, md5((i * 1000 + j)::text) || repeat('y', 60) AS v FROM a, b) `

var spillRSSQueries = map[string]string{
	"sort":       spillRSSSource + "SELECT count(*), sum(length(v)) FROM (SELECT v FROM rows ORDER BY v DESC) s",
	"aggregate":  spillRSSSource + "SELECT count(*), sum(c) FROM (SELECT v, count(*) AS c FROM rows GROUP BY v) s",
	"distinct":   spillRSSSource + "SELECT count(*) FROM (SELECT DISTINCT v FROM rows) s",
	"join":       spillRSSSource + "SELECT count(*), count(r.id) FROM rows l LEFT JOIN rows2 r ON left(l.v, 32) = left(r.v, 32)",
	"inner join": spillRSSSource + "SELECT count(*), sum(r.id) FROM rows l JOIN rows2 r ON left(l.v, 32) = left(r.v, 32)",
}

// procStatusKB reads a field of /proc/self/status, in kB.
func procStatusKB(field string) (int64, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			return strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
		}
	}
	return 0, fmt.Errorf("no %s in /proc/self/status", field)
}

// TestSpillPeakRSS runs a sort, a hash aggregate, DISTINCT, an outer and
// an inner hash join over about 25 times work_mem (2MB) and checks that the process's peak
// resident set grew by less than twice work_mem plus a fixed overhead
// over its size before the query.
//
// The overhead: with GOGC at 100 the Go heap grows to twice what is live
// before a collection, so the live heap the engine had before the query
// (about 19MB, measured in the child as HeapAlloc after a collection) can
// be there twice; it is allowed once more. Beside it, 32MB for what is
// not the operation's state: the garbage of the rows streaming past and
// of the records read and written, which the collector frees only at its
// heap goal and later still on a loaded machine (it runs beside the
// query), file buffers, goroutine stacks and the runtime's own
// structures. Measured, the queries grow the resident set by 12 to 45MB
// when they spill, and by 99 to 310MB with spilling off (run the test
// with CAIRN_SPILL_RSS_NOSPILL set to see it fail).
func TestSpillPeakRSS(t *testing.T) {
	if op := os.Getenv(spillRSSEnv); op != "" {
		spillRSSChild(t, op)
		return
	}
	if _, err := procStatusKB("VmHWM"); err != nil {
		t.Skipf("no peak resident set to read: %v", err)
	}
	if testing.Short() {
		t.Skip("runs five child processes")
	}
	for _, op := range []string{"sort", "aggregate", "distinct", "join", "inner join"} {
		t.Run(op, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestSpillPeakRSS$", "-test.count=1")
			cmd.Env = append(os.Environ(), spillRSSEnv+"="+op)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("child: %v\n%s", err, out)
			}
			var base, heap, peak, files int64
			var result string
			for _, line := range strings.Split(string(out), "\n") {
				if rest, ok := strings.CutPrefix(line, "spill-rss "); ok {
					if _, err := fmt.Sscanf(rest, "base=%d heap=%d peak=%d files=%d result=%s", &base, &heap, &peak, &files, &result); err != nil {
						t.Fatalf("child said %q: %v", line, err)
					}
				}
			}
			if peak == 0 {
				t.Fatalf("child reported nothing:\n%s", out)
			}
			const workMemKB = spillRSSWorkMem >> 10
			allowed := base + 2*workMemKB + heap + 32<<10
			t.Logf("%s: resident %d kB before, peak %d kB (+%d kB), live heap before %d kB, allowed %d kB, %d temporary files, result %s",
				op, base, peak, peak-base, heap, allowed, files, result)
			if files == 0 {
				t.Errorf("%s wrote no temporary file", op)
			}
			if peak > allowed {
				t.Errorf("%s: peak resident set %d kB, more than %d kB before + 2 x work_mem + %d kB heap + 32MB", op, peak, base, heap)
			}
		})
	}
}

// spillRSSChild runs op and prints its memory figures.
func spillRSSChild(t *testing.T, op string) {
	e, dir := newSpillEngine(t)
	s := newTestSession(t, e)
	workMem := fmt.Sprintf("%dkB", spillRSSWorkMem>>10)
	if os.Getenv(spillRSSNoSpillEnv) != "" {
		// work_mem so high that nothing spills, to see the test fail.
		workMem = "2GB"
	}
	mustRun(t, s, fmt.Sprintf("SET work_mem = '%s'", workMem))
	query := spillRSSQueries[op]
	// The same query over a few rows first, so that the code it runs is
	// loaded before the baseline is taken.
	mustRun(t, s, strings.ReplaceAll(query, "< 600", "< 10"))
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base, err := procStatusKB("VmRSS")
	if err != nil {
		t.Fatal(err)
	}
	res := mustRun(t, s, query)
	peak, err := procStatusKB("VmHWM")
	if err != nil {
		t.Fatal(err)
	}
	if left := tempFilesIn(t, dir); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	lines := resultLines(res)
	fmt.Printf("spill-rss base=%d heap=%d peak=%d files=%d result=%s\n", base, ms.HeapAlloc>>10, peak, tempFilesCount(t, s), strings.Join(lines, ";"))
}
