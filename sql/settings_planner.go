package sql

import (
	"math"
	"strconv"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
)

// PostgreSQL's planner costs, parallel-query and JIT settings: accepted,
// checked against PostgreSQL's ranges and shown, not used. cairn's
// planner has no costs for them to bias, runs each query in one
// goroutine and compiles no expressions to machine code; scripts written
// for PostgreSQL set them to steer its plans.
func init() {
	real := func(name, def string, lo float64) setting {
		return setting{name: name, def: def, check: checkReal(name, lo, math.MaxFloat64)}
	}
	integer := func(name, def string, lo, hi int64) setting {
		return setting{name: name, def: def, check: checkInteger(name, lo, hi)}
	}
	for _, s := range []setting{
		real("seq_page_cost", "1", 0),
		real("random_page_cost", "4", 0),
		real("cpu_tuple_cost", "0.01", 0),
		real("cpu_index_tuple_cost", "0.005", 0),
		real("cpu_operator_cost", "0.0025", 0),
		real("parallel_tuple_cost", "0.1", 0),
		real("parallel_setup_cost", "1000", 0),
		real("jit_above_cost", "100000", -1),
		real("jit_inline_above_cost", "500000", -1),
		real("jit_optimize_above_cost", "500000", -1),
		{name: "hash_mem_multiplier", def: "2", check: checkReal("hash_mem_multiplier", 1, 1000)},
		integer("max_parallel_workers_per_gather", "2", 0, 1024),
		integer("max_parallel_workers", "8", 0, 1024),
		{name: "min_parallel_table_scan_size", def: "8MB", check: checkBlocks("min_parallel_table_scan_size")},
		{name: "min_parallel_index_scan_size", def: "512kB", check: checkBlocks("min_parallel_index_scan_size")},
		{name: "jit", def: "on", check: checkBool},
		{name: "parallel_leader_participation", def: "on", check: checkBool},
		{name: "force_parallel_mode", def: "off", check: checkForceParallel},
		{name: "geqo", def: "on", check: checkBool},
		integer("geqo_threshold", "12", 2, math.MaxInt32),
		integer("geqo_effort", "5", 1, 10),
		integer("geqo_pool_size", "0", 0, math.MaxInt32),
		integer("geqo_generations", "0", 0, math.MaxInt32),
		{name: "geqo_selection_bias", def: "2", check: checkReal("geqo_selection_bias", 1.5, 2)},
		{name: "geqo_seed", def: "0", check: checkReal("geqo_seed", 0, 1)},
		integer("join_collapse_limit", "8", 1, math.MaxInt32),
		integer("from_collapse_limit", "8", 1, math.MaxInt32),
	} {
		settingsTable[strings.ToLower(s.name)] = s
	}
}

// checkReal checks a floating-point setting within [lo, hi].
func checkReal(name string, lo, hi float64) func(string) (string, error) {
	return func(v string) (string, error) {
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || math.IsNaN(f) {
			return "", pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter \"%s\": \"%s\"", name, v)
		}
		if f < lo || f > hi {
			return "", pgerr.New(pgerr.InvalidParameterValue, "%s is outside the valid range for parameter \"%s\" (%s .. %s)",
				strconv.FormatFloat(f, 'g', -1, 64), name, strconv.FormatFloat(lo, 'g', 6, 64), strconv.FormatFloat(hi, 'g', 6, 64))
		}
		return strconv.FormatFloat(f, 'g', -1, 64), nil
	}
}

// checkInteger checks an integer setting within [lo, hi].
func checkInteger(name string, lo, hi int64) func(string) (string, error) {
	return func(v string) (string, error) {
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return "", pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter \"%s\": \"%s\"", name, v)
		}
		if n < lo || n > hi {
			return "", pgerr.New(pgerr.InvalidParameterValue, "%d is outside the valid range for parameter \"%s\" (%d .. %d)", n, name, lo, hi)
		}
		return strconv.FormatInt(n, 10), nil
	}
}

// checkBlocks checks a size counted in 8kB blocks: a bare number is
// blocks, a number with a unit a size.
func checkBlocks(name string) func(string) (string, error) {
	kb := checkMemoryKB(name, 0)
	return func(v string) (string, error) {
		if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
			v = strconv.FormatInt(n*8, 10) + "kB"
		}
		return kb(v)
	}
}

// checkForceParallel checks force_parallel_mode, an enum that also takes
// the spellings of a boolean.
func checkForceParallel(v string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "off", "false", "no", "0":
		return "off", nil
	case "on", "true", "yes", "1":
		return "on", nil
	case "regress":
		return "regress", nil
	}
	return "", pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter \"force_parallel_mode\": \"%s\"", v).
		WithHint("Available values: off, on, regress.")
}
