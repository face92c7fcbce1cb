package builtins

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// Overload is one signature of a built-in function.
type Overload struct {
	// Args are the argument types; a call's arguments are converted to
	// them (implicitly) before Fn sees them.
	Args []types.ID
	// Result is the type of the result, without a modifier.
	Result types.ID
	// Fn computes the result from argument values of the types in Args.
	// Built-in functions are strict: a call with a NULL argument is NULL
	// and does not reach Fn.
	Fn func(args []types.Datum) (types.Datum, error)
	// CalledOnNull makes the function not strict: NULL arguments reach
	// Fn (or AnyFn) as nil instead of making the call NULL.
	CalledOnNull bool
	// VariadicAny gives the function a trailing VARIADIC "any"
	// parameter: after Args a call may pass any number of further
	// arguments of any types, which are not converted. Such an overload
	// runs AnyFn, not Fn.
	VariadicAny bool
	// AnyFn computes the result of a VariadicAny overload.
	AnyFn func(c *AnyCall) (types.Datum, error)
}

// Any is the pseudo-type "any" of a VARIADIC "any" parameter.
const Any types.ID = 2276

// AnyCall is one call of a VariadicAny overload: the fixed arguments,
// converted to the overload's Args, then the variadic ones as written,
// each with its type.
type AnyCall struct {
	Args  []types.Datum
	Types []types.T
	// Style renders values as the session's output functions do.
	Style types.Style
	// Spread is a call that passed its variadic arguments as one array
	// (f(..., VARIADIC arr)); Args then holds the array's elements.
	Spread bool
	// SpreadNull is a call f(..., VARIADIC NULL): Args has no variadic
	// arguments.
	SpreadNull bool
}

// Text is the i-th argument in its type's text output form.
func (c *AnyCall) Text(i int) string {
	if s, ok := c.Args[i].(string); ok && c.Types[i].IsString() {
		return s
	}
	return types.FormatTextStyle(c.Types[i], c.Args[i], c.Style)
}

// Func is a built-in function: its name and its overloads. An operator
// is a Func too, named by its symbol.
type Func struct {
	Name      string
	Overloads []*Overload
	// operator is set for operators: "binary" or "prefix".
	operator string
}

// operators holds the registered operators by symbol, prefix ones under
// "prefix " and their symbol.
var operators = map[string]*Func{}

// registerOperator adds overloads to an operator: binary with two Args,
// prefix with one.
func registerOperator(sym string, overloads ...*Overload) {
	key, kind := sym, "binary"
	if len(overloads[0].Args) == 1 {
		key, kind = "prefix "+sym, "prefix"
	}
	f := operators[key]
	if f == nil {
		f = &Func{Name: sym, operator: kind}
		operators[key] = f
	}
	f.Overloads = append(f.Overloads, overloads...)
}

// LookupOperator returns the binary operator sym, or the prefix one when
// prefix is set. Operators the registry does not hold may still be ones
// the binder knows itself.
func LookupOperator(sym string, prefix bool) (*Func, bool) {
	if prefix {
		sym = "prefix " + sym
	}
	f, ok := operators[sym]
	return f, ok
}

// funcs holds the registered functions by name. It is written only by the
// families' init functions.
var funcs = map[string]*Func{}

// register adds overloads to the function name (and to its aliases, when
// a family registers one set under several names).
func register(name string, overloads ...*Overload) {
	f := funcs[name]
	if f == nil {
		f = &Func{Name: name}
		funcs[name] = f
	}
	for _, o := range overloads {
		for _, have := range f.Overloads {
			if slices.Equal(have.Args, o.Args) && have.VariadicAny == o.VariadicAny {
				panic(fmt.Sprintf("builtins: %s%v registered twice", name, o.Args))
			}
		}
		f.Overloads = append(f.Overloads, o)
	}
}

// Lookup returns the built-in function named name. Names the registry
// does not hold may still be built-in functions the binder knows itself.
func Lookup(name string) (*Func, bool) {
	f, ok := funcs[name]
	return f, ok
}

