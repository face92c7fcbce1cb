package sql

import (
	"reflect"
	"strconv"

	"github.com/cairndb/cairn/sql/ast"
)

// Subqueries in expressions. A correlated subquery runs once per row of
// the node that evaluates it: PostgreSQL's SubPlan, listed under that
// node. An uncorrelated one runs once per statement and its result is
// kept: a scalar, EXISTS or ARRAY subquery is PostgreSQL's InitPlan,
// whose value the expression reads as $n; an uncorrelated IN reads a
// hash set of the subquery's rows (scanmemo.go), PostgreSQL's "hashed
// SubPlan".

// subplanRef is how a described subquery is referred to.
type subplanRef struct {
	num, param int
	init       bool
	hashed     bool
}

// text is how an expression that evaluates the subquery prints it.
func (r subplanRef) text() string {
	switch {
	case r.init:
		return "$" + strconv.Itoa(r.param)
	case r.hashed:
		return "(hashed SubPlan " + strconv.Itoa(r.num) + ")"
	}
	return "(SubPlan " + strconv.Itoa(r.num) + ")"
}

// attachSubplans describes the subqueries the expressions evaluate, under
// n, which evaluates them.
func (d *describer) attachSubplans(n *explainNode, exprs ...ast.Expr) error {
	for _, e := range exprs {
		for _, q := range subqueriesIn(e) {
			sub, ok := d.rec.subqueries[q]
			if !ok {
				continue
			}
			if _, done := d.subplans[q]; done {
				continue
			}
			d.nextSubplan++
			ref := subplanRef{num: d.nextSubplan}
			switch {
			case !sub.correlated && (sub.kind == subScalar || sub.kind == subExists || sub.kind == subArray):
				ref.init, ref.param = true, d.nextParam
				d.nextParam++
			case !sub.correlated && sub.kind == subIn:
				ref.hashed = true
			}
			d.subplans[q] = ref
			child, in, err := d.plan(sub.p)
			if err != nil {
				return err
			}
			sub.p = in
			if ref.init {
				child.parent = "InitPlan"
				child.subplanName = "InitPlan " + strconv.Itoa(ref.num) + " (returns $" + strconv.Itoa(ref.param) + ")"
				n.initPlans = append(n.initPlans, child)
			} else {
				child.parent = "SubPlan"
				child.subplanName = "SubPlan " + strconv.Itoa(ref.num)
				n.subPlans = append(n.subPlans, child)
			}
		}
	}
	return nil
}

// sublinkText prints the subquery q of an expression.
func (d *describer) sublinkText(q *ast.SelectStmt) (string, bool) {
	ref, ok := d.subplans[q]
	if !ok {
		return "", false
	}
	return ref.text(), true
}

var (
	selectStmtType = reflect.TypeOf((*ast.SelectStmt)(nil))
	subqueryType   = reflect.TypeOf((*ast.SubqueryExpr)(nil))
	inExprType     = reflect.TypeOf((*ast.InExpr)(nil))
)

// subqueriesIn lists the queries of the subquery expressions in e, in
// the order they are written, not those nested in them.
func subqueriesIn(e ast.Expr) []*ast.SelectStmt {
	var out []*ast.SelectStmt
	var walk func(v reflect.Value, depth int)
	walk = func(v reflect.Value, depth int) {
		if depth > 200 {
			return
		}
		switch v.Kind() {
		case reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem(), depth+1)
			}
		case reflect.Pointer:
			if v.IsNil() {
				return
			}
			switch v.Type() {
			case selectStmtType:
				return // a query level of its own
			case subqueryType:
				out = append(out, v.Interface().(*ast.SubqueryExpr).Query)
				return
			case inExprType:
				if q := v.Interface().(*ast.InExpr).Query; q != nil {
					out = append(out, q)
					walk(reflect.ValueOf(v.Interface().(*ast.InExpr).X), depth+1)
					return
				}
			}
			walk(v.Elem(), depth+1)
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i), depth+1)
				}
			}
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i), depth+1)
			}
		}
	}
	walk(reflect.ValueOf(e), 0)
	return out
}
