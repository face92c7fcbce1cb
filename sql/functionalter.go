package sql

import (
	"slices"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// DROP, ALTER and COMMENT ON FUNCTION / PROCEDURE / ROUTINE, and CALL.

func (b *binder) bindRoutineStmt(st ast.Stmt) (boundStmt, error) {
	switch x := st.(type) {
	case *ast.CreateFunctionStmt:
		return &createFunctionPlan{stmt: x}, nil
	case *ast.CreateAggregateStmt:
		return &createAggregatePlan{stmt: x}, nil
	case *ast.DropFunctionStmt:
		return &dropFunctionPlan{stmt: x}, nil
	case *ast.AlterFunctionStmt:
		return &alterFunctionPlan{stmt: x}, nil
	case *ast.CallStmt:
		return b.bindCall(x)
	}
	return nil, pgerr.New(pgerr.InternalError, "not a statement about routines: %T", st)
}

// findRoutine returns the routine a FuncSig names, of kind ("function",
// "procedure" or "routine"); a zero entry and no error when none does
// and missingOK is set.
func (x *execCtx) findRoutine(sig ast.FuncSig, kind string, missingOK bool) (catalog.FuncEntry, error) {
	s := x.s
	all, err := s.e.cat.Functions(x.snap)
	if err != nil {
		return catalog.FuncEntry{}, err
	}
	var path []string
	if sig.Schema != "" {
		path = []string{sig.Schema}
	} else if path, err = s.pathSchemas(x.snap); err != nil {
		return catalog.FuncEntry{}, err
	}
	b := &binder{s: s, snap: x.snap}
	var want []types.T
	if sig.ArgsGiven {
		for _, tn := range sig.Args {
			t, err := b.routineType(tn, map[uint32]bool{})
			if err != nil {
				return catalog.FuncEntry{}, err
			}
			want = append(want, t)
		}
	}
	word := kind
	if word == "routine" {
		word = "function"
	}
	var found []catalog.FuncEntry
	for _, sc := range path {
		for _, f := range all {
			if f.Schema != sc || f.Name != sig.Name {
				continue
			}
			if sig.ArgsGiven && !sameTypes(f.InputTypes(), want) && !(f.Kind == catalog.KindProcedure && sameTypes(argTypes(callParams(f.FuncDesc, true)), want)) {
				continue
			}
			found = append(found, f)
		}
		if sig.ArgsGiven && len(found) > 1 {
			// A signature naming the input types matches those before a
			// procedure's whose OUT arguments it lists.
			var exact []catalog.FuncEntry
			for _, f := range found {
				if sameTypes(f.InputTypes(), want) {
					exact = append(exact, f)
				}
			}
			if len(exact) > 0 {
				found = exact
			}
		}
		if len(found) > 0 {
			break
		}
	}
	name := sig.Name
	if sig.Schema != "" {
		name = sig.Schema + "." + name
	}
	switch {
	case len(found) == 0 && missingOK:
		return catalog.FuncEntry{}, nil
	case len(found) == 0 && sig.ArgsGiven:
		parts := make([]string, len(want))
		for i, t := range want {
			parts[i] = routineTypeName(t)
		}
		return catalog.FuncEntry{}, pgerr.New(pgerr.UndefinedFunction, "%s %s(%s) does not exist", word, name, joinComma(parts))
	case len(found) == 0:
		return catalog.FuncEntry{}, pgerr.New(pgerr.UndefinedFunction, "could not find a %s named \"%s\"", word, name)
	case len(found) > 1:
		return catalog.FuncEntry{}, pgerr.New(pgerr.AmbiguousFunction, "%s name \"%s\" is not unique", word, name).
			WithHint("Specify the argument list to select the " + word + " unambiguously.")
	}
	f := found[0]
	switch {
	case kind == "function" && f.Kind == catalog.KindProcedure:
		return catalog.FuncEntry{}, pgerr.New(pgerr.WrongObjectType, "%s is not a function", routineSigText(f.FuncDesc, false))
	case kind == "procedure" && f.Kind != catalog.KindProcedure:
		return catalog.FuncEntry{}, pgerr.New(pgerr.WrongObjectType, "%s is not a procedure", routineSigText(f.FuncDesc, false))
	case kind == "aggregate" && f.Kind != catalog.KindAggregate:
		return catalog.FuncEntry{}, pgerr.New(pgerr.WrongObjectType, "function %s is not an aggregate", routineSigText(f.FuncDesc, false))
	}
	return f, nil
}

func joinComma(parts []string) string {
	out := ""
	for i, p := range parts {
		if i > 0 {
			out += ", "
		}
		out += p
	}
	return out
}

func argTypes(args []catalog.FuncArg) []types.T {
	out := make([]types.T, len(args))
	for i, a := range args {
		out[i] = a.Type
	}
	return out
}

func sameTypes(a, b []types.T) bool {
	return slices.EqualFunc(a, b, func(x, y types.T) bool { return x.ID == y.ID })
}

// checkRoutineOwner refuses a role that does not own f.
func (x *execCtx) checkRoutineOwner(f *catalog.FuncDesc) error {
	g, err := x.s.roleGraph(x.snap)
	if err != nil {
		return err
	}
	cur, ok := x.s.currentRoleOID(g)
	if ok && g.isMemberOf(cur, f.Owner) {
		return nil
	}
	return pgerr.New(pgerr.InsufficientPrivilege, "must be owner of %s %s", kindWord(f), f.Name)
}

type dropFunctionPlan struct{ stmt *ast.DropFunctionStmt }

func (p *dropFunctionPlan) columns() []Column { return nil }

func (p *dropFunctionPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	res := &Result{Tag: p.stmt.Tag()}
	var drop []catalog.FuncEntry
	for _, sig := range p.stmt.Funcs {
		f, err := x.findRoutine(sig, p.stmt.Kind, p.stmt.IfExists)
		if err != nil {
			return nil, err
		}
		if f.FuncDesc == nil {
			word := p.stmt.Kind
			if word == "routine" {
				word = "function"
			}
			msg := word + " " + sigText(sig) + " does not exist, skipping"
			if sig.Schema != "" {
				if ok, _ := x.s.schemaExists(x.snap, sig.Schema); !ok && sig.Schema != "public" {
					msg = "schema \"" + sig.Schema + "\" does not exist, skipping"
				}
			}
			res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion, Message: msg})
			continue
		}
		if p.stmt.Kind == "function" && f.Kind == catalog.KindAggregate {
			name := sig.Name
			if sig.Schema != "" {
				name = sig.Schema + "." + name
			}
			return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is an aggregate function", name).
				WithHint("Use DROP AGGREGATE to drop aggregate functions.")
		}
		if err := x.checkRoutineOwner(f.FuncDesc); err != nil {
			return nil, err
		}
		if !slices.ContainsFunc(drop, func(e catalog.FuncEntry) bool { return e.OID == f.OID }) {
			drop = append(drop, f)
		}
	}
	drop, err := x.dependentAggregates(drop, p.stmt.Cascade, res)
	if err != nil {
		return nil, err
	}
	for _, f := range drop {
		if err := x.dropFunctionTriggers(f.FuncDesc, p.stmt.Cascade, res); err != nil {
			return nil, err
		}
		if err := x.dropFunctionOperators(f.FuncDesc, p.stmt.Cascade, res); err != nil {
			return nil, err
		}
		if err := x.s.e.cat.DropFunction(x.op(), f.ID); err != nil {
			return nil, err
		}
	}
	if len(drop) > 0 {
		x.s.e.catalogChanged()
		x.s.wroteCatalog = true
	}
	return res, nil
}