// Resolve picks the overload a call with arguments of types args runs, as
// PostgreSQL's func_get_detail does:
//
//  1. An overload whose argument types are exactly args.
//  2. Otherwise the overloads every argument converts to implicitly
//     (types.ImplicitCast; an untyped literal converts to anything). One
//     of them is the answer; several are narrowed by func_select_candidate:
//     those with the most arguments of exactly the given type; then those
//     with the most arguments whose type is exact or the preferred type of
//     the argument's category; then, for untyped arguments, those taking
//     the category the candidates agree on (string if any takes a string)
//     and its preferred type where one does; then, when the typed
//     arguments all have one type, the one candidate that takes that type
//     in place of the untyped ones.
//
// It fails with 42883 when no overload fits and 42725 when more than one
// is left; the caller adds the error's position.
func (f *Func) Resolve(args []types.T) (*Overload, error) {
	ids := make([]types.ID, len(args))
	for i, a := range args {
		ids[i] = a.ID
	}
	var candidates []*Overload
	for _, o := range f.Overloads {
		if o.VariadicAny {
			// The fixed arguments resolve as usual; the rest, one at
			// least, are "any".
			if len(ids) > len(o.Args) && convertsImplicitly(ids[:len(o.Args)], o.Args) {
				candidates = append(candidates, o)
			}
			continue
		}
		if len(o.Args) != len(ids) {
			continue
		}
		if slices.Equal(o.Args, ids) {
			return o, nil
		}
		if convertsImplicitly(ids, o.Args) {
			candidates = append(candidates, o)
		}
	}
	switch len(candidates) {
	case 0:
		if f.operator != "" {
			return nil, pgerr.New(pgerr.UndefinedFunction, "operator does not exist: %s", f.operatorCall(args)).
				WithHint("No operator matches the given name and argument types. You might need to add explicit type casts.")
		}
		return nil, pgerr.New(pgerr.UndefinedFunction, "function %s(%s) does not exist", f.Name, typeNames(args)).
			WithHint("No function matches the given name and argument types. You might need to add explicit type casts.")
	case 1:
		return candidates[0], nil
	}
	if o := selectCandidate(ids, candidates); o != nil {
		return o, nil
	}
	if f.operator != "" {
		return nil, pgerr.New(pgerr.AmbiguousFunction, "operator is not unique: %s", f.operatorCall(args)).
			WithHint("Could not choose a best candidate operator. You might need to add explicit type casts.")
	}
	return nil, pgerr.New(pgerr.AmbiguousFunction, "function %s(%s) is not unique", f.Name, typeNames(args)).
		WithHint("Could not choose a best candidate function. You might need to add explicit type casts.")
}

// arg is the type of the i-th argument: Any past the fixed ones of a
// VariadicAny overload.
func (o *Overload) arg(i int) types.ID {
	if i >= len(o.Args) {
		return Any
	}
	return o.Args[i]
}

// convertsImplicitly is can_coerce_type with COERCION_IMPLICIT.
func convertsImplicitly(from, to []types.ID) bool {
	for i := range from {
		if !types.ImplicitCast(from[i], to[i]) {
			return false
		}
	}
	return true
}

