package cairn_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cairndb/cairn/internal/pgtest"
	"github.com/cairndb/cairn/pgwire"
)

// TestWireErrorFields compares the object fields of ErrorResponse
// (schema, table, column, constraint and data type names) that
// PostgreSQL 15 and cairn send for integrity errors.
func TestWireErrorFields(t *testing.T) {
	if testing.Short() {
		t.Skip("runs against PostgreSQL")
	}
	pg := pgtest.Start(t)
	_, addr, _ := serveWire(t, openMemoryDB(t), pgwire.Options{})
	want := errorFieldsScenario(t, pg.URL())
	got := errorFieldsScenario(t, wireURL(addr))
	for i := range want {
		if i >= len(got) || got[i] != want[i] {
			t.Errorf("\n got  %s\n want %s", at(got, i), want[i])
		}
	}
}

func errorFieldsScenario(t *testing.T, url string) []string {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c := dialDB(t, url)
	for _, q := range []string{
		"create domain posint as int check (value > 0)",
		"create domain nn as text not null",
		"create table parent (id int primary key, code text unique, n int check (n < 10), v text not null)",
		"create table child (id int, pid int references parent (id), d posint)",
		"insert into parent values (1, 'a', 1, 'x')",
		"insert into child values (1, 1, 1)",
		"insert into child values (3, 1, 1)",
	} {
		pgxExec(t, c, q)
	}
	var out []string
	for _, q := range []string{
		"insert into parent values (1, 'b', 1, 'x')",
		"insert into parent values (2, 'a', 1, 'x')",
		"insert into parent values (2, 'b', 11, 'x')",
		"insert into parent values (2, 'b', 1, null)",
		"update parent set v = null",
		"insert into child values (2, 7, 1)",
		"delete from parent",
		"update parent set id = 5",
		"insert into child values (2, 1, 0)",
		"select (-1)::posint",
		"select null::nn",
		"alter table parent add constraint small check (n < 0)",
		"alter table child alter column pid set not null",
		"update child set d = -5",
		"insert into parent values (1, 'z', 1, 'x') on conflict (code) do nothing",
		"insert into parent select 3, 'a', 1, 'x'",
		"insert into parent (id, code, n) values (4, 'q', 1)",
		"select array[1, -1]::posint[]",
		"create unique index on child (pid)",
		"alter table parent add primary key (id)",
		"alter table child add primary key (pid)",
		"alter table child add constraint pu unique (pid)",
		"alter table child alter column d set not null",
		"insert into parent values (5, 'c', 1, 'x'), (6, 'c', 1, 'x')",
	} {
		_, err := c.Exec(ctx, q, pgx.QueryExecModeSimpleProtocol)
		var pe *pgconn.PgError
		if !errors.As(err, &pe) {
			out = append(out, fmt.Sprintf("%s: %v", q, err))
			continue
		}
		out = append(out, fmt.Sprintf("%s: %s schema=%q table=%q column=%q constraint=%q type=%q",
			q, pe.Code, pe.SchemaName, pe.TableName, pe.ColumnName, pe.ConstraintName, pe.DataTypeName))
	}
	return out
}
