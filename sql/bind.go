package sql

import (
	"math"
	"strings"

	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/builtins"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/plpgsql"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// binder resolves names and types of one statement and builds its plan.
type binder struct {
	// userAggs are the user-defined aggregates' names by schema, read
	// from the catalog once per statement (agguser.go); nil until then.
	userAggs map[string]map[string]bool
	// userOps are the user-defined operators, read from the catalog once
	// per statement (operator.go); nil until then.
	userOps *[]catalog.OperatorEntry
	// srfArgs, when set, is the scope the arguments of the function
	// bindTableFunc binds see (bindSRFTarget).
	srfArgs *scope
	// lat is the FROM items to the left of the item being bound, which a
	// LATERAL item may name; latArgs the scope a function in FROM binds
	// its arguments in when it may read them (lateral.go).
	lat     *lateralCtx
	latArgs *scope
	// srfSlots are the set-returning calls of the select list being
	// bound, which read their current value (bindSRFTarget).
	srfSlots []srfSlot
	// sublinks counts the subqueries in expressions being bound.
	sublinks int
	// explain, while an EXPLAIN's statement is bound, records where the
	// plan's expressions and scans came from (explain.go).
	explain *explainRecorder
	// workRefs counts the references bound to recursive queries'
	// working tables (cte.go).
	workRefs int
	s        *Session
	snap     txn.Snapshot
	params   []types.T
	// paramRefs marks the parameters the statement refers to; untyped
	// are the uses of a parameter that took no type from where it stands
	// (IS NULL, pg_typeof), which PostgreSQL refuses (checkParams).
	paramRefs map[int]bool
	untyped   []*paramExpr
	depth     int
	// tables lists the descriptors the plan depends on.
	tables []*catalog.TableDesc
	// ctes are the WITH queries in view (cte.go).
	ctes *cteEnv
	// overrides replace catalog entries by name while binding: ALTER
	// TABLE binds the views on a table against the table as it would
	// become, to learn which of them use a column (viewsUsing).
	overrides map[string]*catalog.TableDesc
	// windowArgs, while an aggregate used as a window function is bound,
	// is the scope of its arguments (aggArgScope).
	windowArgs *scope
	// dmlTarget is the target of the UPDATE ... FROM, DELETE ... USING or
	// MERGE being bound, as its FROM item (dmljoin.go).
	dmlTarget *ast.TableRef
	// topWith is the statement's own WITH list, the one place
	// data-modifying WITH queries may appear; dmlCTEs are those bound, in
	// order, and dmlByDef finds them by definition (dmlcte.go).
	topWith  []*ast.CTE
	dmlCTEs  []*dmlCTE
	dmlByDef map[*ast.CTE]*dmlCTE
	// inDMLCTE is set while a data-modifying WITH query is bound.
	inDMLCTE bool
	// inhTarget is the member of an inheritance hierarchy or partitioned
	// table a part of an UPDATE or DELETE is bound against
	// (inherit_dml.go).
	inhTarget *inhTarget
	// perms are what the statement needs of the relations it names,
	// colUse the columns it reads by table, viewOwner the owner of the
	// view being expanded (privileges.go).
	perms     []*relPerm
	colUse    map[uint32]map[int]bool
	viewOwner uint32
	// rls is the state of binding row security policies
	// (rowsecurity.go).
	rls *rlsState
	// plNames resolves the names of PL/pgSQL variables in a statement
	// of a body (plpgsql_bind.go).
	plNames plpgsql.Resolver
	// routineParams name $1, $2, ... in a routine's body: a name that
	// is no column resolves to the parameter (funcruntime.go).
	routineParams []string
	// routinesUsed are the user-defined routines the calls bound so far
	// run (funccall.go).
	routinesUsed []*catalog.FuncDesc
	// outerAgg places aggregates of enclosing query levels (aggouter.go).
	outerAgg outerAggState
	// directArgs, when set, is the scope ordered-set aggregates' direct
	// arguments bind in (aggordered_sets.go).
	directArgs *scope
}

func (b *binder) enter() error {
	b.depth++
	if b.depth > exprDepthMax {
		return tooDeep()
	}
	return nil
}

func (b *binder) leave() { b.depth-- }

// lookupTable finds the relation a query or DML statement names: a name
// in a schema that does not exist is 42P01 there, as PostgreSQL's parser
// reports it.
func (b *binder) lookupTable(ref ast.TableRef) (*catalog.TableDesc, error) {
	desc, err := b.lookupTableStrict(ref)
	if pgerr.Code(err) == pgerr.InvalidSchemaName {
		return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", catalog.DisplayName(ref.Name)).WithPosition(ref.Pos)
	}
	if err == nil && desc.Temp() && desc.Schema != b.s.tempSchema() {
		// Another session's: its rows are that session's alone.
		return nil, pgerr.New(pgerr.FeatureNotSupported, "cannot access temporary tables of other sessions").WithPosition(ref.Pos)
	}
	return desc, err
}

// lookupTableStrict is lookupTable for the utility statements (TRUNCATE,
// COPY, LOCK, ALTER), where a missing schema is 3F000.
func (b *binder) lookupTableStrict(ref ast.TableRef) (*catalog.TableDesc, error) {
	desc, _, err := b.s.lookupRel(b.snap, ref.Name)
	if err != nil {
		if pe := pgerr.Find(err); pe != nil && pe.Position == 0 {
			pe.Position = ref.Pos
		}
		return nil, err
	}
	if desc != nil {
		if o, ok := b.overrides[desc.Key()]; ok {
			desc = o
		}
	}
	if desc == nil {
		return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", catalog.DisplayName(ref.Name)).WithPosition(ref.Pos)
	}
	if desc.IndexOf != "" {
		return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is an index", desc.Name).WithPosition(ref.Pos)
	}
	b.tables = append(b.tables, desc)
	return desc, nil
}

// bindExpr binds e in scope sc. A strict operator or function with a NULL
// constant argument folds to NULL without evaluating the rest, as
// PostgreSQL's constant folding does (so `x / 0 = NULL` raises nothing).
func (b *binder) bindExpr(e ast.Expr, sc *scope) (expr, error) {
	out, err := b.bindExprUnfolded(e, sc)
	if err != nil {
		return nil, err
	}
	if b.explain != nil {
		b.explain.noteExpr(out, e, sc)
	}
	if f, ok := out.(*funcExpr); ok && f.strict {
		for _, a := range f.args {
			if c, ok := a.(*constExpr); ok && c.v == nil {
				return &constExpr{t: f.t}, nil
			}
		}
	}
	return out, nil
}

func (b *binder) bindExprUnfolded(e ast.Expr, sc *scope) (expr, error) {
	if err := b.enter(); err != nil {
		return nil, err
	}
	defer b.leave()
	if f, ok := e.(*ast.FuncCall); ok && f.Over != nil {
		return b.bindWindowCall(f, sc)
	}
	if sc != nil && sc.agg != nil {
		if out, ok, err := b.bindGrouped(e, sc); ok || err != nil {
			return out, err
		}
	}
	switch x := e.(type) {
	case *ast.GroupingFunc:
		return b.bindGroupingFunc(x, sc)
	case *ast.Literal:
		return bindLiteral(x)
	case *ast.ColumnRef:
		if x.Column == "*" {
			return b.bindStarRecord(x, sc)
		}
		e, err := b.bindColumn(x, sc)
		if pgerr.Code(err) == pgerr.UndefinedColumn {
			if p, ok := b.routineParam(x); ok {
				return p, nil
			}
			// A name that is no column may name a FROM item: its row.
			if table, whole := wholeRowTable(x, sc); whole {
				return b.bindWholeRowRecord(table, sc, x.Pos)
			}
		}
		return e, err
	case *ast.ParamRef:
		for len(b.params) < x.N {
			b.params = append(b.params, types.New(types.Unknown))
		}
		if b.paramRefs == nil {
			b.paramRefs = make(map[int]bool)
		}
		b.paramRefs[x.N] = true
		return &paramExpr{b: b, n: x.N, pos: x.Pos}, nil
	case *ast.UnaryExpr:
		return b.bindUnary(x, sc)
	case *ast.BinaryExpr:
		lrow, lok := x.L.(*ast.RowExpr)
		rrow, rok := x.R.(*ast.RowExpr)
		if lok && rok {
			return b.bindRowComparison(x.Op, lrow, rrow, sc, x.Pos)
		}
		if err := rowSubqueryComparison(x); err != nil {
			return nil, err
		}
		l, err := b.bindExpr(x.L, sc)
		if err != nil {
			return nil, err
		}
		r, err := b.bindExpr(x.R, sc)
		if err != nil {
			return nil, err
		}
		return b.bindOperator(x.Op, l, r, x.Pos)
	case *ast.IsExpr:
		return b.bindIs(x, sc)
	case *ast.FuncCall:
		if isAggregateCall(x) {
			if e, ok, err := b.bindOuterAggregate(x, sc); ok || err != nil {
				return e, err
			}
			return nil, pgerr.New(pgerr.GroupingError, "aggregate functions are not allowed here").WithPosition(x.Pos)
		}
		return b.bindFunc(x, sc)
	case *ast.CastExpr:
		var inner expr
		var err error
		if a, ok := x.X.(*ast.ArrayExpr); ok && len(a.Items) == 0 && x.Type.Array {
			// ARRAY[]::t[] is the empty array of type t[].
			inner = &constExpr{t: types.New(types.Unknown), v: "{}"}
		} else if inner, err = b.bindCastOperand(x, sc); err != nil {
			return nil, err
		}
		if out, ok, err := b.bindCatalogCast(inner, x.Type); ok {
			return out, err
		}
		if out, ok, err := bindRecordCast(inner, x.Type, x.X.Position()); ok {
			return out, err
		}
		t, dom, err := b.resolveType(x.Type)
		if err != nil {
			return nil, err
		}
		out, err := b.cast(inner, t, true, x.Pos)
		if err != nil || dom == nil {
			return out, err
		}
		return b.toDomain(out, dom)
	case *ast.CaseExpr:
		return b.bindCase(x, sc)
	case *ast.RowExpr:
		return b.bindRowValue(x, sc)
	case *ast.FieldExpr:
		return b.bindField(x, sc)
	case *ast.CollateExpr:
		inner, err := b.bindExpr(x.X, sc)
		if err != nil {
			return nil, err
		}
		if !inner.Type().IsString() {
			return nil, pgerr.New(pgerr.DatatypeMismatch, "collations are not supported by type %s", inner.Type().Name()).WithPosition(x.Pos)
		}
		if inner.Type().ID == types.Unknown {
			return b.cast(inner, types.New(types.Text), false, x.Pos)
		}
		return inner, nil
	case *ast.InExpr:
		return b.bindIn(x, sc)
	case *ast.BetweenExpr:
		lo := &ast.BinaryExpr{Op: ">=", L: x.X, R: x.Lo, Pos: x.Pos}
		hi := &ast.BinaryExpr{Op: "<=", L: x.X, R: x.Hi, Pos: x.Pos}
		var both ast.Expr = &ast.BinaryExpr{Op: "AND", L: lo, R: hi, Pos: x.Pos}
		if x.Symmetric {
			lo := &ast.BinaryExpr{Op: ">=", L: x.X, R: x.Hi, Pos: x.Pos}
			hi := &ast.BinaryExpr{Op: "<=", L: x.X, R: x.Lo, Pos: x.Pos}
			swapped := &ast.BinaryExpr{Op: "AND", L: lo, R: hi, Pos: x.Pos}
			both = &ast.BinaryExpr{Op: "OR", L: both, R: swapped, Pos: x.Pos}
		}
		if x.Not {
			both = &ast.UnaryExpr{Op: "NOT", X: both, Pos: x.Pos}
		}
		return b.bindExpr(both, sc)
	case *ast.SubqueryExpr:
		return b.bindSubquery(x, sc)
	case *ast.ArrayExpr:
		return b.bindArrayExpr(x, sc)
	case *ast.SubscriptExpr:
		return b.bindSubscript(x, sc)
	case *ast.DefaultExpr:
		return nil, pgerr.New(pgerr.SyntaxError, "DEFAULT is not allowed in this context").WithPosition(x.Pos)
	}
	return nil, pgerr.New(pgerr.FeatureNotSupported, "expression %T is not supported", e)
}

func bindLiteral(x *ast.Literal) (expr, error) {
	switch x.Kind {
	case "null":
		return &constExpr{t: types.New(types.Unknown)}, nil
	case "bool":
		return &constExpr{t: types.New(types.Bool), v: x.Bool}, nil
	case "string":
		return &constExpr{t: types.New(types.Unknown), v: x.Text, pos: x.Pos}, nil
	case "int", "float":
		t, v, err := types.NumberLiteral(x.Text)
		if err != nil {
			return nil, pgerr.Find(err).WithPosition(x.Pos)
		}
		return &constExpr{t: t, v: v}, nil
	}
	return nil, pgerr.New(pgerr.InternalError, "unknown literal kind %s", x.Kind)
}

func (b *binder) bindColumn(x *ast.ColumnRef, sc *scope) (expr, error) {
	if b.plNames != nil {
		if e, ok, err := b.bindPLVar(x, sc); ok || err != nil {
			return e, err
		}
	}
	if sc == nil {
		return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" does not exist", x.Column).WithPosition(x.Pos)
	}
	idx, level, found, err := sc.resolve(x)
	if err != nil {
		return nil, err
	}
	b.noteColumnScope(found, x.Pos)
	if found.agg != nil && b.outerAgg.refSeen == nil {
		// A column of an aggregating query level, named from a subquery:
		// it must be one of that level's GROUP BY columns.
		pos, ok := found.agg.groupCol[idx]
		if !ok {
			return nil, ungrouped(x, found.cols[idx])
		}
		return &colExpr{t: found.cols[idx].t, idx: pos, level: level}, nil
	}
	b.noteColumn(found.cols[idx].tableID, found.cols[idx].attr)
	return &colExpr{t: found.cols[idx].t, idx: idx, level: level}, nil
}

