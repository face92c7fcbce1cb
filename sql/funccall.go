package sql

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/builtins"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// Calls of user-defined functions and procedures.
//
// A call names a function by its name, qualified or not, and arguments.
// Qualified, only that schema's routines are candidates. Unqualified,
// pg_catalog comes first, as PostgreSQL searches it first unless
// search_path names it later: a built-in function an argument list fits
// exactly (or, for the functions the binder binds itself, any built-in
// function that binds) is taken before the routines of the search path's
// schemas; a user routine is taken when it fits exactly, or when no
// built-in one fits at all. Among user routines the resolution is
// PostgreSQL's func_get_detail: each routine gives the argument types a
// call with these arguments would have (named arguments by name,
// omitted trailing ones taken from DEFAULTs, a VARIADIC parameter
// expanded into as many arguments as the call has left, or, written
// VARIADIC arr, taking the array), a routine of a schema earlier in the
// path hides one of a later schema with the same argument types, and
// builtins.Func.Resolve picks the best candidate (42883 for none, 42725
// for several).

// funcArgsMax is PostgreSQL's FUNC_MAX_ARGS.
const funcArgsMax = 100

// routineDepthMax bounds nested routine calls (recursion), far below
// what would overflow the goroutine's stack; deeper is 54001, as
// PostgreSQL's max_stack_depth check reports.
const routineDepthMax = 1000

// routineState is a session's state of routine calls: the compiled
// routines by descriptor version, valid for catalog generation gen, and
// how deep calls are nested now.
type routineState struct {
	gen      uint64
	compiled map[*catalog.FuncDesc]CompiledRoutine
	depth    int
	// instances are the instances of polymorphic routines bound, valid
	// for catalog generation instGen (polymorphic.go).
	instGen   uint64
	instances map[polyKey]*catalog.FuncDesc
}

// visibleRoutines returns the routines named name a call may mean: those
// of schema when it is given, else of the search path's schemas in path
// order.
func (b *binder) visibleRoutines(schema, name string) ([]*catalog.FuncDesc, error) {
	if b.s == nil {
		return nil, nil
	}
	all, err := b.s.e.cat.Functions(b.snap)
	if err != nil || len(all) == 0 {
		return nil, err
	}
	var path []string
	if schema != "" {
		path = []string{schema}
	} else if path, err = b.s.pathSchemas(b.snap); err != nil {
		return nil, err
	}
	var out []*catalog.FuncDesc
	for _, sc := range path {
		for _, f := range all {
			if f.Schema == sc && f.Name == name {
				out = append(out, f.FuncDesc)
			}
		}
	}
	return out, nil
}

// lookupRoutineExact returns the routine of schema with name and input
// types exactly these, or a zero entry.
func (s *Session) lookupRoutineExact(snap txn.Snapshot, schema, name string, in []types.T) (catalog.FuncEntry, error) {
	all, err := s.e.cat.Functions(snap)
	if err != nil {
		return catalog.FuncEntry{}, err
	}
	sig := catalog.FuncSignature(name, in)
	for _, f := range all {
		if f.Schema == schema && f.Name == name && f.Signature() == sig {
			return f, nil
		}
	}
	return catalog.FuncEntry{}, nil
}

// callForm is how one candidate routine takes a call's arguments.
type callForm struct {
	desc *catalog.FuncDesc
	// slots[i] is the index of the routine's input parameter argument i
	// fills; a parameter no argument fills takes its default.
	slots []int
	// expanded is a VARIADIC parameter taking the arguments from
	// varFrom on as its elements.
	expanded bool
	varFrom  int
	argTypes []types.ID
}

// callParams are the parameters a call passes to d: its input ones, and
// for a procedure called by CALL its OUT ones too (placeholders).
func callParams(d *catalog.FuncDesc, call bool) []catalog.FuncArg {
	var out []catalog.FuncArg
	for _, a := range d.Args {
		if a.IsInput() || call && d.Kind == catalog.KindProcedure && a.Mode == "o" {
			out = append(out, a)
		}
	}
	return out
}

