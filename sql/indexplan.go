package sql

import (
	"math/big"
	"reflect"
	"strconv"
	"strings"

	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// Planning with expression and partial indexes. Expressions are matched
// by structure: two expressions are the same when their syntax trees are
// equal once positions are ignored and column references are resolved to
// the table's columns (canonExpr). A partial index is usable when the
// query's conjuncts imply every conjunct of its predicate (implied): the
// same conjunct is present; or the predicate says x IS NOT NULL and the
// query compares x with a constant, or lists it in IN; or the predicate
// compares x with a number and the query compares x with a number that
// satisfies it (x = 7 implies x > 5), as PostgreSQL's predtest.c proves
// the common cases. The planner neither proves more nor needs to: a scan
// re-checks the whole WHERE clause.

// canonExpr renders e as a canonical string, with each column reference
// replaced by col's answer (its column index), and false when col cannot
// resolve one.
func canonExpr(e ast.Expr, col colResolver) (string, bool) {
	var sb strings.Builder
	ok := true
	colRef := reflect.TypeOf((*ast.ColumnRef)(nil))
	castRef := reflect.TypeOf((*ast.CastExpr)(nil))
	var walk func(v reflect.Value, depth int)
	walk = func(v reflect.Value, depth int) {
		if !ok || depth > 200 {
			ok = false
			return
		}
		switch v.Kind() {
		case reflect.Interface:
			if v.IsNil() {
				sb.WriteString("nil")
				return
			}
			walk(v.Elem(), depth+1)
		case reflect.Pointer:
			if v.IsNil() {
				sb.WriteString("nil")
				return
			}
			if v.Type() == castRef {
				// A string column cast to text is the column itself: the
				// cast PostgreSQL adds to a varchar argument of lower().
				c := v.Interface().(*ast.CastExpr)
				if cr, isRef := c.X.(*ast.ColumnRef); isRef && !c.Type.Array && (c.Type.Name == "text" || c.Type.Name == "varchar") && len(c.Type.Mods) == 0 {
					if _, t := col(cr); t.IsString() && t.ID != types.Bpchar {
						v = reflect.ValueOf(cr)
					}
				}
			}
			if v.Type() == colRef {
				i, _ := col(v.Interface().(*ast.ColumnRef))
				if i < 0 {
					ok = false
					return
				}
				sb.WriteString("#" + strconv.Itoa(i))
				return
			}
			sb.WriteString(v.Elem().Type().Name())
			walk(v.Elem(), depth+1)
		case reflect.Struct:
			t := v.Type()
			sb.WriteByte('{')
			for i := 0; i < v.NumField(); i++ {
				f := t.Field(i)
				if !f.IsExported() || strings.HasSuffix(f.Name, "Pos") {
					continue
				}
				sb.WriteString(f.Name + ":")
				walk(v.Field(i), depth+1)
				sb.WriteByte(' ')
			}
			sb.WriteByte('}')
		case reflect.Slice:
			sb.WriteByte('[')
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i), depth+1)
				sb.WriteByte(',')
			}
			sb.WriteByte(']')
		case reflect.String:
			sb.WriteString(strconv.Quote(v.String()))
		case reflect.Bool:
			sb.WriteString(strconv.FormatBool(v.Bool()))
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			sb.WriteString(strconv.FormatInt(v.Int(), 10))
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			sb.WriteString(strconv.FormatUint(v.Uint(), 10))
		default:
			ok = false
		}
	}
	walk(reflect.ValueOf(e), 0)
	return sb.String(), ok
}

// colResolver resolves a column reference to the table's column index
// and type; -1 when it names no column of the table.
type colResolver func(*ast.ColumnRef) (int, types.T)

// tableColumn resolves a column reference of an expression stored over
// table's columns.
func tableColumn(table *catalog.TableDesc) colResolver {
	return func(cr *ast.ColumnRef) (int, types.T) {
		if cr.Table != "" && cr.Table != table.Name {
			return -1, types.T{}
		}
		i := table.ColumnIndex(cr.Column)
		if i < 0 {
			return -1, types.T{}
		}
		return i, table.Columns[i].Type
	}
}