// selectCandidate is func_select_candidate: it narrows several
// candidates down to one, or returns nil.
func selectCandidate(args []types.ID, candidates []*Overload) *Overload {
	// Most exact matches on the typed arguments.
	candidates = keepBest(candidates, func(o *Overload) int {
		n := 0
		for i, a := range args {
			if a != types.Unknown && o.arg(i) == a {
				n++
			}
		}
		return n
	})
	if len(candidates) == 1 {
		return candidates[0]
	}
	// Most arguments that are exact, or the preferred type of the
	// argument's own category where a conversion is needed.
	candidates = keepBest(candidates, func(o *Overload) int {
		n := 0
		for i, a := range args {
			if a != types.Unknown && (o.arg(i) == a || preferredIn(category(a), o.arg(i))) {
				n++
			}
		}
		return n
	})
	if len(candidates) == 1 {
		return candidates[0]
	}
	unknowns := 0
	for _, a := range args {
		if a == types.Unknown {
			unknowns++
		}
	}
	if unknowns == 0 {
		return nil
	}
	// The category of each untyped argument: string if any candidate
	// takes a string there, else the one all candidates agree on.
	cat := make([]byte, len(args))
	hasPreferred := make([]bool, len(args))
	resolved := true
	for i, a := range args {
		if a != types.Unknown {
			continue
		}
		conflict := false
		for j, o := range candidates {
			c, pref := category(o.arg(i)), preferred(o.arg(i))
			switch {
			case j == 0:
				cat[i], hasPreferred[i] = c, pref
			case c == cat[i]:
				hasPreferred[i] = hasPreferred[i] || pref
			case c == 'S':
				cat[i], hasPreferred[i] = c, pref
			default:
				conflict = true
			}
		}
		if conflict && cat[i] != 'S' {
			resolved = false
			break
		}
	}
	if resolved {
		var kept []*Overload
		for _, o := range candidates {
			keep := true
			for i, a := range args {
				if a != types.Unknown {
					continue
				}
				if category(o.arg(i)) != cat[i] || hasPreferred[i] && !preferred(o.arg(i)) {
					keep = false
					break
				}
			}
			if keep {
				kept = append(kept, o)
			}
		}
		if len(kept) > 0 {
			candidates = kept
		}
		if len(candidates) == 1 {
			return candidates[0]
		}
	}
	// When the typed arguments share one type, take the untyped ones to
	// be of it too, if exactly one candidate then fits.
	if unknowns < len(args) {
		known := types.Unknown
		for _, a := range args {
			switch {
			case a == types.Unknown:
			case known == types.Unknown:
				known = a
			case known != a:
				return nil
			}
		}
		same := make([]types.ID, len(args))
		for i := range same {
			same[i] = known
		}
		var match *Overload
		for _, o := range candidates {
			if convertsImplicitly(same[:len(o.Args)], o.Args) {
				if match != nil {
					return nil
				}
				match = o
			}
		}
		return match
	}
	return nil
}

// keepBest keeps the candidates with the highest score (all of them when
// every score is 0).
func keepBest(candidates []*Overload, score func(*Overload) int) []*Overload {
	var out []*Overload
	best := -1
	for _, o := range candidates {
		switch n := score(o); {
		case n > best:
			out, best = append(out[:0], o), n
		case n == best:
			out = append(out, o)
		}
	}
	return out
}

func category(id types.ID) byte {
	if in, ok := types.Lookup(id); ok {
		return in.Category
	}
	return 0
}

func preferred(id types.ID) bool {
	in, ok := types.Lookup(id)
	return ok && in.Preferred
}

// preferredIn is IsPreferredType: id is the preferred type of category c.
func preferredIn(c byte, id types.ID) bool {
	return category(id) == c && preferred(id)
}

// typeNames lists argument types as PostgreSQL's messages do: without
// modifiers.
func typeNames(args []types.T) string {
	names := make([]string, len(args))
	for i, a := range args {
		names[i] = types.New(a.ID).Name()
	}
	return strings.Join(names, ", ")
}

// operatorCall writes an operator's use with its operand types, as
// PostgreSQL's messages do: "integer & text", "~ boolean".
func (f *Func) operatorCall(args []types.T) string {
	if len(args) == 1 {
		return f.Name + " " + types.New(args[0].ID).Name()
	}
	return types.New(args[0].ID).Name() + " " + f.Name + " " + types.New(args[1].ID).Name()
}

// All returns the registered functions, by name.
func All() []*Func {
	out := make([]*Func, 0, len(funcs))
	for _, f := range funcs {
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b *Func) int { return strings.Compare(a.Name, b.Name) })
	return out
}