// formOf returns how d takes the arguments, or false when it cannot.
func formOf(d *catalog.FuncDesc, args []expr, names []string, variadic, call bool) (callForm, bool) {
	params := callParams(d, call)
	f := callForm{desc: d, slots: make([]int, len(args))}
	filled := make([]bool, len(params))
	isVariadic := len(params) > 0 && params[len(params)-1].Mode == "v"
	positional := len(args)
	if names != nil {
		positional = slices.IndexFunc(names, func(n string) bool { return n != "" })
	}
	if isVariadic && !variadic && names == nil && len(args) >= len(params) {
		// f(a, b, c) of f(x int, VARIADIC y int[]): expanded.
		f.expanded, f.varFrom = true, len(params)-1
	} else if isVariadic && !variadic && names == nil && len(args) == len(params)-1 {
		return f, false
	} else if variadic && !isVariadic {
		return f, false
	}
	for i := 0; i < len(args); i++ {
		var p int
		switch {
		case f.expanded && i >= f.varFrom:
			p = f.varFrom
		case i < positional:
			p = i
			if p >= len(params) {
				return f, false
			}
		default:
			p = slices.IndexFunc(params, func(a catalog.FuncArg) bool { return a.Name == names[i] })
			if p < 0 || filled[p] {
				return f, false
			}
		}
		filled[p] = true
		f.slots[i] = p
		t := params[p].Type.ID
		if f.expanded && i >= f.varFrom {
			elem, _ := params[p].Type.Elem()
			t = elem.ID
		}
		f.argTypes = append(f.argTypes, t)
	}
	for p, ok := range filled {
		if !ok && params[p].Default == "" && !(f.expanded && p == f.varFrom) {
			return f, false
		}
	}
	return f, true
}

// resolveRoutine picks the routine among cands a call with args runs.
// call is set for CALL.
func (b *binder) resolveRoutine(x *ast.FuncCall, cands []*catalog.FuncDesc, args []expr, call bool) (callForm, error) {
	fn := &builtins.Func{Name: x.Name}
	forms := map[*builtins.Overload]callForm{}
	var dups []*builtins.Overload
	var polyErr error
	for _, d := range cands {
		f, ok := formOf(d, args, x.ArgNames, x.Variadic, call)
		if !ok {
			continue
		}
		if routineIsPolymorphic(d) {
			inst, err := b.polymorphicForm(f, args, call)
			if err != nil {
				if polyErr == nil {
					polyErr = err
				}
				continue
			}
			if inst == nil {
				continue
			}
			f, _ = formOf(inst, args, x.ArgNames, x.Variadic, call)
		}
		o := &builtins.Overload{Args: f.argTypes}
		seen := false
		for _, prev := range fn.Overloads {
			if slices.Equal(prev.Args, o.Args) {
				seen = true
				if pf := forms[prev]; pf.expanded != f.expanded {
					// As PostgreSQL, a routine that takes the arguments
					// as they are wins over one that expands VARIADIC.
					if pf.expanded {
						forms[prev] = f
					}
					continue
				}
				if forms[prev].desc.Schema == d.Schema {
					// Two routines of one schema a call cannot tell
					// apart (through defaults or VARIADIC).
					dups = append(dups, prev)
				}
			}
		}
		if seen {
			continue
		}
		fn.Overloads = append(fn.Overloads, o)
		forms[o] = f
	}
	argTypes := make([]types.T, len(args))
	for i, a := range args {
		argTypes[i] = a.Type()
	}
	o, err := fn.Resolve(argTypes)
	if err != nil {
		if pgerr.Code(err) == pgerr.AmbiguousFunction {
			return callForm{}, pgerr.New(pgerr.AmbiguousFunction, "%s %s is not unique", routineWord(call), callText(x, args)).
				WithHint(fmt.Sprintf("Could not choose a best candidate %s. You might need to add explicit type casts.", routineWord(call))).WithPosition(x.Pos)
		}
		if polyErr != nil && len(fn.Overloads) == 0 {
			return callForm{}, polyErr
		}
		return callForm{}, routineNotFound(x, args, call)
	}
	if slices.Contains(dups, o) {
		return callForm{}, pgerr.New(pgerr.AmbiguousFunction, "%s %s is not unique", routineWord(call), callText(x, args)).
			WithHint(fmt.Sprintf("Could not choose a best candidate %s. You might need to add explicit type casts.", routineWord(call))).WithPosition(x.Pos)
	}
	f := forms[o]
	cur, err := b.currentRowTypes(f.desc)
	if err != nil {
		return callForm{}, err
	}
	f.desc = cur
	return f, nil
}

