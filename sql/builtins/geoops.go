package builtins

import (
	"math"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// The computations of the geometric types, ported from geo_ops.c with
// its order of floating-point operations so that results match
// PostgreSQL's to the bit. float8_pl, float8_mi, float8_mul and
// float8_div raise PostgreSQL's overflow, underflow and division errors;
// they do so by panicking with a geoError, which geoFn turns back into
// the call's error.

type geoError struct{ err error }

func geoFail(err error) { panic(geoError{err}) }

// geoFn wraps a computation that may raise a geoError.
func geoFn(f func(a []types.Datum) types.Datum) func(a []types.Datum) (types.Datum, error) {
	return func(a []types.Datum) (d types.Datum, err error) {
		defer func() {
			if r := recover(); r != nil {
				g, ok := r.(geoError)
				if !ok {
					panic(r)
				}
				d, err = nil, g.err
			}
		}()
		return f(a), nil
	}
}

type (
	point   = types.Point
	lseg    = types.Lseg
	line    = types.Line
	box     = types.Box
	path    = types.Path
	polygon = types.Polygon
	circle  = types.Circle
)

var (
	fpZero = types.FPzero
	fpEq   = types.FPeq
	fpNe   = types.FPne
	fpLt   = types.FPlt
	fpLe   = types.FPle
	fpGt   = types.FPgt
	fpGe   = types.FPge
)

func floatOverflow() {
	geoFail(pgerr.New(pgerr.NumericValueOutOfRange, "value out of range: overflow"))
}
func floatUnderflow() {
	geoFail(pgerr.New(pgerr.NumericValueOutOfRange, "value out of range: underflow"))
}

func fpl(a, b float64) float64 {
	r := a + b
	if math.IsInf(r, 0) && !math.IsInf(a, 0) && !math.IsInf(b, 0) {
		floatOverflow()
	}
	return r
}

func fmi(a, b float64) float64 {
	r := a - b
	if math.IsInf(r, 0) && !math.IsInf(a, 0) && !math.IsInf(b, 0) {
		floatOverflow()
	}
	return r
}

func fmul(a, b float64) float64 {
	r := a * b
	if math.IsInf(r, 0) && !math.IsInf(a, 0) && !math.IsInf(b, 0) {
		floatOverflow()
	}
	if r == 0 && a != 0 && b != 0 {
		floatUnderflow()
	}
	return r
}

func fdiv(a, b float64) float64 {
	if b == 0 && !math.IsNaN(a) {
		geoFail(pgerr.New(pgerr.DivisionByZero, "division by zero"))
	}
	r := a / b
	if math.IsInf(r, 0) && !math.IsInf(a, 0) {
		floatOverflow()
	}
	if r == 0 && a != 0 && !math.IsInf(b, 0) {
		floatUnderflow()
	}
	return r
}

// float8 comparisons that order NaN above everything (float8_lt...).
func f8lt(a, b float64) bool { return !math.IsNaN(a) && (math.IsNaN(b) || a < b) }
func f8gt(a, b float64) bool { return !math.IsNaN(b) && (math.IsNaN(a) || a > b) }
func f8eq(a, b float64) bool {
	if math.IsNaN(a) {
		return math.IsNaN(b)
	}
	return !math.IsNaN(b) && a == b
}
func f8min(a, b float64) float64 {
	if f8lt(a, b) {
		return a
	}
	return b
}
func f8max(a, b float64) float64 {
	if f8gt(a, b) {
		return a
	}
	return b
}

// hypot is pg_hypot.
func hypot(x, y float64) float64 {
	if math.IsInf(x, 0) || math.IsInf(y, 0) {
		return math.Inf(1)
	}
	if math.IsNaN(x) || math.IsNaN(y) {
		return math.NaN()
	}
	x, y = math.Abs(x), math.Abs(y)
	if x < y {
		x, y = y, x
	}
	if y == 0 {
		return x
	}
	yx := y / x
	r := x * math.Sqrt(1.0+yx*yx)
	if math.IsInf(r, 0) {
		floatOverflow()
	}
	if r == 0 {
		floatUnderflow()
	}
	return r
}

// Points.

func pointEq(a, b point) bool {
	if math.IsNaN(a.X) || math.IsNaN(a.Y) || math.IsNaN(b.X) || math.IsNaN(b.Y) {
		return f8eq(a.X, b.X) && f8eq(a.Y, b.Y)
	}
	return fpEq(a.X, b.X) && fpEq(a.Y, b.Y)
}

func pointDt(a, b point) float64 { return hypot(fmi(a.X, b.X), fmi(a.Y, b.Y)) }

func pointSl(a, b point) float64 {
	if fpEq(a.X, b.X) {
		return math.Inf(1)
	}
	if fpEq(a.Y, b.Y) {
		return 0
	}
	return fdiv(fmi(a.Y, b.Y), fmi(a.X, b.X))
}

func pointInvsl(a, b point) float64 {
	if fpEq(a.X, b.X) {
		return 0
	}
	if fpEq(a.Y, b.Y) {
		return math.Inf(1)
	}
	return fdiv(fmi(a.X, b.X), fmi(b.Y, a.Y))
}

func pointAdd(a, b point) point { return point{X: fpl(a.X, b.X), Y: fpl(a.Y, b.Y)} }
func pointSub(a, b point) point { return point{X: fmi(a.X, b.X), Y: fmi(a.Y, b.Y)} }
func pointMul(a, b point) point {
	return point{X: fmi(fmul(a.X, b.X), fmul(a.Y, b.Y)), Y: fpl(fmul(a.X, b.Y), fmul(a.Y, b.X))}
}
func pointDiv(a, b point) point {
	div := fpl(fmul(b.X, b.X), fmul(b.Y, b.Y))
	return point{X: fdiv(fpl(fmul(a.X, b.X), fmul(a.Y, b.Y)), div), Y: fdiv(fmi(fmul(a.Y, b.X), fmul(a.X, b.Y)), div)}
}

// Lines.

func lineConstruct(pt point, m float64) line {
	switch {
	case math.IsInf(m, 0):
		return line{A: -1, B: 0, C: pt.X}
	case m == 0:
		return line{A: 0, B: -1, C: pt.Y}
	}
	l := line{A: m, B: -1, C: fmi(pt.Y, fmul(m, pt.X))}
	if l.C == 0 {
		l.C = 0
	}
	return l
}

func lineSl(l line) float64 {
	if fpZero(l.A) {
		return 0
	}
	if fpZero(l.B) {
		return math.Inf(1)
	}
	return fdiv(l.A, -l.B)
}

func lineInvsl(l line) float64 {
	if fpZero(l.A) {
		return math.Inf(1)
	}
	if fpZero(l.B) {
		return 0
	}
	return fdiv(l.B, l.A)
}

func lineInterptLine(l1, l2 line) (point, bool) {
	var x, y float64
	switch {
	case !fpZero(l1.B):
		if fpEq(l2.A, fmul(l1.A, fdiv(l2.B, l1.B))) {
			return point{}, false
		}
		x = fdiv(fmi(fmul(l1.B, l2.C), fmul(l2.B, l1.C)), fmi(fmul(l1.A, l2.B), fmul(l2.A, l1.B)))
		y = fdiv(-fpl(fmul(l1.A, x), l1.C), l1.B)
	case !fpZero(l2.B):
		if fpEq(l1.A, fmul(l2.A, fdiv(l1.B, l2.B))) {
			return point{}, false
		}
		x = fdiv(fmi(fmul(l2.B, l1.C), fmul(l1.B, l2.C)), fmi(fmul(l2.A, l1.B), fmul(l1.A, l2.B)))
		y = fdiv(-fpl(fmul(l2.A, x), l2.C), l2.B)
	default:
		return point{}, false
	}
	if x == 0 {
		x = 0
	}
	if y == 0 {
		y = 0
	}
	return point{X: x, Y: y}, true
}

func lineEq(l1, l2 line) bool {
	if math.IsNaN(l1.A) || math.IsNaN(l1.B) || math.IsNaN(l1.C) || math.IsNaN(l2.A) || math.IsNaN(l2.B) || math.IsNaN(l2.C) {
		return f8eq(l1.A, l2.A) && f8eq(l1.B, l2.B) && f8eq(l1.C, l2.C)
	}
	var ratio float64
	switch {
	case !fpZero(l2.A):
		ratio = fdiv(l1.A, l2.A)
	case !fpZero(l2.B):
		ratio = fdiv(l1.B, l2.B)
	case !fpZero(l2.C):
		ratio = fdiv(l1.C, l2.C)
	default:
		ratio = 1
	}
	return fpEq(l1.A, fmul(ratio, l2.A)) && fpEq(l1.B, fmul(ratio, l2.B)) && fpEq(l1.C, fmul(ratio, l2.C))
}

func linePerp(l1, l2 line) bool {
	switch {
	case fpZero(l1.A):
		return fpZero(l2.B)
	case fpZero(l2.A):
		return fpZero(l1.B)
	case fpZero(l1.B):
		return fpZero(l2.A)
	case fpZero(l2.B):
		return fpZero(l1.A)
	}
	return fpEq(fdiv(fmul(l1.A, l2.A), fmul(l1.B, l2.B)), -1.0)
}

func lineDistance(l1, l2 line) float64 {
	if _, ok := lineInterptLine(l1, l2); ok {
		return 0
	}
	var ratio float64
	switch {
	case !fpZero(l1.A) && !math.IsNaN(l1.A) && !fpZero(l2.A) && !math.IsNaN(l2.A):
		ratio = fdiv(l1.A, l2.A)
	case !fpZero(l1.B) && !math.IsNaN(l1.B) && !fpZero(l2.B) && !math.IsNaN(l2.B):
		ratio = fdiv(l1.B, l2.B)
	default:
		ratio = 1
	}
	return fdiv(math.Abs(fmi(l1.C, fmul(ratio, l2.C))), hypot(l1.A, l1.B))
}

func lineContainPoint(l line, p point) bool {
	return fpZero(fpl(fpl(fmul(l.A, p.X), fmul(l.B, p.Y)), l.C))
}

// lineClosept is line_closept_point: the distance, NaN when none.
func lineClosept(l line, p point) (point, float64) {
	tmp := lineConstruct(p, lineInvsl(l))
	c, ok := lineInterptLine(tmp, l)
	if !ok {
		return p, math.NaN()
	}
	return c, pointDt(c, p)
}

// Line segments.

func lsegSl(s lseg) float64    { return pointSl(s.P[0], s.P[1]) }
func lsegInvsl(s lseg) float64 { return pointInvsl(s.P[0], s.P[1]) }

func lsegContainPoint(s lseg, p point) bool {
	return fpEq(pointDt(p, s.P[0])+pointDt(p, s.P[1]), pointDt(s.P[0], s.P[1]))
}

func lsegInterptLine(s lseg, l line) (point, bool) {
	tmp := lineConstruct(s.P[0], lsegSl(s))
	ip, ok := lineInterptLine(tmp, l)
	if !ok || !lsegContainPoint(s, ip) {
		return point{}, false
	}
	switch {
	case pointEq(s.P[0], ip):
		return s.P[0], true
	case pointEq(s.P[1], ip):
		return s.P[1], true
	}
	return ip, true
}

func lsegInterptLseg(l1, l2 lseg) (point, bool) {
	tmp := lineConstruct(l2.P[0], lsegSl(l2))
	ip, ok := lsegInterptLine(l1, tmp)
	if !ok || !lsegContainPoint(l2, ip) {
		return point{}, false
	}
	return ip, true
}

func lsegClosept(s lseg, p point) (point, float64) {
	tmp := lineConstruct(p, pointInvsl(s.P[0], s.P[1]))
	c, _ := lsegClosLine(s, tmp)
	return c, pointDt(c, p)
}

// lsegClosLine is lseg_closept_line.
func lsegClosLine(s lseg, l line) (point, float64) {
	if ip, ok := lsegInterptLine(s, l); ok {
		return ip, 0
	}
	_, d1 := lineClosept(l, s.P[0])
	_, d2 := lineClosept(l, s.P[1])
	if d1 < d2 {
		return s.P[0], d1
	}
	return s.P[1], d2
}

// lsegClosLseg is lseg_closept_lseg: the closest point on on to to.
func lsegClosLseg(on, to lseg) (point, float64) {
	if ip, ok := lsegInterptLseg(on, to); ok {
		return ip, 0
	}
	res, dist := lsegClosept(on, to.P[0])
	if pt, d := lsegClosept(on, to.P[1]); f8lt(d, dist) {
		res, dist = pt, d
	}
	if _, d := lsegClosept(to, on.P[0]); f8lt(d, dist) {
		res, dist = on.P[0], d
	}
	if _, d := lsegClosept(to, on.P[1]); f8lt(d, dist) {
		res, dist = on.P[1], d
	}
	return res, dist
}

// Boxes.

func boxConstruct(p1, p2 point) box {
	var b box
	if f8gt(p1.X, p2.X) {
		b.High.X, b.Low.X = p1.X, p2.X
	} else {
		b.High.X, b.Low.X = p2.X, p1.X
	}
	if f8gt(p1.Y, p2.Y) {
		b.High.Y, b.Low.Y = p1.Y, p2.Y
	} else {
		b.High.Y, b.Low.Y = p2.Y, p1.Y
	}
	return b
}

func boxOv(a, b box) bool {
	return fpLe(a.Low.X, b.High.X) && fpLe(b.Low.X, a.High.X) && fpLe(a.Low.Y, b.High.Y) && fpLe(b.Low.Y, a.High.Y)
}
func boxWd(b box) float64 { return fmi(b.High.X, b.Low.X) }
func boxHt(b box) float64 { return fmi(b.High.Y, b.Low.Y) }
func boxAr(b box) float64 { return fmul(boxWd(b), boxHt(b)) }
func boxCn(b box) point {
	return point{X: fdiv(fpl(b.High.X, b.Low.X), 2.0), Y: fdiv(fpl(b.High.Y, b.Low.Y), 2.0)}
}
func boxContainBox(a, b box) bool {
	return fpGe(a.High.X, b.High.X) && fpLe(a.Low.X, b.Low.X) && fpGe(a.High.Y, b.High.Y) && fpLe(a.Low.Y, b.Low.Y)
}
func boxContainPoint(b box, p point) bool {
	return b.High.X >= p.X && b.Low.X <= p.X && b.High.Y >= p.Y && b.Low.Y <= p.Y
}

func boxClosePoint(b box, p point) (point, float64) {
	if boxContainPoint(b, p) {
		return p, 0
	}
	corner := point{X: b.Low.X, Y: b.High.Y}
	res, dist := lsegClosept(seg(b.Low, corner), p)
	if c, d := lsegClosept(seg(b.High, corner), p); f8lt(d, dist) {
		res, dist = c, d
	}
	corner = point{X: b.High.X, Y: b.Low.Y}
	if c, d := lsegClosept(seg(b.Low, corner), p); f8lt(d, dist) {
		res, dist = c, d
	}
	if c, d := lsegClosept(seg(b.High, corner), p); f8lt(d, dist) {
		res, dist = c, d
	}
	return res, dist
}

func boxInterptLseg(b box, s lseg) (point, bool) {
	lbox := box{Low: point{X: f8min(s.P[0].X, s.P[1].X), Y: f8min(s.P[0].Y, s.P[1].Y)},
		High: point{X: f8max(s.P[0].X, s.P[1].X), Y: f8max(s.P[0].Y, s.P[1].Y)}}
	if !boxOv(lbox, b) {
		return point{}, false
	}
	res, _ := lsegClosept(s, boxCn(b))
	if boxContainPoint(b, s.P[0]) || boxContainPoint(b, s.P[1]) {
		return res, true
	}
	corner := point{X: b.Low.X, Y: b.High.Y}
	for _, e := range []lseg{seg(b.Low, corner), seg(b.High, corner)} {
		if _, ok := lsegInterptLseg(e, s); ok {
			return res, true
		}
	}
	corner = point{X: b.High.X, Y: b.Low.Y}
	for _, e := range []lseg{seg(b.Low, corner), seg(b.High, corner)} {
		if _, ok := lsegInterptLseg(e, s); ok {
			return res, true
		}
	}
	return point{}, false
}

func boxCloseLseg(b box, s lseg) (point, float64) {
	if ip, ok := boxInterptLseg(b, s); ok {
		return ip, 0
	}
	corner := point{X: b.Low.X, Y: b.High.Y}
	res, dist := lsegClosLseg(seg(b.Low, corner), s)
	if c, d := lsegClosLseg(seg(b.High, corner), s); f8lt(d, dist) {
		res, dist = c, d
	}
	corner = point{X: b.High.X, Y: b.Low.Y}
	if c, d := lsegClosLseg(seg(b.Low, corner), s); f8lt(d, dist) {
		res, dist = c, d
	}
	if c, d := lsegClosLseg(seg(b.High, corner), s); f8lt(d, dist) {
		res, dist = c, d
	}
	return res, dist
}

func interLb(l line, b box) bool {
	p1, p2 := b.Low, point{X: b.Low.X, Y: b.High.Y}
	if _, ok := lsegInterptLine(seg(p1, p2), l); ok {
		return true
	}
	p1 = b.High
	if _, ok := lsegInterptLine(seg(p1, p2), l); ok {
		return true
	}
	p2 = point{X: b.High.X, Y: b.Low.Y}
	if _, ok := lsegInterptLine(seg(p1, p2), l); ok {
		return true
	}
	p1 = b.Low
	_, ok := lsegInterptLine(seg(p1, p2), l)
	return ok
}

// Paths and polygons.

// segments calls f with each segment of a path: for a closed one also the
// one from its last point to its first, first.
func segments(pts []point, closed bool, f func(s lseg) bool) {
	for i := range pts {
		var prev int
		if i > 0 {
			prev = i - 1
		} else {
			if !closed {
				continue
			}
			prev = len(pts) - 1
		}
		if !f(seg(pts[prev], pts[i])) {
			return
		}
	}
}

func pathBBox(pts []point) box {
	b := box{High: pts[0], Low: pts[0]}
	for _, p := range pts[1:] {
		b.High.X = f8max(p.X, b.High.X)
		b.High.Y = f8max(p.Y, b.High.Y)
		b.Low.X = f8min(p.X, b.Low.X)
		b.Low.Y = f8min(p.Y, b.Low.Y)
	}
	return b
}

func pathInter(p1, p2 *path) bool {
	if !boxOv(pathBBox(p1.P), pathBBox(p2.P)) {
		return false
	}
	found := false
	segments(p1.P, p1.Closed, func(s1 lseg) bool {
		segments(p2.P, p2.Closed, func(s2 lseg) bool {
			_, found = lsegInterptLseg(s1, s2)
			return !found
		})
		return !found
	})
	return found
}

// pathDistance is path_distance; ok is false when there are no segments.
func pathDistance(p1, p2 []point, c1, c2 bool) (float64, bool) {
	min, have := 0.0, false
	segments(p1, c1, func(s1 lseg) bool {
		segments(p2, c2, func(s2 lseg) bool {
			_, d := lsegClosLseg(s1, s2)
			if !have || f8lt(d, min) {
				min, have = d, true
			}
			return true
		})
		return true
	})
	return min, have
}

func pathLength(p *path) float64 {
	r := 0.0
	segments(p.P, p.Closed, func(s lseg) bool {
		r = fpl(r, pointDt(s.P[0], s.P[1]))
		return true
	})
	return r
}

func distPpath(p point, pa *path) float64 {
	r, have := 0.0, false
	segments(pa.P, pa.Closed, func(s lseg) bool {
		_, d := lsegClosept(s, p)
		if !have || f8lt(d, r) {
			r, have = d, true
		}
		return true
	})
	return r
}

func onPpath(p point, pa *path) bool {
	if !pa.Closed {
		n := len(pa.P) - 1
		a := pointDt(p, pa.P[0])
		for i := 0; i < n; i++ {
			b := pointDt(p, pa.P[i+1])
			if fpEq(fpl(a, b), pointDt(pa.P[i], pa.P[i+1])) {
				return true
			}
			a = b
		}
		return false
	}
	return pointInside(p, pa.P) != 0
}

const pointOnPolygon = math.MaxInt32

// pointInside is point_inside: 0 outside, 1 inside, 2 on the polygon.
func pointInside(p point, plist []point) int {
	x0, y0 := fmi(plist[0].X, p.X), fmi(plist[0].Y, p.Y)
	prevX, prevY := x0, y0
	total := 0
	for i := 1; i < len(plist); i++ {
		x, y := fmi(plist[i].X, p.X), fmi(plist[i].Y, p.Y)
		c := lsegCrossing(x, y, prevX, prevY)
		if c == pointOnPolygon {
			return 2
		}
		total += c
		prevX, prevY = x, y
	}
	c := lsegCrossing(x0, y0, prevX, prevY)
	if c == pointOnPolygon {
		return 2
	}
	total += c
	if total != 0 {
		return 1
	}
	return 0
}

func lsegCrossing(x, y, prevX, prevY float64) int {
	if fpZero(y) {
		if fpZero(x) {
			return pointOnPolygon
		} else if fpGt(x, 0) {
			if fpZero(prevY) {
				if fpGt(prevX, 0) {
					return 0
				}
				return pointOnPolygon
			}
			if fpLt(prevY, 0) {
				return 1
			}
			return -1
		}
		if fpZero(prevY) {
			if fpLt(prevX, 0) {
				return 0
			}
			return pointOnPolygon
		}
		return 0
	}
	ySign := -1
	if fpGt(y, 0) {
		ySign = 1
	}
	if fpZero(prevY) {
		if fpLt(prevX, 0) {
			return 0
		}
		return ySign
	}
	if ySign < 0 && fpLt(prevY, 0) || ySign > 0 && fpGt(prevY, 0) {
		return 0
	}
	if fpGe(x, 0) && fpGt(prevX, 0) {
		return 2 * ySign
	}
	if fpLt(x, 0) && fpLe(prevX, 0) {
		return 0
	}
	z := fmi(fmul(fmi(x, prevX), y), fmul(fmi(y, prevY), x))
	if fpZero(z) {
		return pointOnPolygon
	}
	if ySign < 0 && fpLt(z, 0) || ySign > 0 && fpGt(z, 0) {
		return 0
	}
	return 2 * ySign
}

func plistSame(p1, p2 []point) bool {
	n := len(p1)
	for i := 0; i < n; i++ {
		if !pointEq(p2[i], p1[0]) {
			continue
		}
		ii, j := 1, i+1
		for ; ii < n; ii, j = ii+1, j+1 {
			if j >= n {
				j = 0
			}
			if !pointEq(p2[j], p1[ii]) {
				break
			}
		}
		if ii == n {
			return true
		}
		ii, j = 1, i-1
		for ; ii < n; ii, j = ii+1, j-1 {
			if j < 0 {
				j = n - 1
			}
			if !pointEq(p2[j], p1[ii]) {
				break
			}
		}
		if ii == n {
			return true
		}
	}
	return false
}

func polyOverlap(a, b *polygon) bool {
	if !boxOv(a.BBox, b.BBox) {
		return false
	}
	result := false
	sa := lseg{}
	sa.P[0] = a.P[len(a.P)-1]
	for ia := 0; ia < len(a.P) && !result; ia++ {
		sa.P[1] = a.P[ia]
		sb := lseg{}
		sb.P[0] = b.P[len(b.P)-1]
		for ib := 0; ib < len(b.P) && !result; ib++ {
			sb.P[1] = b.P[ib]
			_, result = lsegInterptLseg(sa, sb)
			sb.P[0] = sb.P[1]
		}
		sa.P[0] = sa.P[1]
	}
	if !result {
		result = pointInside(a.P[0], b.P) != 0 || pointInside(b.P[0], a.P) != 0
	}
	return result
}

func touchedLsegInsidePoly(a, b point, s lseg, poly *polygon, start int, depth int) bool {
	t := seg(a, b)
	switch {
	case pointEq(a, s.P[0]):
		if lsegContainPoint(t, s.P[1]) {
			return lsegInsidePoly(b, s.P[1], poly, start, depth)
		}
	case pointEq(a, s.P[1]):
		if lsegContainPoint(t, s.P[0]) {
			return lsegInsidePoly(b, s.P[0], poly, start, depth)
		}
	case lsegContainPoint(t, s.P[0]):
		return lsegInsidePoly(b, s.P[0], poly, start, depth)
	case lsegContainPoint(t, s.P[1]):
		return lsegInsidePoly(b, s.P[1], poly, start, depth)
	}
	return true
}

func lsegInsidePoly(a, b point, poly *polygon, start int, depth int) bool {
	if depth > 10000 {
		geoFail(pgerr.New(pgerr.StatementTooComplex, "stack depth limit exceeded"))
	}
	t := seg(a, b)
	var s lseg
	if start == 0 {
		s.P[0] = poly.P[len(poly.P)-1]
	} else {
		s.P[0] = poly.P[start-1]
	}
	res, intersection := true, false
	for i := start; i < len(poly.P) && res; i++ {
		s.P[1] = poly.P[i]
		if lsegContainPoint(s, t.P[0]) {
			if lsegContainPoint(s, t.P[1]) {
				return true
			}
			res = touchedLsegInsidePoly(t.P[0], t.P[1], s, poly, i+1, depth+1)
		} else if lsegContainPoint(s, t.P[1]) {
			res = touchedLsegInsidePoly(t.P[1], t.P[0], s, poly, i+1, depth+1)
		} else if ip, ok := lsegInterptLseg(t, s); ok {
			intersection = true
			res = lsegInsidePoly(t.P[0], ip, poly, i+1, depth+1)
			if res {
				res = lsegInsidePoly(t.P[1], ip, poly, i+1, depth+1)
			}
		}
		s.P[0] = s.P[1]
	}
	if res && !intersection {
		p := point{X: fdiv(fpl(t.P[0].X, t.P[1].X), 2.0), Y: fdiv(fpl(t.P[0].Y, t.P[1].Y), 2.0)}
		res = pointInside(p, poly.P) != 0
	}
	return res
}

func polyContainPoly(a, b *polygon) bool {
	if !boxContainBox(a.BBox, b.BBox) {
		return false
	}
	var s lseg
	s.P[0] = b.P[len(b.P)-1]
	for i := range b.P {
		s.P[1] = b.P[i]
		if !lsegInsidePoly(s.P[0], s.P[1], a, 0, 0) {
			return false
		}
		s.P[0] = s.P[1]
	}
	return true
}

func distPpoly(p point, poly *polygon) float64 {
	if pointInside(p, poly.P) != 0 {
		return 0
	}
	_, r := lsegClosept(seg(poly.P[0], poly.P[len(poly.P)-1]), p)
	for i := 0; i < len(poly.P)-1; i++ {
		if _, d := lsegClosept(seg(poly.P[i], poly.P[i+1]), p); f8lt(d, r) {
			r = d
		}
	}
	return r
}

func polyDistance(a, b *polygon) float64 {
	if polyOverlap(a, b) {
		return 0
	}
	d, _ := pathDistance(a.P, b.P, true, true)
	return d
}

func polyToCircle(poly *polygon) circle {
	var c circle
	for _, p := range poly.P {
		c.Center = pointAdd(c.Center, p)
	}
	n := float64(len(poly.P))
	c.Center.X = fdiv(c.Center.X, n)
	c.Center.Y = fdiv(c.Center.Y, n)
	for _, p := range poly.P {
		c.R = fpl(c.R, pointDt(p, c.Center))
	}
	c.R = fdiv(c.R, n)
	return c
}

// Circles.

func circleAr(c circle) float64 { return fmul(fmul(c.R, c.R), math.Pi) }

func circleBox(c circle) box {
	delta := fdiv(c.R, math.Sqrt(2.0))
	return box{High: point{X: fpl(c.Center.X, delta), Y: fpl(c.Center.Y, delta)},
		Low: point{X: fmi(c.Center.X, delta), Y: fmi(c.Center.Y, delta)}}
}

func boxCircle(b box) circle {
	c := circle{Center: point{X: fdiv(fpl(b.High.X, b.Low.X), 2.0), Y: fdiv(fpl(b.High.Y, b.Low.Y), 2.0)}}
	c.R = pointDt(c.Center, b.High)
	return c
}

func circlePoly(npts int64, c circle) *polygon {
	if fpZero(c.R) {
		geoFail(pgerr.New(pgerr.FeatureNotSupported, "cannot convert circle with radius zero to polygon"))
	}
	if npts < 2 {
		geoFail(pgerr.New(pgerr.InvalidParameterValue, "must request at least 2 points"))
	}
	if npts > (1<<30-40)/16 {
		geoFail(pgerr.New(pgerr.ProgramLimitExceeded, "too many points requested"))
	}
	pts := make([]point, npts)
	step := fdiv(2.0*math.Pi, float64(npts))
	for i := range pts {
		angle := fmul(step, float64(i))
		pts[i] = point{X: fmi(c.Center.X, fmul(c.R, cos(angle))), Y: fpl(c.Center.Y, fmul(c.R, sin(angle)))}
	}
	return types.MakePolygon(pts)
}

func boxPoly(b box) *polygon {
	return &polygon{P: []point{b.Low, {X: b.Low.X, Y: b.High.Y}, b.High, {X: b.High.X, Y: b.Low.Y}},
		BBox: boxConstruct(b.High, b.Low)}
}

func pathPoly(p *path) *polygon {
	if !p.Closed {
		geoFail(pgerr.New(pgerr.InvalidParameterValue, "open path cannot be converted to polygon"))
	}
	return types.MakePolygon(append([]point(nil), p.P...))
}

func errTwoDistinctPoints() error {
	return pgerr.New(pgerr.InvalidParameterValue, "invalid line specification: must be two distinct points")
}

func seg(a, b point) lseg { return lseg{P: [2]point{a, b}} }

// sin and cos are correctly rounded, as the C library's are (Go's
// math.Sin and math.Cos may be an ulp off, which shows in the points of
// polygon(circle)): the argument is reduced by pi/2 and the series summed
// in double-double arithmetic.
func sin(x float64) float64 { return sinCos(x, 0) }
func cos(x float64) float64 { return sinCos(x, 1) }

// dd is a double-double number: hi + lo with |lo| <= ulp(hi)/2.
type dd struct{ hi, lo float64 }

func twoSum(a, b float64) dd {
	s := a + b
	bb := s - a
	return dd{s, (a - (s - bb)) + (b - bb)}
}

func quickTwoSum(a, b float64) dd {
	s := a + b
	return dd{s, b - (s - a)}
}

func (a dd) add(b dd) dd {
	s := twoSum(a.hi, b.hi)
	return quickTwoSum(s.hi, s.lo+a.lo+b.lo)
}

func (a dd) neg() dd { return dd{-a.hi, -a.lo} }

func (a dd) mul(b dd) dd {
	p := a.hi * b.hi
	e := math.FMA(a.hi, b.hi, -p) + a.hi*b.lo + a.lo*b.hi
	return quickTwoSum(p, e)
}

func (a dd) div(b float64) dd {
	q := a.hi / b
	p := dd{q * b, math.FMA(q, b, -q*b)}
	r := (a.hi - p.hi - p.lo + a.lo) / b
	return quickTwoSum(q, r)
}

func sinCos(x float64, shift int64) float64 {
	// pi/2 = p1 + p2 + p3.
	const p1, p2, p3 = 1.5707963267948966, 6.123233995736766e-17, -1.4973849048591698e-33
	k := math.Round(x / p1)
	if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(k) > 1<<20 {
		if shift == 1 {
			return math.Cos(x)
		}
		return math.Sin(x)
	}
	kp1 := dd{k * p1, math.FMA(k, p1, -k*p1)}
	kp2 := dd{k * p2, math.FMA(k, p2, -k*p2)}
	r := dd{x, 0}.add(kp1.neg()).add(kp2.neg()).add(dd{-k * p3, 0})
	r2 := r.mul(r)
	var sum dd
	switch (int64(k) + shift) & 1 {
	case 0: // sin r = r - r^3/3! + ...
		term := r
		sum = term
		for n := 1.0; n < 30 && term.hi != 0; n++ {
			term = term.mul(r2).div(-(2 * n) * (2*n + 1))
			sum = sum.add(term)
		}
	default: // cos r = 1 - r^2/2! + ...
		term := dd{1, 0}
		sum = term
		for n := 1.0; n < 30 && term.hi != 0; n++ {
			term = term.mul(r2).div(-(2*n - 1) * (2 * n))
			sum = sum.add(term)
		}
	}
	if (int64(k)+shift)&2 != 0 {
		return -(sum.hi + sum.lo)
	}
	return sum.hi + sum.lo
}
