package sql

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// Storage parameters: CREATE TABLE ... WITH (...), ALTER TABLE|VIEW ...
// SET (...) and RESET (...), and ALTER COLUMN ... SET (...) and RESET
// (...). They are checked as PostgreSQL's reloptions parser checks them
// (names, kinds of relation, value types and ranges) and kept as
// pg_class.reloptions and pg_attribute.attoptions list them, name=value
// in the order written. cairn's autovacuum does not read them, and it has
// no TOAST or fill factor to apply them to: they are recorded for the
// catalog (and a dump) alone, as SET STORAGE is.

// relOptKind is the type of a storage parameter's value.
type relOptKind int

const (
	relOptBool relOptKind = iota
	relOptInt
	relOptReal
	relOptEnum
)

// relOptSpec is one storage parameter: its type, its range (for numbers),
// its values (for an enum) and the kinds of relation that take it.
type relOptSpec struct {
	kind     relOptKind
	min, max float64
	values   []string
	heap     bool // tables
	toast    bool // a table's TOAST table (toast.name)
	view     bool
	column   bool // attoptions
}

// relOptSpecs are PostgreSQL 15's storage parameters of tables, TOAST
// tables, views and columns (reloptions.c).
var relOptSpecs = map[string]relOptSpec{
	"autovacuum_enabled":                    {kind: relOptBool, heap: true, toast: true},
	"user_catalog_table":                    {kind: relOptBool, heap: true},
	"vacuum_truncate":                       {kind: relOptBool, heap: true, toast: true},
	"fillfactor":                            {kind: relOptInt, min: 10, max: 100, heap: true},
	"toast_tuple_target":                    {kind: relOptInt, min: 128, max: 8160, heap: true},
	"autovacuum_vacuum_threshold":           {kind: relOptInt, min: 0, max: math.MaxInt32, heap: true, toast: true},
	"autovacuum_vacuum_insert_threshold":    {kind: relOptInt, min: -1, max: math.MaxInt32, heap: true, toast: true},
	"autovacuum_analyze_threshold":          {kind: relOptInt, min: 0, max: math.MaxInt32, heap: true},
	"autovacuum_vacuum_cost_limit":          {kind: relOptInt, min: 1, max: 10000, heap: true, toast: true},
	"autovacuum_freeze_min_age":             {kind: relOptInt, min: 0, max: 1000000000, heap: true, toast: true},
	"autovacuum_multixact_freeze_min_age":   {kind: relOptInt, min: 0, max: 1000000000, heap: true, toast: true},
	"autovacuum_freeze_max_age":             {kind: relOptInt, min: 100000, max: 2000000000, heap: true, toast: true},
	"autovacuum_multixact_freeze_max_age":   {kind: relOptInt, min: 10000, max: 2000000000, heap: true, toast: true},
	"autovacuum_freeze_table_age":           {kind: relOptInt, min: 0, max: 2000000000, heap: true, toast: true},
	"autovacuum_multixact_freeze_table_age": {kind: relOptInt, min: 0, max: 2000000000, heap: true, toast: true},
	"log_autovacuum_min_duration":           {kind: relOptInt, min: -1, max: math.MaxInt32, heap: true, toast: true},
	"parallel_workers":                      {kind: relOptInt, min: 0, max: 1024, heap: true},
	"autovacuum_vacuum_cost_delay":          {kind: relOptReal, min: 0, max: 100, heap: true, toast: true},
	"autovacuum_vacuum_scale_factor":        {kind: relOptReal, min: 0, max: 100, heap: true, toast: true},
	"autovacuum_vacuum_insert_scale_factor": {kind: relOptReal, min: 0, max: 100, heap: true, toast: true},
	"autovacuum_analyze_scale_factor":       {kind: relOptReal, min: 0, max: 100, heap: true},
	"vacuum_index_cleanup":                  {kind: relOptEnum, values: []string{"auto", "on", "off", "true", "false", "yes", "no", "1", "0"}, heap: true, toast: true},
	"security_barrier":                      {kind: relOptBool, view: true},
	"security_invoker":                      {kind: relOptBool, view: true},
	"check_option":                          {kind: relOptEnum, values: []string{"local", "cascaded"}, view: true},
	"n_distinct":                            {kind: relOptReal, min: -1, max: math.MaxFloat64, column: true},
	"n_distinct_inherited":                  {kind: relOptReal, min: -1, max: math.MaxFloat64, column: true},
}

// relOptTarget is what a list of storage parameters is for.
type relOptTarget int

