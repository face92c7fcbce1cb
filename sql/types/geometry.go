package types

import (
	"encoding/binary"
	"math"
	"strconv"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
)

// The geometric types (geo_ops.c): point, lseg, line, box, path, polygon
// and circle. Each value is a Go struct of float64 coordinates; their text
// input accepts every form geo_ops.c's pair_decode, path_decode and the
// types' own input functions accept, and their output prints each
// coordinate as float8 does (float8out_internal, which follows
// extra_float_digits). None of them has a btree operator class: they are
// compared only through their operators (package builtins), and Compare
// gives them an arbitrary but stable order for internal uses.
const (
	PointType        ID = 600
	PointArray       ID = 1017
	LsegType         ID = 601
	LsegArray        ID = 1018
	PathType         ID = 602
	PathArray        ID = 1019
	BoxType          ID = 603
	BoxArray         ID = 1020
	PolygonType      ID = 604
	PolygonArray     ID = 1027
	LineType         ID = 628
	LineArray        ID = 629
	CircleType       ID = 718
	CircleArray      ID = 719
	geoEpsilon          = 1.0e-06
	maxPathPoints       = (1<<30 - 1 - 16) / 16
	maxPolygonPoints    = (1<<30 - 1 - 40) / 16
)

// Point is a point value.
type Point struct{ X, Y float64 }

// Lseg is a line segment value.
type Lseg struct{ P [2]Point }

// Line is an infinite line value, Ax + By + C = 0.
type Line struct{ A, B, C float64 }

// Box is a box value; High is the upper right corner, Low the lower left.
type Box struct{ High, Low Point }

// Path is a path value, open or closed.
type Path struct {
	Closed bool
	P      []Point
}

// Polygon is a polygon value with its bounding box.
type Polygon struct {
	P    []Point
	BBox Box
}

// Circle is a circle value.
type Circle struct {
	Center Point
	R      float64
}

func init() {
	geo := func(id, arr ID, name string, size int16, in func(string) (Datum, error)) *Info {
		return &Info{ID: id, Typname: name, SQLName: name, Len: size, Array: arr, arrays: true,
			Category: 'G', aliases: []string{name},
			input: func(_ T, s string) (Datum, error) { return in(s) }, cast: castToGeometry}
	}
	withCasts := func(in *Info, assignment ...ID) *Info {
		in.assignment = assignment
		return in
	}
	register(
		withCasts(geo(PointType, PointArray, "point", 16, func(s string) (Datum, error) { return ParsePoint(s) }), BoxType),
		geo(LsegType, LsegArray, "lseg", 32, func(s string) (Datum, error) { return ParseLseg(s) }),
		withCasts(geo(PathType, PathArray, "path", -1, func(s string) (Datum, error) { return ParsePath(s) }), PolygonType),
		withCasts(geo(BoxType, BoxArray, "box", 32, func(s string) (Datum, error) { return ParseBox(s) }), PolygonType),
		withCasts(geo(PolygonType, PolygonArray, "polygon", -1, func(s string) (Datum, error) { return ParsePolygon(s) }), PathType),
		geo(LineType, LineArray, "line", 24, func(s string) (Datum, error) { return ParseLine(s) }),
		geo(CircleType, CircleArray, "circle", 24, func(s string) (Datum, error) { return ParseCircle(s) }),
	)
}

// geoExplicitCasts are pg_cast's explicit-only conversions between the
// geometric types.
var geoExplicitCasts = map[[2]ID]bool{
	{LsegType, PointType}: true, {BoxType, PointType}: true, {BoxType, LsegType}: true,
	{BoxType, CircleType}: true, {PolygonType, PointType}: true, {PolygonType, BoxType}: true,
	{PolygonType, CircleType}: true, {CircleType, PointType}: true, {CircleType, BoxType}: true,
	{CircleType, PolygonType}: true,
}

func geoExplicitCast(from, to ID) bool { return geoExplicitCasts[[2]ID{from, to}] }

// IsGeometric reports whether t is one of the geometric types.
func (t T) IsGeometric() bool {
	switch t.ID {
	case PointType, LsegType, PathType, BoxType, PolygonType, LineType, CircleType:
		return true
	}
	return false
}

