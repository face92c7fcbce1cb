package sql

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/builtins"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

func isAggregate(name string) bool {
	switch name {
	case "count", "sum", "avg", "min", "max", "bool_and", "bool_or", "every", "string_agg", "array_agg":
		return true
	case "json_agg", "jsonb_agg", "json_object_agg", "jsonb_object_agg":
		return true
	}
	return isOrderedSetAgg(name) || isVarianceAgg(name) || isRegrAgg(name)
}

func undefinedFunction(name string, args []expr, pos int32) error {
	names := make([]string, len(args))
	for i, a := range args {
		names[i] = a.Type().Name()
	}
	return pgerr.New(pgerr.UndefinedFunction, "function %s(%s) does not exist", name, strings.Join(names, ", ")).
		WithHint("No function matches the given name and argument types. You might need to add explicit type casts.").WithPosition(pos)
}

func (b *binder) bindFunc(x *ast.FuncCall, sc *scope) (expr, error) {
	if x.Star || x.Distinct || x.Filter != nil || len(x.OrderBy) > 0 {
		// PostgreSQL finds the function first: a missing one is 42883.
		plain := *x
		plain.Star, plain.Distinct, plain.Filter, plain.OrderBy, plain.OrderUsing = false, false, nil, nil, ""
		if _, err := b.bindFunc(&plain, sc); pgerr.Code(err) == pgerr.UndefinedFunction {
			return nil, err
		}
	}
	if x.Star {
		return nil, pgerr.New(pgerr.WrongObjectType, "%s(*) specified, but %s is not an aggregate function", x.Name, x.Name).WithPosition(x.Pos)
	}
	if x.Distinct {
		return nil, pgerr.New(pgerr.WrongObjectType, "DISTINCT specified, but %s is not an aggregate function", x.Name).WithPosition(x.Pos)
	}
	if x.Filter != nil {
		return nil, pgerr.New(pgerr.WrongObjectType, "FILTER specified, but %s is not an aggregate function", x.Name).WithPosition(x.Pos)
	}
	if len(x.OrderBy) > 0 {
		return nil, pgerr.New(pgerr.WrongObjectType, "ORDER BY specified, but %s is not an aggregate function", x.Name).WithPosition(x.Pos)
	}
	if isTableFunc(x.Name) {
		if e, ok := b.srfSlotExpr(x); ok {
			return e, nil
		}
		return nil, pgerr.New(pgerr.FeatureNotSupported, "set-returning function %s is only supported in FROM, or in a select list without aggregates, grouping or DISTINCT", x.Name).WithPosition(x.Pos)
	}
	if x.Name == "to_json" || x.Name == "to_jsonb" || x.Name == "row_to_json" {
		if e, ok, err := b.bindRowJSONFunc(x, sc); ok {
			return e, err
		}
	}
	args := make([]expr, len(x.Args))
	for i, a := range x.Args {
		var e expr
		var err error
		if table, whole := wholeRowTable(a, sc); whole && takesWholeRows(x.Name) {
			e, err = b.bindWholeRow(table, sc, x.Pos, nil)
		} else {
			e, err = b.bindExpr(a, sc)
		}
		if err != nil {
			return nil, err
		}
		args[i] = e
	}
	if e, ok, err := b.bindRoutineCall(x, args, func() (expr, error) { return b.bindBuiltinFunc(x, slices.Clone(args)) }); ok {
		return e, err
	}
	return b.bindBuiltinFunc(x, args)
}

