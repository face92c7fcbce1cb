package cairn_test

import (
	"context"
	stdsql "database/sql"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestJSONThroughPgx passes JSON parameters through pgx's json and jsonb
// codecs (binary in the extended protocol, text in the simple one) into
// json and jsonb columns of a real cairn server, and reads them back.
func TestJSONThroughPgx(t *testing.T) {
	url := startCairnServer(t)
	type item struct {
		Name  string         `json:"name"`
		Tags  []string       `json:"tags"`
		Price float64        `json:"price"`
		Extra map[string]any `json:"extra"`
	}
	// The simple protocol has no parameter types for pgx to pick a codec
	// by: there the values go as JSON text.
	asArg := func(mode pgx.QueryExecMode, v any) any {
		if mode != pgx.QueryExecModeSimpleProtocol {
			return v
		}
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeCacheStatement, pgx.QueryExecModeDescribeExec, pgx.QueryExecModeSimpleProtocol} {
		t.Run(mode.String(), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			cfg, err := pgx.ParseConfig(url)
			if err != nil {
				t.Fatal(err)
			}
			cfg.DefaultQueryExecMode = mode
			conn, err := pgx.ConnectConfig(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(ctx)
			if _, err := conn.Exec(ctx, "drop table if exists docs"); err != nil {
				t.Fatal(err)
			}
			if _, err := conn.Exec(ctx, "create table docs (id int primary key, j json, b jsonb)"); err != nil {
				t.Fatal(err)
			}
			in := item{Name: "lamp", Tags: []string{"b", "a"}, Price: 12.5, Extra: map[string]any{"zz": nil, "a": true}}
			m := map[string]any{"k": []any{1.0, "x"}, "n": nil}
			if _, err := conn.Exec(ctx, "insert into docs values (1, $1, $2)", asArg(mode, m), asArg(mode, in)); err != nil {
				t.Fatal(err)
			}
			var gotItem item
			var gotMap map[string]any
			var text string
			if err := conn.QueryRow(ctx, "select j, b, b::text from docs where id = $1", 1).Scan(&gotMap, &gotItem, &text); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(gotItem, in) || !reflect.DeepEqual(gotMap, m) {
				t.Errorf("read back %+v and %v, want %+v and %v", gotItem, gotMap, in, m)
			}
			const want = `{"name": "lamp", "tags": ["b", "a"], "extra": {"a": true, "zz": null}, "price": 12.5}`
			if text != want {
				t.Errorf("b::text = %s, want %s", text, want)
			}
			var eq bool
			if err := conn.QueryRow(ctx, "select b = $1 from docs", asArg(mode, in)).Scan(&eq); err != nil || !eq {
				t.Errorf("b = $1: %v %v", eq, err)
			}
		})
	}

	// pgx's codecs send jsonb as text; the binary forms go by hand.
	t.Run("binary", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		res := conn.PgConn().ExecParams(ctx, "select $1::jsonb, $2::json, $1::jsonb -> 'b'",
			[][]byte{[]byte("\x01{\"b\": [2, 1], \"a\": 1}"), []byte(`{"z" : 1}`)}, []uint32{3802, 114},
			[]int16{1, 1}, []int16{1, 1, 0}).Read()
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		want := [][]byte{[]byte("\x01{\"a\": 1, \"b\": [2, 1]}"), []byte(`{"z" : 1}`), []byte(`[2, 1]`)}
		if len(res.Rows) != 1 || !reflect.DeepEqual(res.Rows[0], want) {
			t.Errorf("got %q, want %q", res.Rows, want)
		}
		res = conn.PgConn().ExecParams(ctx, "select $1::jsonpath", [][]byte{[]byte("\x01$.a ? (@ > 1)")}, []uint32{4072},
			[]int16{1}, []int16{1}).Read()
		if res.Err != nil || len(res.Rows) != 1 || string(res.Rows[0][0]) != "\x01$.\"a\"?(@ > 1)" {
			t.Errorf("jsonpath: %q %v", res.Rows, res.Err)
		}
		res = conn.PgConn().ExecParams(ctx, "select $1::jsonb", [][]byte{[]byte("\x02{}")}, []uint32{3802}, []int16{1}, nil).Read()
		if res.Err == nil {
			t.Errorf("jsonb version 2 accepted")
		}
	})
}

// An embedded database/sql caller reads jsonb as its text, as from a
// PostgreSQL server, and passes JSON text as a parameter.
func TestJSONThroughDatabaseSQL(t *testing.T) {
	db, err := stdsql.Open("cairn", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var b, j string
	if err := db.QueryRow(`select $1::jsonb, json_build_object('k', $2::int)`, `{"b":1,"a":[true]}`, 7).Scan(&b, &j); err != nil {
		t.Fatal(err)
	}
	if b != `{"a": [true], "b": 1}` || j != `{"k" : 7}` {
		t.Errorf("got %s and %s", b, j)
	}
}