func routineWord(call bool) string {
	if call {
		return "procedure"
	}
	return "function"
}

// callText is a call as PostgreSQL's messages print it: f(integer, a =>
// text), qualified when it was written so.
func callText(x *ast.FuncCall, args []expr) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = routineTypeName(a.Type())
		if a.Type().ID == types.Unknown {
			parts[i] = "unknown"
		}
		if x.ArgNames != nil && x.ArgNames[i] != "" {
			parts[i] = x.ArgNames[i] + " => " + parts[i]
		}
	}
	name := x.Name
	if x.Schema != "" {
		name = x.Schema + "." + name
	}
	return name + "(" + strings.Join(parts, ", ") + ")"
}

func routineNotFound(x *ast.FuncCall, args []expr, call bool) error {
	w := routineWord(call)
	return pgerr.New(pgerr.UndefinedFunction, "%s %s does not exist", w, callText(x, args)).
		WithHint(fmt.Sprintf("No %s matches the given name and argument types. You might need to add explicit type casts.", w)).WithPosition(x.Pos)
}

// routineArgs converts a call's arguments to what form's routine takes:
// one expression per parameter of callParams, cast to its type, the
// VARIADIC ones gathered into an array, the omitted ones their DEFAULT.
func (b *binder) routineArgs(f callForm, args []expr, call bool, pos int32) ([]expr, error) {
	params := callParams(f.desc, call)
	out := make([]expr, len(params))
	var variadic []expr
	for i, a := range args {
		p := f.slots[i]
		t := params[p].Type
		if f.expanded && i >= f.varFrom {
			t, _ = t.Elem()
		}
		c, err := b.cast(a, t, false, pos)
		if err != nil {
			return nil, err
		}
		if f.expanded && i >= f.varFrom {
			variadic = append(variadic, c)
			continue
		}
		out[p] = c
	}
	if f.expanded {
		out[f.varFrom] = &arrayExpr{t: params[f.varFrom].Type, items: variadic}
	}
	for p, e := range out {
		if e != nil {
			continue
		}
		d, err := b.paramDefault(params[p].Default, params[p].Type, pos)
		if err != nil {
			return nil, err
		}
		out[p] = d
	}
	return out, nil
}

// paramDefault binds a parameter's DEFAULT text.
func (b *binder) paramDefault(text string, t types.T, pos int32) (expr, error) {
	pq, err := b.s.e.parse(context.Background(), "SELECT "+text, nil)
	if err != nil {
		return nil, err
	}
	sel, ok := pq.stmts[0].Stmt.(*ast.SelectStmt)
	if len(pq.stmts) != 1 || !ok || len(sel.Targets) != 1 {
		return nil, pgerr.New(pgerr.DataCorrupted, "the stored default %q of a parameter does not parse", text)
	}
	e, err := b.bindExpr(sel.Targets[0].Expr, &scope{})
	if err != nil {
		return nil, err
	}
	return b.cast(e, t, false, pos)
}

