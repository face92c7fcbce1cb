package sequence

import (
	"math"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
)

func i64(n int64) *int64 { return &n }
func yes() *bool         { b := true; return &b }

func define(t *testing.T, spec Spec) (Options, State) {
	t.Helper()
	o, st, _, err := Apply(spec, Options{}, State{}, true, false)
	if err != nil {
		t.Fatalf("Apply(%+v): %v", spec, err)
	}
	return o, st
}

// TestNext follows nextval calls from a fresh sequence; each expected step
// was measured on PostgreSQL 15 (SELECT nextval, then SELECT * FROM seq).
func TestNext(t *testing.T) {
	type step struct {
		result, last, logCnt int64
		log                  bool
		logged               int64
		code                 string // SQLSTATE of an expected error
	}
	tests := []struct {
		name  string
		spec  Spec
		steps []step
	}{
		{"defaults", Spec{}, []step{
			{result: 1, last: 1, logCnt: 32, log: true, logged: 33},
			{result: 2, last: 2, logCnt: 31},
			{result: 3, last: 3, logCnt: 30},
		}},
		{"maxvalue stops the log ahead", Spec{Max: &Bound{Value: 3}}, []step{
			{result: 1, last: 1, logCnt: 2, log: true, logged: 3},
			{result: 2, last: 2, logCnt: 1},
			{result: 3, last: 3, logCnt: 0},
			{code: pgerr.SequenceGeneratorLimitExceeded},
		}},
		{"descending", Spec{Increment: i64(-10)}, []step{
			{result: -1, last: -1, logCnt: 32, log: true, logged: -321},
			{result: -11, last: -11, logCnt: 31},
		}},
		{"descending to minvalue", Spec{Increment: i64(-1), Min: &Bound{Value: -2}, Max: &Bound{Value: 0}}, []step{
			{result: 0, last: 0, logCnt: 2, log: true, logged: -2},
			{result: -1, last: -1, logCnt: 1},
			{result: -2, last: -2, logCnt: 0},
			{code: pgerr.SequenceGeneratorLimitExceeded},
		}},
		{"cycle with cache", Spec{Increment: i64(-2), Cache: i64(5), Cycle: yes(), Min: &Bound{Value: -5}, Max: &Bound{Value: 3}}, []step{
			{result: 3, last: -5, logCnt: 0, log: true, logged: -5},
			{result: 3, last: -5, logCnt: 0, log: true, logged: -5},
		}},
		{"bigint maximum without overflow", Spec{Start: i64(math.MaxInt64 - 1), Increment: i64(math.MaxInt64)}, []step{
			{result: math.MaxInt64 - 1, last: math.MaxInt64 - 1, logCnt: 0, log: true, logged: math.MaxInt64 - 1},
			{code: pgerr.SequenceGeneratorLimitExceeded},
		}},
		{"bigint minimum without overflow", Spec{Increment: i64(math.MinInt64 + 1), Start: i64(math.MinInt64 + 1)}, []step{
			{result: math.MinInt64 + 1, last: math.MinInt64 + 1, logCnt: 0, log: true, logged: math.MinInt64 + 1},
			{code: pgerr.SequenceGeneratorLimitExceeded},
		}},
		{"smallint cycles", Spec{As: "int2", Start: i64(math.MaxInt16), Cycle: yes()}, []step{
			{result: math.MaxInt16, last: math.MaxInt16, logCnt: 0, log: true, logged: math.MaxInt16},
			{result: 1, last: 1, logCnt: 32, log: true, logged: 33},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, st := define(t, tt.spec)
			for i, want := range tt.steps {
				f, err := Next(o, st, "s")
				if want.code != "" {
					if pgerr.Code(err) != want.code {
						t.Fatalf("step %d: error %v, want SQLSTATE %s", i, err, want.code)
					}
					continue
				}
				if err != nil {
					t.Fatalf("step %d: %v", i, err)
				}
				got := step{result: f.Result, last: f.State.Last, logCnt: f.State.LogCnt, log: f.Log}
				if f.Log {
					got.logged = f.Logged
				}
				if got != want || !f.State.Called {
					t.Fatalf("step %d: got %+v (called %v), want %+v", i, got, f.State.Called, want)
				}
				st = f.State
			}
		})
	}
}

