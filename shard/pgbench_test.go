package shard

import (
	"context"
	"fmt"
	"net"
	oexec "os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// findPgbench is pgbench from PATH or PostgreSQL's usual places.
func findPgbench(t *testing.T) string {
	t.Helper()
	if p, err := oexec.LookPath("pgbench"); err == nil {
		return p
	}
	for _, v := range []string{"17", "16", "15", "14"} {
		p := "/usr/lib/postgresql/" + v + "/bin/pgbench"
		if _, err := oexec.LookPath(p); err == nil {
			return p
		}
	}
	t.Skip("pgbench is not installed (apt-get install postgresql-client)")
	return ""
}

// TestClusterPgbench runs pgbench through the coordinator of a three-node
// cluster with its four tables distributed on their ids (history on aid):
// pgbench -i creates the tables, they are distributed, pgbench -i loads
// them (TRUNCATE and COPY FROM STDIN in one distributed transaction),
// VACUUMs them and adds the primary keys; then the TPC-B-like script,
// whose every transaction updates rows on up to three nodes and commits
// with two-phase commit, runs with four clients in simple, prepared and
// extended query mode. No transaction may fail, the rows must be spread over every
// node, the balances must add up to the deltas of the history, and no
// transaction may be left prepared.
func TestClusterPgbench(t *testing.T) {
	pgbench := findPgbench(t)
	if testing.Short() {
		t.Skip("runs pgbench for several seconds")
	}
	tc := startCluster(t, 3, nil)
	host, port, _ := net.SplitHostPort(tc.addr)
	conn := []string{"-h", host, "-p", port, "-U", "postgres", "postgres"}
	run := func(args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		out, err := oexec.CommandContext(ctx, pgbench, append(args, conn...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("pgbench %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	c := tc.connect(t)
	ctx := context.Background()

	run("-i", "-I", "dt")
	for _, d := range []struct{ table, column string }{
		{"pgbench_accounts", "aid"}, {"pgbench_branches", "bid"}, {"pgbench_tellers", "tid"}, {"pgbench_history", "aid"},
	} {
		mustExec(t, c, fmt.Sprintf("SELECT create_distributed_table('%s', '%s')", d.table, d.column))
	}
	run("-i", "-I", "gvp", "-s", "1")

	var accounts int64
	if err := c.QueryRow(ctx, "SELECT count(*) FROM pgbench_accounts").Scan(&accounts); err != nil || accounts != 100000 {
		t.Fatalf("pgbench_accounts has %d rows (%v), want 100000", accounts, err)
	}
	for _, n := range tc.nodes {
		var part int64
		if err := n.connect(t).QueryRow(ctx, "SELECT count(*) FROM pgbench_accounts").Scan(&part); err != nil {
			t.Fatal(err)
		}
		// 64 shards on three nodes: each has several, a fair share is
		// a third.
		if part < accounts/10 || part > accounts*2/3 {
			t.Errorf("node %s holds %d of %d accounts", n.id, part, accounts)
		}
	}

	var history int64
	for _, mode := range []struct {
		name string
		args []string
	}{
		// The first run VACUUMs the tables and TRUNCATEs the history
		// first; the others keep the history (-n), so that it holds
		// every delta the balances hold.
		{"simple", []string{"-c", "4", "-j", "2", "-t", "200"}},
		{"prepared", []string{"-M", "prepared", "-n", "-c", "4", "-j", "2", "-t", "200"}},
		{"extended", []string{"-M", "extended", "-n", "-c", "4", "-j", "2", "-t", "100"}},
	} {
		out := run(mode.args...)
		if !strings.Contains(out, "number of failed transactions: 0 ") {
			t.Fatalf("%s: pgbench run had failures:\n%s", mode.name, out)
		}
		m := regexp.MustCompile(`number of transactions actually processed: (\d+)/(\d+)`).FindStringSubmatch(out)
		if m == nil || m[1] != m[2] || m[1] == "0" {
			t.Fatalf("%s: pgbench did not process every transaction:\n%s", mode.name, out)
		}
		done, _ := strconv.ParseInt(m[1], 10, 64)
		history += done
		t.Logf("%s: %s", mode.name, regexp.MustCompile(`tps = [0-9.]+`).FindString(out))

		var rows, abalance, bbalance, tbalance, delta int64
		for _, q := range []struct {
			sql string
			to  *int64
		}{
			{"SELECT count(*) FROM pgbench_history", &rows},
			{"SELECT sum(delta) FROM pgbench_history", &delta},
			{"SELECT sum(abalance) FROM pgbench_accounts", &abalance},
			{"SELECT sum(bbalance) FROM pgbench_branches", &bbalance},
			{"SELECT sum(tbalance) FROM pgbench_tellers", &tbalance},
		} {
			if err := c.QueryRow(ctx, q.sql).Scan(q.to); err != nil {
				t.Fatalf("%s: %v", q.sql, err)
			}
		}
		if rows != history {
			t.Errorf("%s: pgbench_history has %d rows, pgbench committed %d transactions", mode.name, rows, history)
		}
		if abalance != delta || bbalance != delta || tbalance != delta {
			t.Errorf("%s: balances disagree: accounts %d, branches %d, tellers %d, history deltas %d", mode.name, abalance, bbalance, tbalance, delta)
		}
	}
	for _, n := range tc.nodes {
		var prepared int64
		if err := n.connect(t).QueryRow(ctx, "SELECT count(*) FROM pg_prepared_xacts").Scan(&prepared); err != nil || prepared != 0 {
			t.Errorf("node %s: %d prepared transactions left (%v)", n.id, prepared, err)
		}
	}
}