func ungrouped(x *ast.ColumnRef, c scopeCol) error {
	name := c.name
	if c.table != "" {
		name = c.table + "." + c.name
	}
	return pgerr.New(pgerr.GroupingError, "column \"%s\" must appear in the GROUP BY clause or be used in an aggregate function", name).WithPosition(x.Pos)
}

// bindGrouped binds e in an aggregating scope when e is a GROUP BY
// expression or an aggregate call; ok is false for other expressions.
func (b *binder) bindGrouped(e ast.Expr, sc *scope) (expr, bool, error) {
	a := sc.agg
	key := exprKey(e)
	for i, k := range a.keys {
		if k == key {
			return &colExpr{t: a.groups[i].Type(), idx: i}, true, nil
		}
	}
	switch x := e.(type) {
	case *ast.FuncCall:
		if !isAggregateCall(x) {
			return nil, false, nil
		}
		if j, ok := a.aggKey[key]; ok {
			return &colExpr{t: a.aggs[j].t, idx: len(a.groups) + j}, true, nil
		}
		if sc.parent != nil && b.windowArgs == nil {
			if e, ok, err := b.bindOuterAggregate(x, sc); ok || err != nil {
				return e, true, err
			}
		}
		// An aggregate inside a window aggregate's arguments takes its
		// own arguments from the FROM rows, not the groups.
		if x.WithinGroup {
			if err := b.checkDirectArgsGrouped(x, a); err != nil {
				return nil, true, err
			}
		}
		saved := b.windowArgs
		b.windowArgs = nil
		spec, err := b.bindAggregate(x, a.from)
		b.windowArgs = saved
		if err != nil {
			return nil, true, err
		}
		if x.WithinGroup {
			if err := b.bindGroupedDirectArgs(x, spec, sc); err != nil {
				return nil, true, err
			}
		}
		a.aggs = append(a.aggs, spec)
		a.aggKey[key] = len(a.aggs) - 1
		return &colExpr{t: spec.t, idx: len(a.groups) + len(a.aggs) - 1}, true, nil
	case *ast.ColumnRef:
		idx, level, found, err := sc.resolve(x)
		if err != nil {
			if pgerr.Code(err) == pgerr.UndefinedColumn && (b.plNames != nil || b.routineParams != nil) {
				// A routine's parameter or a PL/pgSQL variable.
				return nil, false, nil
			}
			return nil, true, err
		}
		if level > 0 {
			return nil, false, nil
		}
		if pos, ok := a.groupCol[idx]; ok {
			return &colExpr{t: found.cols[idx].t, idx: pos}, true, nil
		}
		return nil, true, ungrouped(x, found.cols[idx])
	}
	return nil, false, nil
}