// FPzero and the others are geo_decls.h's fuzzy comparisons.
func FPzero(a float64) bool  { return math.Abs(a) <= geoEpsilon }
func FPeq(a, b float64) bool { return a == b || math.Abs(a-b) <= geoEpsilon }
func FPne(a, b float64) bool { return a != b && math.Abs(a-b) > geoEpsilon }
func FPlt(a, b float64) bool { return a+geoEpsilon < b }
func FPle(a, b float64) bool { return a <= b+geoEpsilon }
func FPgt(a, b float64) bool { return a > b+geoEpsilon }
func FPge(a, b float64) bool { return a+geoEpsilon >= b }
func isGeoSpace(c byte) bool { return isSpace(c) }
func geoSyntax(typ, s string) error {
	return pgerr.New(pgerr.InvalidTextRepresentation, "invalid input syntax for type %s: \"%s\"", typ, s)
}

// geoDecoder reads text as geo_ops.c does: s is the whole input (for
// messages), i the position.
type geoDecoder struct {
	s, typ string
	i      int
}

func (d *geoDecoder) at() byte { return cstr(d.s, d.i) }

func (d *geoDecoder) skipSpace() {
	for d.i < len(d.s) && isGeoSpace(d.s[d.i]) {
		d.i++
	}
}

func (d *geoDecoder) fail() error { return geoSyntax(d.typ, d.s) }

// single reads one float8 as float8in_internal does with an end pointer:
// leading and trailing blanks skipped, strtod's forms plus NaN and
// Infinity.
func (d *geoDecoder) single() (float64, error) {
	d.skipSpace()
	start := d.i
	if d.i >= len(d.s) {
		return 0, d.fail()
	}
	j := scanStrtod(d.s, d.i)
	var f float64
	if j == d.i {
		rest := strings.ToLower(d.s[d.i:])
		found := false
		for _, w := range []struct {
			word string
			v    float64
		}{{"nan", math.NaN()}, {"+nan", math.NaN()}, {"-nan", math.NaN()},
			{"infinity", math.Inf(1)}, {"+infinity", math.Inf(1)}, {"-infinity", math.Inf(-1)},
			{"inf", math.Inf(1)}, {"+inf", math.Inf(1)}, {"-inf", math.Inf(-1)}} {
			if strings.HasPrefix(rest, w.word) {
				f, j, found = w.v, d.i+len(w.word), true
				break
			}
		}
		if !found {
			return 0, d.fail()
		}
	} else {
		var err error
		f, err = strconv.ParseFloat(d.s[start:j], 64)
		if err != nil {
			// strtod's ERANGE: an underflow to zero or a denormal is
			// accepted, an overflow is not.
			if math.IsInf(f, 0) {
				return 0, pgerr.New(pgerr.NumericValueOutOfRange, "\"%s\" is out of range for type double precision", d.s[start:j])
			}
			if f == 0 && !zeroDigits(d.s[start:j]) {
				return 0, pgerr.New(pgerr.NumericValueOutOfRange, "\"%s\" is out of range for type double precision", d.s[start:j])
			}
		}
	}
	d.i = j
	d.skipSpace()
	return f, nil
}

// zeroDigits reports whether a number's mantissa has only zero digits.
func zeroDigits(s string) bool {
	for _, c := range s {
		if c == 'e' || c == 'E' {
			break
		}
		if c >= '1' && c <= '9' {
			return false
		}
	}
	return true
}

// scanStrtod returns the end of the decimal number strtod would read at
// s[i], or i when there is none.
func scanStrtod(s string, i int) int {
	j := i
	if j < len(s) && (s[j] == '+' || s[j] == '-') {
		j++
	}
	digits := 0
	for j < len(s) && isDigit(s[j]) {
		j++
		digits++
	}
	if j < len(s) && s[j] == '.' {
		j++
		for j < len(s) && isDigit(s[j]) {
			j++
			digits++
		}
	}
	if digits == 0 {
		return i
	}
	if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
		k := j + 1
		if k < len(s) && (s[k] == '+' || s[k] == '-') {
			k++
		}
		if k < len(s) && isDigit(s[k]) {
			for k < len(s) && isDigit(s[k]) {
				k++
			}
			j = k
		}
	}
	return j
}