const (
	relOptTable relOptTarget = iota
	relOptView
	relOptColumn
	// A partitioned table takes no storage parameters in PostgreSQL 15:
	// every one is unrecognized.
	relOptPartitioned
)

// checkRelOption checks one parameter with its value for target; toast
// is set for the toast namespace.
func checkRelOption(o ast.RelOption, target relOptTarget) error {
	name := o.Name
	spec, ok := relOptSpecs[name]
	switch {
	case !ok:
	case o.Namespace == "toast":
		ok = (target == relOptTable || target == relOptPartitioned) && spec.toast
	case target == relOptTable:
		ok = spec.heap
	case target == relOptView:
		ok = spec.view
	case target == relOptColumn:
		ok = spec.column
	default:
		ok = false
	}
	if !ok {
		return pgerr.New(pgerr.InvalidParameterValue, "unrecognized parameter \"%s\"", name)
	}
	value := o.Value
	if !o.HasValue {
		value = "true"
	}
	switch spec.kind {
	case relOptBool:
		if _, err := types.ParseText(types.New(types.Bool), value); err != nil {
			return pgerr.New(pgerr.InvalidParameterValue, "invalid value for boolean option \"%s\": %s", name, value)
		}
	case relOptInt:
		n, err := strconv.ParseInt(strings.TrimSpace(value), 10, 32)
		if err != nil {
			return pgerr.New(pgerr.InvalidParameterValue, "invalid value for integer option \"%s\": %s", name, value)
		}
		if float64(n) < spec.min || float64(n) > spec.max {
			return pgerr.New(pgerr.InvalidParameterValue, "value %s out of bounds for option \"%s\"", value, name).
				WithDetail("Valid values are between \"" + strconv.FormatInt(int64(spec.min), 10) + "\" and \"" + strconv.FormatInt(int64(spec.max), 10) + "\".")
		}
	case relOptReal:
		f, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err != nil {
			return pgerr.New(pgerr.InvalidParameterValue, "invalid value for floating point option \"%s\": %s", name, value)
		}
		if f < spec.min || f > spec.max {
			return pgerr.New(pgerr.InvalidParameterValue, "value %s out of bounds for option \"%s\"", value, name).
				WithDetail("Valid values are between \"" + strconv.FormatFloat(spec.min, 'f', 6, 64) + "\" and \"" + strconv.FormatFloat(spec.max, 'f', 6, 64) + "\".")
		}
	case relOptEnum:
		if !slices.Contains(spec.values, strings.ToLower(value)) {
			e := pgerr.New(pgerr.InvalidParameterValue, "invalid value for enum option \"%s\": %s", name, value)
			switch name {
			case "check_option":
				e = e.WithDetail("Valid values are \"local\" and \"cascaded\".")
			case "vacuum_index_cleanup":
				e = e.WithDetail("Valid values are \"on\", \"off\", and \"auto\".")
			}
			return e
		}
	}
	return nil
}

// relOptionText is a parameter as reloptions lists it.
func relOptionText(o ast.RelOption) string {
	value := o.Value
	if !o.HasValue {
		value = "true"
	}
	return o.Name + "=" + value
}

// mergeRelOptions applies SET (reset false) or RESET of opts to current,
// a reloptions list, for target, and returns the new list (toast false)
// or the new list of the toast namespace (toast true). SET replaces a
// parameter set before and adds the others at the end; RESET removes the
// named ones, which it does not check, as PostgreSQL does not.
func mergeRelOptions(current []string, opts []ast.RelOption, reset, toast bool, target relOptTarget) ([]string, error) {
	seen := make(map[string]bool)
	out := slices.Clone(current)
	for _, o := range opts {
		if o.Namespace != "" && (o.Namespace != "toast" || target == relOptView || target == relOptColumn) {
			return nil, pgerr.New(pgerr.InvalidParameterValue, "unrecognized parameter namespace \"%s\"", o.Namespace)
		}
		if reset && o.HasValue {
			return nil, pgerr.New(pgerr.SyntaxError, "RESET must not include values for parameters")
		}
		if (o.Namespace == "toast") != toast {
			continue
		}
		if !reset {
			if err := checkRelOption(o, target); err != nil {
				return nil, err
			}
			if seen[o.Name] {
				return nil, pgerr.New(pgerr.InvalidParameterValue, "parameter \"%s\" specified more than once", o.Name)
			}
			seen[o.Name] = true
		}
		i := slices.IndexFunc(out, func(s string) bool { return strings.HasPrefix(s, o.Name+"=") })
		switch {
		case reset && i >= 0:
			out = slices.Delete(out, i, i+1)
		case !reset && i >= 0:
			out = slices.Delete(out, i, i+1)
			out = append(out, relOptionText(o))
		case !reset:
			out = append(out, relOptionText(o))
		}
	}
	return out, nil
}