func (b *binder) bindUnary(x *ast.UnaryExpr, sc *scope) (expr, error) {
	inner, err := b.bindExpr(x.X, sc)
	if err != nil {
		return nil, err
	}
	if x.Op != "NOT" {
		if e, ok, err := b.bindUserOperator(x.Op, nil, inner, x.Pos, false); ok || err != nil {
			return e, err
		}
	}
	e, err := b.bindBuiltinUnary(x, inner)
	if x.Op != "NOT" && pgerr.Code(err) == pgerr.UndefinedFunction {
		if e, ok, uerr := b.bindUserOperator(x.Op, nil, inner, x.Pos, true); ok || uerr != nil {
			return e, uerr
		}
	}
	return e, err
}

// bindBuiltinUnary binds the prefix operator x.Op on inner as a built-in one.
func (b *binder) bindBuiltinUnary(x *ast.UnaryExpr, inner expr) (expr, error) {
	var err error
	switch x.Op {
	case "~":
		if isAddressType(inner.Type()) {
			f, _ := builtins.LookupOperator("~", true)
			return b.bindBuiltin(f, []expr{inner}, x.Pos)
		}
		return b.bindBitNot(inner, x.Pos)
	case "NOT":
		inner, err = b.coerce(inner, types.New(types.Bool), "argument of NOT", x.Pos)
		if err != nil {
			return nil, err
		}
		return &funcExpr{t: types.New(types.Bool), args: []expr{inner}, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
			return !a[0].(bool), nil
		}}, nil
	case "+":
		if inner.Type().ID == types.Interval {
			return inner, nil
		}
		return b.bindOperator("+", &constExpr{t: types.New(types.Int4), v: int64(0)}, inner, x.Pos)
	case "@":
		// Prefix @ is abs, for each numeric type; an untyped operand is
		// double precision, the preferred one.
		if inner.Type().ID == types.Unknown {
			if inner, err = b.cast(inner, types.New(types.Float8), false, x.Pos); err != nil {
				return nil, err
			}
		}
		if inner.Type().IsNumeric() {
			f, _ := builtins.Lookup("abs")
			return b.bindBuiltin(f, []expr{inner}, x.Pos)
		}
	case "-":
		if inner.Type().ID == types.Interval {
			return b.bindIntervalNegation(inner), nil
		}
		if c, ok := inner.(*constExpr); ok {
			switch v := c.v.(type) {
			case int64:
				if v == -math.MinInt32 && c.t.ID == types.Int8 {
					if _, lit := x.X.(*ast.Literal); lit {
						return &constExpr{t: types.New(types.Int4), v: -v}, nil
					}
				}
				if v == math.MinInt64 {
					return nil, types.IntOutOfRange(c.t)
				}
				n, err := types.CheckInt(c.t, -v)
				if err != nil {
					return nil, err
				}
				return &constExpr{t: c.t, v: n}, nil
			case *apd.Decimal:
				n := new(apd.Decimal).Neg(v)
				// -9223372036854775808 written as a literal is an int8;
				// a negated numeric expression stays numeric.
				if _, lit := x.X.(*ast.Literal); lit && n.Exponent >= 0 {
					if i, err := n.Int64(); err == nil {
						return &constExpr{t: types.New(types.Int8), v: i}, nil
					}
				}
				return &constExpr{t: c.t, v: n}, nil
			}
		}
		if inner.Type().ID == types.Unknown {
			if _, param := inner.(*paramExpr); !param {
				return nil, notUnique(x.Op+" "+inner.Type().Name(), x.Pos)
			}
			if inner, err = b.cast(inner, types.New(types.Float8), false, x.Pos); err != nil {
				return nil, err
			}
		}
		if !inner.Type().IsNumeric() {
			return nil, pgerr.New(pgerr.UndefinedFunction, "operator does not exist: - %s", inner.Type().Name()).WithPosition(x.Pos)
		}
		if id := inner.Type().ID; id == types.Float4 || id == types.Float8 {
			// float4um and float8um negate: -0 stays apart from 0.
			return &funcExpr{t: types.Base(inner.Type()), args: []expr{inner}, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
				return -a[0].(float64), nil
			}}, nil
		}
		zero, _ := b.cast(&constExpr{t: types.New(types.Int2), v: int64(0)}, inner.Type(), false, x.Pos)
		return b.bindOperator("-", zero, inner, x.Pos)
	}
	if f, ok := builtins.LookupOperator(x.Op, true); ok {
		return b.bindBuiltin(f, []expr{inner}, x.Pos)
	}
	return nil, pgerr.New(pgerr.UndefinedFunction, "operator does not exist: %s %s", x.Op, inner.Type().Name()).WithPosition(x.Pos)
}

