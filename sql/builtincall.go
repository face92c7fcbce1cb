package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/builtins"
	"github.com/cairndb/cairn/sql/types"
)

// bindBuiltinCall binds a call of a registered function, written with a
// trailing VARIADIC array when variadic is set. Overloads that are not
// strict, and those with a VARIADIC "any" parameter, evaluate as
// builtinCallExpr; the others as a strict funcExpr.
func (b *binder) bindBuiltinCall(f *builtins.Func, args []expr, variadic bool, pos int32) (expr, error) {
	argTypes := make([]types.T, len(args))
	for i, a := range args {
		argTypes[i] = a.Type()
	}
	o, err := f.Resolve(argTypes)
	if err != nil {
		return nil, pgerr.Find(err).WithPosition(pos)
	}
	if variadic && (!o.VariadicAny || len(args) != len(o.Args)+1) {
		return nil, undefinedFunction(f.Name, args, pos)
	}
	for i := range o.Args {
		if args[i].Type().ID != o.Args[i] {
			if args[i], err = b.cast(args[i], types.New(o.Args[i]), false, pos); err != nil {
				return nil, err
			}
		}
	}
	if !o.VariadicAny && !o.CalledOnNull {
		return &funcExpr{t: types.New(o.Result), args: args, strict: true, fn: o.Fn}, nil
	}
	e := &builtinCallExpr{o: o, args: args, spread: variadic, sess: b.s}
	e.types = make([]types.T, len(args))
	for i, a := range args {
		e.types[i] = a.Type()
	}
	for i, t := range e.types {
		if t.ID == types.Unknown {
			// An untyped literal passed as "any" is text, as
			// PostgreSQL resolves it.
			if args[i], err = b.cast(args[i], types.New(types.Text), false, pos); err != nil {
				return nil, err
			}
			e.types[i] = types.New(types.Text)
		}
	}
	if variadic {
		last := e.types[len(e.types)-1]
		elem, ok := last.Elem()
		if !ok {
			return nil, pgerr.New(pgerr.DatatypeMismatch, "VARIADIC argument must be an array").WithPosition(pos)
		}
		e.elem = elem
	}
	return e, nil
}

// builtinCallExpr is a call of a registered function that is not strict
// or takes VARIADIC "any" arguments.
type builtinCallExpr struct {
	o      *builtins.Overload
	args   []expr
	types  []types.T
	spread bool    // the last argument is a VARIADIC array
	elem   types.T // the type of its elements
	sess   *Session
}

func (e *builtinCallExpr) Type() types.T { return types.New(e.o.Result) }

func (e *builtinCallExpr) Eval(c *evalCtx, row []types.Datum) (types.Datum, error) {
	vals := make([]types.Datum, len(e.args))
	for i, a := range e.args {
		v, err := a.Eval(c, row)
		if err != nil {
			return nil, err
		}
		if v == nil && !e.o.CalledOnNull {
			return nil, nil
		}
		vals[i] = v
	}
	if !e.o.VariadicAny {
		return e.o.Fn(vals)
	}
	call := &builtins.AnyCall{Args: vals, Types: e.types, Spread: e.spread}
	if e.sess != nil {
		call.Style = e.sess.TypeStyle()
	}
	if e.spread {
		n := len(vals) - 1
		call.Args, call.Types = vals[:n:n], e.types[:n:n]
		if arr, ok := vals[n].(*types.Array); ok {
			for _, v := range arr.Elems {
				call.Args = append(call.Args, v)
				call.Types = append(call.Types, e.elem)
			}
		} else {
			call.SpreadNull = true
		}
	}
	return e.o.AnyFn(call)
}
