package cairn_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cairndb/cairn/internal/pgtest"
)

// triggerApp is an application schema with an updated_at trigger, an
// audit trigger writing a history table (with a WHEN condition) and a
// PL/pgSQL function with an exception block.
var triggerApp = []string{
	`create table accounts (id int primary key, owner text not null, balance numeric(12,2) not null default 0, updated_at timestamptz)`,
	`create table account_history (id serial primary key, account_id int, op text not null, old_balance numeric(12,2), new_balance numeric(12,2))`,
	`create function set_updated_at() returns trigger language plpgsql as $$
begin
  new.updated_at := now();
  return new;
end
$$`,
	`create function audit_accounts() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    insert into account_history (account_id, op, old_balance) values (old.id, tg_op, old.balance);
    return old;
  end if;
  insert into account_history (account_id, op, old_balance, new_balance)
    values (new.id, tg_op, case when tg_op = 'UPDATE' then old.balance end, new.balance);
  return new;
end
$$`,
	`create function transfer(src int, dst int, amount numeric) returns text language plpgsql as $$
begin
  update accounts set balance = balance - amount where id = src;
  if (select balance from accounts where id = src) < 0 then
    raise exception 'insufficient funds in %', src using errcode = 'check_violation';
  end if;
  update accounts set balance = balance + amount where id = dst;
  return 'ok';
exception when check_violation then
  return 'refused: ' || sqlerrm;
end
$$`,
	`create trigger accounts_updated_at before insert or update on accounts for each row execute function set_updated_at()`,
	`create trigger accounts_audit after insert or update or delete on accounts for each row when (pg_trigger_depth() < 2) execute function audit_accounts()`,
	`insert into accounts (id, owner, balance) values (1, 'ann', 100), (2, 'bob', 20)`,
}

// triggerWorkload runs against the restored databases; each query's
// rows are compared.
var triggerWorkload = []string{
	`select transfer(1, 2, 30)`,
	`select transfer(2, 1, 500)`,
	`insert into accounts (id, owner) values (3, 'cy') on conflict (id) do update set owner = excluded.owner`,
	`insert into accounts (id, owner) values (3, 'cyd') on conflict (id) do update set owner = excluded.owner returning id, owner, updated_at is not null`,
	`update accounts set balance = balance * 2 where balance > 40 returning id, balance::text`,
	`delete from accounts where id = 2 returning id, owner`,
	`select id, owner, balance::text, updated_at is not null, updated_at <= now() from accounts order by id`,
	`select id, account_id, op, old_balance::text, new_balance::text from account_history order by id`,
}

// TestPgDumpTriggers: PostgreSQL 15's pg_dump of an application schema
// with triggers restores into cairn, cairn dumps it back byte for byte,
// and the same workload gives the same answers in both.
func TestPgDumpTriggers(t *testing.T) {
	if testing.Short() {
		t.Skip("runs pg_dump against PostgreSQL and cairn")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	pg := pgtest.Start(t)
	execAll(ctx, t, pg.URL(), "create database app")
	source := pg.DatabaseURL("app")
	execAll(ctx, t, source, triggerApp...)
	dump := pgDumpURL(ctx, t, source)
	if !strings.Contains(dump, "CREATE TRIGGER accounts_audit AFTER INSERT OR DELETE OR UPDATE ON public.accounts FOR EACH ROW WHEN ((pg_trigger_depth() < 2)) EXECUTE FUNCTION public.audit_accounts();") {
		t.Fatalf("the dump lacks the audit trigger:\n%s", dump)
	}

	restored := startCairnServer(t)
	psqlFile(ctx, t, restored, dump)
	if redump := pgDumpURL(ctx, t, restored); redump != dump {
		t.Errorf("cairn's dump of the restored schema differs:\n%s\nPostgreSQL's:\n%s", redump, dump)
	}

	want := runWorkload(ctx, t, source)
	got := runWorkload(ctx, t, restored)
	for i, q := range triggerWorkload {
		if testing.Verbose() {
			t.Logf("%s: %s", q, got[i])
		}
		if got[i] != want[i] {
			t.Errorf("%s:\ncairn:      %s\nPostgreSQL: %s", q, got[i], want[i])
		}
	}
}

// runWorkload runs triggerWorkload on the database at u and returns
// each statement's rows as text.
func runWorkload(ctx context.Context, t *testing.T, u string) []string {
	t.Helper()
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var out []string
	for _, q := range triggerWorkload {
		rows, err := conn.Query(ctx, q, pgx.QueryExecModeSimpleProtocol)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		var lines []string
		for rows.Next() {
			vals, err := rows.Values()
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			lines = append(lines, fmt.Sprint(vals))
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		out = append(out, strings.Join(lines, "; "))
	}
	return out
}
