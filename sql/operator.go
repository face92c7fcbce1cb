package sql

import (
	"slices"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// CREATE OPERATOR and DROP OPERATOR (PostgreSQL's DefineOperator and
// OperatorCreate), and the resolution of user-defined operators in
// expressions.
//
// An operator is a catalog.OperatorDesc naming the function it calls,
// found as a call with the operand types finds a function: a SQL or
// PL/pgSQL routine, or a built-in function. Binary and prefix operators
// are supported; COMMUTATOR, NEGATOR, RESTRICT, JOIN, HASHES and MERGES
// are refused as not supported (0A000) rather than stored and ignored.
//
// Expression types do not keep domains (a domain's values have its base
// type), so an operator declared on a domain cannot tell a domain
// operand from a base-type one. Resolution therefore follows
// PostgreSQL's order as far as the types allow: a user operator whose
// declared types are the operands' types exactly (no domains) comes
// first; then the built-in operators; then, when no built-in operator
// applies, user operators whose declared types (domains reduced to their
// base types) the operands reach by implicit casts.

type createOperatorPlan struct{ stmt *ast.CreateOperatorStmt }

func (p *createOperatorPlan) columns() []Column { return nil }

type dropOperatorPlan struct{ stmt *ast.DropOperatorStmt }

func (p *dropOperatorPlan) columns() []Column { return nil }

// operandType resolves a declared operand type, with the domain it names.
func (b *binder) operandType(tn ast.TypeName) (catalog.OperandType, error) {
	deps := map[uint32]bool{}
	t, err := b.routineType(tn, deps)
	if err != nil {
		return catalog.OperandType{}, err
	}
	out := catalog.OperandType{Type: t}
	if _, dom, err := b.resolveType(tn); err == nil && dom != nil && len(deps) == 1 {
		for oid := range deps {
			out.Domain = oid
		}
	}
	return out, nil
}

func (p *createOperatorPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	s := x.s
	st := p.stmt
	res := &Result{Tag: st.Tag()}
	var fn []string
	var left, right *ast.TypeName
	for _, o := range st.Options {
		switch o.Name {
		case "function", "procedure":
			if o.Func == nil {
				return nil, pgerr.New(pgerr.SyntaxError, "%s requires a parameter", o.Name)
			}
			fn = o.Func
		case "leftarg", "rightarg":
			if o.Type == nil {
				return nil, pgerr.New(pgerr.SyntaxError, "%s requires a parameter", o.Name)
			}
			if o.Name == "leftarg" {
				left = o.Type
			} else {
				right = o.Type
			}
		case "commutator", "negator", "restrict", "join", "hashes", "merges":
			return nil, pgerr.New(pgerr.FeatureNotSupported, "operator attribute \"%s\" is not supported", o.Name)
		default:
			res.Notices = append(res.Notices, Notice{Severity: "WARNING", Code: pgerr.SyntaxError,
				Message: "operator attribute \"" + o.Name + "\" not recognized"})
		}
	}
	if left == nil && right == nil {
		return nil, pgerr.New(pgerr.InvalidFunctionDefinition, "operator argument types must be specified")
	}
	if right == nil {
		return nil, pgerr.New(pgerr.InvalidFunctionDefinition, "operator right argument type must be specified").
			WithDetail("Postfix operators are not supported.")
	}
	if fn == nil {
		return nil, pgerr.New(pgerr.InvalidFunctionDefinition, "operator function must be specified")
	}
	if !validOperatorName(st.Name) {
		return nil, pgerr.New(pgerr.InvalidName, "\"%s\" is not a valid operator name", st.Name)
	}
	schema, err := x.routineSchema(st.Schema, st.Name, st.Pos)
	if err != nil {
		return nil, err
	}
	b := &binder{s: s, snap: x.snap}
	desc := &catalog.OperatorDesc{Schema: schema, Name: st.Name}
	var in []types.T
	if left != nil {
		l, err := b.operandType(*left)
		if err != nil {
			return nil, err
		}
		desc.Left = &l
		in = append(in, l.Type)
	}
	if desc.Right, err = b.operandType(*right); err != nil {
		return nil, err
	}
	in = append(in, desc.Right.Type)
	call, fnDesc, err := b.aggSupportFn(fn, in)
	if err != nil {
		return nil, err
	}
	if fnDesc != nil {
		if err := b.checkRoutineExecute(fnDesc); err != nil {
			return nil, err
		}
	}
	desc.Result = call.Type()
	desc.Fn = aggFnOf(fn, fnDesc, in)
	g, err := s.roleGraph(x.snap)
	if err != nil {
		return nil, err
	}
	desc.Owner, _ = s.currentRoleOID(g)
	if desc.OID, err = s.e.tm.NextOID(); err != nil {
		return nil, err
	}
	if err := s.e.cat.CreateOperator(x.op(), desc); err != nil {
		return nil, err
	}
	s.e.catalogChanged()
	s.wroteCatalog = true
	return res, nil
}

// validOperatorName is PostgreSQL's validOperatorName: operator
// characters only, at most NAMEDATALEN-1 of them, no comment starts, and
// a multi-character name ending in + or - must hold one of ~!@#%^&|`?.
func validOperatorName(name string) bool {
	if name == "" || len(name) >= 64 || strings.Trim(name, "+-*/<>=~!@#%^&|`?") != "" {
		return false
	}
	if strings.Contains(name, "/*") || strings.Contains(name, "--") {
		return false
	}
	if len(name) > 1 && (name[len(name)-1] == '+' || name[len(name)-1] == '-') {
		return strings.ContainsAny(name, "~!@#%^&|`?")
	}
	return name != "!=" // != is always <>
}

func (p *dropOperatorPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	s := x.s
	res := &Result{Tag: p.stmt.Tag()}
	b := &binder{s: s, snap: x.snap}
	all, err := s.e.cat.Operators(x.snap)
	if err != nil {
		return nil, err
	}
	g, err := s.roleGraph(x.snap)
	if err != nil {
		return nil, err
	}
	cur, _ := s.currentRoleOID(g)
	var drop []catalog.OperatorEntry
	missingType := func(err error) bool {
		if p.stmt.IfExists && pgerr.Code(err) == pgerr.UndefinedObject {
			res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion,
				Message: pgerr.Find(err).Message + ", skipping"})
			return true
		}
		return false
	}
