package sql

import (
	"slices"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/builtins"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// CREATE AGGREGATE (PostgreSQL's DefineAggregate and AggregateCreate).
// An aggregate is a routine of kind "a" (catalog.FuncDesc with Agg set),
// so that it is stored, replaced and dropped transactionally as functions
// are, and pg_proc lists it. Its support functions are found as a call
// with the state and argument types finds a function: a built-in one, a
// SQL or PL/pgSQL routine. The transition function must return the state
// type (42804); a strict one without INITCOND must take the first input
// as its state, so the input type must be the state type (42P13).
//
// Moving-aggregate mode (MSFUNC, MINVFUNC and their companions) is
// checked as AggregateCreate checks it and used by windows whose frame
// head moves (windowmoving.go). Ordered-set and hypothetical aggregates,
// SORTOP and the serialization functions are refused as not supported
// (0A000) rather than stored and ignored.

type createAggregatePlan struct{ stmt *ast.CreateAggregateStmt }

func (p *createAggregatePlan) columns() []Column { return nil }

// aggOptions are CREATE AGGREGATE's definition parameters, read.
type aggOptions struct {
	baseType, stateType     *ast.TypeName
	transFn, finalFn, combi []string
	initCond                *string
	finalExtra              bool
	parallel                string
	finalModify             string
	moving                  movingAggOptions
}

// movingAggOptions are the definition's moving-aggregate parameters.
type movingAggOptions struct {
	stateType               *ast.TypeName
	transFn, invFn, finalFn []string
	initCond                *string
	finalExtra, spaceGiven  bool
	finalModify             string
}

// readAggOptions reads the definition as DefineAggregate does: a
// parameter it does not know is a WARNING, not an error.
func readAggOptions(opts []ast.AggOption, notices *[]Notice) (aggOptions, error) {
	var o aggOptions
	funcName := func(a ast.AggOption) ([]string, error) {
		if a.Func == nil {
			return nil, pgerr.New(pgerr.SyntaxError, "%s requires a function name", a.Name)
		}
		return a.Func, nil
	}
	typeOf := func(a ast.AggOption) (*ast.TypeName, error) {
		if a.Type != nil {
			return a.Type, nil
		}
		if !a.HasValue {
			return nil, pgerr.New(pgerr.SyntaxError, "%s requires a parameter", a.Name)
		}
		// A quoted type name: BASETYPE = 'ANY'.
		return &ast.TypeName{Name: strings.ToLower(a.Value)}, nil
	}
	var err error
	for _, a := range opts {
		switch a.Name {
		case "basetype":
			o.baseType, err = typeOf(a)
		case "stype", "stype1":
			o.stateType, err = typeOf(a)
		case "sfunc", "sfunc1":
			o.transFn, err = funcName(a)
		case "finalfunc", "finalfunc1":
			o.finalFn, err = funcName(a)
		case "combinefunc":
			o.combi, err = funcName(a)
		case "initcond", "initcond1":
			if !a.HasValue {
				return o, pgerr.New(pgerr.SyntaxError, "%s requires a parameter", a.Name)
			}
			v := a.Value
			if a.Type != nil {
				v = a.Type.Name
			}
			o.initCond = &v
		case "finalfunc_extra":
			o.finalExtra = !a.HasValue || a.Value == "true" || a.Value == "on" || a.Value == "1"
		case "finalfunc_modify":
			switch strings.ToLower(optionWord(a)) {
			case "read_only":
				o.finalModify = "r"
			case "shareable":
				o.finalModify = "s"
			case "read_write":
				o.finalModify = "w"
			default:
				return o, pgerr.New(pgerr.SyntaxError, "parameter \"%s\" must be READ_ONLY, SHAREABLE, or READ_WRITE", a.Name)
			}
		case "parallel":
			switch strings.ToLower(optionWord(a)) {
			case "safe":
				o.parallel = "s"
			case "restricted":
				o.parallel = "r"
			case "unsafe":
				o.parallel = "u"
			default:
				return o, pgerr.New(pgerr.SyntaxError, "parameter \"parallel\" must be SAFE, RESTRICTED, or UNSAFE")
			}
		case "sspace":
			// A planner hint of the state's size: cairn plans without it.
		case "mstype":
			o.moving.stateType, err = typeOf(a)
		case "msfunc":
			o.moving.transFn, err = funcName(a)
		case "minvfunc":
			o.moving.invFn, err = funcName(a)
		case "mfinalfunc":
			o.moving.finalFn, err = funcName(a)
		case "msspace":
			o.moving.spaceGiven = true
		case "minitcond":
			if !a.HasValue {
				return o, pgerr.New(pgerr.SyntaxError, "%s requires a parameter", a.Name)
			}
			v := a.Value
			if a.Type != nil {
				v = a.Type.Name
			}
			o.moving.initCond = &v
		case "mfinalfunc_extra":
			o.moving.finalExtra = !a.HasValue || a.Value == "true" || a.Value == "on" || a.Value == "1"
		case "mfinalfunc_modify":
			switch strings.ToLower(optionWord(a)) {
			case "read_only":
				o.moving.finalModify = "r"
			case "shareable":
				o.moving.finalModify = "s"
			case "read_write":
				o.moving.finalModify = "w"
			default:
				return o, pgerr.New(pgerr.SyntaxError, "parameter \"%s\" must be READ_ONLY, SHAREABLE, or READ_WRITE", a.Name)
			}
		case "serialfunc", "deserialfunc", "sortop", "hypothetical":
			return o, pgerr.New(pgerr.FeatureNotSupported, "aggregate attribute \"%s\" is not supported", a.Name)
		default:
			*notices = append(*notices, Notice{Severity: "WARNING", Code: pgerr.SyntaxError,
				Message: "aggregate attribute \"" + a.Name + "\" not recognized"})
		}
		if err != nil {
			return o, err
		}
	}
	return o, nil
}

// optionWord is a parameter's value as a word (a bare word arrives as a
// type name).
func optionWord(a ast.AggOption) string {
	if a.Type != nil {
		return a.Type.Name
	}
	return a.Value
}

func (p *createAggregatePlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	s := x.s
	st := p.stmt
	res := &Result{Tag: st.Tag()}
	o, err := readAggOptions(st.Options, &res.Notices)
	if err != nil {
		return nil, err
	}
	if o.stateType == nil {
		return nil, pgerr.New(pgerr.InvalidFunctionDefinition, "aggregate stype must be specified")
	}
	if o.transFn == nil {
		return nil, pgerr.New(pgerr.InvalidFunctionDefinition, "aggregate sfunc must be specified")
	}
	schema, err := x.routineSchema(st.Schema, st.Name, st.Pos)
	if err != nil {
		return nil, err
	}
	b := &binder{s: s, snap: x.snap}
	deps := map[uint32]bool{}
	var argTypes []types.T
	if st.OldStyle {
		if o.baseType == nil {
			return nil, pgerr.New(pgerr.InvalidFunctionDefinition, "aggregate input type must be specified")
		}
		// BASETYPE = ANY is the old spelling of an aggregate of no
		// arguments, name(*).
		if name := strings.ToLower(o.baseType.Name); name != "any" && name != "\"any\"" {
			t, err := b.routineType(*o.baseType, deps)
			if err != nil {
				return nil, err
			}
			argTypes = []types.T{t}
		}
	} else {
		if o.baseType != nil {
			return nil, pgerr.New(pgerr.InvalidFunctionDefinition, "basetype is redundant with aggregate input type specification")
		}
		for _, tn := range st.Args {
			t, err := b.routineType(tn, deps)
			if err != nil {
				return nil, err
			}
			argTypes = append(argTypes, t)
		}
	}
	stateType, err := b.routineType(*o.stateType, deps)
	if err != nil {
		return nil, err
	}
	if stateType.ID == types.Void || stateType.ID == types.Trigger {
		return nil, pgerr.New(pgerr.InvalidFunctionDefinition, "aggregate transition data type cannot be %s", routineTypeName(stateType))
	}
	def := &catalog.AggDef{State: stateType, InitCond: o.initCond, FinalExtra: o.finalExtra, FinalModify: o.finalModify}
	if def.FinalModify == "" {
		def.FinalModify = "r"
	}
	// The transition function: (state, args...) returning the state.
	trans, transDesc, err := b.aggSupportFn(o.transFn, append([]types.T{stateType}, argTypes...))
	if err != nil {
		return nil, err
	}
	if trans.Type().ID != stateType.ID {
		return nil, pgerr.New(pgerr.DatatypeMismatch, "return type of transition function %s is not %s",
			strings.Join(o.transFn, "."), routineTypeName(stateType))
	}
	def.TransFn = aggFnOf(o.transFn, transDesc, append([]types.T{stateType}, argTypes...))
	if def.InitCond == nil && aggFnStrict(transDesc, o.transFn, 1+len(argTypes)) && (len(argTypes) == 0 || argTypes[0].ID != stateType.ID) {
		return nil, pgerr.New(pgerr.InvalidFunctionDefinition, "must not omit initial value when transition function is strict and transition type is not compatible with input type")
	}
	result := stateType
	if o.finalFn != nil {
		in := []types.T{stateType}
		if o.finalExtra {
			in = append(in, argTypes...)
		}
		final, finalDesc, err := b.aggSupportFn(o.finalFn, in)
		if err != nil {
			return nil, err
		}
		result = final.Type()
		fn := aggFnOf(o.finalFn, finalDesc, in)
		def.Final = &fn
	}
	if o.combi != nil {
		combine, combineDesc, err := b.aggSupportFn(o.combi, []types.T{stateType, stateType})
		if err != nil {
			return nil, err
		}
		if combine.Type().ID != stateType.ID {
			return nil, pgerr.New(pgerr.DatatypeMismatch, "return type of combine function %s is not %s",
				strings.Join(o.combi, "."), routineTypeName(stateType))
		}
		fn := aggFnOf(o.combi, combineDesc, []types.T{stateType, stateType})
		def.Combine = &fn
	}
	if def.InitCond != nil {
		// The initial value must read as the state type.
		if _, err := aggInitialState(x, def.InitCond, def.State); err != nil {
			return nil, err
		}
	}
	if def.Moving, err = b.movingAggregate(x, o.moving, argTypes, result, deps); err != nil {
		return nil, err
	}
	desc := &catalog.FuncDesc{Schema: schema, Name: st.Name, Kind: catalog.KindAggregate, Language: "internal",
		Result: result, Volatility: "i", Parallel: "u", Cost: 1, Agg: def}
	if o.parallel != "" {
		desc.Parallel = o.parallel
	}
	for _, t := range argTypes {
		desc.Args = append(desc.Args, catalog.FuncArg{Type: t, Mode: ast.ParamIn})
	}
	for oid := range deps {
		desc.Deps = append(desc.Deps, oid)
	}
	slices.Sort(desc.Deps)
	g, err := s.roleGraph(x.snap)
	if err != nil {
		return nil, err
	}
	cur, _ := s.currentRoleOID(g)
	desc.Owner = cur
	existing, err := s.lookupRoutineExact(x.snap, schema, st.Name, argTypes)
	if err != nil {
		return nil, err
	}
	if existing.FuncDesc != nil {
		if !st.Replace {
			return nil, pgerr.New(pgerr.DuplicateFunction, "function \"%s\" already exists with same argument types", st.Name)
		}
		if err := checkReplace(existing.FuncDesc, desc); err != nil {
			return nil, err
		}
		if !g.isMemberOf(cur, existing.Owner) {
			return nil, pgerr.New(pgerr.InsufficientPrivilege, "must be owner of %s %s", kindWord(existing.FuncDesc), st.Name)
		}
		desc.OID, desc.Owner, desc.ACL, desc.HasACL, desc.Comment = existing.OID, existing.Owner, existing.ACL, existing.HasACL, existing.Comment
		err = s.e.cat.ReplaceFunction(x.op(), x.later().op(), existing.ID, desc)
	} else {
		if desc.OID, err = s.e.tm.NextOID(); err != nil {
			return nil, err
		}
		err = s.e.cat.CreateFunction(x.op(), desc)
	}
	if err != nil {
		return nil, err
	}
	s.e.catalogChanged()
	s.wroteCatalog = true
	return res, nil
}

// aggSupportFn binds a call of the support function named name with
// arguments of types in, as the aggregate will call it, and returns the
// call and the user routine it calls (nil for a built-in function).
func (b *binder) aggSupportFn(name []string, in []types.T) (expr, *catalog.FuncDesc, error) {
	call := &ast.FuncCall{Name: name[len(name)-1]}
	switch len(name) {
	case 1:
	case 2:
		call.Schema = name[0]
		if call.Schema == "pg_catalog" {
			call.Schema = ""
		}
	default:
		return nil, nil, pgerr.New(pgerr.SyntaxError, "improper qualified name (too many dotted names): %s", strings.Join(name, "."))
	}
	args := make([]expr, len(in))
	for i, t := range in {
		args[i] = &colExpr{t: t, idx: i}
	}
	e, err := b.bindSupportCall(call, args)
	if err != nil {
		if pgerr.Code(err) == pgerr.UndefinedFunction || pgerr.Code(err) == pgerr.AmbiguousFunction {
			parts := make([]string, len(in))
			for i, t := range in {
				parts[i] = routineTypeName(t)
			}
			return nil, nil, pgerr.New(pgerr.UndefinedFunction, "function %s(%s) does not exist", strings.Join(name, "."), joinComma(parts))
		}
		return nil, nil, err
	}
	var desc *catalog.FuncDesc
	var takes []types.T
	if rc, ok := e.(*routineCallExpr); ok {
		desc, takes = rc.desc, rc.desc.InputTypes()
	} else {
		takes = builtinTakes(call.Name, in)
	}
	// As lookup_agg_function, the function must take the types as they
	// are (or binary-coercible ones), not after a conversion.
	for i, t := range takes {
		if i < len(in) && t.ID != in[i].ID && !(t.IsString() && in[i].IsString()) {
			parts := make([]string, len(takes))
			for j, t := range takes {
				parts[j] = routineTypeName(t)
			}
			return nil, nil, pgerr.New(pgerr.DatatypeMismatch, "function %s(%s) requires run-time type coercion", call.Name, strings.Join(parts, ", "))
		}
	}
	return e, desc, nil
}

// builtinTakes is the argument types of the built-in function name's
// overload a call with arguments of types in binds: the exact one, else
// the first that takes as many arguments.
func builtinTakes(name string, in []types.T) []types.T {
	f, ok := builtins.Lookup(name)
	if !ok {
		return in
	}
	var first []types.ID
	for _, o := range f.Overloads {
		if len(o.Args) != len(in) || o.VariadicAny {
			continue
		}
		if slices.EqualFunc(o.Args, in, func(a types.ID, t types.T) bool { return a == t.ID }) {
			return in
		}
		if first == nil {
			first = o.Args
		}
	}
	if first == nil {
		return in
	}
	out := make([]types.T, len(first))
	for i, id := range first {
		out[i] = types.New(id)
	}
	return out
}

// bindSupportCall binds call with its arguments bound: a user routine or
// a built-in function, as an expression's call finds one.
func (b *binder) bindSupportCall(call *ast.FuncCall, args []expr) (expr, error) {
	if e, ok, err := b.bindRoutineCall(call, args, func() (expr, error) { return b.bindBuiltinFunc(call, slices.Clone(args)) }); ok {
		return e, err
	}
	return b.bindBuiltinFunc(call, args)
}

// aggFnOf records the support function a name resolved to.
func aggFnOf(name []string, desc *catalog.FuncDesc, in []types.T) catalog.AggFn {
	if desc != nil {
		return catalog.AggFn{OID: desc.OID, Name: desc.Name, ProcOID: int64(desc.OID)}
	}
	ids := make([]types.ID, len(in))
	for i, t := range in {
		ids[i] = t.ID
	}
	fn := name[len(name)-1]
	return catalog.AggFn{Name: fn, ProcOID: catalog.BuiltinProcOID(fn, ids)}
}

// builtinStrict reports whether the built-in function name, called
// with n arguments, is strict (PostgreSQL's proisstrict): its overloads
// that take n arguments are not called with NULLs.
func builtinStrict(name string, n int) bool {
	f, ok := builtins.Lookup(name)
	if !ok {
		return true
	}
	for _, o := range f.Overloads {
		if o.CalledOnNull && (len(o.Args) == n || o.VariadicAny && len(o.Args) <= n) {
			return false
		}
	}
	return true
}

// aggFnStrict reports whether the support function is strict: a user
// routine's STRICT, a built-in function's own.
func aggFnStrict(desc *catalog.FuncDesc, name []string, n int) bool {
	if desc != nil {
		return desc.Strict
	}
	return builtinStrict(name[len(name)-1], n)
}

// aggInitialState reads an INITCOND as a value of the state type, as the
// state type's input function reads it.
func aggInitialState(x *execCtx, initCond *string, state types.T) (types.Datum, error) {
	if initCond == nil {
		return nil, nil
	}
	b := &binder{s: x.s, snap: x.snap}
	e, err := b.cast(&constExpr{t: textT, v: *initCond}, state, true, -1)
	if err != nil {
		return nil, err
	}
	return e.Eval(&evalCtx{exec: x}, nil)
}

// dependentAggregates adds to drop the aggregates whose support
// functions drop removes, with CASCADE (a NOTICE each), or refuses the
// drop (2BP01) as PostgreSQL's dependency on the functions does.
func (x *execCtx) dependentAggregates(drop []catalog.FuncEntry, cascade bool, res *Result) ([]catalog.FuncEntry, error) {
	all, err := x.s.e.cat.Functions(x.snap)
	if err != nil {
		return nil, err
	}
	dropping := func(oid uint32) bool {
		return slices.ContainsFunc(drop, func(e catalog.FuncEntry) bool { return e.OID == oid })
	}
	var extra []catalog.FuncEntry
	for _, f := range drop {
		if f.Kind == catalog.KindAggregate {
			continue
		}
		for _, a := range all {
			if a.Agg == nil || !a.Agg.References(f.OID) || dropping(a.OID) ||
				slices.ContainsFunc(extra, func(e catalog.FuncEntry) bool { return e.OID == a.OID }) {
				continue
			}
			if !cascade {
				return nil, pgerr.New(pgerr.DependentObjectsStillExist, "cannot drop function %s because other objects depend on it", routineSigText(f.FuncDesc, false)).
					WithDetail("function " + routineSigText(a.FuncDesc, false) + " depends on function " + routineSigText(f.FuncDesc, false)).
					WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
			}
			res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion,
				Message: "drop cascades to function " + routineSigText(a.FuncDesc, false)})
			extra = append(extra, a)
		}
	}
	return append(drop, extra...), nil
}