// unify picks the common type of two operands and casts both to it; an
// operand of unknown type takes the other's type.
func (b *binder) unify(l, r expr, op string, pos int32) (expr, expr, types.T, error) {
	lt, rt := l.Type(), r.Type()
	var err error
	switch {
	case lt.ID == types.Unknown && rt.ID == types.Unknown:
		t := types.New(types.Text)
		if l, err = b.cast(l, t, false, pos); err != nil {
			return nil, nil, types.T{}, err
		}
		r, err = b.cast(r, t, false, pos)
		return l, r, t, err
	case lt.ID == types.Cidr && (rt.ID == types.Unknown || rt.ID == types.Cidr), lt.ID == types.Unknown && rt.ID == types.Cidr:
		// cidr has no comparison operators of its own: it meets an
		// untyped literal (so '10.1.2.3/8' is no cidr error) and another
		// cidr as inet, and nullif's result is inet.
		t := types.New(types.Inet)
		if l, err = b.cast(l, t, false, pos); err != nil {
			return nil, nil, types.T{}, err
		}
		r, err = b.cast(r, t, false, pos)
		return l, r, t, err
	case lt.ID == types.Unknown:
		l, err = b.castUnknown(l, types.Base(rt), pos)
		return l, r, types.Base(rt), err
	case rt.ID == types.Unknown:
		r, err = b.castUnknown(r, types.Base(lt), pos)
		return l, r, types.Base(lt), err
	case (lt.IsOIDLike() || rt.IsOIDLike()) && (lt.IsOIDLike() || lt.IsInteger()) && (rt.IsOIDLike() || rt.IsInteger()):
		if lt.ID == rt.ID {
			return l, r, lt, nil
		}
		// PostgreSQL's implicit casts: the integers become oid (an int8
		// outside its range is an error), and a reg value is its oid.
		t := types.New(types.OID)
		if l, err = b.cast(l, t, false, pos); err != nil {
			return nil, nil, types.T{}, err
		}
		r, err = b.cast(r, t, false, pos)
		return l, r, t, err
	case lt.IsNumeric() && rt.IsNumeric():
		t := lt
		if types.NumericRank(rt.ID) > types.NumericRank(lt.ID) {
			t = rt
		}
		t = types.Base(t)
		if t.ID == types.Float4 && lt.ID != rt.ID {
			// float4 meets any other number as float8, as PostgreSQL's
			// operators resolve (float48pl, and int4 + float4).
			t = types.New(types.Float8)
		}
		if l, err = b.cast(l, t, false, pos); err != nil {
			return nil, nil, types.T{}, err
		}
		r, err = b.cast(r, t, false, pos)
		return l, r, t, err
	case lt.IsString() && rt.IsString():
		return b.unifyStrings(l, r, pos)
	case lt.IsTime() && rt.IsTime():
		t := lt
		if rt.ID == types.TimestampTZ || (rt.ID == types.Timestamp && lt.ID == types.Date) {
			t = rt
		}
		if l, err = b.cast(l, t, false, pos); err != nil {
			return nil, nil, types.T{}, err
		}
		r, err = b.cast(r, t, false, pos)
		return l, r, t, err
	case lt.ID == rt.ID:
		return l, r, lt, nil
	}
	if l, r, t, ok, err := b.unifyImplicit(l, r, op, pos); ok {
		return l, r, t, err
	}
	return nil, nil, types.T{}, pgerr.New(pgerr.UndefinedFunction, "operator does not exist: %s %s %s", b.typeName(lt), op, b.typeName(rt)).
		WithHint("No operator matches the given name and argument types. You might need to add explicit type casts.").WithPosition(pos)
}

// notUnique is PostgreSQL's error for an operator applied to operands of
// unknown type only ('a' + 'b'), where several candidates fit equally.
func notUnique(what string, pos int32) error {
	return pgerr.New(pgerr.AmbiguousFunction, "operator is not unique: %s", what).
		WithHint("Could not choose a best candidate operator. You might need to add explicit type casts.").WithPosition(pos)
}

func (b *binder) bindOperator(op string, l, r expr, pos int32) (expr, error) {
	if e, ok, err := b.bindUserOperator(op, l, r, pos, false); ok || err != nil {
		return e, err
	}
	e, err := b.bindBuiltinOperator(op, l, r, pos)
	if code := pgerr.Code(err); code == pgerr.UndefinedFunction || code == pgerr.AmbiguousFunction {
		if e, ok, uerr := b.bindUserOperator(op, l, r, pos, true); ok || uerr != nil {
			return e, uerr
		}
	}
	return e, err
}