// constComparison is a conjunct x op constant, with the constant on the right.
type constComparison struct {
	x  ast.Expr
	op string
	c  ast.Expr
}

// asComparison reads e as x op constant (or constant op x, flipped).
func asComparison(e ast.Expr) (constComparison, bool) {
	be, ok := e.(*ast.BinaryExpr)
	if !ok {
		return constComparison{}, false
	}
	op := be.Op
	if op == "!=" {
		op = "<>"
	}
	flipped, ok := flipOp[op]
	if op == "<>" {
		flipped, ok = "<>", true
	}
	switch {
	case !ok:
		return constComparison{}, false
	case isKeyConst(be.R) && !isKeyConst(be.L):
		return constComparison{x: be.L, op: op, c: be.R}, true
	case isKeyConst(be.L) && !isKeyConst(be.R):
		return constComparison{x: be.R, op: flipped, c: be.L}, true
	}
	return constComparison{}, false
}

// numberOf returns the value of a numeric literal (with an optional
// sign).
func numberOf(e ast.Expr) (*big.Rat, bool) {
	neg := false
	if u, ok := e.(*ast.UnaryExpr); ok && (u.Op == "-" || u.Op == "+") {
		neg, e = u.Op == "-", u.X
	}
	lit, ok := e.(*ast.Literal)
	if !ok || (lit.Kind != "int" && lit.Kind != "float") {
		return nil, false
	}
	r, ok := new(big.Rat).SetString(lit.Text)
	if !ok {
		return nil, false
	}
	if neg {
		r.Neg(r)
	}
	return r, true
}

// isNullLiteral reports whether e is the NULL literal.
func isNullLiteral(e ast.Expr) bool {
	lit, ok := e.(*ast.Literal)
	return ok && lit.Kind == "null"
}

// comparisonImplies reports whether x qop q implies x pop p for numbers.
func comparisonImplies(qop string, q *big.Rat, pop string, p *big.Rat) bool {
	c := q.Cmp(p)
	switch qop {
	case "=":
		switch pop {
		case "=":
			return c == 0
		case "<>":
			return c != 0
		case "<":
			return c < 0
		case "<=":
			return c <= 0
		case ">":
			return c > 0
		case ">=":
			return c >= 0
		}
	case ">":
		return (pop == ">" || pop == ">=") && c >= 0 || pop == "<>" && c >= 0
	case ">=":
		return pop == ">=" && c >= 0 || (pop == ">" || pop == "<>") && c > 0
	case "<":
		return (pop == "<" || pop == "<=") && c <= 0 || pop == "<>" && c <= 0
	case "<=":
		return pop == "<=" && c <= 0 || (pop == "<" || pop == "<>") && c < 0
	}
	return false
}

// implied reports whether the conjuncts conjs (columns resolved by qcol)
// imply pred (columns resolved by pcol).
func implied(conjs []ast.Expr, qcol colResolver, pred ast.Expr, pcol colResolver) bool {
	want, ok := canonExpr(pred, pcol)
	if !ok {
		return false
	}
	same := func(q ast.Expr, p ast.Expr) bool {
		a, ok1 := canonExpr(q, qcol)
		b, ok2 := canonExpr(p, pcol)
		return ok1 && ok2 && a == b
	}
	pc, pIsCmp := asComparison(pred)
	isNotNull, ok := pred.(*ast.IsExpr)
	notNullOf := ok && isNotNull.What == "NULL" && isNotNull.Not
	for _, q := range conjs {
		if got, ok := canonExpr(q, qcol); ok && got == want {
			return true
		}
		if qc, ok := asComparison(q); ok && !isNullLiteral(qc.c) {
			if notNullOf && same(qc.x, isNotNull.X) {
				return true // a comparison is never true for a NULL
			}
			if pIsCmp && same(qc.x, pc.x) {
				if qc.op == pc.op && same(qc.c, pc.c) {
					return true // constant on the other side
				}
				qn, ok1 := numberOf(qc.c)
				pn, ok2 := numberOf(pc.c)
				if ok1 && ok2 && comparisonImplies(qc.op, qn, pc.op, pn) {
					return true
				}
			}
		}
		if in, ok := q.(*ast.InExpr); ok && notNullOf && in.Query == nil && in.Array == nil && !in.Not && in.Op == "" && len(in.List) > 0 {
			consts := true
			for _, v := range in.List {
				consts = consts && isKeyConst(v) && !isNullLiteral(v)
			}
			if consts && same(in.X, isNotNull.X) {
				return true
			}
		}
	}
	return false
}

