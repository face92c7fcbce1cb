package builtins

import (
	"math"

	"github.com/cairndb/cairn/sql/types"
)

// The operators and functions of the geometric types, as pg_operator and
// pg_proc list them for point, lseg, line, box, path, polygon and circle
// (geo_ops.c; the computations are in geoops.go). Functions named after
// a type (point(), box(), polygon()...) double as the casts pg_cast
// lists between the geometric types, which types.GeoCast reaches.

func init() {
	const (
		pt, ls, ln, bx, pa, pg, ci = types.PointType, types.LsegType, types.LineType, types.BoxType,
			types.PathType, types.PolygonType, types.CircleType
		b, f8, i4 = types.Bool, types.Float8, types.Int4
	)
	op := func(sym string, l, r, res types.ID, f func(x, y types.Datum) types.Datum) {
		registerOperator(sym, &Overload{Args: []types.ID{l, r}, Result: res, Fn: geoFn(func(a []types.Datum) types.Datum {
			return f(a[0], a[1])
		})})
	}
	prefix := func(sym string, arg, res types.ID, f func(x types.Datum) types.Datum) {
		registerOperator(sym, &Overload{Args: []types.ID{arg}, Result: res, Fn: geoFn(func(a []types.Datum) types.Datum {
			return f(a[0])
		})})
	}
	fn := func(name string, res types.ID, args []types.ID, f func(a []types.Datum) types.Datum) {
		register(name, &Overload{Args: args, Result: res, Fn: geoFn(f)})
	}
	fn1 := func(name string, arg, res types.ID, f func(x types.Datum) types.Datum) {
		fn(name, res, []types.ID{arg}, func(a []types.Datum) types.Datum { return f(a[0]) })
	}
	P := func(d types.Datum) point { return d.(point) }
	S := func(d types.Datum) lseg { return d.(lseg) }
	L := func(d types.Datum) line { return d.(line) }
	B := func(d types.Datum) box { return d.(box) }
	PA := func(d types.Datum) *path { return d.(*path) }
	PG := func(d types.Datum) *polygon { return d.(*polygon) }
	C := func(d types.Datum) circle { return d.(circle) }
	nullable := func(p point, ok bool) types.Datum {
		if !ok {
			return nil
		}
		return p
	}
	closest := func(p point, d float64) types.Datum {
		if d != d { // NaN
			return nil
		}
		return p
	}

	// point
	op("+", pt, pt, pt, func(x, y types.Datum) types.Datum { return pointAdd(P(x), P(y)) })
	op("-", pt, pt, pt, func(x, y types.Datum) types.Datum { return pointSub(P(x), P(y)) })
	op("*", pt, pt, pt, func(x, y types.Datum) types.Datum { return pointMul(P(x), P(y)) })
	op("/", pt, pt, pt, func(x, y types.Datum) types.Datum { return pointDiv(P(x), P(y)) })
	op("<->", pt, pt, f8, func(x, y types.Datum) types.Datum { return pointDt(P(x), P(y)) })
	op("<<", pt, pt, b, func(x, y types.Datum) types.Datum { return fpLt(P(x).X, P(y).X) })
	op(">>", pt, pt, b, func(x, y types.Datum) types.Datum { return fpGt(P(x).X, P(y).X) })
	above := func(x, y types.Datum) types.Datum { return fpGt(P(x).Y, P(y).Y) }
	below := func(x, y types.Datum) types.Datum { return fpLt(P(x).Y, P(y).Y) }
	op(">^", pt, pt, b, above)
	op("|>>", pt, pt, b, above)
	op("<^", pt, pt, b, below)
	op("<<|", pt, pt, b, below)
	op("~=", pt, pt, b, func(x, y types.Datum) types.Datum { return pointEq(P(x), P(y)) })
	op("<>", pt, pt, b, func(x, y types.Datum) types.Datum { return !pointEq(P(x), P(y)) })
	vert := func(x, y types.Datum) types.Datum { return fpEq(P(x).X, P(y).X) }
	horiz := func(x, y types.Datum) types.Datum { return fpEq(P(x).Y, P(y).Y) }
	op("?|", pt, pt, b, vert)
	op("?-", pt, pt, b, horiz)
	fn("isvertical", b, []types.ID{pt, pt}, func(a []types.Datum) types.Datum { return vert(a[0], a[1]) })
	fn("ishorizontal", b, []types.ID{pt, pt}, func(a []types.Datum) types.Datum { return horiz(a[0], a[1]) })
	fn("slope", f8, []types.ID{pt, pt}, func(a []types.Datum) types.Datum { return pointSl(P(a[0]), P(a[1])) })
	fn("point", pt, []types.ID{f8, f8}, func(a []types.Datum) types.Datum {
		return point{X: a[0].(float64), Y: a[1].(float64)}
	})
	op("<@", pt, bx, b, func(x, y types.Datum) types.Datum { return boxContainPoint(B(y), P(x)) })
	op("<@", pt, ls, b, func(x, y types.Datum) types.Datum { return lsegContainPoint(S(y), P(x)) })
	op("<@", pt, ln, b, func(x, y types.Datum) types.Datum { return lineContainPoint(L(y), P(x)) })
	op("<@", pt, pa, b, func(x, y types.Datum) types.Datum { return onPpath(P(x), PA(y)) })
	op("<@", pt, pg, b, func(x, y types.Datum) types.Datum { return pointInside(P(x), PG(y).P) != 0 })
	op("<@", pt, ci, b, func(x, y types.Datum) types.Datum { return pointDt(C(y).Center, P(x)) <= C(y).R })
	op("<->", pt, ls, f8, func(x, y types.Datum) types.Datum { _, d := lsegClosept(S(y), P(x)); return d })
	op("<->", pt, ln, f8, func(x, y types.Datum) types.Datum { _, d := lineClosept(L(y), P(x)); return d })
	op("<->", pt, bx, f8, func(x, y types.Datum) types.Datum { _, d := boxClosePoint(B(y), P(x)); return d })
	op("<->", pt, pa, f8, func(x, y types.Datum) types.Datum { return distPpath(P(x), PA(y)) })
	op("<->", pt, pg, f8, func(x, y types.Datum) types.Datum { return distPpoly(P(x), PG(y)) })
	op("<->", pt, ci, f8, func(x, y types.Datum) types.Datum { return distPc(P(x), C(y)) })
	op("##", pt, ls, pt, func(x, y types.Datum) types.Datum { return closest(lsegClosept(S(y), P(x))) })
	op("##", pt, ln, pt, func(x, y types.Datum) types.Datum { return closest(lineClosept(L(y), P(x))) })
	op("##", pt, bx, pt, func(x, y types.Datum) types.Datum { return closest(boxClosePoint(B(y), P(x))) })

	// lseg
	fn("lseg", ls, []types.ID{pt, pt}, func(a []types.Datum) types.Datum { return lseg{P: [2]point{P(a[0]), P(a[1])}} })
	lsegLen := func(x types.Datum) types.Datum { return pointDt(S(x).P[0], S(x).P[1]) }
	prefix("@-@", ls, f8, lsegLen)
	lsegCenter := func(x types.Datum) types.Datum {
		s := S(x)
		return point{X: fdiv(fpl(s.P[0].X, s.P[1].X), 2.0), Y: fdiv(fpl(s.P[0].Y, s.P[1].Y), 2.0)}
	}
	prefix("@@", ls, pt, lsegCenter)
	fn1("point", ls, pt, lsegCenter)
	op("?#", ls, ls, b, func(x, y types.Datum) types.Datum { _, ok := lsegInterptLseg(S(x), S(y)); return ok })
	lsegPar := func(x, y types.Datum) types.Datum { return fpEq(lsegSl(S(x)), lsegSl(S(y))) }
	lsegPerp := func(x, y types.Datum) types.Datum { return fpEq(lsegSl(S(x)), lsegInvsl(S(y))) }
	op("?||", ls, ls, b, lsegPar)
	op("?-|", ls, ls, b, lsegPerp)
	fn("isparallel", b, []types.ID{ls, ls}, func(a []types.Datum) types.Datum { return lsegPar(a[0], a[1]) })
	fn("isperp", b, []types.ID{ls, ls}, func(a []types.Datum) types.Datum { return lsegPerp(a[0], a[1]) })
	lsegVert := func(x types.Datum) types.Datum { return fpEq(S(x).P[0].X, S(x).P[1].X) }
	lsegHoriz := func(x types.Datum) types.Datum { return fpEq(S(x).P[0].Y, S(x).P[1].Y) }
	prefix("?|", ls, b, lsegVert)
	prefix("?-", ls, b, lsegHoriz)
	fn1("isvertical", ls, b, lsegVert)
	fn1("ishorizontal", ls, b, lsegHoriz)
	lsegEq := func(x, y types.Datum) bool {
		return pointEq(S(x).P[0], S(y).P[0]) && pointEq(S(x).P[1], S(y).P[1])
	}
	op("=", ls, ls, b, func(x, y types.Datum) types.Datum { return lsegEq(x, y) })
	op("<>", ls, ls, b, func(x, y types.Datum) types.Datum { return !lsegEq(x, y) })
	lsegCmp := func(sym string, cmp func(a, b float64) bool) {
		op(sym, ls, ls, b, func(x, y types.Datum) types.Datum {
			return cmp(pointDt(S(x).P[0], S(x).P[1]), pointDt(S(y).P[0], S(y).P[1]))
		})
	}
	lsegCmp("<", fpLt)
	lsegCmp("<=", fpLe)
	lsegCmp(">", fpGt)
	lsegCmp(">=", fpGe)
	op("<->", ls, ls, f8, func(x, y types.Datum) types.Datum { _, d := lsegClosLseg(S(x), S(y)); return d })
	op("#", ls, ls, pt, func(x, y types.Datum) types.Datum { return nullable(lsegInterptLseg(S(x), S(y))) })
	op("<->", ls, pt, f8, func(x, y types.Datum) types.Datum { _, d := lsegClosept(S(x), P(y)); return d })
	op("<->", ls, ln, f8, func(x, y types.Datum) types.Datum { _, d := lsegClosLine(S(x), L(y)); return d })
	op("<->", ls, bx, f8, func(x, y types.Datum) types.Datum { _, d := boxCloseLseg(B(y), S(x)); return d })
	op("<@", ls, bx, b, func(x, y types.Datum) types.Datum {
		return boxContainPoint(B(y), S(x).P[0]) && boxContainPoint(B(y), S(x).P[1])
	})
	op("<@", ls, ln, b, func(x, y types.Datum) types.Datum {
		return lineContainPoint(L(y), S(x).P[0]) && lineContainPoint(L(y), S(x).P[1])
	})
	op("?#", ls, ln, b, func(x, y types.Datum) types.Datum { _, ok := lsegInterptLine(S(x), L(y)); return ok })
	op("?#", ls, bx, b, func(x, y types.Datum) types.Datum { _, ok := boxInterptLseg(B(y), S(x)); return ok })
	op("##", ls, ls, pt, func(x, y types.Datum) types.Datum {
		if lsegSl(S(x)) == lsegSl(S(y)) {
			return nil
		}
		return closest(lsegClosLseg(S(y), S(x)))
	})
	op("##", ls, bx, pt, func(x, y types.Datum) types.Datum { return closest(boxCloseLseg(B(y), S(x))) })

	// line
	fn("line", ln, []types.ID{pt, pt}, func(a []types.Datum) types.Datum {
		line, err := lineFromPoints(P(a[0]), P(a[1]))
		if err != nil {
			geoFail(err)
		}
		return line
	})
	op("?#", ln, ln, b, func(x, y types.Datum) types.Datum { _, ok := lineInterptLine(L(x), L(y)); return ok })
	linePar := func(x, y types.Datum) types.Datum { _, ok := lineInterptLine(L(x), L(y)); return !ok }
	op("?||", ln, ln, b, linePar)
	fn("isparallel", b, []types.ID{ln, ln}, func(a []types.Datum) types.Datum { return linePar(a[0], a[1]) })
	op("?-|", ln, ln, b, func(x, y types.Datum) types.Datum { return linePerp(L(x), L(y)) })
	fn("isperp", b, []types.ID{ln, ln}, func(a []types.Datum) types.Datum { return linePerp(L(a[0]), L(a[1])) })
	lineVert := func(x types.Datum) types.Datum { return fpZero(L(x).B) }
	lineHoriz := func(x types.Datum) types.Datum { return fpZero(L(x).A) }
	prefix("?|", ln, b, lineVert)
	prefix("?-", ln, b, lineHoriz)
	fn1("isvertical", ln, b, lineVert)
	fn1("ishorizontal", ln, b, lineHoriz)
	op("=", ln, ln, b, func(x, y types.Datum) types.Datum { return lineEq(L(x), L(y)) })
	op("<->", ln, ln, f8, func(x, y types.Datum) types.Datum { return lineDistance(L(x), L(y)) })
	op("#", ln, ln, pt, func(x, y types.Datum) types.Datum { return nullable(lineInterptLine(L(x), L(y))) })
	op("<->", ln, pt, f8, func(x, y types.Datum) types.Datum { _, d := lineClosept(L(x), P(y)); return d })
	op("<->", ln, ls, f8, func(x, y types.Datum) types.Datum { _, d := lsegClosLine(S(y), L(x)); return d })
	op("?#", ln, bx, b, func(x, y types.Datum) types.Datum { return interLb(L(x), B(y)) })
	op("##", ln, ls, pt, func(x, y types.Datum) types.Datum {
		if lsegSl(S(y)) == lineSl(L(x)) {
			return nil
		}
		return closest(lsegClosLine(S(y), L(x)))
	})

	// box
	fn("box", bx, []types.ID{pt, pt}, func(a []types.Datum) types.Datum { return boxConstruct(P(a[0]), P(a[1])) })
	boxRel := func(sym string, f func(x, y box) bool) {
		op(sym, bx, bx, b, func(x, y types.Datum) types.Datum { return f(B(x), B(y)) })
	}
	boxRel("~=", func(x, y box) bool { return pointEq(x.High, y.High) && pointEq(x.Low, y.Low) })
	boxRel("&&", boxOv)
	boxRel("?#", boxOv)
	boxRel("<<", func(x, y box) bool { return fpLt(x.High.X, y.Low.X) })
	boxRel("&<", func(x, y box) bool { return fpLe(x.High.X, y.High.X) })
	boxRel(">>", func(x, y box) bool { return fpGt(x.Low.X, y.High.X) })
	boxRel("&>", func(x, y box) bool { return fpGe(x.Low.X, y.Low.X) })
	boxRel("<<|", func(x, y box) bool { return fpLt(x.High.Y, y.Low.Y) })
	boxRel("&<|", func(x, y box) bool { return fpLe(x.High.Y, y.High.Y) })
	boxRel("|>>", func(x, y box) bool { return fpGt(x.Low.Y, y.High.Y) })
	boxRel("|&>", func(x, y box) bool { return fpGe(x.Low.Y, y.Low.Y) })
	boxRel("<@", func(x, y box) bool { return boxContainBox(y, x) })
	boxRel("@>", boxContainBox)
	boxRel("<^", func(x, y box) bool { return fpLe(x.High.Y, y.Low.Y) })
	boxRel(">^", func(x, y box) bool { return fpGe(x.Low.Y, y.High.Y) })
	boxRel("<", func(x, y box) bool { return fpLt(boxAr(x), boxAr(y)) })
	boxRel(">", func(x, y box) bool { return fpGt(boxAr(x), boxAr(y)) })
	boxRel("=", func(x, y box) bool { return fpEq(boxAr(x), boxAr(y)) })
	boxRel("<=", func(x, y box) bool { return fpLe(boxAr(x), boxAr(y)) })
	boxRel(">=", func(x, y box) bool { return fpGe(boxAr(x), boxAr(y)) })
	op("@>", bx, pt, b, func(x, y types.Datum) types.Datum { return boxContainPoint(B(x), P(y)) })
	op("<->", bx, bx, f8, func(x, y types.Datum) types.Datum { return pointDt(boxCn(B(x)), boxCn(B(y))) })
	op("<->", bx, pt, f8, func(x, y types.Datum) types.Datum { _, d := boxClosePoint(B(x), P(y)); return d })
	op("<->", bx, ls, f8, func(x, y types.Datum) types.Datum { _, d := boxCloseLseg(B(x), S(y)); return d })
	op("#", bx, bx, bx, func(x, y types.Datum) types.Datum {
		b1, b2 := B(x), B(y)
		if !boxOv(b1, b2) {
			return nil
		}
		return box{High: point{X: f8min(b1.High.X, b2.High.X), Y: f8min(b1.High.Y, b2.High.Y)},
			Low: point{X: f8max(b1.Low.X, b2.Low.X), Y: f8max(b1.Low.Y, b2.Low.Y)}}
	})
	op("+", bx, pt, bx, func(x, y types.Datum) types.Datum {
		return box{High: pointAdd(B(x).High, P(y)), Low: pointAdd(B(x).Low, P(y))}
	})
	op("-", bx, pt, bx, func(x, y types.Datum) types.Datum {
		return box{High: pointSub(B(x).High, P(y)), Low: pointSub(B(x).Low, P(y))}
	})
	op("*", bx, pt, bx, func(x, y types.Datum) types.Datum {
		return boxConstruct(pointMul(B(x).High, P(y)), pointMul(B(x).Low, P(y)))
	})
	op("/", bx, pt, bx, func(x, y types.Datum) types.Datum {
		return boxConstruct(pointDiv(B(x).High, P(y)), pointDiv(B(x).Low, P(y)))
	})
	boxCenter := func(x types.Datum) types.Datum { return boxCn(B(x)) }
	prefix("@@", bx, pt, boxCenter)
	fn1("center", bx, pt, boxCenter)
	fn1("point", bx, pt, boxCenter)
	fn1("area", bx, f8, func(x types.Datum) types.Datum { return boxAr(B(x)) })
	fn1("width", bx, f8, func(x types.Datum) types.Datum { return boxWd(B(x)) })
	fn1("height", bx, f8, func(x types.Datum) types.Datum { return boxHt(B(x)) })
	diag := func(x types.Datum) types.Datum { return lseg{P: [2]point{B(x).High, B(x).Low}} }
	fn1("diagonal", bx, ls, diag)
	fn1("lseg", bx, ls, diag)
	fn("bound_box", bx, []types.ID{bx, bx}, func(a []types.Datum) types.Datum {
		b1, b2 := B(a[0]), B(a[1])
		return box{High: point{X: f8max(b1.High.X, b2.High.X), Y: f8max(b1.High.Y, b2.High.Y)},
			Low: point{X: f8min(b1.Low.X, b2.Low.X), Y: f8min(b1.Low.Y, b2.Low.Y)}}
	})
	fn1("box", pt, bx, func(x types.Datum) types.Datum { return box{High: P(x), Low: P(x)} })
	fn1("box", pg, bx, func(x types.Datum) types.Datum { return PG(x).BBox })
	fn1("box", ci, bx, func(x types.Datum) types.Datum { return circleBox(C(x)) })
	fn1("polygon", bx, pg, func(x types.Datum) types.Datum { return boxPoly(B(x)) })
	fn1("circle", bx, ci, func(x types.Datum) types.Datum { return boxCircle(B(x)) })

	// path
	op("+", pa, pa, pa, func(x, y types.Datum) types.Datum {
		p1, p2 := PA(x), PA(y)
		if p1.Closed || p2.Closed {
			return nil
		}
		return &path{P: append(append([]point(nil), p1.P...), p2.P...)}
	})
	pathMap := func(sym string, f func(p, q point) point) {
		op(sym, pa, pt, pa, func(x, y types.Datum) types.Datum {
			p := PA(x)
			out := &path{Closed: p.Closed, P: make([]point, len(p.P))}
			for i, q := range p.P {
				out.P[i] = f(q, P(y))
			}
			return out
		})
	}
	pathMap("+", pointAdd)
	pathMap("-", pointSub)
	pathMap("*", pointMul)
	pathMap("/", pointDiv)
	op("@>", pa, pt, b, func(x, y types.Datum) types.Datum { return onPpath(P(y), PA(x)) })
	op("<->", pa, pa, f8, func(x, y types.Datum) types.Datum {
		d, ok := pathDistance(PA(x).P, PA(y).P, PA(x).Closed, PA(y).Closed)
		if !ok {
			return nil
		}
		return d
	})
	op("<->", pa, pt, f8, func(x, y types.Datum) types.Datum { return distPpath(P(y), PA(x)) })
	op("?#", pa, pa, b, func(x, y types.Datum) types.Datum { return pathInter(PA(x), PA(y)) })
	pathCmp := func(sym string, f func(a, b int) bool) {
		op(sym, pa, pa, b, func(x, y types.Datum) types.Datum { return f(len(PA(x).P), len(PA(y).P)) })
	}
	pathCmp("<", func(a, b int) bool { return a < b })
	pathCmp(">", func(a, b int) bool { return a > b })
	pathCmp("=", func(a, b int) bool { return a == b })
	pathCmp("<=", func(a, b int) bool { return a <= b })
	pathCmp(">=", func(a, b int) bool { return a >= b })
	pathLen := func(x types.Datum) types.Datum { return pathLength(PA(x)) }
	prefix("@-@", pa, f8, pathLen)
	pathN := func(x types.Datum) types.Datum { return int64(len(PA(x).P)) }
	prefix("#", pa, i4, pathN)
	fn1("npoints", pa, i4, pathN)
	fn1("isclosed", pa, b, func(x types.Datum) types.Datum { return PA(x).Closed })
	fn1("isopen", pa, b, func(x types.Datum) types.Datum { return !PA(x).Closed })
	fn1("pclose", pa, pa, func(x types.Datum) types.Datum { return &path{Closed: true, P: PA(x).P} })
	fn1("popen", pa, pa, func(x types.Datum) types.Datum { return &path{Closed: false, P: PA(x).P} })
	fn1("area", pa, f8, func(x types.Datum) types.Datum {
		p := PA(x)
		if !p.Closed {
			return nil
		}
		area := 0.0
		for i := range p.P {
			j := (i + 1) % len(p.P)
			area = fpl(area, fmul(p.P[i].X, p.P[j].Y))
			area = fmi(area, fmul(p.P[i].Y, p.P[j].X))
		}
		return fdiv(math.Abs(area), 2.0)
	})
	fn1("polygon", pa, pg, func(x types.Datum) types.Datum { return pathPoly(PA(x)) })
	fn1("path", pg, pa, func(x types.Datum) types.Datum {
		return &path{Closed: true, P: append([]point(nil), PG(x).P...)}
	})

	// polygon
	polyRel := func(sym string, f func(x, y *polygon) bool) {
		op(sym, pg, pg, b, func(x, y types.Datum) types.Datum { return f(PG(x), PG(y)) })
	}
	polyRel("<<", func(x, y *polygon) bool { return x.BBox.High.X < y.BBox.Low.X })
	polyRel("&<", func(x, y *polygon) bool { return x.BBox.High.X <= y.BBox.High.X })
	polyRel(">>", func(x, y *polygon) bool { return x.BBox.Low.X > y.BBox.High.X })
	polyRel("&>", func(x, y *polygon) bool { return x.BBox.Low.X >= y.BBox.Low.X })
	polyRel("<<|", func(x, y *polygon) bool { return x.BBox.High.Y < y.BBox.Low.Y })
	polyRel("&<|", func(x, y *polygon) bool { return x.BBox.High.Y <= y.BBox.High.Y })
	polyRel("|>>", func(x, y *polygon) bool { return x.BBox.Low.Y > y.BBox.High.Y })
	polyRel("|&>", func(x, y *polygon) bool { return x.BBox.Low.Y >= y.BBox.Low.Y })
	polyRel("~=", func(x, y *polygon) bool { return len(x.P) == len(y.P) && plistSame(x.P, y.P) })
	polyRel("&&", polyOverlap)
	polyRel("@>", polyContainPoly)
	polyRel("<@", func(x, y *polygon) bool { return polyContainPoly(y, x) })
	op("@>", pg, pt, b, func(x, y types.Datum) types.Datum { return pointInside(P(y), PG(x).P) != 0 })
	op("<->", pg, pg, f8, func(x, y types.Datum) types.Datum { return polyDistance(PG(x), PG(y)) })
	op("<->", pg, pt, f8, func(x, y types.Datum) types.Datum { return distPpoly(P(y), PG(x)) })
	op("<->", pg, ci, f8, func(x, y types.Datum) types.Datum { return distCpoly(C(y), PG(x)) })
	polyN := func(x types.Datum) types.Datum { return int64(len(PG(x).P)) }
	prefix("#", pg, i4, polyN)
	fn1("npoints", pg, i4, polyN)
	polyCenter := func(x types.Datum) types.Datum { return polyToCircle(PG(x)).Center }
	prefix("@@", pg, pt, polyCenter)
	fn1("point", pg, pt, polyCenter)
	fn1("circle", pg, ci, func(x types.Datum) types.Datum { return polyToCircle(PG(x)) })

	// circle
	circRel := func(sym string, f func(x, y circle) bool) {
		op(sym, ci, ci, b, func(x, y types.Datum) types.Datum { return f(C(x), C(y)) })
	}
	circRel("~=", func(x, y circle) bool {
		return (x.R != x.R && y.R != y.R || fpEq(x.R, y.R)) && pointEq(x.Center, y.Center)
	})
	circRel("&&", func(x, y circle) bool { return fpLe(pointDt(x.Center, y.Center), fpl(x.R, y.R)) })
	circRel("&<", func(x, y circle) bool { return fpLe(fpl(x.Center.X, x.R), fpl(y.Center.X, y.R)) })
	circRel("<<", func(x, y circle) bool { return fpLt(fpl(x.Center.X, x.R), fmi(y.Center.X, y.R)) })
	circRel(">>", func(x, y circle) bool { return fpGt(fmi(x.Center.X, x.R), fpl(y.Center.X, y.R)) })
	circRel("&>", func(x, y circle) bool { return fpGe(fmi(x.Center.X, x.R), fmi(y.Center.X, y.R)) })
	circRel("<@", func(x, y circle) bool { return fpLe(pointDt(x.Center, y.Center), fmi(y.R, x.R)) })
	circRel("@>", func(x, y circle) bool { return fpLe(pointDt(x.Center, y.Center), fmi(x.R, y.R)) })
	circRel("<<|", func(x, y circle) bool { return fpLt(fpl(x.Center.Y, x.R), fmi(y.Center.Y, y.R)) })
	circRel("|>>", func(x, y circle) bool { return fpGt(fmi(x.Center.Y, x.R), fpl(y.Center.Y, y.R)) })
	circRel("&<|", func(x, y circle) bool { return fpLe(fpl(x.Center.Y, x.R), fpl(y.Center.Y, y.R)) })
	circRel("|&>", func(x, y circle) bool { return fpGe(fmi(x.Center.Y, x.R), fmi(y.Center.Y, y.R)) })
	circRel("=", func(x, y circle) bool { return fpEq(circleAr(x), circleAr(y)) })
	circRel("<>", func(x, y circle) bool { return fpNe(circleAr(x), circleAr(y)) })
	circRel("<", func(x, y circle) bool { return fpLt(circleAr(x), circleAr(y)) })
	circRel(">", func(x, y circle) bool { return fpGt(circleAr(x), circleAr(y)) })
	circRel("<=", func(x, y circle) bool { return fpLe(circleAr(x), circleAr(y)) })
	circRel(">=", func(x, y circle) bool { return fpGe(circleAr(x), circleAr(y)) })
	op("+", ci, pt, ci, func(x, y types.Datum) types.Datum { return circle{Center: pointAdd(C(x).Center, P(y)), R: C(x).R} })
	op("-", ci, pt, ci, func(x, y types.Datum) types.Datum { return circle{Center: pointSub(C(x).Center, P(y)), R: C(x).R} })
	op("*", ci, pt, ci, func(x, y types.Datum) types.Datum {
		return circle{Center: pointMul(C(x).Center, P(y)), R: fmul(C(x).R, hypot(P(y).X, P(y).Y))}
	})
	op("/", ci, pt, ci, func(x, y types.Datum) types.Datum {
		return circle{Center: pointDiv(C(x).Center, P(y)), R: fdiv(C(x).R, hypot(P(y).X, P(y).Y))}
	})
	op("@>", ci, pt, b, func(x, y types.Datum) types.Datum { return pointDt(C(x).Center, P(y)) <= C(x).R })
	op("<->", ci, ci, f8, func(x, y types.Datum) types.Datum {
		r := fmi(pointDt(C(x).Center, C(y).Center), fpl(C(x).R, C(y).R))
		if r < 0 {
			r = 0
		}
		return r
	})
	op("<->", ci, pt, f8, func(x, y types.Datum) types.Datum { return distPc(P(y), C(x)) })
	op("<->", ci, pg, f8, func(x, y types.Datum) types.Datum { return distCpoly(C(x), PG(y)) })
	circCenter := func(x types.Datum) types.Datum { return C(x).Center }
	prefix("@@", ci, pt, circCenter)
	fn1("center", ci, pt, circCenter)
	fn1("circle_center", ci, pt, circCenter)
	fn1("point", ci, pt, circCenter)
	fn1("area", ci, f8, func(x types.Datum) types.Datum { return circleAr(C(x)) })
	fn1("radius", ci, f8, func(x types.Datum) types.Datum { return C(x).R })
	fn1("diameter", ci, f8, func(x types.Datum) types.Datum { return fmul(C(x).R, 2.0) })
	fn("circle", ci, []types.ID{pt, f8}, func(a []types.Datum) types.Datum { return circle{Center: P(a[0]), R: a[1].(float64)} })
	fn("polygon", pg, []types.ID{i4, ci}, func(a []types.Datum) types.Datum { return circlePoly(a[0].(int64), C(a[1])) })
	fn1("polygon", ci, pg, func(x types.Datum) types.Datum { return circlePoly(12, C(x)) })

	types.GeoCast = geoCast
}