// pair is pair_decode: "x,y" or "(x,y)", then blanks.
func (d *geoDecoder) pair() (Point, error) {
	d.skipSpace()
	delim := d.at() == '('
	if delim {
		d.i++
	}
	x, err := d.single()
	if err != nil {
		return Point{}, err
	}
	if d.at() != ',' {
		return Point{}, d.fail()
	}
	d.i++
	y, err := d.single()
	if err != nil {
		return Point{}, err
	}
	if delim {
		if d.at() != ')' {
			return Point{}, d.fail()
		}
		d.i++
		d.skipSpace()
	}
	return Point{x, y}, nil
}

// path is path_decode: npts points, with an optional enclosing ( ) or,
// when opentype, [ ]; isopen reports the brackets.
func (d *geoDecoder) path(opentype bool, npts int) ([]Point, bool, error) {
	depth := 0
	d.skipSpace()
	isopen := d.at() == '['
	if isopen {
		if !opentype {
			return nil, false, d.fail()
		}
		depth++
		d.i++
	} else if d.at() == '(' {
		cp := d.i + 1
		for cp < len(d.s) && isGeoSpace(d.s[cp]) {
			cp++
		}
		if cstr(d.s, cp) == '(' {
			depth++
			d.i = cp
		} else if strings.LastIndexByte(d.s[d.i:], '(') == 0 {
			depth++
			d.i = cp
		}
	}
	pts := make([]Point, npts)
	for k := range pts {
		p, err := d.pair()
		if err != nil {
			return nil, false, err
		}
		pts[k] = p
		if d.at() == ',' {
			d.i++
		}
	}
	for depth > 0 {
		if d.at() == ')' || d.at() == ']' && isopen && depth == 1 {
			depth--
			d.i++
			d.skipSpace()
		} else {
			return nil, false, d.fail()
		}
	}
	return pts, isopen, nil
}

func (d *geoDecoder) end() error {
	if d.i < len(d.s) {
		return d.fail()
	}
	return nil
}

// pairCount is pair_count: the number of points a list of numbers
// separated by commas holds, or -1.
func pairCount(s string) int {
	n := strings.Count(s, ",")
	if n%2 == 1 {
		return (n + 1) / 2
	}
	return -1
}

// ParsePoint is point_in.
func ParsePoint(s string) (Point, error) {
	d := &geoDecoder{s: s, typ: "point"}
	p, err := d.pair()
	if err != nil {
		return Point{}, err
	}
	return p, d.end()
}

// ParseLseg is lseg_in.
func ParseLseg(s string) (Lseg, error) {
	d := &geoDecoder{s: s, typ: "lseg"}
	pts, _, err := d.path(true, 2)
	if err != nil {
		return Lseg{}, err
	}
	return Lseg{[2]Point{pts[0], pts[1]}}, d.end()
}

// ParseBox is box_in: the corners are reordered so that High is the
// upper right one.
func ParseBox(s string) (Box, error) {
	d := &geoDecoder{s: s, typ: "box"}
	pts, _, err := d.path(false, 2)
	if err != nil {
		return Box{}, err
	}
	if err := d.end(); err != nil {
		return Box{}, err
	}
	return MakeBox(pts[0], pts[1]), nil
}

// MakeBox is the box with corners p1 and p2 as box_in and box_recv
// order them: p1 is the upper right one unless a coordinate of p2 is
// greater (float8_lt, where NaN is greater than any number).
func MakeBox(p1, p2 Point) Box {
	b := Box{High: p1, Low: p2}
	if f8lt(b.High.X, b.Low.X) {
		b.High.X, b.Low.X = b.Low.X, b.High.X
	}
	if f8lt(b.High.Y, b.Low.Y) {
		b.High.Y, b.Low.Y = b.Low.Y, b.High.Y
	}
	return b
}

// f8lt and f8gt are float8_lt and float8_gt: NaN sorts above numbers.
func f8lt(a, b float64) bool { return !math.IsNaN(a) && (math.IsNaN(b) || a < b) }
func f8gt(a, b float64) bool { return !math.IsNaN(b) && (math.IsNaN(a) || a > b) }