// bindBuiltinOperator binds op between l and r as a built-in operator.
func (b *binder) bindBuiltinOperator(op string, l, r expr, pos int32) (expr, error) {
	if e, ok, err := b.bindJSONOperator(op, l, r, pos); ok {
		return e, err
	}
	if e, ok, err := b.bindNetworkOperator(op, l, r, pos); ok {
		return e, err
	}
	if e, ok, err := b.bindGeoOperator(op, l, r, pos); ok {
		return e, err
	}
	if isBitwiseOp(op) {
		return b.bindBitwise(op, l, r, pos)
	}
	if (l.Type().ID == types.XID || r.Type().ID == types.XID) && (op == "<" || op == ">" || op == "<=" || op == ">=") {
		// xid is a counter that wraps around: it has equality only.
		return nil, pgerr.New(pgerr.UndefinedFunction, "operator does not exist: %s %s %s", b.typeName(l.Type()), op, b.typeName(r.Type())).
			WithHint("No operator matches the given name and argument types. You might need to add explicit type casts.").WithPosition(pos)
	}
	var err error
	switch op {
	case "~<~", "~<=~", "~>=~", "~>~":
		// The text_pattern_ops operators compare byte by byte, as cairn
		// compares text under any collation.
		if lt, rt := l.Type(), r.Type(); lt.IsString() && rt.IsString() && lt.ID != types.Char && rt.ID != types.Char {
			text := types.New(types.Text)
			if l, err = b.cast(l, text, false, pos); err != nil {
				return nil, err
			}
			if r, err = b.cast(r, text, false, pos); err != nil {
				return nil, err
			}
			return b.bindOperator(op[1:len(op)-1], l, r, pos)
		}
	case "AND", "OR":
		if l, err = b.coerce(l, types.New(types.Bool), "argument of "+op, pos); err != nil {
			return nil, err
		}
		if r, err = b.coerce(r, types.New(types.Bool), "argument of "+op, pos); err != nil {
			return nil, err
		}
		if op == "AND" {
			return &andExpr{l: l, r: r}, nil
		}
		return &orExpr{l: l, r: r}, nil
	case "=", "<>", "!=", "<", "<=", ">", ">=":
		if e, ok, err := b.bindRecordComparison(op, l, r, pos); ok {
			return e, err
		}
		var t types.T
		if l, r, t, err = b.unify(l, r, op, pos); err != nil {
			return nil, err
		}
		cmp := comparison(op)
		if t.ID == types.Bpchar {
			return &funcExpr{t: types.New(types.Bool), args: []expr{l, r}, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
				return cmp(types.CompareBpchar(a[0], a[1])), nil
			}}, nil
		}
		return &funcExpr{t: types.New(types.Bool), args: []expr{l, r}, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
			return cmp(types.Compare(a[0], a[1])), nil
		}}, nil
	case "LIKE", "NOT LIKE", "ILIKE", "NOT ILIKE":
		if e, ok, err := b.bindByteaLike(op, l, r, pos); ok {
			return e, err
		}
		if l, err = b.coerceText(l, pos); err != nil {
			return nil, err
		}
		if r, err = b.coerceText(r, pos); err != nil {
			return nil, err
		}
		e := &likeExpr{x: l, pat: r, not: strings.HasPrefix(op, "NOT"), fold: strings.HasSuffix(op, "ILIKE")}
		if c, ok := r.(*constExpr); ok && c.v != nil {
			if e.compiled, err = likeRegexp(c.v.(string), e.fold); err != nil {
				return nil, err
			}
		}
		return e, nil
	case "||":
		if l.Type().IsArray() || r.Type().IsArray() {
			return b.bindArrayConcat(l, r, pos)
		}
		if e, ok, err := b.bindByteaConcat(l, r, pos); ok {
			return e, err
		}
		if !l.Type().IsString() && !r.Type().IsString() {
			// text || anynonarray needs a string on one side.
			return nil, pgerr.New(pgerr.UndefinedFunction, "operator does not exist: %s || %s", l.Type().Name(), r.Type().Name()).
				WithHint("No operator matches the given name and argument types. You might need to add explicit type casts.").WithPosition(pos)
		}
		if l, err = b.coerceText(l, pos); err != nil {
			return nil, err
		}
		if r, err = b.coerceText(r, pos); err != nil {
			return nil, err
		}
		return &funcExpr{t: types.New(types.Text), args: []expr{l, r}, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
			// PostgreSQL's textcat fails with XX000 "invalid memory
			// alloc request size" past 1 GB; cairn answers as its string
			// buffers do, with 54000.
			return concatTexts(a[0].(string), a[1].(string))
		}}, nil
	case "+", "-", "*", "/", "%", "^":
		return b.bindArith(op, l, r, pos)
	case "@>", "<@", "&&":
		if l.Type().IsArray() || r.Type().IsArray() {
			return b.bindArrayContainment(op, l, r, pos)
		}
	case "~", "~*", "!~", "!~*":
		return b.bindRegexMatch(op, l, r, pos)
	}
	if f, ok := builtins.LookupOperator(op, false); ok {
		return b.bindBuiltin(f, []expr{l, r}, pos)
	}
	return nil, pgerr.New(pgerr.UndefinedFunction, "operator does not exist: %s %s %s", b.typeName(l.Type()), op, b.typeName(r.Type())).
		WithHint("No operator matches the given name and argument types. You might need to add explicit type casts.").WithPosition(pos)
}

// bindRowComparison compares two rows as PostgreSQL does: = and <> pair
// up the columns (AND and OR of the pairs); an ordering operator compares
// column by column and is decided by the first unequal pair, or is NULL
// when a NULL comes before that pair.
func (b *binder) bindRowComparison(op string, l, r *ast.RowExpr, sc *scope, pos int32) (expr, error) {
	if len(l.Items) != len(r.Items) {
		return nil, pgerr.New(pgerr.SyntaxError, "unequal number of entries in row expressions").WithPosition(pos)
	}
	switch op {
	case "=", "<>", "!=":
		join := "AND"
		if op != "=" {
			join = "OR"
		}
		var e ast.Expr
		for i := range l.Items {
			var pair ast.Expr = &ast.BinaryExpr{Op: op, L: l.Items[i], R: r.Items[i], Pos: pos}
			if e != nil {
				pair = &ast.BinaryExpr{Op: join, L: e, R: pair, Pos: pos}
			}
			e = pair
		}
		if e == nil {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "cannot compare rows of zero length").WithPosition(pos)
		}
		return b.bindExpr(e, sc)
	case "<", "<=", ">", ">=":
	default:
		return nil, pgerr.New(pgerr.UndefinedFunction, "operator %s is not supported for row comparisons", op).WithPosition(pos)
	}
	n := len(l.Items)
	args := make([]expr, 2*n)
	for i := range l.Items {
		x, err := b.bindExpr(l.Items[i], sc)
		if err != nil {
			return nil, err
		}
		y, err := b.bindExpr(r.Items[i], sc)
		if err != nil {
			return nil, err
		}
		if args[i], args[n+i], _, err = b.unify(x, y, op, pos); err != nil {
			return nil, err
		}
	}
	cmp := comparison(op)
	return &funcExpr{t: types.New(types.Bool), args: args, fn: func(a []types.Datum) (types.Datum, error) {
		for i := 0; i < n; i++ {
			if a[i] == nil || a[n+i] == nil {
				return nil, nil
			}
			if c := types.Compare(a[i], a[n+i]); c != 0 {
				return cmp(c), nil
			}
		}
		return cmp(0), nil
	}}, nil
}

