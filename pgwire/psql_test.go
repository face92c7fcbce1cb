package pgwire

import (
	"bytes"
	"context"
	"net"
	"os/exec"
	"testing"
	"time"
)

// TestPsql runs the real psql (libpq: SSLRequest, then the startup on the
// same connection) against the fake engine.
func TestPsql(t *testing.T) {
	psql, err := exec.LookPath("psql")
	if err != nil {
		t.Skip("psql not on PATH")
	}
	ts := startServer(t, Options{}, nil)
	host, port, _ := net.SplitHostPort(ts.addr)
	cases := []struct {
		name       string
		args       []string
		wantOut    string
		wantErr    string
		wantFailed bool
	}{
		{"aligned", []string{"-c", "select 1::int4, 'two'::text"},
			" col1 | col2 \n------+------\n    1 | two\n(1 row)\n\n", "", false},
		{"unaligned tuples only", []string{"-A", "-t", "-c", "select generate_series(1, 3)"},
			"1\n2\n3\n", "", false},
		{"error", []string{"-c", "select 1/0"},
			"", "ERROR:  division by zero\n", true},
		{"notice", []string{"-c", "drop table if exists foo"},
			"DROP TABLE\n", "NOTICE:  table \"foo\" does not exist, skipping\n", false},
		{"unknown database", []string{"-d", "nosuchdb", "-c", "select 1::int4"},
			"", "FATAL:  database \"nosuchdb\" does not exist\n", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			args := append([]string{"-X", "-h", host, "-p", port, "-U", "postgres", "-d", "postgres"}, c.args...)
			cmd := exec.CommandContext(ctx, psql, args...)
			cmd.Env = []string{"PGCONNECT_TIMEOUT=10", "PGSSLMODE=prefer", "LC_ALL=C"}
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			if (err != nil) != c.wantFailed {
				t.Errorf("psql exit: %v; stderr %q", err, stderr.String())
			}
			if stdout.String() != c.wantOut {
				t.Errorf("stdout %q, want %q", stdout.String(), c.wantOut)
			}
			if !bytes.HasSuffix(stderr.Bytes(), []byte(c.wantErr)) || c.wantErr == "" && stderr.Len() > 0 {
				t.Errorf("stderr %q, want suffix %q", stderr.String(), c.wantErr)
			}
		})
	}
}