ops:
	for _, sig := range p.stmt.Ops {
		var left *catalog.OperandType
		var names []string
		if sig.Left != nil {
			l, err := b.operandType(*sig.Left)
			if missingType(err) {
				continue ops
			}
			if err != nil {
				return nil, err
			}
			left = &l
			names = append(names, b.operandTypeName(l))
		} else {
			names = append(names, "NONE")
		}
		if sig.Right == nil {
			return nil, pgerr.New(pgerr.SyntaxError, "postfix operators are not supported")
		}
		right, err := b.operandType(*sig.Right)
		if missingType(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		names = append(names, b.operandTypeName(right))
		var found *catalog.OperatorEntry
		for i, o := range all {
			if o.Name == sig.Name && (sig.Schema == "" || sig.Schema == o.Schema) && o.Right.OID() == right.OID() &&
				(o.Left == nil) == (left == nil) && (left == nil || o.Left.OID() == left.OID()) {
				found = &all[i]
				break
			}
		}
		if found == nil {
			if p.stmt.IfExists {
				res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion,
					Message: "operator " + qualifiedOpName(sig) + " does not exist, skipping"})
				continue
			}
			return nil, pgerr.New(pgerr.UndefinedFunction, "operator does not exist: %s %s %s", names[0], qualifiedOpName(sig), names[1])
		}
		if !g.isMemberOf(cur, found.Owner) {
			return nil, pgerr.New(pgerr.InsufficientPrivilege, "must be owner of operator %s", sig.Name)
		}
		drop = append(drop, *found)
	}
	for _, o := range drop {
		if err := s.e.cat.DropOperator(x.op(), o.ID); err != nil {
			return nil, err
		}
	}
	if len(drop) > 0 {
		s.e.catalogChanged()
		s.wroteCatalog = true
	}
	return res, nil
}