func comparison(op string) func(int) bool {
	switch op {
	case "=":
		return func(c int) bool { return c == 0 }
	case "<>", "!=":
		return func(c int) bool { return c != 0 }
	case "<":
		return func(c int) bool { return c < 0 }
	case "<=":
		return func(c int) bool { return c <= 0 }
	case ">":
		return func(c int) bool { return c > 0 }
	}
	return func(c int) bool { return c >= 0 }
}

func (b *binder) coerceText(e expr, pos int32) (expr, error) {
	if e.Type().IsString() {
		if e.Type().ID == types.Unknown || e.Type().ID == types.Bpchar {
			return b.cast(e, types.New(types.Text), false, pos)
		}
		return e, nil
	}
	return b.cast(e, types.New(types.Text), true, pos)
}

func (b *binder) bindArith(op string, l, r expr, pos int32) (expr, error) {
	lt, rt := l.Type(), r.Type()
	if e, ok, err := b.bindDatetimeArith(op, l, r, pos); ok {
		return e, err
	}
	// date arithmetic
	if lt.ID == types.Date && (rt.IsInteger() || rt.ID == types.Unknown) && (op == "+" || op == "-") {
		r, err := b.cast(r, types.New(types.Int4), false, pos)
		if err != nil {
			return nil, err
		}
		sign := int64(1)
		if op == "-" {
			sign = -1
		}
		return &funcExpr{t: types.New(types.Date), args: []expr{l, r}, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
			return addDays(a[0], sign*a[1].(int64)), nil
		}}, nil
	}
	if lt.ID == types.Date && rt.ID == types.Date && op == "-" {
		return &funcExpr{t: types.New(types.Int4), args: []expr{l, r}, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
			return daysBetween(a[0], a[1])
		}}, nil
	}
	if lt.ID == types.Unknown && rt.ID == types.Unknown {
		_, lp := l.(*paramExpr)
		_, rp := r.(*paramExpr)
		if !lp && !rp {
			return nil, notUnique(lt.Name()+" "+op+" "+rt.Name(), pos)
		}
		var err error
		if l, err = b.cast(l, types.New(types.Numeric), false, pos); err != nil {
			return nil, err
		}
		if r, err = b.cast(r, types.New(types.Numeric), false, pos); err != nil {
			return nil, err
		}
	}
	l, r, t, err := b.unify(l, r, op, pos)
	if err != nil {
		return nil, err
	}
	if !t.IsNumeric() {
		return nil, pgerr.New(pgerr.UndefinedFunction, "operator does not exist: %s %s %s", lt.Name(), op, rt.Name()).
			WithHint("No operator matches the given name and argument types. You might need to add explicit type casts.").WithPosition(pos)
	}
	var fn func([]types.Datum) (types.Datum, error)
	switch {
	case t.IsInteger():
		if op == "^" {
			t = types.New(types.Float8)
			fn = builtins.FloatArith(op)
			break
		}
		fn = builtins.IntArith(op, t)
	case t.ID == types.Float4 && op == "^":
		// Only dpow exists: float4 ^ float4 is double precision.
		t = types.New(types.Float8)
		fn = builtins.FloatArith(op)
	case t.ID == types.Float4:
		if op == "%" {
			return nil, pgerr.New(pgerr.UndefinedFunction, "operator does not exist: real %% real").
				WithHint("No operator matches the given name and argument types. You might need to add explicit type casts.").WithPosition(pos)
		}
		fn = builtins.Float4Arith(op)
	case t.ID == types.Float8:
		fn = builtins.FloatArith(op)
	default:
		fn = builtins.NumericArith(op)
	}
	return &funcExpr{t: t, args: []expr{l, r}, strict: true, fn: fn}, nil
}

func (b *binder) bindIs(x *ast.IsExpr, sc *scope) (expr, error) {
	inner, err := b.bindExpr(x.X, sc)
	if err != nil {
		return nil, err
	}
	not := x.Not
	switch x.What {
	case "NULL":
		b.noteUntyped(inner)
		if inner.Type().ID == types.Record {
			return recordIsNull(inner, not), nil
		}
		return &funcExpr{t: types.New(types.Bool), args: []expr{inner}, fn: func(a []types.Datum) (types.Datum, error) {
			return (a[0] == nil) != not, nil
		}}, nil
	case "TRUE", "FALSE", "UNKNOWN":
		if inner, err = b.coerce(inner, types.New(types.Bool), "argument of IS "+x.What, x.Pos); err != nil {
			return nil, err
		}
		want := x.What
		return &funcExpr{t: types.New(types.Bool), args: []expr{inner}, fn: func(a []types.Datum) (types.Datum, error) {
			var r bool
			switch want {
			case "TRUE":
				r = a[0] == true
			case "FALSE":
				r = a[0] == false
			default:
				r = a[0] == nil
			}
			return r != not, nil
		}}, nil
	case "DISTINCT":
		other, err := b.bindExpr(x.Y, sc)
		if err != nil {
			return nil, err
		}
		l, r, _, err := b.unify(inner, other, "IS DISTINCT FROM", x.Pos)
		if err != nil {
			return nil, err
		}
		return &funcExpr{t: types.New(types.Bool), args: []expr{l, r}, fn: func(a []types.Datum) (types.Datum, error) {
			var distinct bool
			switch {
			case a[0] == nil && a[1] == nil:
				distinct = false
			case a[0] == nil || a[1] == nil:
				distinct = true
			default:
				distinct = types.Compare(a[0], a[1]) != 0
			}
			return distinct != not, nil
		}}, nil
	}
	return nil, pgerr.New(pgerr.FeatureNotSupported, "IS %s is not supported", x.What)
}

