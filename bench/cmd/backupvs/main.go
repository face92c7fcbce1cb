package main

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/cairndb/cairn/bench/internal/cairnserver"
	"github.com/cairndb/cairn/bench/internal/pgcluster"
	"github.com/cairndb/cairn/bench/internal/runstats"
)

func main() {
	scale := flag.Int("scale", 10, "pgbench scale factor (-s) of the data both servers hold")
	rounds := flag.Int("rounds", 3, "backups per target")
	flag.Parse()
	if *scale <= 0 || *rounds <= 0 {
		fmt.Fprintln(os.Stderr, "backupvs: -scale and -rounds must be positive")
		os.Exit(2)
	}
	if err := run(*scale, *rounds); err != nil {
		fmt.Fprintln(os.Stderr, "backupvs:", err)
		os.Exit(1)
	}
}

// target is a server to back up.
type target struct {
	name   string
	url    string
	backup func(ctx context.Context, dir string) error
}

func run(scale, rounds int) error {
	parent, err := os.MkdirTemp("", "backupvs-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(parent)
	// Not under parent: postgres runs as another user.
	pgDir, err := os.MkdirTemp("", "backupvs-postgres-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(pgDir)
	c, err := pgcluster.Create(pgDir)
	if err != nil {
		return err
	}
	if err := c.Start("fsync=on", "synchronous_commit=on"); err != nil {
		return err
	}
	defer c.Stop()
	bin, err := cairnserver.Build(parent)
	if err != nil {
		return err
	}
	cdir := filepath.Join(parent, "cairn-server")
	if err := os.Mkdir(cdir, 0o700); err != nil {
		return err
	}
	s, err := cairnserver.StartBinary(bin, cdir)
	if err != nil {
		return err
	}
	defer s.Stop()

	targets := []*target{
		{name: "postgres", url: c.URL(), backup: func(ctx context.Context, dir string) error {
			return runCmd(ctx, filepath.Join(pgcluster.BinDir, "pg_basebackup"), "-d", c.URL(), "-D", dir, "-c", "fast", "-X", "stream")
		}},
		{name: "cairn", url: s.URL(), backup: func(ctx context.Context, dir string) error {
			return runCmd(ctx, bin, "backup", "--url", s.URL(), "--to", dir)
		}},
	}
	ctx := context.Background()
	for _, t := range targets {
		start := time.Now()
		if err := runCmd(ctx, filepath.Join(pgcluster.BinDir, "pgbench"), "-i", "-q", "-s", fmt.Sprint(scale), t.url); err != nil {
			return fmt.Errorf("%s: %w", t.name, err)
		}
		fmt.Printf("# %s: pgbench -i -s %d in %.1f s\n", t.name, scale, time.Since(start).Seconds())
	}

	secs := map[string][]float64{}
	sizes := map[string]int64{}
	for r := 0; r < rounds; r++ {
		order := targets
		if r%2 == 1 {
			order = []*target{targets[1], targets[0]}
		}
		for _, t := range order {
			dir := filepath.Join(parent, fmt.Sprintf("backup-%s-%d", t.name, r))
			start := time.Now()
			if err := t.backup(ctx, dir); err != nil {
				return fmt.Errorf("%s: %w", t.name, err)
			}
			d := time.Since(start).Seconds()
			secs[t.name] = append(secs[t.name], d)
			size, err := dirBytes(dir)
			if err != nil {
				return err
			}
			sizes[t.name] = size
			fmt.Printf("# round %d %s: %.3f s, %d MB\n", r+1, t.name, d, size>>20)
			if err := os.RemoveAll(dir); err != nil {
				return err
			}
		}
	}
	pg, cr := runstats.Median(secs["postgres"]), runstats.Median(secs["cairn"])
	fmt.Printf("\n| scale | postgres s (spread) | cairn s (spread) | ratio pg/cairn | postgres MB | cairn MB |\n|---|---|---|---|---|---|\n")
	fmt.Printf("| %d | %.3f %s | %.3f %s | %.2f | %d | %d |\n", scale, pg, runstats.Spread(secs["postgres"]),
		cr, runstats.Spread(secs["cairn"]), pg/cr, sizes["postgres"]>>20, sizes["cairn"]>>20)
	fmt.Println("\npg_basebackup copies every file over the replication protocol; cairn hard-links its tables (same file system),")
	fmt.Println("copies the WAL and verifies the copy by restoring and checking it. Sizes count hard-linked files in full.")
	return nil
}

func runCmd(ctx context.Context, prog string, args ...string) error {
	cmd := exec.CommandContext(ctx, prog, args...)
	cmd.Env = append(os.Environ(), "PGSSLMODE=disable")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s %s: %w\n%s", filepath.Base(prog), strings.Join(args, " "), err, out)
	}
	return nil
}

// dirBytes sums the sizes of the files under dir.
func dirBytes(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err == nil {
			n += info.Size()
		}
		return err
	})
	return n, err
}