// ParseLine is line_in: "{A,B,C}" or two distinct points.
func ParseLine(s string) (Line, error) {
	d := &geoDecoder{s: s, typ: "line"}
	d.skipSpace()
	if d.at() == '{' {
		d.i++
		var l Line
		for k, dst := range []*float64{&l.A, &l.B, &l.C} {
			v, err := d.single()
			if err != nil {
				return Line{}, err
			}
			*dst = v
			want := byte(',')
			if k == 2 {
				want = '}'
			}
			if d.at() != want {
				return Line{}, d.fail()
			}
			d.i++
		}
		d.skipSpace()
		if err := d.end(); err != nil {
			return Line{}, err
		}
		if FPzero(l.A) && FPzero(l.B) {
			return Line{}, pgerr.New(pgerr.InvalidTextRepresentation, "invalid line specification: A and B cannot both be zero")
		}
		return l, nil
	}
	pts, _, err := d.path(true, 2)
	if err != nil {
		return Line{}, err
	}
	if err := d.end(); err != nil {
		return Line{}, err
	}
	if PointEq(pts[0], pts[1]) {
		return Line{}, pgerr.New(pgerr.InvalidTextRepresentation, "invalid line specification: must be two distinct points")
	}
	return LineConstruct(pts[0], PointSlope(pts[0], pts[1])), nil
}

// PointEq is point_eq_point: fuzzy equal coordinates, or both NaN.
func PointEq(a, b Point) bool {
	return FPeq(a.X, b.X) && FPeq(a.Y, b.Y) ||
		math.IsNaN(a.X) && math.IsNaN(b.X) && math.IsNaN(a.Y) && math.IsNaN(b.Y)
}

// PointSlope is point_sl.
func PointSlope(a, b Point) float64 {
	if FPeq(a.X, b.X) {
		return math.Inf(1)
	}
	if FPeq(a.Y, b.Y) {
		return 0
	}
	return (a.Y - b.Y) / (a.X - b.X)
}

// LineConstruct is line_construct: the line through pt with slope m.
func LineConstruct(pt Point, m float64) Line {
	switch {
	case math.IsInf(m, 0):
		return Line{A: -1, B: 0, C: pt.X}
	case m == 0:
		return Line{A: 0, B: -1, C: pt.Y}
	}
	return Line{A: m, B: -1, C: pt.Y - m*pt.X}
}

// ParsePath is path_in.
func ParsePath(s string) (*Path, error) {
	npts := pairCount(s)
	if npts <= 0 {
		return nil, geoSyntax("path", s)
	}
	d := &geoDecoder{s: s, typ: "path"}
	d.skipSpace()
	depth := 0
	if d.at() == '(' && strings.LastIndexByte(d.s[d.i:], '(') == 0 {
		d.i++
		depth++
	}
	if npts > maxPathPoints {
		return nil, pgerr.New(pgerr.ProgramLimitExceeded, "too many points requested")
	}
	pts, isopen, err := d.path(true, npts)
	if err != nil {
		return nil, err
	}
	if depth >= 1 {
		if d.at() != ')' {
			return nil, d.fail()
		}
		d.i++
		d.skipSpace()
	}
	if err := d.end(); err != nil {
		return nil, err
	}
	return &Path{Closed: !isopen, P: pts}, nil
}

// ParsePolygon is poly_in.
func ParsePolygon(s string) (*Polygon, error) {
	npts := pairCount(s)
	if npts <= 0 {
		return nil, geoSyntax("polygon", s)
	}
	if npts > maxPolygonPoints {
		return nil, pgerr.New(pgerr.ProgramLimitExceeded, "too many points requested")
	}
	d := &geoDecoder{s: s, typ: "polygon"}
	pts, _, err := d.path(false, npts)
	if err != nil {
		return nil, err
	}
	if err := d.end(); err != nil {
		return nil, err
	}
	return MakePolygon(pts), nil
}

// MakePolygon is a polygon of pts with its bounding box (make_bound_box).
func MakePolygon(pts []Point) *Polygon {
	p := &Polygon{P: pts}
	if len(pts) > 0 {
		x1, x2, y1, y2 := pts[0].X, pts[0].X, pts[0].Y, pts[0].Y
		for _, q := range pts[1:] {
			if f8lt(q.X, x1) {
				x1 = q.X
			}
			if f8gt(q.X, x2) {
				x2 = q.X
			}
			if f8lt(q.Y, y1) {
				y1 = q.Y
			}
			if f8gt(q.Y, y2) {
				y2 = q.Y
			}
		}
		p.BBox = Box{High: Point{x2, y2}, Low: Point{x1, y1}}
	}
	return p
}