// coerce converts e to type t where PostgreSQL would do so implicitly
// (unknown literals and parameters, integer widening).
func (b *binder) coerce(e expr, t types.T, what string, pos int32) (expr, error) {
	et := e.Type()
	if et.ID == t.ID {
		return e, nil
	}
	if et.ID == types.Unknown && t.IsReg() {
		return b.castUnknown(e, t, pos)
	}
	if et.ID == types.Unknown || (et.IsNumeric() && t.IsNumeric() && types.NumericRank(et.ID) <= types.NumericRank(t.ID)) ||
		t.ID == types.OID && (et.IsInteger() || et.IsReg()) || t.ID == types.SysName && et.IsString() {
		return b.cast(e, t, false, pos)
	}
	return nil, pgerr.New(pgerr.DatatypeMismatch, "%s must be type %s, not type %s", what, t.Name(), et.Name()).WithPosition(pos)
}

// assign converts e for storing into a column of type t (an assignment
// cast), naming the column in the error.
func (b *binder) assign(e expr, t types.T, column string, pos int32) (expr, error) {
	et := e.Type()
	if !assignable(et, t) {
		return nil, pgerr.New(pgerr.DatatypeMismatch, "column \"%s\" is of type %s but expression is of type %s", column, b.typeName(t), b.typeName(et)).
			WithHint("You will need to rewrite or cast the expression.").WithPosition(pos)
	}
	return b.cast(e, t, false, pos)
}

// assignable reports whether a value of type from may be stored in a
// column of type to: pg_cast's assignment and implicit casts, as far as
// cairn's types go, element by element for arrays.
func assignable(from, to types.T) bool {
	if fe, ok := from.Elem(); ok {
		if te, ok := to.Elem(); ok {
			return assignable(fe, te)
		}
	}
	return from.ID == types.Unknown || from.ID == to.ID ||
		(from.IsNumeric() && to.IsNumeric()) || (from.IsOIDLike() && to.IsInteger()) ||
		(from.IsString() && to.IsString()) ||
		(from.IsTime() && to.IsTime()) || to.IsString() && !to.IsArray() || isJSONType(from) && isJSONType(to) ||
		types.AssignmentCast(from.ID, to.ID)
}

// cast converts e to t: constants now, parameters by fixing their type,
// anything else at run time.
func (b *binder) cast(e expr, t types.T, explicit bool, pos int32) (expr, error) {
	from := e.Type()
	if p, ok := e.(*paramExpr); ok && from.ID == types.Unknown {
		// As in PostgreSQL, the parameter takes the type without its
		// modifier, and the modifier applies as a cast of the value:
		// numeric(5,2) rounds, timestamp(0) rounds, varchar(3) refuses.
		b.params[p.n-1] = t
		if t.Mod < 0 || t.Shape != nil {
			return p, nil
		}
		b.params[p.n-1].Mod = -1
		from = b.params[p.n-1]
	}
	if from == t {
		return e, nil
	}
	if c, ok := e.(*constExpr); ok && c.pos > 0 && from.ID == types.Unknown {
		// As PostgreSQL does, a literal's input error points at the
		// literal, not at the cast or operator that typed it.
		pos = c.pos
	}
	if out, ok, err := b.castUser(e, from, t, explicit, pos); ok {
		return out, err
	}
	if out, ok, err := b.castComposite(e, from, t, explicit, pos); ok {
		return out, err
	}
	if !types.CanCast(from, t) {
		return nil, pgerr.New(pgerr.CannotCoerce, "cannot cast type %s to %s", from.Name(), t.Name()).WithPosition(pos)
	}
	if from.ID == types.Bytea && t.IsString() && b.s != nil {
		return byteaToText(b.s, e, t, explicit), nil
	}
	if types.StyleDependent(from, t) {
		return b.castStyled(e, from, t, explicit, pos)
	}
	if c, ok := e.(*constExpr); ok {
		v, err := types.Cast(c.v, from, t, explicit)
		if err != nil {
			if pe := pgerr.Find(err); pe != nil && pe.Position == 0 {
				pe.Position = pos
			}
			return nil, err
		}
		return &constExpr{t: t, v: v}, nil
	}
	return &funcExpr{t: t, args: []expr{e}, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
		return types.Cast(a[0], from, t, explicit)
	}}, nil
}

func (b *binder) bindCase(x *ast.CaseExpr, sc *scope) (expr, error) {
	out := &caseExpr{}
	var arg expr
	var err error
	if x.Arg != nil {
		if arg, err = b.bindExpr(x.Arg, sc); err != nil {
			return nil, err
		}
	}
	var results []expr
	for _, w := range x.Whens {
		var cond expr
		if arg != nil {
			val, err := b.bindExpr(w.Cond, sc)
			if err != nil {
				return nil, err
			}
			if cond, err = b.bindOperator("=", arg, val, x.Pos); err != nil {
				return nil, err
			}
		} else {
			if cond, err = b.bindExpr(w.Cond, sc); err != nil {
				return nil, err
			}
			if cond, err = b.coerce(cond, types.New(types.Bool), "argument of CASE/WHEN", x.Pos); err != nil {
				return nil, err
			}
		}
		res, err := b.bindExpr(w.Result, sc)
		if err != nil {
			return nil, err
		}
		out.conds = append(out.conds, cond)
		results = append(results, res)
	}
	if x.Else != nil {
		els, err := b.bindExpr(x.Else, sc)
		if err != nil {
			return nil, err
		}
		results = append(results, els)
	}
	t, results, err := b.commonType(results, "CASE", x.Pos)
	if err != nil {
		return nil, err
	}
	out.t = t
	out.res = results[:len(out.conds)]
	if x.Else != nil {
		out.els = results[len(results)-1]
	}
	return out, nil
}