func qualifiedOpName(sig ast.OperatorSig) string {
	if sig.Schema != "" {
		return sig.Schema + "." + sig.Name
	}
	return sig.Name
}

// operandTypeName names a declared operand type as PostgreSQL prints it.
func (b *binder) operandTypeName(o catalog.OperandType) string {
	if o.Domain != 0 {
		if d, _, err := b.s.e.cat.TypeByOID(b.snap, o.Domain); err == nil && d != nil {
			return d.Name
		}
	}
	return b.typeName(o.Type)
}

// userOperators returns the user-defined operators, read from the
// catalog once per statement.
func (b *binder) userOperators() ([]catalog.OperatorEntry, error) {
	if b.s == nil {
		return nil, nil
	}
	if b.userOps == nil {
		all, err := b.s.e.cat.Operators(b.snap)
		if err != nil {
			return nil, err
		}
		b.userOps = &all
	}
	return *b.userOps, nil
}

// operandFits reports how an operand of type have fits a declared type:
// 2 exactly (an untyped literal fits when the other operand has the
// declared type), 1 by an implicit cast or as an untyped literal, 0 not.
func operandFits(have types.T, want catalog.OperandType, other types.T, implicit bool) int {
	switch {
	case have.ID == want.Type.ID:
		return 2
	case have.ID == types.Unknown && other.ID != types.Unknown && other.ID == want.Type.ID:
		return 2
	case implicit && have.ID == types.Unknown && want.Type.ID == types.Text:
		// Untyped literals prefer the string category, as PostgreSQL's
		// operator resolution does when nothing else decides.
		return 2
	case have.ID == types.Unknown || types.ImplicitCast(have.ID, want.Type.ID):
		return 1
	}
	return 0
}

// bindUserOperator binds op applied to l (nil for a prefix operator) and
// r when a user-defined operator is its match. implicit selects the
// second pass: operators declared on domains, and operands reaching the
// declared types by implicit casts; the first pass takes exact matches
// of operators declared without domains only.
func (b *binder) bindUserOperator(op string, l, r expr, pos int32, implicit bool) (expr, bool, error) {
	all, err := b.userOperators()
	if err != nil || len(all) == 0 {
		return nil, false, err
	}
	if b.s == nil {
		return nil, false, nil
	}
	path, err := b.s.pathSchemas(b.snap)
	if err != nil {
		return nil, false, err
	}
	var best *catalog.OperatorDesc
	bestScore, ties := 0, 0
	for _, o := range all {
		if o.Name != op || (o.Left == nil) != (l == nil) || !slices.Contains(path, o.Schema) {
			continue
		}
		domains := o.Right.Domain != 0 || o.Left != nil && o.Left.Domain != 0
		var lt types.T
		score := 2
		if l != nil {
			lt = l.Type()
			score = operandFits(lt, *o.Left, r.Type(), implicit)
		}
		rs := operandFits(r.Type(), o.Right, lt, implicit)
		if score == 0 || rs == 0 {
			continue
		}
		score += rs
		if !implicit && (domains || score < 4) {
			continue
		}
		switch {
		case score > bestScore:
			best, bestScore, ties = o.OperatorDesc, score, 1
		case score == bestScore:
			ties++
		}
	}
	if best == nil {
		return nil, false, nil
	}
	if ties > 1 {
		return nil, true, pgerr.New(pgerr.AmbiguousFunction, "operator is not unique: %s", operatorCallText(b, op, l, r)).
			WithHint("Could not choose a best candidate operator. You might need to add explicit type casts.").WithPosition(pos)
	}
	e, err := b.callOperator(best, l, r, pos)
	return e, true, err
}