// bindBuiltinFunc binds a call of a built-in function with its arguments
// bound.
func (b *binder) bindBuiltinFunc(x *ast.FuncCall, args []expr) (expr, error) {
	if x.ArgNames != nil {
		var err error
		if args, err = namedArgs(x.Name, args, x.ArgNames, x.Pos); err != nil {
			return nil, err
		}
	}
	if err := b.checkExecute(x.Name, args); err != nil {
		return nil, err
	}
	if e, ok, err := b.bindSequenceFunc(x.Name, args, x.Pos); ok {
		return e, err
	}
	if e, ok, err := b.bindEnumFunc(x.Name, args, x.Pos); ok {
		return e, err
	}
	if e, ok, err := b.bindByteaFunc(x.Name, args, x.Pos); ok {
		return e, err
	}
	if e, ok, err := b.bindDatetimeFunc(x.Name, args, x.Pos); ok {
		return e, err
	}
	if x.Name == "width_bucket" && len(args) == 2 {
		return b.bindWidthBucketArray(args, x.Pos)
	}
	if x.Name == "length" && len(args) == 1 && (args[0].Type().ID == types.LsegType || args[0].Type().ID == types.PathType) {
		return &funcExpr{t: types.New(types.Float8), args: args, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
			return builtins.GeoLength(a[0])
		}}, nil
	}
	if f, ok := builtins.Lookup(x.Name); ok {
		return b.bindBuiltinCall(f, args, x.Variadic, x.Pos)
	}
	arity := func(n ...int) bool {
		for _, k := range n {
			if len(args) == k {
				return true
			}
		}
		return false
	}
	switch x.Name {
	case "coalesce", "greatest", "least":
		if len(args) == 0 {
			return nil, undefinedFunction(x.Name, args, x.Pos)
		}
		t, args, err := b.commonType(args, strings.ToUpper(x.Name), x.Pos)
		if err != nil {
			return nil, err
		}
		if x.Name == "coalesce" {
			return &coalesceExpr{t: t, args: args}, nil
		}
		sign := 1
		if x.Name == "least" {
			sign = -1
		}
		return &funcExpr{t: t, args: args, fn: func(a []types.Datum) (types.Datum, error) {
			var best types.Datum
			for _, v := range a {
				if v != nil && (best == nil || sign*types.Compare(v, best) > 0) {
					best = v
				}
			}
			return best, nil
		}}, nil
	case "nullif":
		if !arity(2) {
			return nil, undefinedFunction(x.Name, args, x.Pos)
		}
		l, r, _, err := b.unify(args[0], args[1], "=", x.Pos)
		if err != nil {
			return nil, err
		}
		return &funcExpr{t: l.Type(), args: []expr{l, r}, fn: func(a []types.Datum) (types.Datum, error) {
			if a[0] != nil && a[1] != nil && types.Compare(a[0], a[1]) == 0 {
				return nil, nil
			}
			return a[0], nil
		}}, nil
	case "lower", "upper", "length", "char_length", "character_length", "octet_length", "bit_length", "md5", "reverse",
		"btrim", "ltrim", "rtrim", "trim":
		if !arity(1) && !(arity(2) && strings.HasSuffix(x.Name, "trim")) || !b.textArgs(args) {
			return nil, undefinedFunction(x.Name, args, x.Pos)
		}
		return textFunc(x.Name, args), nil
	case "replace":
		if !arity(3) || !b.textArgs(args) {
			return nil, undefinedFunction(x.Name, args, x.Pos)
		}
		return &funcExpr{t: types.New(types.Text), args: args, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
			return replaceText(a[0].(string), a[1].(string), a[2].(string))
		}}, nil
	case "repeat":
		if !arity(2) {
			return nil, undefinedFunction(x.Name, args, x.Pos)
		}
		// The count first: PostgreSQL names an unknown text argument
		// as unknown when the count has no match.
		if err := b.coerceArg(args, 1, int4T, x.Name, x.Pos); err != nil {
			return nil, err
		}
		if !b.textArgs(args[:1]) {
			return nil, undefinedFunction(x.Name, args, x.Pos)
		}
		return &funcExpr{t: types.New(types.Text), args: args, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
			return repeatText(a[0].(string), a[1].(int64))
		}}, nil
	case "position", "strpos":
		// position(sub IN s) arrives as position(s, sub), as strpos takes it.
		if !arity(2) || !b.textArgs(args) {
			return nil, undefinedFunction(x.Name, args, x.Pos)
		}
		return &funcExpr{t: types.New(types.Int4), args: args, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
			s, sub := a[0].(string), a[1].(string)
			i := strings.Index(s, sub)
			if i < 0 {
				return int64(0), nil
			}
			return int64(utf8.RuneCountInString(s[:i]) + 1), nil
		}}, nil
	case "now", "current_timestamp", "transaction_timestamp", "statement_timestamp", "clock_timestamp", "localtimestamp", "current_date":
		if len(args) != 0 {
			return nil, undefinedFunction(x.Name, args, x.Pos)
		}
		s := b.s
		t := types.New(types.TimestampTZ)
		switch x.Name {
		case "localtimestamp":
			t = types.New(types.Timestamp)
		case "current_date":
			t = types.New(types.Date)
		}
		clock := x.Name == "clock_timestamp"
		return &funcExpr{t: t, fn: func([]types.Datum) (types.Datum, error) {
			now := s.txnStart
			if clock || now.IsZero() {
				now = s.e.now()
			}
			now = now.UTC().Truncate(time.Microsecond)
			if t.ID == types.Date {
				return time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC), nil
			}
			return now, nil
		}}, nil
	case "timeofday":
		// The wall clock as text, in the session's time zone, as
		// PostgreSQL formats it.
		if len(args) != 0 {
			return nil, undefinedFunction(x.Name, args, x.Pos)
		}
		s, zone := b.s, b.zoneOf()
		return &funcExpr{t: textT, fn: func([]types.Datum) (types.Datum, error) {
			return s.e.now().In(zone()).Format("Mon Jan 02 15:04:05.000000 2006 MST"), nil
		}}, nil
	case "pg_export_snapshot":
		if len(args) != 0 {
			return nil, undefinedFunction(x.Name, args, x.Pos)
		}
		return &ctxFuncExpr{t: textT, fn: func(x *execCtx, _ []types.Datum) (types.Datum, error) { return pgExportSnapshot(x) }}, nil
	case "pg_is_in_recovery":
		// cairn has no standby mode: a server is always a primary.
		if len(args) != 0 {
			return nil, undefinedFunction(x.Name, args, x.Pos)
		}
		return &constExpr{t: types.New(types.Bool), v: false}, nil
	case "version":
		v := "PostgreSQL " + serverVersion + " (cairn) on x86_64-pc-linux-gnu, compiled by Go"
		return &constExpr{t: types.New(types.Text), v: v}, nil
	case "current_user", "user", "current_role":
		// Evaluated as the statement runs: SET ROLE does not bind again.
		return &ctxFuncExpr{t: types.New(types.SysName), fn: func(x *execCtx, _ []types.Datum) (types.Datum, error) { return x.s.currentUser(), nil }}, nil
	case "session_user":
		return &ctxFuncExpr{t: types.New(types.SysName), fn: func(x *execCtx, _ []types.Datum) (types.Datum, error) { return x.s.sessionUser(), nil }}, nil
	case "current_database":
		return &constExpr{t: types.New(types.Text), v: b.s.database}, nil
	case "current_schema":
		// The first schema of the path that exists, NULL when none.
		return &ctxFuncExpr{t: types.New(types.SysName), fn: func(x *execCtx, _ []types.Datum) (types.Datum, error) {
			schemas, err := x.s.pathSchemas(x.snap)
			if err != nil || len(schemas) == 0 {
				return nil, err
			}
			return schemas[0], nil
		}}, nil
	case "pg_trigger_depth":
		if len(args) != 0 {
			return nil, undefinedFunction(x.Name, args, x.Pos)
		}
		return &ctxFuncExpr{t: types.New(types.Int4), fn: func(x *execCtx, _ []types.Datum) (types.Datum, error) {
			return int64(x.s.triggerDepth), nil
		}}, nil
	case "pg_current_xact_id", "txid_current":
		// The statement's transaction id: every cairn transaction has one
		// from its start, where PostgreSQL assigns it at the first write
		// or at this call.
		if len(args) != 0 {
			return nil, undefinedFunction(x.Name, args, x.Pos)
		}
		t := types.New(types.XID8)
		if x.Name == "txid_current" {
			t = types.New(types.Int8)
		}
		return &ctxFuncExpr{t: t, fn: func(x *execCtx, _ []types.Datum) (types.Datum, error) { return int64(x.snap.XID), nil }}, nil
	case "pg_my_temp_schema":
		// The oid of the session's temporary schema, 0 before it has one.
		if len(args) != 0 {
			return nil, undefinedFunction(x.Name, args, x.Pos)
		}
		return &ctxFuncExpr{t: types.New(types.OID), fn: func(x *execCtx, _ []types.Datum) (types.Datum, error) {
			oid, _ := catalog.TempNamespaceOID(x.s.tempSchema())
			return oid, nil
		}}, nil
	case "pg_backend_pid":
		if len(args) != 0 {
			return nil, undefinedFunction(x.Name, args, x.Pos)
		}
		return &constExpr{t: types.New(types.Int4), v: int64(b.s.BackendPID())}, nil
	}
	if e, ok, err := b.bindPrivFunc(x.Name, args, x.Pos); ok {
		return e, err
	}
	if e, ok, err := b.bindJSONFunc(x.Name, args, x.Variadic, x.Pos); ok {
		return e, err
	}
	if e, ok, err := b.bindArrayFunc(x.Name, args, x.Pos); ok {
		return e, err
	}
	if e, ok, err := b.bindCatalogFunc(x.Name, args, x.Pos); ok {
		return e, err
	}
	if e, ok, err := b.bindSizeFunc(x.Name, args, x.Pos); ok {
		return e, err
	}
	if e, ok, err := b.bindProcFunc(x.Name, args, x.Pos); ok {
		return e, err
	}
	if x.Name == "pg_operator_is_visible" {
		return b.bindOperatorIsVisible(args, x.Pos)
	}
	if e, ok, err := b.bindNotifyFunc(x.Name, args, x.Pos); ok {
		return e, err
	}
	if e, ok, err := b.bindRandomFunc(x.Name, args, x.Pos); ok {
		return e, err
	}
	if e, ok, err := b.bindAdvisoryFunc(x.Name, args, x.Pos); ok {
		return e, err
	}
	if e, ok, err := b.bindStatStatementsFunc(x.Name, args, x.Pos); ok {
		return e, err
	}
	if e, ok, err := b.bindBackendFunc(x.Name, args, x.Pos); ok {
		return e, err
	}
	if e, ok, err := b.bindBackupFunc(x.Name, args, x.Pos); ok {
		return e, err
	}
	if e, ok, err := b.bindInetConnFunc(x.Name, args, x.Pos); ok {
		return e, err
	}
	if e, ok, err := b.bindSettingFunc(x.Name, args, x.Pos); ok {
		return e, err
	}
	return nil, undefinedFunction(x.Name, args, x.Pos)
}

