package shard

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestClusterSettings: SET, RESET and SHOW through the coordinator. The
// session's settings reach every node it uses (a query on a distributed
// table reads them on each node), other sessions sharing the pooled
// connections keep theirs, and in a transaction SET LOCAL ends with it
// while SET lasts only if it commits.
func TestClusterSettings(t *testing.T) {
	ctx := context.Background()
	tc := startCluster(t, 3, &Options{Shards: 8, PoolSize: 2})
	c := tc.connect(t)
	other := tc.connect(t)
	mustExec(t, c, "CREATE TABLE s (id int4 PRIMARY KEY)")
	mustExec(t, c, "SELECT create_distributed_table('s', 'id')")
	for i := 1; i <= 40; i++ {
		mustExec(t, c, "INSERT INTO s VALUES ($1)", i)
	}
	// What every node says (each has some of s's rows), and SHOW.
	check := func(who string, sess *pgx.Conn, want string) {
		t.Helper()
		got := queryStrings(t, sess, "SELECT DISTINCT current_setting('work_mem') FROM s")
		if fmt.Sprint(got) != "["+want+"]" {
			t.Errorf("%s: the nodes have work_mem %v, want %s", who, got, want)
		}
		if got := queryStrings(t, sess, "SHOW work_mem"); fmt.Sprint(got) != "["+want+"]" {
			t.Errorf("%s: SHOW work_mem = %v, want %s", who, got, want)
		}
	}
	def := queryStrings(t, c, "SHOW work_mem")[0]
	a, b := c, other

	mustExec(t, c, "SET work_mem = '7MB'")
	check("after SET", a, "7MB")
	check("another session", b, def)
	check("after the other session", a, "7MB")

	mustExec(t, c, "BEGIN")
	mustExec(t, c, "SET LOCAL work_mem = '9MB'")
	check("SET LOCAL", a, "9MB")
	mustExec(t, c, "COMMIT")
	check("after SET LOCAL's transaction", a, "7MB")

	mustExec(t, c, "BEGIN")
	mustExec(t, c, "SET work_mem = '11MB'")
	check("SET in a transaction", a, "11MB")
	mustExec(t, c, "ROLLBACK")
	check("after ROLLBACK", a, "7MB")
	check("another session after the rollback", b, def)

	mustExec(t, c, "BEGIN")
	mustExec(t, c, "SET work_mem = '12MB'")
	mustExec(t, c, "COMMIT")
	check("after COMMIT", a, "12MB")
	check("another session after the commit", b, def)

	if _, err := c.Exec(ctx, "SET work_mem = 'lots'"); err == nil || !strings.Contains(err.Error(), "22023") {
		t.Errorf("SET of a bad value: %v", err)
	}
	check("after a failed SET", a, "12MB")
	mustExec(t, c, "RESET work_mem")
	check("after RESET", a, def)
	mustExec(t, c, "SET work_mem = '13MB'")
	mustExec(t, c, "DISCARD ALL")
	check("after DISCARD ALL", a, def)
}