// commonType resolves the type of a set of alternatives (CASE, COALESCE,
// UNION) and casts each to it.
func (b *binder) commonType(es []expr, what string, pos int32) (types.T, []expr, error) {
	t := types.New(types.Unknown)
	for _, e := range es {
		et := e.Type()
		switch {
		case et.ID == types.Unknown:
		case t.ID == types.Unknown:
			t = types.Base(et)
			if et.ID == types.Varchar {
				// Alternatives that are all varchar (or unknown) stay
				// varchar, as in PostgreSQL's select_common_type.
				t = types.New(types.Varchar)
			}
		case t.IsNumeric() && et.IsNumeric():
			if types.NumericRank(et.ID) > types.NumericRank(t.ID) {
				t = types.Base(et)
			}
		case (t.IsOIDLike() || et.IsOIDLike()) && (t.IsOIDLike() || t.IsInteger()) && (et.IsOIDLike() || et.IsInteger()):
			// select_common_type: the first type stays unless it is not
			// the preferred oid and converts implicitly to the new type
			// but not back.
			if t.ID != et.ID && t.ID != types.OID && implicitOIDCast(t, et) && !implicitOIDCast(et, t) {
				t = et
			}
		case t.IsString() && et.IsString() && (t.ID == et.ID || t.ID != types.Char && et.ID != types.Char):
			// select_common_type: the first type stays unless it is not
			// the preferred text and converts implicitly to the new type
			// but not back (varchar then name is name; varchar then text
			// stays varchar). "char" is of another category.
			if t.ID != et.ID && t.ID != types.Text && types.ImplicitCast(t.ID, et.ID) && !types.ImplicitCast(et.ID, t.ID) {
				t = types.T{ID: et.ID, Mod: -1}
			}
		case t.IsTime() && et.IsTime():
			if numericTimeRank(et.ID) > numericTimeRank(t.ID) {
				t = et
			}
		case t.IsArray() && et.IsArray() && t.ID != et.ID:
			// Arrays resolve through their elements (int[] and
			// numeric[] to numeric[]).
			if at, ok := b.commonArrayType(t, et); ok {
				t = at
				continue
			}
			return types.T{}, nil, pgerr.New(pgerr.DatatypeMismatch, "%s types %s and %s cannot be matched", what, t.Name(), et.Name()).WithPosition(pos)
		case t.ID != et.ID && isAddressType(t) && isAddressType(et):
			var ok bool
			if t, ok = commonNetworkType(t, et); !ok {
				return types.T{}, nil, pgerr.New(pgerr.DatatypeMismatch, "%s types %s and %s cannot be matched", what, t.Name(), et.Name()).WithPosition(pos)
			}
		case t.ID != et.ID:
			return types.T{}, nil, pgerr.New(pgerr.DatatypeMismatch, "%s types %s and %s cannot be matched", what, t.Name(), et.Name()).WithPosition(pos)
		}
	}
	if t.ID == types.Unknown {
		t = types.New(types.Text)
	}
	t.Mod = commonTypmod(es, t)
	out := make([]expr, len(es))
	for i, e := range es {
		c, err := b.castUnknown(e, t, pos)
		if err != nil {
			return types.T{}, nil, err
		}
		out[i] = c
	}
	return t, out, nil
}

// commonTypmod is the modifier alternatives resolved to type t keep, as
// PostgreSQL's select_common_typmod decides it: the one modifier they all
// share when every one already is of type t (varchar(4) and varchar(4)
// stay varchar(4)), else none.
func commonTypmod(es []expr, t types.T) int32 {
	if len(es) == 0 || t.ID == types.Record {
		return -1
	}
	mod := es[0].Type().Mod
	for _, e := range es {
		et := e.Type()
		if et.ID != t.ID || et.Mod != mod {
			return -1
		}
	}
	return mod
}

// implicitOIDCast reports whether PostgreSQL converts a value of type a
// to type b implicitly, among the integer types, oid and the reg types.
func implicitOIDCast(a, b types.T) bool {
	switch {
	case a.IsInteger():
		return b.IsOIDLike()
	case a.IsOIDLike():
		return b.IsOIDLike()
	}
	return false
}

func numericTimeRank(id types.ID) int {
	switch id {
	case types.Date:
		return 1
	case types.Timestamp:
		return 2
	}
	return 3
}

func (b *binder) bindIn(x *ast.InExpr, sc *scope) (expr, error) {
	if r, ok := x.X.(*ast.RowExpr); ok && x.Query != nil && len(r.Items) > 1 && (x.Op == "" || x.Op == "=" && !x.All) {
		return b.bindRowIn(x, r, sc)
	}
	if e, ok, err := b.bindRowInList(x, sc); ok || err != nil {
		return e, err
	}
	left, err := b.bindExpr(x.X, sc)
	if err != nil {
		return nil, err
	}
	if x.Array != nil {
		return b.bindAnyArray(x, left, sc)
	}
	if x.Query != nil {
		sub, err := b.bindSubqueryPlan(x.Query, sc, x.Pos)
		if err != nil {
			return nil, err
		}
		cols := sub.p.columns()
		if len(cols) != 1 {
			return nil, pgerr.New(pgerr.SyntaxError, "subquery has too many columns").WithPosition(x.Pos)
		}
		// Compare in the common type of both sides.
		probe := &colExpr{t: cols[0].Type}
		op := x.Op
		if op == "" {
			op = "="
		}
		l, r, _, err := b.unify(left, probe, op, x.Pos)
		if err != nil {
			return nil, err
		}
		sub.kind = subIn
		if x.Op != "" {
			sub.kind = subAny
			if x.All {
				sub.kind = subAll
			}
			sub.cmp = comparison(op)
		}
		sub.not = x.Not
		sub.left = l
		sub.conv = r
		return sub, nil
	}
	items := make([]expr, 0, len(x.List)+1)
	items = append(items, left)
	for _, e := range x.List {
		item, err := b.bindExpr(e, sc)
		if err != nil {
			return nil, err
		}
		items = append(items, item)
	}
	t, items, err := b.commonType(items, "IN", x.Pos)
	if err != nil {
		return nil, err
	}
	if t.ID == types.Bpchar {
		items = trimBpchar(items)
	}
	return &inListExpr{x: items[0], list: items[1:], not: x.Not}, nil
}

// noteUntyped records e when it is a parameter still without a type used
// where nothing gives it one (the operand of IS NULL, pg_typeof's
// argument), for checkParams.
func (b *binder) noteUntyped(e expr) {
	if p, ok := e.(*paramExpr); ok && p.Type().ID == types.Unknown {
		b.untyped = append(b.untyped, p)
	}
}

// checkParams refuses a prepared statement whose parameters PostgreSQL
// could not type: one with a use recorded by noteUntyped that a later use
// typed (42P08, at the untyped use); one still untyped after such a use,
// or neither declared nor referred to (42P18). Untyped parameters used
// only elsewhere become text (Session.bind).
func (b *binder) checkParams() error {
	untyped := make(map[int]bool)
	for _, p := range b.untyped {
		if b.params[p.n-1].ID != types.Unknown {
			return pgerr.New(pgerr.AmbiguousParameter, "could not determine data type of parameter $%d", p.n).WithPosition(p.pos)
		}
		untyped[p.n] = true
	}
	for i, t := range b.params {
		if t.ID == types.Unknown && (untyped[i+1] || !b.paramRefs[i+1]) {
			return pgerr.New(pgerr.IndeterminateDatatype, "could not determine data type of parameter $%d", i+1)
		}
	}
	return nil
}