// bindBuiltin binds a call of a function of package builtins: the
// overload PostgreSQL's resolution picks, with the arguments converted to
// its argument types.
func (b *binder) bindBuiltin(f *builtins.Func, args []expr, pos int32) (expr, error) {
	o, err := b.resolveArgs(f, args, pos)
	if err != nil {
		return nil, err
	}
	return &funcExpr{t: types.New(o.Result), args: args, strict: true, fn: o.Fn}, nil
}

// resolveArgs picks f's overload for args by PostgreSQL's resolution and
// converts args, in place, to its argument types.
func (b *binder) resolveArgs(f *builtins.Func, args []expr, pos int32) (*builtins.Overload, error) {
	argTypes := make([]types.T, len(args))
	for i, a := range args {
		argTypes[i] = a.Type()
	}
	o, err := f.Resolve(argTypes)
	if err != nil {
		return nil, pgerr.Find(err).WithPosition(pos)
	}
	for i, a := range args {
		if a.Type().ID != o.Args[i] {
			if args[i], err = b.cast(a, types.New(o.Args[i]), false, pos); err != nil {
				return nil, err
			}
		}
	}
	return o, nil
}

// textArgs resolves the arguments of a function that takes text: string
// types qualify and unknown literals become text, but, as in PostgreSQL,
// no other type converts implicitly. It reports whether all qualified.
func (b *binder) textArgs(args []expr) bool {
	for i, a := range args {
		switch {
		case a.Type().ID == types.Unknown, a.Type().ID == types.Bpchar:
			c, err := b.cast(a, types.New(types.Text), false, 0)
			if err != nil {
				return false
			}
			args[i] = c
		case !a.Type().IsString():
			return false
		}
	}
	return true
}