// sigText is a FuncSig as a message prints it.
func sigText(sig ast.FuncSig) string {
	name := sig.Name
	if sig.Schema != "" {
		name = sig.Schema + "." + name
	}
	if !sig.ArgsGiven {
		return name
	}
	parts := make([]string, len(sig.Args))
	for i, a := range sig.Args {
		t, err := types.Resolve(a)
		if err != nil {
			parts[i] = a.Name
			if a.Array {
				parts[i] += "[]"
			}
			continue
		}
		parts[i] = routineTypeName(t)
	}
	return name + "(" + joinComma(parts) + ")"
}

type alterFunctionPlan struct{ stmt *ast.AlterFunctionStmt }

func (p *alterFunctionPlan) columns() []Column { return nil }

func (p *alterFunctionPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	st := p.stmt
	s := x.s
	f, err := x.findRoutine(st.Func, st.Kind, false)
	if err != nil {
		return nil, err
	}
	if st.Options != nil && f.Kind == catalog.KindAggregate {
		// An aggregate's attributes are its definition's: ALTER
		// FUNCTION's clauses do not apply.
		return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is an aggregate function", sigText(ast.FuncSig{Schema: st.Func.Schema, Name: st.Func.Name}))
	}
	if err := x.checkRoutineOwner(f.FuncDesc); err != nil {
		return nil, err
	}
	d := *f.FuncDesc
	d.Args = slices.Clone(d.Args)
	d.Config = slices.Clone(d.Config)
	switch {
	case st.IsComment:
		d.Comment = ""
		if st.Comment != nil {
			d.Comment = *st.Comment
		}
	case st.RenameTo != "" || st.SetSchema != "":
		if st.RenameTo != "" {
			d.Name = st.RenameTo
		}
		if st.SetSchema != "" {
			ok, err := s.schemaExists(x.snap, st.SetSchema)
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, pgerr.New(pgerr.InvalidSchemaName, "schema \"%s\" does not exist", st.SetSchema)
			}
			if err := x.checkCreateIn(st.SetSchema); err != nil {
				return nil, err
			}
			d.Schema = st.SetSchema
		}
		other, err := s.lookupRoutineExact(x.snap, d.Schema, d.Name, d.InputTypes())
		if err != nil {
			return nil, err
		}
		if other.FuncDesc != nil && other.OID != d.OID {
			return nil, pgerr.New(pgerr.DuplicateFunction, "%s %s already exists in schema \"%s\"", kindWord(&d), routineSigText(&d, true), d.Schema)
		}
	case st.Owner != nil:
		g, err := s.roleGraph(x.snap)
		if err != nil {
			return nil, err
		}
		name := *st.Owner
		if name == "" {
			name = s.currentUser()
		}
		r, ok := g.byName[name]
		if !ok {
			return nil, pgerr.New(pgerr.UndefinedObject, "role \"%s\" does not exist", name)
		}
		if d.HasACL {
			for i := range d.ACL {
				if d.ACL[i].Grantee == d.Owner {
					d.ACL[i].Grantee = r.OID
				}
				if d.ACL[i].Grantor == d.Owner {
					d.ACL[i].Grantor = r.OID
				}
			}
		}
		d.Owner = r.OID
	case st.Options != nil:
		if err := applyFuncOptions(&d, st.Options, s); err != nil {
			return nil, err
		}
		if d.Leakproof && !f.Leakproof {
			g, err := s.roleGraph(x.snap)
			if err != nil {
				return nil, err
			}
			if cur, _ := s.currentRoleOID(g); !g.super(cur) {
				return nil, pgerr.New(pgerr.InsufficientPrivilege, "only superuser can define a leakproof function")
			}
		}
	}
	if err := s.e.cat.ReplaceFunction(x.op(), x.later().op(), f.ID, &d); err != nil {
		return nil, err
	}
	s.e.catalogChanged()
	s.wroteCatalog = true
	return &Result{Tag: st.Tag()}, nil
}

