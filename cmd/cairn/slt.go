package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"github.com/cairndb/cairn/sqltest"
)

// errTestsFailed makes the command exit non-zero without another message:
// the totals line already said it.
var errTestsFailed = errors.New("some records failed")

func slt(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("slt", flag.ContinueOnError)
	fs.SetOutput(stderr)
	url := fs.String("url", "", "run against this server (postgres://...) instead of an embedded in-memory cairn")
	junit := fs.String("junit", "", "write a JUnit XML report to FILE")
	failList := fs.String("fail-list", "", "write every failing record (file:line and the difference) to FILE")
	timeout := fs.Duration("timeout", 10*time.Second, "time limit per record")
	trace := fs.Bool("trace", false, "print each record's file:line to stderr before running it")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("slt: give one or more .test files or directories")
	}
	files, err := sqltest.Files(fs.Args())
	if err != nil {
		return err
	}
	var target sqltest.Target = sqltest.Embedded{}
	if *url != "" {
		target = sqltest.Remote{URL: *url}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	r := &sqltest.Runner{StatementTimeout: *timeout}
	if *trace {
		r.Trace = stderr
	}
	sum := r.Run(ctx, files, target, stdout)
	if *junit != "" {
		if err := sum.WriteJUnitFile(*junit); err != nil {
			return fmt.Errorf("writing %s: %w", *junit, err)
		}
	}
	if *failList != "" {
		if err := sum.WriteFailListFile(*failList); err != nil {
			return fmt.Errorf("writing %s: %w", *failList, err)
		}
	}
	sum.WriteTotals(stdout)
	if _, failed, _ := sum.Totals(); failed > 0 {
		return errTestsFailed
	}
	return nil
}

// diff runs the same files on cairn and on PostgreSQL and prints every
// statement whose outcome differs.
func diff(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	pg := fs.String("pg", "", "PostgreSQL server URL (postgres://...), the reference")
	url := fs.String("url", "", "cairn server URL; default: an embedded in-memory cairn")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *pg == "" || fs.NArg() == 0 {
		return errors.New("diff: give --pg URL and one or more .sql, .slt or .test files or directories")
	}
	files, err := sqltest.Files(fs.Args())
	if err != nil {
		return err
	}
	files = append(files, sqlFiles(fs.Args())...)
	var cairnTarget sqltest.Target = sqltest.Embedded{}
	if *url != "" {
		cairnTarget = sqltest.Remote{URL: *url}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var compared, differing int
	for _, f := range files {
		diffs, n, err := sqltest.DiffFile(ctx, f, cairnTarget, sqltest.Remote{URL: *pg})
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		compared += n
		differing += len(diffs)
		for _, d := range diffs {
			fmt.Fprintf(stdout, "%s\n\n", d)
		}
	}
	fmt.Fprintf(stdout, "%d passed, %d failed\n", compared-differing, differing)
	if differing > 0 {
		return errTestsFailed
	}
	return nil
}

// sqlFiles lists the .sql files in the directories among paths; files
// named directly are already in sqltest.Files' list.
func sqlFiles(paths []string) []string {
	var out []string
	for _, p := range paths {
		if info, err := os.Stat(p); err == nil && info.IsDir() {
			matches, _ := filepath.Glob(filepath.Join(p, "*.sql"))
			out = append(out, matches...)
		}
	}
	return out
}