func TestApplyErrors(t *testing.T) {
	tests := []struct {
		spec Spec
		msg  string
	}{
		{Spec{As: "int2", Max: &Bound{Value: 40000}}, "MAXVALUE (40000) is out of range for sequence data type smallint"},
		{Spec{As: "int4", Min: &Bound{Value: -3000000000}}, "MINVALUE (-3000000000) is out of range for sequence data type integer"},
		{Spec{Min: &Bound{Value: 5}, Max: &Bound{Value: 5}}, "MINVALUE (5) must be less than MAXVALUE (5)"},
		{Spec{Start: i64(0)}, "START value (0) cannot be less than MINVALUE (1)"},
		{Spec{Start: i64(11), Max: &Bound{Value: 10}}, "START value (11) cannot be greater than MAXVALUE (10)"},
		{Spec{Cache: i64(0)}, "CACHE (0) must be greater than zero"},
		{Spec{Increment: i64(0)}, "INCREMENT must not be zero"},
		{Spec{As: "text"}, "sequence type must be smallint, integer, or bigint"},
	}
	for _, tt := range tests {
		_, _, _, err := Apply(tt.spec, Options{}, State{}, true, false)
		if err == nil || err.Error() != tt.msg || pgerr.Code(err) != pgerr.InvalidParameterValue {
			t.Errorf("Apply(%+v) = %v, want 22023 %q", tt.spec, err, tt.msg)
		}
	}
}

func TestApplyAlter(t *testing.T) {
	o, st := define(t, Spec{As: "int2"})
	st.Last, st.Called, st.LogCnt = 7, true, 20
	// AS bigint takes the old type's bounds to the new type's.
	o2, st2, restarted, err := Apply(Spec{As: "int8"}, o, st, false, false)
	if err != nil || restarted || o2.Max != math.MaxInt64 || o2.Min != 1 || st2.Last != 7 || st2.LogCnt != 0 {
		t.Fatalf("AS int8: %+v %+v %v %v", o2, st2, restarted, err)
	}
	_, _, _, err = Apply(Spec{Restart: true, RestartWith: i64(40000)}, o, st, false, false)
	if err == nil || err.Error() != "RESTART value (40000) cannot be greater than MAXVALUE (32767)" {
		t.Fatalf("RESTART 40000: %v", err)
	}
	_, st3, restarted, err := Apply(Spec{Restart: true}, o, st, false, false)
	if err != nil || !restarted || st3 != (State{Last: 1}) {
		t.Fatalf("RESTART: %+v %v %v", st3, restarted, err)
	}
	// An option that does not change the fetch keeps the logged values.
	_, st4, _, err := Apply(Spec{Start: i64(3)}, o, st, false, false)
	if err != nil || st4.LogCnt != 20 {
		t.Fatalf("START 3: %+v %v", st4, err)
	}
}

func TestSetVal(t *testing.T) {
	o, _ := define(t, Spec{As: "int4", Max: &Bound{Value: 100}})
	if _, err := SetVal(o, "s", 101, true); err == nil || err.Error() != `setval: value 101 is out of bounds for sequence "s" (1..100)` || pgerr.Code(err) != pgerr.NumericValueOutOfRange {
		t.Fatalf("setval 101: %v", err)
	}
	st, err := SetVal(o, "s", 50, false)
	if err != nil || st != (State{Last: 50}) {
		t.Fatalf("setval 50: %+v %v", st, err)
	}
	f, err := Next(o, st, "s")
	if err != nil || f.Result != 50 {
		t.Fatalf("nextval after setval(50, false): %+v %v", f, err)
	}
}