// serverVersion is the PostgreSQL version cairn answers as.
const serverVersion = "15.18"

func textFunc(name string, args []expr) expr {
	t := types.New(types.Text)
	switch name {
	case "length", "char_length", "character_length", "octet_length", "bit_length":
		t = types.New(types.Int4)
	}
	return &funcExpr{t: t, args: args, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
		s := a[0].(string)
		cut := " "
		if len(a) == 2 {
			cut = a[1].(string)
		}
		switch name {
		case "lower":
			return strings.ToLower(s), nil
		case "upper":
			return strings.ToUpper(s), nil
		case "length", "char_length", "character_length":
			return int64(utf8.RuneCountInString(s)), nil
		case "octet_length":
			return int64(len(s)), nil
		case "bit_length":
			return int64(len(s)) * 8, nil
		case "btrim", "trim":
			return strings.Trim(s, cut), nil
		case "ltrim":
			return strings.TrimLeft(s, cut), nil
		case "rtrim":
			return strings.TrimRight(s, cut), nil
		case "reverse":
			r := []rune(s)
			for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
				r[i], r[j] = r[j], r[i]
			}
			return string(r), nil
		}
		return md5Hex(s), nil
	}}
}

// replaceText is replace(s, from, to): every occurrence of from replaced,
// left to right. As in PostgreSQL, an empty s or from gives s, and the
// result is built as a string buffer is (enlargeText), so a result of
// allocBytesMax or more fails, naming the step that failed, before
// anything is allocated.
func replaceText(s, from, to string) (types.Datum, error) {
	if s == "" || from == "" {
		return s, nil
	}
	n := strings.Count(s, from)
	if n == 0 {
		return s, nil
	}
	if total := int64(len(s)) + int64(n)*(int64(len(to))-int64(len(from))); total >= allocBytesMax {
		// Find the append that fails: each chunk before a match, each
		// replacement, then the tail.
		have, rest := 0, s
		for {
			i := strings.Index(rest, from)
			if i < 0 {
				return nil, enlargeText(have, len(rest))
			}
			if err := enlargeText(have, i); err != nil {
				return nil, err
			}
			have += i
			if err := enlargeText(have, len(to)); err != nil {
				return nil, err
			}
			have += len(to)
			rest = rest[i+len(from):]
		}
	}
	return strings.ReplaceAll(s, from, to), nil
}

// repeatText is repeat(s, count): s count times, none for a negative
// count. Like PostgreSQL it refuses a result longer than repeatBytesMax
// with 54000 before allocating.
func repeatText(s string, count int64) (types.Datum, error) {
	if count < 0 {
		count = 0
	}
	if int64(len(s))*count > repeatBytesMax {
		return nil, pgerr.New(pgerr.ProgramLimitExceeded, "requested length too large")
	}
	return strings.Repeat(s, int(count)), nil
}

func addDays(d types.Datum, n int64) types.Datum {
	if types.Infinite(d.(time.Time)) != 0 {
		return d
	}
	return d.(time.Time).AddDate(0, 0, int(n))
}

func daysBetween(a, b types.Datum) (types.Datum, error) {
	if types.Infinite(a.(time.Time)) != 0 || types.Infinite(b.(time.Time)) != 0 {
		return nil, pgerr.New(pgerr.DatetimeFieldOverflow, "cannot subtract infinite dates")
	}
	return (a.(time.Time).Unix() - b.(time.Time).Unix()) / 86400, nil
}