// callPlan is CALL proc(args).
type callPlan struct {
	desc *catalog.FuncDesc
	args []expr
	cols []Column
}

func (b *binder) bindCall(st *ast.CallStmt) (boundStmt, error) {
	x := st.Call
	args := make([]expr, len(x.Args))
	for i, a := range x.Args {
		e, err := b.bindExpr(a, &scope{})
		if err != nil {
			return nil, err
		}
		args[i] = e
	}
	cands, err := b.visibleRoutines(x.Schema, x.Name)
	if err != nil {
		return nil, err
	}
	f, err := b.resolveRoutine(x, cands, args, true)
	if err != nil {
		if pgerr.Code(err) == pgerr.UndefinedFunction && x.Schema == "" && len(cands) == 0 {
			// A built-in function: not a procedure either.
			if _, ferr := b.bindExpr(x, &scope{}); ferr == nil || pgerr.Code(ferr) != pgerr.UndefinedFunction {
				return nil, pgerr.New(pgerr.WrongObjectType, "%s is not a procedure", callText(x, args)).
					WithHint("To call a function, use SELECT.").WithPosition(x.Pos)
			}
		}
		if pgerr.Code(err) == pgerr.UndefinedFunction {
			// A function of that name and arguments: not a procedure.
			if ff, ferr := b.resolveRoutine(x, cands, args, false); ferr == nil {
				return nil, pgerr.New(pgerr.WrongObjectType, "%s is not a procedure", routineSigText(ff.desc, false)).
					WithHint("To call a function, use SELECT.").WithPosition(x.Pos)
			}
		}
		return nil, err
	}
	if f.desc.Kind != catalog.KindProcedure {
		return nil, pgerr.New(pgerr.WrongObjectType, "%s is not a procedure", routineSigText(f.desc, false)).
			WithHint("To call a function, use SELECT.").WithPosition(x.Pos)
	}
	if err := b.checkRoutineExecute(f.desc); err != nil {
		return nil, err
	}
	conv, err := b.routineArgs(f, args, true, x.Pos)
	if err != nil {
		return nil, err
	}
	return &callPlan{desc: f.desc, args: conv, cols: routineResultColumns(f.desc)}, nil
}