func operatorCallText(b *binder, op string, l, r expr) string {
	if l == nil {
		return op + " " + b.typeName(r.Type())
	}
	return b.typeName(l.Type()) + " " + op + " " + b.typeName(r.Type())
}

// callOperator binds the call of d's function on the operands, cast to
// its declared types.
func (b *binder) callOperator(d *catalog.OperatorDesc, l, r expr, pos int32) (expr, error) {
	var args []expr
	if l != nil {
		c, err := b.cast(l, d.Left.Type, false, pos)
		if err != nil {
			return nil, err
		}
		args = append(args, c)
	}
	c, err := b.cast(r, d.Right.Type, false, pos)
	if err != nil {
		return nil, err
	}
	args = append(args, c)
	if d.Fn.OID == 0 {
		return b.bindBuiltinFunc(&ast.FuncCall{Name: d.Fn.Name}, args)
	}
	fns, err := b.s.e.cat.Functions(b.snap)
	if err != nil {
		return nil, err
	}
	for _, f := range fns {
		if f.OID == d.Fn.OID {
			if err := b.checkRoutineExecute(f.FuncDesc); err != nil {
				return nil, err
			}
			return b.bindSupportCall(&ast.FuncCall{Schema: f.Schema, Name: f.Name}, args)
		}
	}
	return nil, pgerr.New(pgerr.UndefinedFunction, "function %s of operator %s no longer exists", d.Fn.Name, d.Name)
}

// operatorSigText is an operator as PostgreSQL's format_operator prints
// it: name(left,right), NONE for a prefix operator's left.
func (b *binder) operatorSigText(d *catalog.OperatorDesc) string {
	left := "NONE"
	if d.Left != nil {
		left = b.operandTypeName(*d.Left)
	}
	return d.Name + "(" + left + "," + b.operandTypeName(d.Right) + ")"
}

// dropFunctionOperators drops, with CASCADE (a NOTICE each), the
// operators that call f, or refuses the drop (2BP01) as PostgreSQL's
// dependency of an operator on its function does.
func (x *execCtx) dropFunctionOperators(f *catalog.FuncDesc, cascade bool, res *Result) error {
	all, err := x.s.e.cat.Operators(x.snap)
	if err != nil {
		return err
	}
	b := &binder{s: x.s, snap: x.snap}
	for _, o := range all {
		if o.Fn.OID != f.OID {
			continue
		}
		if !cascade {
			return pgerr.New(pgerr.DependentObjectsStillExist, "cannot drop function %s because other objects depend on it", routineSigText(f, false)).
				WithDetail("operator " + b.operatorSigText(o.OperatorDesc) + " depends on function " + routineSigText(f, false)).
				WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
		}
		res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion,
			Message: "drop cascades to operator " + b.operatorSigText(o.OperatorDesc)})
		if err := x.s.e.cat.DropOperator(x.op(), o.ID); err != nil {
			return err
		}
	}
	return nil
}

// bindOperatorIsVisible binds pg_operator_is_visible(oid), which psql's
// \do calls: whether the user-defined operator's schema is in the search
// path (NULL for an oid that names no operator, as in PostgreSQL).
func (b *binder) bindOperatorIsVisible(args []expr, pos int32) (expr, error) {
	const name = "pg_operator_is_visible"
	if len(args) != 1 {
		return nil, undefinedFunction(name, args, pos)
	}
	if err := b.coerceArg(args, 0, oidT, name, pos); err != nil {
		return nil, err
	}
	return &ctxFuncExpr{t: boolT, args: args, fn: func(x *execCtx, a []types.Datum) (types.Datum, error) {
		oid := a[0].(int64)
		ops, err := x.s.e.cat.Operators(x.snap)
		if err != nil {
			return nil, err
		}
		for _, o := range ops {
			if int64(o.OID) == oid {
				path, err := x.s.pathSchemas(x.snap)
				if err != nil {
					return nil, err
				}
				return slices.Contains(path, o.Schema), nil
			}
		}
		return nil, nil
	}}, nil
}
