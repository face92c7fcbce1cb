package sqltest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Runner runs test files.
type Runner struct {
	// Engines are the names skipif/onlyif conditions match.
	Engines []string
	// StatementTimeout bounds each record; default 10 s.
	StatementTimeout time.Duration
	// Trace, when set, receives each record's file:line before it runs.
	Trace io.Writer
}

// Failure is one failed record.
type Failure struct {
	File    string
	Line    int
	SQL     string
	Message string
}

func (f Failure) String() string {
	return fmt.Sprintf("%s:%d: %s\n    %s", f.File, f.Line, f.Message, strings.ReplaceAll(f.SQL, "\n", "\n    "))
}

// FileResult counts the outcomes of one file.
type FileResult struct {
	File                    string
	Passed, Failed, Skipped int
	Failures                []Failure
	Duration                time.Duration
	// Err is set when the file could not be run at all.
	Err error
}

func (r *Runner) engines() []string {
	if len(r.Engines) == 0 {
		return []string{"postgresql", "cairn"}
	}
	return r.Engines
}

func (r *Runner) timeout() time.Duration {
	if r.StatementTimeout <= 0 {
		return 10 * time.Second
	}
	return r.StatementTimeout
}

// applies evaluates a record's conditions for this runner's engines.
func (r *Runner) applies(conds []Condition) bool {
	for _, c := range conds {
		match := false
		for _, e := range r.engines() {
			match = match || strings.EqualFold(e, c.Engine)
		}
		if c.Skip && match {
			return false
		}
		if !c.Skip && !match {
			return false
		}
	}
	return true
}

// RunFile runs one file in a fresh database of target.
func (r *Runner) RunFile(ctx context.Context, path string, target Target) (res FileResult) {
	start := time.Now()
	res.File = path
	recs, err := ParseFile(path)
	if err != nil {
		res.Err = err
		return res
	}
	conn, err := target.Open(ctx)
	if err != nil {
		res.Err = fmt.Errorf("opening %s: %w", target.Name(), err)
		return res
	}
	defer func() {
		if err := conn.Close(); err != nil && res.Err == nil {
			res.Err = fmt.Errorf("closing: %w", err)
		}
		res.Duration = time.Since(start)
	}()
	threshold := 0
	labels := make(map[string]string)
	for _, rec := range recs {
		if !r.applies(rec.Conditions) {
			if rec.Kind == KindStatement || rec.Kind == KindQuery {
				res.Skipped++
			}
			continue
		}
		switch rec.Kind {
		case KindHalt:
			return res
		case KindHashThreshold:
			threshold = rec.Threshold
			continue
		}
		if r.Trace != nil {
			fmt.Fprintf(r.Trace, "%s:%d\n", path, rec.Line)
		}
		msg := r.runRecord(ctx, conn, rec, threshold, labels)
		if msg == "" {
			res.Passed++
			continue
		}
		res.Failed++
		res.Failures = append(res.Failures, Failure{File: path, Line: rec.Line, SQL: rec.SQL, Message: msg})
		if ctx.Err() != nil {
			return res
		}
	}
	return res
}

// runRecord runs one record and returns "" on success or what went wrong.
func (r *Runner) runRecord(ctx context.Context, conn Conn, rec Record, threshold int, labels map[string]string) string {
	ctx, cancel := context.WithTimeout(ctx, r.timeout())
	defer cancel()
	if rec.Kind == KindStatement {
		err := conn.Exec(ctx, rec.SQL)
		switch {
		case ctx.Err() == context.DeadlineExceeded:
			return fmt.Sprintf("statement took longer than %v", r.timeout())
		case rec.ExpectError && err == nil:
			return "statement succeeded, expected an error"
		case !rec.ExpectError && err != nil:
			return "statement failed: " + err.Error()
		}
		return ""
	}
	rows, err := conn.Query(ctx, rec.SQL)
	if ctx.Err() == context.DeadlineExceeded {
		return fmt.Sprintf("query took longer than %v", r.timeout())
	}
	if err != nil {
		return "query failed: " + err.Error()
	}
	for _, row := range rows {
		if len(row) != len(rec.Types) {
			return fmt.Sprintf("query returned %d columns, expected %d", len(row), len(rec.Types))
		}
	}
	values := formatResult(rows, rec.Types, rec.Sort)
	got := values
	if threshold > 0 && len(values) > threshold {
		got = []string{hashLine(values)}
	}
	if rec.Label != "" {
		h := hashValues(values)
		if prev, ok := labels[rec.Label]; ok && prev != h {
			return fmt.Sprintf("result differs from earlier queries labelled %q", rec.Label)
		}
		labels[rec.Label] = h
	}
	if rec.Expected == nil && rec.Label != "" {
		return ""
	}
	want := rec.Expected
	if len(want) == 1 && strings.Contains(want[0], " values hashing to ") {
		got = []string{hashLine(values)}
	}
	if !equalStrings(got, want) {
		return "wrong result:\n" + diffLines(want, got)
	}
	return ""
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// diffLines shows expected and actual values side by side, briefly.
func diffLines(want, got []string) string {
	const max = 12
	var b strings.Builder
	n := len(want)
	if len(got) > n {
		n = len(got)
	}
	shown := 0
	for i := 0; i < n && shown < max; i++ {
		w, g := "<none>", "<none>"
		if i < len(want) {
			w = want[i]
		}
		if i < len(got) {
			g = got[i]
		}
		if w == g {
			continue
		}
		fmt.Fprintf(&b, "    value %d: expected %q, got %q\n", i+1, w, g)
		shown++
	}
	fmt.Fprintf(&b, "    (%d values expected, %d returned)", len(want), len(got))
	return b.String()
}

// Files expands paths (files or directories, searched recursively for
// *.test and *.slt files) into a sorted list.
func Files(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			out = append(out, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && (strings.HasSuffix(path, ".test") || strings.HasSuffix(path, ".slt")) {
				out = append(out, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(out)
	return out, nil
}

// ErrFailed is returned by Run when any record failed.
var ErrFailed = errors.New("sqltest: some records failed")
