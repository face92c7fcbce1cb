package sql

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cairndb/cairn/internal/pgerr"
)

// The expectations below are what PostgreSQL 15 answered to the same
// PGOPTIONS and SET values (psql against a 15.18 server).

func TestParseStartupOptions(t *testing.T) {
	tests := []struct {
		opts  string
		want  [][2]string
		state string
	}{
		{"", nil, ""},
		{"-c search_path=sales -c statement_timeout=5000", [][2]string{{"search_path", "sales"}, {"statement_timeout", "5000"}}, ""},
		{"--statement-timeout=7s", [][2]string{{"statement_timeout", "7s"}}, ""},
		{"-csynchronous_commit=off", [][2]string{{"synchronous_commit", "off"}}, ""},
		{`-c application_name=a\ b  -c DateStyle=ISO`, [][2]string{{"application_name", "a b"}, {"datestyle", "ISO"}}, ""},
		{`-c x=a\\b`, [][2]string{{"x", `a\b`}}, ""},
		{"-x", nil, pgerr.SyntaxError},
		{"-c", nil, pgerr.SyntaxError},
		{"-c search_path", nil, pgerr.SyntaxError},
		{"--lock-timeout", nil, pgerr.SyntaxError},
	}
	for _, tt := range tests {
		got, err := parseStartupOptions(tt.opts)
		if tt.state != "" {
			if code := pgerr.Code(err); code != tt.state {
				t.Errorf("%q: error %v (SQLSTATE %q), want SQLSTATE %s", tt.opts, err, code, tt.state)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%q: got %q, %v; want %q", tt.opts, got, err, tt.want)
		}
	}
}

func TestStartupParameters(t *testing.T) {
	e := newTestEngine(t)
	tests := []struct {
		startup map[string]string
		show    map[string]string // setting -> SHOW's answer
		state   string
		message string
	}{
		{
			startup: map[string]string{"application_name": "psql", "options": "-c search_path=sales -c statement_timeout=5000"},
			show:    map[string]string{"application_name": "psql", "search_path": "sales", "statement_timeout": "5s", "synchronous_commit": "on"},
		},
		{
			startup: map[string]string{"options": "-csynchronous_commit=off --lock-timeout=1.5s"},
			show:    map[string]string{"synchronous_commit": "off", "lock_timeout": "1500ms"},
		},
		{ // what pgjdbc sends
			startup: map[string]string{"client_encoding": "UTF8", "DateStyle": "ISO", "TimeZone": "Etc/UTC", "extra_float_digits": "2"},
			show:    map[string]string{"DateStyle": "ISO, MDY", "TimeZone": "Etc/UTC", "extra_float_digits": "2"},
		},
		{startup: map[string]string{"replication": "false"}, show: map[string]string{}},
		{startup: map[string]string{"options": "-c foo=bar"}, state: pgerr.UndefinedObject, message: `unrecognized configuration parameter "foo"`},
		{startup: map[string]string{"foo": "bar"}, state: pgerr.UndefinedObject, message: `unrecognized configuration parameter "foo"`},
		{startup: map[string]string{"options": "-c statement_timeout=abc"}, state: pgerr.InvalidParameterValue, message: `invalid value for parameter "statement_timeout": "abc"`},
		{startup: map[string]string{"options": "-c server_version=1"}, state: pgerr.CantChangeRuntimeParam, message: `parameter "server_version" cannot be changed`},
		{startup: map[string]string{"options": "-x"}, state: pgerr.SyntaxError, message: "invalid command-line argument for server process: -x"},
		{startup: map[string]string{"replication": "database"}, state: pgerr.FeatureNotSupported},
	}
	for _, tt := range tests {
		s, err := e.NewSession("postgres", "postgres", tt.startup)
		if tt.state != "" {
			var pe *pgerr.Error
			if !errors.As(err, &pe) || pe.Code != tt.state || (tt.message != "" && pe.Message != tt.message) {
				t.Errorf("%v: error %v, want %s %q", tt.startup, err, tt.state, tt.message)
			}
			continue
		}
		if err != nil {
			t.Errorf("%v: %v", tt.startup, err)
			continue
		}
		for name, want := range tt.show {
			res := mustRun(t, s, "SHOW "+name)
			if got := res.Rows[0][0]; got != want {
				t.Errorf("%v: SHOW %s = %v, want %q", tt.startup, name, got, want)
			}
		}
		s.Close()
	}
}

func TestDurationSettingsShowAsPostgres(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	for _, tt := range []struct{ set, show string }{
		{"5000", "5s"}, {"1.5s", "1500ms"}, {"100us", "0"}, {"60000", "1min"},
		{"90min", "90min"}, {"2d", "2d"}, {"0", "0"}, {"1ms", "1ms"}, {"7200s", "2h"},
	} {
		mustRun(t, s, "SET statement_timeout = '"+tt.set+"'")
		if got := mustRun(t, s, "SHOW statement_timeout").Rows[0][0]; got != tt.show {
			t.Errorf("SET statement_timeout = '%s': SHOW gives %v, want %s", tt.set, got, tt.show)
		}
	}
}

// TestStatementTimeoutAccessor: StatementTimeout (which bounds pgwire's
// rate limit waits) follows SET statement_timeout.
func TestStatementTimeoutAccessor(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	for _, tt := range []struct {
		set  string
		want time.Duration
	}{
		{"0", 0}, {"250", 250 * time.Millisecond}, {"1.5s", 1500 * time.Millisecond}, {"2min", 2 * time.Minute},
	} {
		mustRun(t, s, "SET statement_timeout = '"+tt.set+"'")
		if got := s.StatementTimeout(); got != tt.want {
			t.Errorf("SET statement_timeout = '%s': StatementTimeout() = %v, want %v", tt.set, got, tt.want)
		}
	}
}

// TestSetTags checks the command tags of SET and RESET, prepared and run:
// SET name = DEFAULT is a SET, as in PostgreSQL.
func TestSetTags(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	for _, tt := range []struct{ query, tag string }{
		{"SET application_name = 'x'", "SET"},
		{"SET application_name = DEFAULT", "SET"},
		{"SET application_name TO DEFAULT", "SET"},
		{"RESET application_name", "RESET"},
	} {
		ps, err := s.PrepareAll(context.Background(), tt.query)
		if err != nil {
			t.Fatal(err)
		}
		res := mustRun(t, s, tt.query)
		if ps[0].Tag != tt.tag || res.Tag != tt.tag {
			t.Errorf("%s: prepared tag %s, result tag %s; want %s", tt.query, ps[0].Tag, res.Tag, tt.tag)
		}
	}
}

// TestSettingsUndoneReported: a reported parameter whose change a
// ROLLBACK, or the end of a transaction for SET LOCAL and
// set_config(..., true), undoes is reported with that statement's result,
// as PostgreSQL sends a ParameterStatus then.
func TestSettingsUndoneReported(t *testing.T) {
	e := newTestEngine(t)
	s := newTestSession(t, e)
	for _, c := range []struct {
		set, end string
	}{
		{"SET application_name = 'x'", "ROLLBACK"},
		{"SET LOCAL application_name = 'x'", "COMMIT"},
		{"SELECT set_config('application_name', 'x', true)", "COMMIT"},
	} {
		mustRun(t, s, "BEGIN")
		if res := mustRun(t, s, c.set); !reflect.DeepEqual(res.ParameterChanges, []Parameter{{Name: "application_name", Value: "x"}}) {
			t.Errorf("%s reports %v", c.set, res.ParameterChanges)
		}
		if res := mustRun(t, s, c.end); !reflect.DeepEqual(res.ParameterChanges, []Parameter{{Name: "application_name", Value: ""}}) {
			t.Errorf("%s after %s reports %v", c.end, c.set, res.ParameterChanges)
		}
	}
	// A failed implicit transaction's change is reported with the next
	// result.
	if _, err := run(s, "SELECT set_config('application_name', 'y', false), 1 / 0"); pgerr.Code(err) != pgerr.DivisionByZero {
		t.Fatal(err)
	}
	if res := mustRun(t, s, "SELECT 1"); !reflect.DeepEqual(res.ParameterChanges, []Parameter{{Name: "application_name", Value: "y"}, {Name: "application_name", Value: ""}}) {
		t.Errorf("after the failed statement: %v", res.ParameterChanges)
	}
}

// TestPlannerSwitches: every enable_* planner switch of PostgreSQL 15 is
// accepted and shown with its default, as pg_settings lists them.
func TestPlannerSwitches(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	for _, tc := range []struct{ q, want string }{
		{"SHOW enable_nestloop", "[on]"},
		{"SHOW enable_partitionwise_join", "[off]"},
		{"SET enable_parallel_append = off", ""},
		{"SHOW enable_parallel_append", "[off]"},
		{"RESET enable_parallel_append", ""},
		{"SHOW enable_parallel_append", "[on]"},
		{"SELECT count(*) FROM pg_settings WHERE name LIKE 'enable\\_%'", "[20]"},
	} {
		if got := outcome(s, tc.q); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
}

// TestShowAll: SHOW ALL lists every parameter once, in name order, with
// the value SHOW gives, in PostgreSQL's columns.
func TestShowAll(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, "SET statement_timeout = '90s'")
	mustRun(t, s, "SET my.custom = 'x'")
	res := mustRun(t, s, "SHOW ALL")
	var cols []string
	for _, c := range res.Columns {
		cols = append(cols, c.Name)
	}
	if want := []string{"name", "setting", "description"}; !reflect.DeepEqual(cols, want) {
		t.Fatalf("columns %v, want %v", cols, want)
	}
	got := make(map[string]any)
	prev := ""
	for _, r := range res.Rows {
		name := r[0].(string)
		if strings.ToLower(name) <= prev {
			t.Errorf("%q listed after %q", name, prev)
		}
		prev = strings.ToLower(name)
		got[name] = r[1]
	}
	for name, want := range map[string]string{"statement_timeout": "90s", "DateStyle": "ISO, MDY", "my.custom": "x"} {
		if got[name] != want {
			t.Errorf("SHOW ALL: %s = %v, want %s", name, got[name], want)
		}
	}
}