// predicateImplied reports whether conjs (columns resolved by qcol)
// imply every conjunct of the predicate text pred over table's columns.
func (b *binder) predicateImplied(table *catalog.TableDesc, conjs []ast.Expr, qcol colResolver, pred string) (bool, error) {
	p, err := b.parseCheck(pred)
	if err != nil {
		return false, err
	}
	var flat []ast.Expr
	for _, c := range conjs {
		flat = append(flat, splitAnd(c)...)
	}
	for _, pc := range splitAnd(p) {
		if !implied(flat, qcol, pc, tableColumn(table)) {
			return false, nil
		}
	}
	return true, nil
}

// impliesPredicate reports whether conditions on table's own columns
// (an ON CONFLICT target's WHERE) imply the predicate text pred.
func (b *binder) impliesPredicate(table *catalog.TableDesc, conjs []ast.Expr, pred string) (bool, error) {
	return b.predicateImplied(table, conjs, tableColumn(table), pred)
}

// canonText is the canonical form (canonExpr) of an expression stored as
// text over table's columns, or the text itself when it does not parse.
func (b *binder) canonText(table *catalog.TableDesc, text string) string {
	e, err := b.parseCheck(text)
	if err != nil {
		return text
	}
	if c, ok := canonExpr(e, tableColumn(table)); ok {
		return c
	}
	return text
}

// checkInferenceExpr binds an ON CONFLICT inference expression over
// table's columns, for its errors (an unknown column).
func (b *binder) checkInferenceExpr(table *catalog.TableDesc, text string) error {
	e, err := b.parseCheck(text)
	if err != nil {
		return err
	}
	_, err = b.bindExpr(e, tableScope(table, ast.TableRef{Name: table.Name}))
	return err
}

// exprKeyConds collects, for the expression key text of an index of
// table, the conjuncts that compare it with a constant: expr op value
// and expr IN (values), with the values bound to the expression's type.
func (b *binder) exprKeyConds(conjs []ast.Expr, qcol colResolver, table *catalog.TableDesc, text string) []keyCond {
	parsed, err := b.parseCheck(text)
	if err != nil {
		return nil
	}
	want, ok := canonExpr(parsed, tableColumn(table))
	if !ok {
		return nil
	}
	bound, err := b.bindExpr(parsed, tableScope(table, ast.TableRef{Name: table.Name}))
	if err != nil {
		return nil
	}
	t := bound.Type()
	matches := func(e ast.Expr) bool {
		got, ok := canonExpr(e, qcol)
		return ok && got == want
	}
	var out []keyCond
	add := func(op string, vals ...ast.Expr) {
		if op != "=" && op != "in" && !orderedKey(t) {
			return
		}
		c := keyCond{op: op}
		for _, v := range vals {
			e, ok := b.keyValue(v, t, nil)
			if !ok {
				return
			}
			c.vals = append(c.vals, e)
		}
		out = append(out, c)
	}
	for _, conj := range conjs {
		for _, e := range splitAnd(conj) {
			if c, ok := asComparison(e); ok && c.op != "<>" && matches(c.x) {
				add(c.op, c.c)
				continue
			}
			if in, ok := e.(*ast.InExpr); ok && in.Query == nil && in.Array == nil && !in.Not && in.Op == "" && len(in.List) > 0 && matches(in.X) {
				consts := true
				for _, v := range in.List {
					consts = consts && isKeyConst(v)
				}
				if consts {
					add("in", in.List...)
				}
			}
		}
	}
	return out
}