// GeoLength is length(lseg) and length(path), which the binder routes
// here since length() of the string types is its own.
func GeoLength(d types.Datum) (types.Datum, error) {
	return geoFn(func(a []types.Datum) types.Datum {
		switch v := a[0].(type) {
		case lseg:
			return pointDt(v.P[0], v.P[1])
		case *path:
			return pathLength(v)
		}
		return nil
	})([]types.Datum{d})
}

func distPc(p point, c circle) float64 {
	r := fmi(pointDt(p, c.Center), c.R)
	if r < 0 {
		r = 0
	}
	return r
}

func distCpoly(c circle, poly *polygon) float64 {
	r := fmi(distPpoly(c.Center, poly), c.R)
	if r < 0 {
		r = 0
	}
	return r
}

// lineFromPoints is line_construct_pp.
func lineFromPoints(p1, p2 point) (line, error) {
	if pointEq(p1, p2) {
		return line{}, errTwoDistinctPoints()
	}
	return lineConstruct(p1, pointSl(p1, p2)), nil
}

// geoCast is the conversions between geometric types pg_cast lists:
// each is the function of the target type's name.
func geoCast(d types.Datum, to types.ID) (types.Datum, bool, error) {
	from := geoID(d)
	if from == 0 {
		return nil, false, nil
	}
	var name string
	switch to {
	case types.PointType:
		name = "point"
	case types.BoxType:
		name = "box"
	case types.LsegType:
		name = "lseg"
	case types.PolygonType:
		name = "polygon"
	case types.CircleType:
		name = "circle"
	case types.PathType:
		name = "path"
	default:
		return nil, false, nil
	}
	f := funcs[name]
	for _, o := range f.Overloads {
		if len(o.Args) == 1 && o.Args[0] == from {
			v, err := o.Fn([]types.Datum{d})
			return v, true, err
		}
	}
	return nil, false, nil
}

func geoID(d types.Datum) types.ID {
	switch d.(type) {
	case point:
		return types.PointType
	case lseg:
		return types.LsegType
	case line:
		return types.LineType
	case box:
		return types.BoxType
	case *path:
		return types.PathType
	case *polygon:
		return types.PolygonType
	case circle:
		return types.CircleType
	}
	return 0
}
