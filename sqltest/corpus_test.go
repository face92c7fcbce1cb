package sqltest

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/pgtest"
)

// corpusDir is the shared sqllogictest corpus, beside the repository.
const corpusDir = "../../shared/sqllogictest/sqlite"

var rewriteBaseline = flag.Bool("rewrite-baseline", false, "record the current failure counts in testdata/baseline.txt")

// ciSelection is the part of the corpus every test run covers: the classic
// core, the language evidence and one file of each generated kind.
var ciSelection = []string{
	"select1.test", "select2.test", "select3.test", "select4.test", "select5.test",
	"evidence",
	"index/between/1/slt_good_0.test",
	"index/commute/10/slt_good_0.test",
	"index/delete/10/slt_good_0.test",
	"index/in/10/slt_good_3.test",
	"index/orderby/10/slt_good_0.test",
	"index/random/10/slt_good_0.test",
	"index/view/10/slt_good_1.test",
	"random/aggregates/slt_good_0.test",
	"random/expr/slt_good_0.test",
	"random/groupby/slt_good_0.test",
	"random/select/slt_good_0.test",
}

func corpusFiles(t *testing.T) []string {
	t.Helper()
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("the shared corpus is not at %s", corpusDir)
	}
	var paths []string
	for _, p := range ciSelection {
		paths = append(paths, filepath.Join(corpusDir, p))
	}
	files, err := Files(paths)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

const baselinePath = "testdata/baseline.txt"

// readBaseline returns the recorded number of failing records per file.
func readBaseline(t *testing.T) map[string]int {
	t.Helper()
	f, err := os.Open(baselinePath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := make(map[string]int)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, count, ok := strings.Cut(line, " ")
		n, err := strconv.Atoi(strings.TrimSpace(count))
		if !ok || err != nil {
			t.Fatalf("%s: bad line %q", baselinePath, line)
		}
		out[name] = n
	}
	return out
}

// TestCorpus runs the CI selection of the shared corpus on embedded cairn.
// A file may not fail more records than testdata/baseline.txt records for
// it: conformance only moves forward. Fewer failures are reported so the
// baseline can be lowered (-rewrite-baseline).
func TestCorpus(t *testing.T) {
	files := corpusFiles(t)
	baseline := readBaseline(t)
	r := &Runner{}
	sum := r.Run(context.Background(), files, Embedded{}, nil)
	var lines []string
	for _, f := range sum.Files {
		name, _ := filepath.Rel(corpusDir, f.File)
		if f.Err != nil {
			t.Errorf("%s: %v", name, f.Err)
			continue
		}
		lines = append(lines, fmt.Sprintf("%s %d", name, f.Failed))
		want, ok := baseline[name]
		switch {
		case !ok && !*rewriteBaseline:
			t.Errorf("%s: not in %s (run with -rewrite-baseline)", name, baselinePath)
		case f.Failed > want && !*rewriteBaseline:
			t.Errorf("%s: %d records fail, the baseline allows %d; first failures:", name, f.Failed, want)
			for i, fail := range f.Failures {
				if i == 5 {
					break
				}
				t.Log(fail)
			}
		case f.Failed < want:
			t.Logf("%s: %d records fail, fewer than the baseline's %d: lower it", name, f.Failed, want)
		}
	}
	p, fl, s := sum.Totals()
	t.Logf("%d passed, %d failed, %d skipped", p, fl, s)
	if *rewriteBaseline {
		sort.Strings(lines)
		content := "# Failing records per corpus file on embedded cairn; TestCorpus fails when a\n# file fails more. Regenerate with: go test ./sqltest -run TestCorpus -rewrite-baseline\n" +
			strings.Join(lines, "\n") + "\n"
		if err := os.WriteFile(baselinePath, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCorpusOnPostgres runs part of the corpus on PostgreSQL 15 with the
// same runner: the reference engine passing it shows the runner reads and
// formats results as the format defines.
func TestCorpusOnPostgres(t *testing.T) {
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("the shared corpus is not at %s", corpusDir)
	}
	srv := pgtest.Start(t)
	files := []string{
		filepath.Join(corpusDir, "select1.test"),
		filepath.Join(corpusDir, "select4.test"),
		filepath.Join(corpusDir, "random/aggregates/slt_good_0.test"),
		filepath.Join(corpusDir, "index/orderby/10/slt_good_0.test"),
	}
	r := &Runner{}
	sum := r.Run(context.Background(), files, Remote{URL: srv.URL()}, nil)
	for _, f := range sum.Files {
		if f.Err != nil {
			t.Errorf("%s: %v", f.File, f.Err)
		}
		if f.Failed > 0 {
			t.Errorf("%s: %d records fail on PostgreSQL; first: %v", f.File, f.Failed, f.Failures[0])
		}
		if f.Passed == 0 {
			t.Errorf("%s: nothing passed", f.File)
		}
	}
}

// TestDirectivesOverWire runs the runner's own test file against
// PostgreSQL too: the records marked to fail must fail there as well.
func TestDirectivesOnPostgres(t *testing.T) {
	srv := pgtest.Start(t)
	const path = "testdata/directives.slt"
	r := &Runner{Engines: []string{"postgresql"}}
	res := r.RunFile(context.Background(), path, Remote{URL: srv.URL()})
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	var failed []int
	for _, f := range res.Failures {
		failed = append(failed, f.Line)
	}
	sort.Ints(failed)
	want := expectedFailures(t, path)
	// "onlyif cairn" is skipped on an engine named only postgresql.
	if !equalInts(failed, want) || res.Skipped != 3 {
		for _, f := range res.Failures {
			t.Log(f)
		}
		t.Fatalf("failed lines %v (want %v), skipped %d (want 3)", failed, want, res.Skipped)
	}
}
