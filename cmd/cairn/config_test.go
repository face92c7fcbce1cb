package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestServeConfigFile: serve reads cairn.conf from the data directory and
// -c flags; SHOW and pg_settings show the values with their source; after
// the file changes, SIGHUP and pg_reload_conf() give new sessions the new
// values while -c still wins; a file with an error changes nothing.
func TestServeConfigFile(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "cairn.conf")
	write := func(text string) {
		t.Helper()
		if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("# server settings\nstatement_timeout = '30s'  # a comment\nwork_mem 8MB\nlock_timeout = 1s\nmax_connections = 20\n")
	s := startServer(t, dir, "--socket-dir", "", "-c", "lock_timeout=5s")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	type row struct {
		setting, source, file string
		line                  int
	}
	look := func(name string) row {
		t.Helper()
		conn, err := pgx.Connect(ctx, s.url)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		var show string
		if err := conn.QueryRow(ctx, "SHOW "+name).Scan(&show); err != nil {
			t.Fatal(err)
		}
		var r row
		var file *string
		var line *int32
		if err := conn.QueryRow(ctx, "SELECT setting, source, sourcefile, sourceline FROM pg_settings WHERE name = $1", name).
			Scan(&r.setting, &r.source, &file, &line); err != nil {
			t.Fatal(err)
		}
		if show != r.setting {
			t.Errorf("SHOW %s = %q, pg_settings says %q", name, show, r.setting)
		}
		if file != nil {
			r.file = *file
		}
		if line != nil {
			r.line = int(*line)
		}
		return r
	}
	check := func(stage, name string, want row) {
		t.Helper()
		if got := look(name); got != want {
			t.Errorf("%s: %s = %+v, want %+v", stage, name, got, want)
		}
	}
	check("start", "statement_timeout", row{"30s", "configuration file", conf, 2})
	check("start", "work_mem", row{"8MB", "configuration file", conf, 3})
	check("start", "lock_timeout", row{"5s", "command line", "", 0})
	check("start", "max_connections", row{"20", "configuration file", conf, 5})

	write("statement_timeout = 1min\nlock_timeout = 2s\nmax_connections = 30\n")
	if err := s.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for look("statement_timeout").setting != "1min" && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	check("after SIGHUP", "statement_timeout", row{"1min", "configuration file", conf, 1})
	check("after SIGHUP", "work_mem", row{"4MB", "default", "", 0})
	check("after SIGHUP", "lock_timeout", row{"5s", "command line", "", 0})
	// max_connections changes only with a restart: the reload keeps it.
	check("after SIGHUP", "max_connections", row{"20", "configuration file", conf, 5})

	reload := func() {
		t.Helper()
		conn, err := pgx.Connect(ctx, s.url)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		var ok bool
		if err := conn.QueryRow(ctx, "SELECT pg_reload_conf()").Scan(&ok); err != nil || !ok {
			t.Fatalf("pg_reload_conf() = %v, %v", ok, err)
		}
	}
	write("statement_timeout = 2min\n")
	reload()
	check("after pg_reload_conf", "statement_timeout", row{"2min", "configuration file", conf, 1})

	write("statement_timeout = 3min\nno_such_setting = 1\n")
	reload()
	check("after a bad file", "statement_timeout", row{"2min", "configuration file", conf, 1})

	// pg_file_settings reads the file as it is now.
	conn, err := pgx.Connect(ctx, s.url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, "SELECT sourcefile, sourceline, seqno, name, setting, applied, coalesce(error, '') FROM pg_file_settings")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var file, name, setting, errText string
		var line, seqno int32
		var applied bool
		if err := rows.Scan(&file, &line, &seqno, &name, &setting, &applied, &errText); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s:%d #%d %s=%s applied=%v %s", filepath.Base(file), line, seqno, name, setting, applied, errText))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want := []string{"cairn.conf:1 #1 statement_timeout=3min applied=true ",
		`cairn.conf:2 #2 no_such_setting=1 applied=false unrecognized configuration parameter "no_such_setting"`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("pg_file_settings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestServeConfigFileRefused: serve refuses to start with a configuration
// file it cannot apply, naming the file and line.
func TestServeConfigFileRefused(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"work_mem = 4MB\nno_such_setting = 1\n", `unrecognized configuration parameter "no_such_setting" in file "%s" line 2`},
		{"\n\nstatement_timeout = 'soon'\n", `in file "%s" line 3`},
		{"work_mem = 4MB junk\n", `syntax error in file "%s" line 1, near token "junk"`},
	} {
		conf := filepath.Join(t.TempDir(), "bad.conf")
		if err := os.WriteFile(conf, []byte(tc.text), 0o600); err != nil {
			t.Fatal(err)
		}
		out := refused(t, "serve", "--listen", fmt.Sprintf("127.0.0.1:%d", freePort(t)), "--data", ":memory:", "--socket-dir", "", "--config", conf)
		if want := fmt.Sprintf(tc.want, conf); !strings.Contains(out, want) {
			t.Errorf("config %q: output %q, want it to contain %q", tc.text, out, want)
		}
	}
}