// createTableOptions checks CREATE TABLE's WITH (...) and sets desc's
// parameters. oids=false is accepted and not kept; oids=true is refused,
// as PostgreSQL 12 and later refuse it. A partitioned table takes none
// but those of the toast namespace.
func createTableOptions(desc *catalog.TableDesc, opts []ast.RelOption, partitioned bool) error {
	var kept []ast.RelOption
	for _, o := range opts {
		if o.Namespace == "" && o.Name == "oids" {
			on, err := types.ParseText(types.New(types.Bool), map[bool]string{true: o.Value, false: "true"}[o.HasValue])
			if err != nil {
				return pgerr.New(pgerr.InvalidParameterValue, "invalid value for boolean option \"oids\": %s", o.Value)
			}
			if on == true {
				return pgerr.New(pgerr.FeatureNotSupported, "tables declared WITH OIDS are not supported")
			}
			continue
		}
		kept = append(kept, o)
	}
	if len(kept) == 0 {
		return nil
	}
	target := relOptTable
	if partitioned {
		target = relOptPartitioned
	}
	var err error
	if desc.RelOptions, err = mergeRelOptions(nil, kept, false, false, target); err != nil {
		return err
	}
	if desc.ToastOptions, err = mergeRelOptions(nil, kept, false, true, relOptTable); err != nil {
		return err
	}
	return nil
}

// relOptionsPlan runs ALTER TABLE|VIEW ... SET (...) and RESET (...), and
// ALTER COLUMN ... SET (...) and RESET (...). Neither reaches other
// tables: PostgreSQL's do not recurse either.
type relOptionsPlan struct{ stmt *ast.AlterTableStmt }

func (p *relOptionsPlan) columns() []Column { return nil }

func (p *relOptionsPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	s := p.stmt
	cmd := s.RelOptions
	rel, _, err := x.s.lookupRel(x.snap, s.Table.Name)
	if err != nil {
		return nil, err
	}
	if rel != nil && rel.View != "" && cmd.Column == "" {
		return p.setViewOptions(x, rel)
	}
	if s.OwnerKind == "VIEW" && rel != nil {
		return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a view", rel.Name)
	}
	table, tuple, res, err := lockAlterTarget(x, s)
	if table == nil {
		return res, err
	}
	updated := *table
	if cmd.Column != "" {
		i := table.ColumnIndex(cmd.Column)
		if i < 0 {
			return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", cmd.Column, table.Name)
		}
		opts, err := mergeRelOptions(table.Columns[i].Options, cmd.Options, cmd.Reset, false, relOptColumn)
		if err != nil {
			return nil, err
		}
		updated.Columns = slices.Clone(table.Columns)
		updated.Columns[i].Options = opts
	} else {
		target := relOptTable
		if table.PartKey != nil {
			target = relOptPartitioned
		}
		if updated.RelOptions, err = mergeRelOptions(table.RelOptions, cmd.Options, cmd.Reset, false, target); err != nil {
			return nil, err
		}
		if updated.ToastOptions, err = mergeRelOptions(table.ToastOptions, cmd.Options, cmd.Reset, true, relOptTable); err != nil {
			return nil, err
		}
	}
	if err := replaceTableDesc(x, tuple, &updated); err != nil {
		return nil, err
	}
	return res, nil
}

// setViewOptions applies SET or RESET to a view's options.
func (p *relOptionsPlan) setViewOptions(x *execCtx, view *catalog.TableDesc) (*Result, error) {
	s := p.stmt
	if err := x.checkOwner(view); err != nil {
		return nil, err
	}
	opts, err := mergeRelOptions(view.ViewOptions, s.RelOptions.Options, s.RelOptions.Reset, false, relOptView)
	if err != nil {
		return nil, err
	}
	if slices.ContainsFunc(opts, func(o string) bool { return strings.HasPrefix(o, "check_option=") }) {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "WITH CHECK OPTION is not supported")
	}
	if err := x.lockTableForDDL(view.ID, txn.AccessExclusive); err != nil {
		return nil, err
	}
	current, tuple, err := x.s.e.cat.Lookup(x.snap, view.Key())
	if err != nil {
		return nil, err
	}
	if current == nil {
		return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", view.Name)
	}
	updated := *current
	updated.ViewOptions = opts
	if err := replaceTableDesc(x, tuple, &updated); err != nil {
		return nil, err
	}
	return &Result{Tag: s.Tag()}, nil
}