func (p *callPlan) columns() []Column { return p.cols }

func (p *callPlan) execute(x *execCtx, ec *evalCtx) (*Result, error) {
	// A procedure's OUT parameters are placeholders: its body sees its
	// input ones.
	var vals []types.Datum
	params := callParams(p.desc, true)
	for i, a := range p.args {
		if params[i].Mode == "o" {
			continue
		}
		v, err := a.Eval(ec, nil)
		if err != nil {
			return nil, err
		}
		if v == nil && p.desc.Strict {
			return &Result{Tag: "CALL", Columns: p.cols}, nil
		}
		vals = append(vals, v)
	}
	rows, err := x.s.callRoutine(x, p.desc, vals)
	if err != nil {
		return nil, err
	}
	res := &Result{Tag: "CALL", Columns: p.cols, Notices: x.notices}
	x.notices = nil
	if p.cols != nil {
		row := make([]types.Datum, len(p.cols))
		if len(rows) > 0 {
			copy(row, rows[0])
		}
		res.Rows = [][]types.Datum{row}
	}
	return res, nil
}

// routinesUsingType are the routines whose arguments or result name the
// user type with oid (catalog.FuncDesc.Deps): DROP TYPE refuses to drop
// it under them (2BP01), or drops them with CASCADE.
func routinesUsingType(x *execCtx, oid uint32) ([]catalog.FuncEntry, error) {
	all, err := x.s.e.cat.Functions(x.snap)
	if err != nil {
		return nil, err
	}
	var out []catalog.FuncEntry
	for _, f := range all {
		if slices.Contains(f.Deps, oid) {
			out = append(out, f)
		}
	}
	return out, nil
}

// routinesInSchema are the routines of schema, which DROP SCHEMA refuses
// to drop without CASCADE and drops with it.
func routinesInSchema(x *execCtx, schema string) ([]catalog.FuncEntry, error) {
	all, err := x.s.e.cat.Functions(x.snap)
	if err != nil {
		return nil, err
	}
	var out []catalog.FuncEntry
	for _, f := range all {
		if f.Schema == schema {
			out = append(out, f)
		}
	}
	return out, nil
}