// ParseCircle is circle_in: "<(x,y),r>", "((x,y),r)", "(x,y),r" or
// "x,y,r".
func ParseCircle(s string) (Circle, error) {
	d := &geoDecoder{s: s, typ: "circle"}
	d.skipSpace()
	depth := 0
	if d.at() == '<' {
		depth++
		d.i++
	} else if d.at() == '(' {
		cp := d.i + 1
		for cp < len(d.s) && isGeoSpace(d.s[cp]) {
			cp++
		}
		if cstr(d.s, cp) == '(' {
			depth++
			d.i = cp
		}
	}
	c, err := d.pair()
	if err != nil {
		return Circle{}, err
	}
	if d.at() == ',' {
		d.i++
	}
	r, err := d.single()
	if err != nil {
		return Circle{}, err
	}
	if r < 0 {
		return Circle{}, d.fail()
	}
	for depth > 0 {
		if d.at() == ')' || d.at() == '>' && depth == 1 {
			depth--
			d.i++
			d.skipSpace()
		} else {
			return Circle{}, d.fail()
		}
	}
	if err := d.end(); err != nil {
		return Circle{}, err
	}
	return Circle{Center: c, R: r}, nil
}

// geoFloat prints a coordinate as float8out_internal does.
func geoFloat(buf []byte, f float64, st Style) []byte {
	if st.RoundFloats {
		return append(buf, formatFloatRounded(f, false, st.ExtraFloatDigits)...)
	}
	return append(buf, formatFloat8(f)...)
}

func appendPoint(buf []byte, p Point, st Style) []byte {
	buf = append(buf, '(')
	buf = geoFloat(buf, p.X, st)
	buf = append(buf, ',')
	buf = geoFloat(buf, p.Y, st)
	return append(buf, ')')
}

// appendPoints is path_encode: the points, in ( ) or [ ] when open is
// '(' or '['.
func appendPoints(buf []byte, open byte, pts []Point, st Style) []byte {
	if open != 0 {
		buf = append(buf, open)
	}
	for i, p := range pts {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendPoint(buf, p, st)
	}
	switch open {
	case '(':
		buf = append(buf, ')')
	case '[':
		buf = append(buf, ']')
	}
	return buf
}

// FormatGeometry is the output form of a geometric value.
func FormatGeometry(d Datum, st Style) (string, bool) {
	var buf []byte
	switch v := d.(type) {
	case Point:
		buf = appendPoint(buf, v, st)
	case Lseg:
		buf = appendPoints(buf, '[', v.P[:], st)
	case Box:
		buf = appendPoints(buf, 0, []Point{v.High, v.Low}, st)
	case *Path:
		open := byte('[')
		if v.Closed {
			open = '('
		}
		buf = appendPoints(buf, open, v.P, st)
	case *Polygon:
		buf = appendPoints(buf, '(', v.P, st)
	case Line:
		buf = append(buf, '{')
		buf = geoFloat(buf, v.A, st)
		buf = append(buf, ',')
		buf = geoFloat(buf, v.B, st)
		buf = append(buf, ',')
		buf = geoFloat(buf, v.C, st)
		buf = append(buf, '}')
	case Circle:
		buf = append(buf, '<')
		buf = appendPoint(buf, v.Center, st)
		buf = append(buf, ',')
		buf = geoFloat(buf, v.R, st)
		buf = append(buf, '>')
	default:
		return "", false
	}
	return string(buf), true
}

// GeoFloats is a geometric value's coordinates in their stored order
// (and in the order their binary send form has them, after path's closed
// flag and the point counts): point x y; lseg, box and the other
// two-point types their points; line A B C; circle x y r.
func GeoFloats(d Datum) []float64 {
	pts := func(ps []Point) []float64 {
		out := make([]float64, 0, 2*len(ps))
		for _, p := range ps {
			out = append(out, p.X, p.Y)
		}
		return out
	}
	switch v := d.(type) {
	case Point:
		return []float64{v.X, v.Y}
	case Lseg:
		return pts(v.P[:])
	case Box:
		return pts([]Point{v.High, v.Low})
	case *Path:
		return pts(v.P)
	case *Polygon:
		return pts(v.P)
	case Line:
		return []float64{v.A, v.B, v.C}
	case Circle:
		return []float64{v.Center.X, v.Center.Y, v.R}
	}
	return nil
}