// bindRoutineCall binds a call of a user routine in an expression, when
// x names one that fits args: ok is false when x is left to the
// built-in functions.
func (b *binder) bindRoutineCall(x *ast.FuncCall, args []expr, builtinFirst func() (expr, error)) (expr, bool, error) {
	schema := x.Schema
	if schema == "information_schema" && x.Name == "_pg_expandarray" {
		return nil, false, nil
	}
	cands, err := b.visibleRoutines(schema, x.Name)
	if err != nil {
		return nil, true, err
	}
	if len(cands) == 0 {
		if schema != "" {
			return nil, true, routineNotFound(x, args, false)
		}
		return nil, false, nil
	}
	if schema == "" && builtinFirst != nil && !b.routineFitsExactly(cands, args, x) {
		// pg_catalog first: a built-in function that binds wins over a
		// routine that needs conversions.
		e, err := builtinFirst()
		if err == nil || pgerr.Code(err) != pgerr.UndefinedFunction {
			return e, true, err
		}
	}
	f, err := b.resolveRoutine(x, cands, args, false)
	if err != nil {
		return nil, true, err
	}
	if f.desc.Kind == catalog.KindProcedure {
		return nil, true, pgerr.New(pgerr.WrongObjectType, "%s is a procedure", routineSigText(f.desc, true)).
			WithHint("To call a procedure, use CALL.").WithPosition(x.Pos)
	}
	if f.desc.Kind == catalog.KindAggregate {
		// A user-defined aggregate where the query's aggregates are not
		// looked for (a check constraint, an index expression, ...).
		return nil, true, pgerr.New(pgerr.GroupingError, "aggregate functions are not allowed here").WithPosition(x.Pos)
	}
	if err := b.checkRoutineExecute(f.desc); err != nil {
		return nil, true, err
	}
	conv, err := b.routineArgs(f, args, false, x.Pos)
	if err != nil {
		return nil, true, err
	}
	if f.desc.SetOf {
		return nil, true, pgerr.New(pgerr.FeatureNotSupported, "set-returning function %s is only supported in FROM", x.Name).WithPosition(x.Pos)
	}
	b.routinesUsed = append(b.routinesUsed, f.desc)
	return &routineCallExpr{desc: f.desc, args: conv, t: routineExprType(f.desc)}, true, nil
}

// checkImmutableRoutines refuses the routines bound since the first
// mark ones that are not IMMUTABLE, as PostgreSQL refuses them in an
// index expression or predicate or a partition key (what names it).
func (b *binder) checkImmutableRoutines(mark int, what string) error {
	for _, d := range b.routinesUsed[mark:] {
		if d.Volatility != "i" {
			return pgerr.New(pgerr.InvalidObjectDefinition, "functions in %s must be marked IMMUTABLE", what)
		}
	}
	return nil
}

// routineFitsExactly reports whether a routine of cands takes args with
// their types as they are.
func (b *binder) routineFitsExactly(cands []*catalog.FuncDesc, args []expr, x *ast.FuncCall) bool {
	for _, d := range cands {
		f, ok := formOf(d, args, x.ArgNames, x.Variadic, false)
		if !ok {
			continue
		}
		exact := true
		for i, a := range args {
			if a.Type().ID != f.argTypes[i] {
				exact = false
			}
		}
		if exact {
			if fn, ok := builtins.Lookup(x.Name); ok {
				for _, o := range fn.Overloads {
					if slices.Equal(o.Args, f.argTypes) {
						return false
					}
				}
			}
			return true
		}
	}
	return false
}

// routineExprType is the type of a call of d in an expression.
func routineExprType(d *catalog.FuncDesc) types.T {
	cols := routineResultColumns(d)
	if cols == nil || d.Result.ID != types.Record || d.Result.Shape != nil {
		return d.Result
	}
	names := make([]string, len(cols))
	ts := make([]types.T, len(cols))
	for i, c := range cols {
		names[i], ts[i] = c.Name, c.Type
	}
	return types.RecordOf(names, ts)
}

// routineCallExpr is a call of a user-defined function in an
// expression.
type routineCallExpr struct {
	desc *catalog.FuncDesc
	args []expr
	t    types.T
}

func (e *routineCallExpr) Type() types.T { return e.t }

func (e *routineCallExpr) Eval(c *evalCtx, row []types.Datum) (types.Datum, error) {
	vals := make([]types.Datum, len(e.args))
	for i, a := range e.args {
		v, err := a.Eval(c, row)
		if err != nil {
			return nil, err
		}
		if v == nil && e.desc.Strict {
			return nil, nil
		}
		vals[i] = v
	}
	rows, err := c.exec.s.callRoutine(c.exec, e.desc, vals)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	if e.t.ID == types.Record && e.t.Shape != nil && !e.t.IsArray() {
		if len(rows[0]) == 1 {
			if rv, ok := rows[0][0].(*types.RecordValue); ok || rows[0][0] == nil {
				if rv == nil {
					return nil, nil
				}
				return &types.RecordValue{Shape: e.t.Shape, Fields: rv.Fields}, nil
			}
		}
		return &types.RecordValue{Shape: e.t.Shape, Fields: rows[0]}, nil
	}
	if len(rows[0]) == 0 {
		return nil, nil
	}
	return rows[0][0], nil
}

// callRoutine runs d with args (the values of its callParams) in x's
// session and transaction.
func (s *Session) callRoutine(x *execCtx, d *catalog.FuncDesc, args []types.Datum) ([][]types.Datum, error) {
	st := &s.routines
	if st.depth >= routineDepthMax {
		return nil, pgerr.New(pgerr.StatementTooComplex, "stack depth limit exceeded").
			WithHint("Increase the configuration parameter \"max_stack_depth\" (currently 2048kB), after ensuring the platform's stack depth limit is adequate.")
	}
	st.depth++
	defer func() { st.depth-- }()
	if err := pgerr.FromContext(x.ctx); err != nil {
		return nil, err
	}
	rt := &sessionRuntime{x: x, volatile: d.Volatility == "v"}
	compiled, err := s.compiledRoutine(rt, d)
	if err != nil {
		return nil, err
	}
	if d.SecDef {
		restore, err := s.runAsOwner(x, d)
		if err != nil {
			return nil, err
		}
		defer restore()
	}
	if len(d.Config) > 0 {
		restore, err := s.applyRoutineConfig(d.Config)
		if err != nil {
			return nil, err
		}
		defer restore()
	}
	return compiled.Call(rt, args)
}

// compiledRoutine returns d compiled, from the session's cache while the
// catalog is unchanged.
func (s *Session) compiledRoutine(rt *sessionRuntime, d *catalog.FuncDesc) (CompiledRoutine, error) {
	st := &s.routines
	if gen := s.e.gen.Load(); st.gen != gen || st.compiled == nil {
		st.gen, st.compiled = gen, make(map[*catalog.FuncDesc]CompiledRoutine)
	}
	if c, ok := st.compiled[d]; ok {
		return c, nil
	}
	lang, err := routineLanguage(d.Language)
	if err != nil {
		return nil, err
	}
	c, err := lang.Compile(rt, routineOf(d))
	if err != nil {
		return nil, err
	}
	st.compiled[d] = c
	return c, nil
}

// applyRoutineConfig sets a routine's SET clauses for the call and
// returns what restores the settings.
func (s *Session) applyRoutineConfig(config []string) (func(), error) {
	type saved struct {
		name, value string
		had         bool
	}
	var old []saved
	restore := func() {
		for i := len(old) - 1; i >= 0; i-- {
			if old[i].had {
				s.settings[old[i].name] = old[i].value
			} else {
				delete(s.settings, old[i].name)
			}
		}
	}
	for _, c := range config {
		name, value, _ := strings.Cut(c, "=")
		v, had := s.settings[name]
		old = append(old, saved{name, v, had})
		s.settings[name] = value
	}
	return restore, nil
}

// routineSigText is d's name and input types as PostgreSQL's messages
// print it: "f(integer, text)"; qualified by its schema when it is not
// visible... as regprocedure prints it, when qualify is set.
func routineSigText(d *catalog.FuncDesc, spaced bool) string {
	in := d.InputArgs()
	if d.Kind == catalog.KindProcedure {
		in = callParams(d, true)
	}
	parts := make([]string, len(in))
	for i, a := range in {
		parts[i] = routineTypeName(a.Type)
	}
	sep := ","
	if spaced {
		sep = ", "
	}
	return d.Name + "(" + strings.Join(parts, sep) + ")"
}

// checkRoutineExecute checks EXECUTE on d for the current role.
func (b *binder) checkRoutineExecute(d *catalog.FuncDesc) error {
	g, err := b.s.roleGraph(b.snap)
	if err != nil {
		return err
	}
	cur, ok := b.s.currentRoleOID(g)
	if !ok || g.super(cur) {
		return nil
	}
	acl := catalog.Effective(d.ACL, catalog.KindFunction, d.Owner)
	if !d.HasACL {
		acl = catalog.DefaultACL(catalog.KindFunction, d.Owner)
	}
	holders := g.closure(cur, true)
	holders[cur] = true
	if catalog.Mask(acl, holders, catalog.PrivExecute, false) == 0 {
		return pgerr.New(pgerr.InsufficientPrivilege, "permission denied for %s %s", kindWord(d), d.Name)
	}
	return nil
}