// geoKind numbers the geometric Go forms in the row encoding.
func geoKind(d Datum) byte {
	switch v := d.(type) {
	case Point:
		return 1
	case Lseg:
		return 2
	case Box:
		return 3
	case *Path:
		if v.Closed {
			return 5
		}
		return 4
	case *Polygon:
		return 6
	case Line:
		return 7
	case Circle:
		return 8
	}
	return 0
}

// GeoFromFloats builds a geometric value of the kind geoKind numbers from
// its coordinates; ok is false when their count does not fit.
func geoFromFloats(kind byte, f []float64) (Datum, bool) {
	pts := func() []Point {
		out := make([]Point, len(f)/2)
		for i := range out {
			out[i] = Point{f[2*i], f[2*i+1]}
		}
		return out
	}
	switch kind {
	case 1:
		if len(f) == 2 {
			return Point{f[0], f[1]}, true
		}
	case 2:
		if len(f) == 4 {
			return Lseg{[2]Point{{f[0], f[1]}, {f[2], f[3]}}}, true
		}
	case 3:
		if len(f) == 4 {
			return Box{Point{f[0], f[1]}, Point{f[2], f[3]}}, true
		}
	case 4, 5:
		if len(f)%2 == 0 && len(f) > 0 {
			return &Path{Closed: kind == 5, P: pts()}, true
		}
	case 6:
		if len(f)%2 == 0 && len(f) > 0 {
			return MakePolygon(pts()), true
		}
	case 7:
		if len(f) == 3 {
			return Line{f[0], f[1], f[2]}, true
		}
	case 8:
		if len(f) == 3 {
			return Circle{Point{f[0], f[1]}, f[2]}, true
		}
	}
	return nil, false
}

// compareGeometry orders geometric values of one kind by their
// coordinates; it is not an SQL order (the types have none).
func compareGeometry(a, b Datum) (int, bool) {
	ka, kb := geoKind(a), geoKind(b)
	if ka == 0 || kb == 0 {
		return 0, false
	}
	if ka != kb {
		return cmpOrdered(int64(ka), int64(kb)), true
	}
	fa, fb := GeoFloats(a), GeoFloats(b)
	for i := 0; i < len(fa) && i < len(fb); i++ {
		if c := cmpFloat(fa[i], fb[i]); c != 0 {
			return c, true
		}
	}
	return cmpOrdered(int64(len(fa)), int64(len(fb))), true
}

// castToGeometry converts to a geometric type: from the string types
// through their input, and between the geometric types as pg_cast lists
// (point to box, lseg to point, box to point, lseg, polygon and circle,
// path to polygon and point, polygon to point, path, box and circle,
// circle to point, box and polygon); the binder calls the functions of
// package builtins for the conversions that compute.
func castToGeometry(d Datum, from, to T, explicit bool) (Datum, error) {
	if s, ok := d.(string); ok && from.IsString() {
		return castFromText(s, to, explicit)
	}
	if from.ID == to.ID {
		return d, nil
	}
	if GeoCast != nil {
		if v, ok, err := GeoCast(d, to.ID); ok {
			return v, err
		}
	}
	return nil, cannotCast(from, to)
}

// GeoCast is set by package builtins to the conversions between the
// geometric types pg_cast lists; ok is false for the others.
var GeoCast func(d Datum, to ID) (Datum, bool, error)

// appendGeometry appends the row encoding of a geometric value after its
// tag: the kind, the number of coordinates and each coordinate.
func appendGeometry(buf []byte, d Datum) []byte {
	f := GeoFloats(d)
	buf = binary.AppendUvarint(append(buf, geoKind(d)), uint64(len(f)))
	for _, x := range f {
		buf = binary.BigEndian.AppendUint64(buf, math.Float64bits(x))
	}
	return buf
}

// decodeGeometry reads appendGeometry's encoding.
func decodeGeometry(buf []byte) (Datum, []byte, bool) {
	if len(buf) < 1 {
		return nil, nil, false
	}
	kind := buf[0]
	n, k := binary.Uvarint(buf[1:])
	if k <= 0 || n > uint64(len(buf))/8 {
		return nil, nil, false
	}
	buf = buf[1+k:]
	if uint64(len(buf)) < 8*n {
		return nil, nil, false
	}
	f := make([]float64, n)
	for i := range f {
		f[i] = math.Float64frombits(binary.BigEndian.Uint64(buf[8*i:]))
	}
	v, ok := geoFromFloats(kind, f)
	return v, buf[8*n:], ok
}
