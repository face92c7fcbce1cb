package types

import (
	"math"
	"strconv"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
)

// Arrays. An array value is an *Array: its elements in row-major order
// (the last subscript varying fastest), Datums of the element type (nil
// for a NULL element), with the length and lower bound of each of its up
// to MaxArrayDims dimensions, as PostgreSQL's arrays have. The text form
// is PostgreSQL's: {1,2,NULL}, {{"a b",c},{d,e}}, [0:1]={1,2}.
//
// Each family registers the array types of its types (Info.arrays); they
// share this file's input, output, comparison and casts.

// MaxArrayDims is PostgreSQL's MAXDIM: the most dimensions an array has.
const MaxArrayDims = 6

// Array is an array value. Dims and Lower describe its shape; nil Dims
// means one dimension of len(Elems) elements (none when Elems is empty)
// and nil Lower means every lower bound is 1, so that &Array{Elems: e}
// is the usual one-dimensional array. NewArray builds the canonical form
// of any shape.
type Array struct {
	Elems []Datum
	Dims  []int
	Lower []int
}

// NewArray returns the array of elems with dimensions dims and lower
// bounds lower (nil: all 1), in canonical form: an array without elements
// has no dimensions, and a one-dimensional array from 1 keeps nil Dims
// and Lower.
func NewArray(elems []Datum, dims, lower []int) *Array {
	if len(elems) == 0 || len(dims) == 0 {
		return &Array{Elems: elems[:0:0]}
	}
	allOne := true
	for _, l := range lower {
		if l != 1 {
			allOne = false
		}
	}
	a := &Array{Elems: elems}
	if len(dims) > 1 || !allOne {
		a.Dims = append([]int(nil), dims...)
	}
	if !allOne {
		a.Lower = append([]int(nil), lower...)
	}
	return a
}

// NDims is the number of dimensions: 0 for an empty array.
func (a *Array) NDims() int {
	switch {
	case len(a.Elems) == 0:
		return 0
	case a.Dims == nil:
		return 1
	}
	return len(a.Dims)
}

// Shape returns fresh copies of the array's dimension lengths and lower
// bounds (both empty for an empty array).
func (a *Array) Shape() (dims, lower []int) {
	n := a.NDims()
	dims, lower = make([]int, n), make([]int, n)
	for i := 0; i < n; i++ {
		dims[i], lower[i] = a.DimLen(i), a.DimLower(i)
	}
	return dims, lower
}

// DimLen is the length of dimension d (from 0); 0 when there is none.
func (a *Array) DimLen(d int) int {
	switch {
	case d < 0 || d >= a.NDims():
		return 0
	case a.Dims == nil:
		return len(a.Elems)
	}
	return a.Dims[d]
}

// DimLower is the lower bound of dimension d (from 0); 0 when there is
// none.
func (a *Array) DimLower(d int) int {
	switch {
	case d < 0 || d >= a.NDims():
		return 0
	case a.Lower == nil:
		return 1
	}
	return a.Lower[d]
}

// sameShape reports whether a and b have the same dimensions and bounds.
func sameShape(a, b *Array) bool {
	if a.NDims() != b.NDims() {
		return false
	}
	for d := 0; d < a.NDims(); d++ {
		if a.DimLen(d) != b.DimLen(d) || a.DimLower(d) != b.DimLower(d) {
			return false
		}
	}
	return true
}

// WithElems is an array of a's shape holding elems (as many as a's).
func (a *Array) WithElems(elems []Datum) *Array {
	return &Array{Elems: elems, Dims: a.Dims, Lower: a.Lower}
}

// arrayIsSpace is array_isspace: the blanks array input skips.
func arrayIsSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func malformedArray(s, detail string) error {
	return pgerr.New(pgerr.InvalidTextRepresentation, "malformed array literal: \"%s\"", s).WithDetail(detail)
}

// TooManyDims is the error for an array of n > MaxArrayDims dimensions.
func TooManyDims(n int) error {
	return pgerr.New(pgerr.ProgramLimitExceeded, "number of array dimensions (%d) exceeds the maximum allowed (%d)", n, MaxArrayDims)
}

// parseArray reads an array of type t from its text form, as array_in
// does, with the same errors (22P02 malformed array literal and the
// element type's own input errors).
func parseArray(t T, s string) (Datum, error) {
	elem, _ := t.Elem()
	texts, nulls, dims, lower, err := splitArrayTextDelim(s, arrayDelim(elem))
	if err != nil {
		return nil, err
	}
	// Elements are read without the modifier: Cast applies it to
	// what this returns, truncating for an explicit cast as PostgreSQL
	// does ('{abc}'::varchar(2)[] is {ab}).
	bare := elem
	bare.Mod = -1
	elems := make([]Datum, len(texts))
	for i, e := range texts {
		if nulls[i] {
			continue
		}
		if elems[i], err = ParseText(bare, e); err != nil {
			return nil, err
		}
	}
	return NewArray(elems, dims, lower), nil
}

// splitArrayText splits the text form of an array into its element
// texts, de-quoted and unescaped (nulls marks unquoted NULLs), and its
// dimensions and lower bounds: array_in's parse, with its errors.
func splitArrayText(s string) (texts []string, nulls []bool, dims, lower []int, err error) {
	return splitArrayTextDelim(s, ',')
}

// arrayDelim is pg_type.typdelim of an element type: ';' for box, ','
// for the others.
func arrayDelim(elem T) byte {
	if elem.ID == BoxType {
		return ';'
	}
	return ','
}

// splitArrayTextDelim is splitArrayText with the element type's
// delimiter.
func splitArrayTextDelim(s string, delim byte) (texts []string, nulls []bool, dims, lower []int, err error) {
	i := 0
	for i < len(s) && arrayIsSpace(s[i]) {
		i++
	}
	// Optional dimensions: [lo:hi] or [hi], each, then =.
	for {
		for i < len(s) && arrayIsSpace(s[i]) {
			i++
		}
		if i == len(s) || s[i] != '[' {
			break
		}
		i++
		if len(dims) >= MaxArrayDims {
			return nil, nil, nil, nil, TooManyDims(len(dims) + 1)
		}
		num := func() (int, bool) {
			j := i
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '-' || s[j] == '+') {
				j++
			}
			if j == i {
				return 0, false
			}
			v := atoi32(s[i:j])
			i = j
			return v, true
		}
		lo, hi := 1, 0
		v, ok := num()
		if !ok {
			return nil, nil, nil, nil, malformedArray(s, "\"[\" must introduce explicitly-specified array dimensions.")
		}
		if i < len(s) && s[i] == ':' {
			i++
			lo = v
			if v, ok = num(); !ok {
				return nil, nil, nil, nil, malformedArray(s, "Missing array dimension value.")
			}
		}
		hi = v
		if i == len(s) || s[i] != ']' {
			return nil, nil, nil, nil, malformedArray(s, "Missing \"]\" after array dimensions.")
		}
		i++
		if hi < lo {
			return nil, nil, nil, nil, pgerr.New(pgerr.ArraySubscriptError, "upper bound cannot be less than lower bound")
		}
		dims = append(dims, hi-lo+1)
		lower = append(lower, lo)
	}
	given := dims
	if given != nil {
		if i == len(s) || s[i] != '=' {
			return nil, nil, nil, nil, malformedArray(s, "Missing \"=\" after array dimensions.")
		}
		i++
		for i < len(s) && arrayIsSpace(s[i]) {
			i++
		}
		if i == len(s) || s[i] != '{' {
			return nil, nil, nil, nil, malformedArray(s, "Array contents must start with \"{\".")
		}
	} else if i == len(s) || s[i] != '{' {
		return nil, nil, nil, nil, malformedArray(s, "Array value must start with \"{\" or dimension information.")
	}
	texts, nulls, dims, err = readArrayBraces(s, i, delim)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	if given == nil {
		lower = make([]int, len(dims))
		for d := range lower {
			lower[d] = 1
		}
		return texts, nulls, dims, lower, nil
	}
	match := len(given) == len(dims)
	for d := 0; match && d < len(dims); d++ {
		match = given[d] == dims[d]
	}
	if !match {
		return nil, nil, nil, nil, malformedArray(s, "Specified array dimensions do not match array contents.")
	}
	if err := checkArrayBounds(dims, lower); err != nil {
		return nil, nil, nil, nil, err
	}
	return texts, nulls, dims, lower, nil
}

// atoi32 is C's atoi on a run of digits and signs, as array_in reads a
// bound: what follows the first number is ignored, and the value wraps
// to 32 bits.
func atoi32(s string) int {
	neg := false
	j := 0
	if j < len(s) && (s[j] == '-' || s[j] == '+') {
		neg = s[j] == '-'
		j++
	}
	var v int64
	for ; j < len(s) && s[j] >= '0' && s[j] <= '9'; j++ {
		v = v*10 + int64(s[j]-'0')
		if v > 1<<40 {
			v = 1 << 40
		}
	}
	if neg {
		v = -v
	}
	return int(int32(v))
}

// checkArrayBounds is ArrayCheckBounds: every upper bound must fit in an
// int4.
func checkArrayBounds(dims, lower []int) error {
	for d := range dims {
		if int64(lower[d])+int64(dims[d])-1 > math.MaxInt32 {
			return pgerr.New(pgerr.ProgramLimitExceeded, "array upper bound is too large: %d", dims[d])
		}
	}
	return nil
}

// Parse states of readArrayBraces, array_in's ArrayCount.
const (
	arrNoLevel = iota
	arrLevelStarted
	arrElemStarted
	arrElemCompleted
	arrQuotedElemStarted
	arrQuotedElemCompleted
	arrElemDelimited
	arrLevelCompleted
	arrLevelDelimited
)

// readArrayBraces reads the braced part of an array's text form from
// s[i] (a '{') to the end of s, with the errors of array_in's ArrayCount:
// the element texts and the dimensions (none for {}).
func readArrayBraces(s string, i int, delim byte) (texts []string, nulls []bool, dims []int, err error) {
	state := arrNoLevel
	level, ndim := 0, 0
	var count, lastCount [MaxArrayDims]int
	inQuotes, empty := false, true
	var cur strings.Builder
	keep, quoted, escaped := 0, false, false
	unexpected := func(c byte) error { return malformedArray(s, "Unexpected \""+string(c)+"\" character.") }
	endElem := func() error {
		if level != ndim {
			return malformedArray(s, "Multidimensional arrays must have sub-arrays with matching dimensions.")
		}
		text := cur.String()
		if !quoted {
			text = text[:keep]
		}
		texts = append(texts, text)
		nulls = append(nulls, !quoted && !escaped && strings.EqualFold(text, "NULL"))
		cur.Reset()
		keep, quoted, escaped = 0, false, false
		return nil
	}
	for ; ; i++ {
		if i == len(s) {
			return nil, nil, nil, malformedArray(s, "Unexpected end of input.")
		}
		c := s[i]
		if state == arrElemStarted || state == arrQuotedElemStarted {
			empty = false
		}
		switch {
		case c == '\\':
			if state != arrLevelStarted && state != arrElemStarted && state != arrQuotedElemStarted && state != arrElemDelimited {
				return nil, nil, nil, unexpected(c)
			}
			if state != arrQuotedElemStarted {
				state = arrElemStarted
			}
			if i+1 == len(s) {
				return nil, nil, nil, malformedArray(s, "Unexpected end of input.")
			}
			i++
			cur.WriteByte(s[i])
			escaped = true
			keep = cur.Len()
			empty = false
		case c == '"':
			if state != arrLevelStarted && state != arrQuotedElemStarted && state != arrElemDelimited {
				return nil, nil, nil, malformedArray(s, "Unexpected array element.")
			}
			inQuotes = !inQuotes
			if inQuotes {
				state = arrQuotedElemStarted
				quoted = true
			} else {
				state = arrQuotedElemCompleted
			}
		case inQuotes:
			cur.WriteByte(c)
		case c == '{':
			if state != arrNoLevel && state != arrLevelStarted && state != arrLevelDelimited {
				return nil, nil, nil, unexpected(c)
			}
			state = arrLevelStarted
			if level >= MaxArrayDims {
				return nil, nil, nil, TooManyDims(level + 1)
			}
			count[level] = 0
			level++
			if ndim < level {
				if len(texts) > 0 {
					return nil, nil, nil, malformedArray(s, "Multidimensional arrays must have sub-arrays with matching dimensions.")
				}
				ndim = level
			}
		case c == '}':
			if state != arrElemStarted && state != arrElemCompleted && state != arrQuotedElemCompleted &&
				state != arrLevelCompleted && !(level == 1 && state == arrLevelStarted) {
				return nil, nil, nil, unexpected(c)
			}
			if state != arrLevelCompleted && state != arrLevelStarted {
				if err := endElem(); err != nil {
					return nil, nil, nil, err
				}
			}
			if state != arrLevelStarted {
				count[level-1]++
			}
			state = arrLevelCompleted
			level--
			if lastCount[level] != 0 && count[level] != lastCount[level] {
				return nil, nil, nil, malformedArray(s, "Multidimensional arrays must have sub-arrays with matching dimensions.")
			}
			lastCount[level] = count[level]
			if level == 0 {
				for i++; i < len(s); i++ {
					if !arrayIsSpace(s[i]) {
						return nil, nil, nil, malformedArray(s, "Junk after closing right brace.")
					}
				}
				if empty {
					return nil, nil, nil, nil
				}
				dims = make([]int, ndim)
				copy(dims, lastCount[:ndim])
				return texts, nulls, dims, nil
			}
		case c == delim:
			if state != arrElemStarted && state != arrElemCompleted && state != arrQuotedElemCompleted && state != arrLevelCompleted {
				return nil, nil, nil, unexpected(c)
			}
			if state == arrLevelCompleted {
				state = arrLevelDelimited
			} else {
				if err := endElem(); err != nil {
					return nil, nil, nil, err
				}
				state = arrElemDelimited
			}
			count[level-1]++
		case arrayIsSpace(c):
			if state == arrElemStarted {
				cur.WriteByte(c)
			}
		default:
			if state != arrLevelStarted && state != arrElemStarted && state != arrElemDelimited {
				return nil, nil, nil, malformedArray(s, "Unexpected array element.")
			}
			state = arrElemStarted
			cur.WriteByte(c)
			keep = cur.Len()
			empty = false
		}
	}
}

// formatArrayStyle renders an array as array_out does: elements in their
// text form in style st, double-quoted when they are empty, spell NULL, or
// hold a brace, comma, quote, backslash or blank; nested braces for each
// dimension, preceded by the dimensions when a lower bound is not 1.
func formatArrayStyle(t T, a *Array, st Style) string {
	if t.ID == Int2Vector {
		return formatInt2Vector(a)
	}
	if t.ID == OIDVector {
		return formatOIDVector(a)
	}
	elem, _ := t.Elem()
	delim := arrayDelim(elem)
	var b strings.Builder
	dims, lower := a.Shape()
	if len(dims) == 0 {
		return "{}"
	}
	for _, l := range lower {
		if l != 1 {
			for d := range dims {
				b.WriteString("[" + strconv.Itoa(lower[d]) + ":" + strconv.Itoa(lower[d]+dims[d]-1) + "]")
			}
			b.WriteByte('=')
			break
		}
	}
	// idx counts the position within each dimension.
	idx := make([]int, len(dims))
	for range dims {
		b.WriteByte('{')
	}
	for i, e := range a.Elems {
		if i > 0 {
			// Close the dimensions that wrapped around, then reopen them.
			d := len(dims) - 1
			closed := 0
			for d > 0 && idx[d] == dims[d] {
				idx[d] = 0
				idx[d-1]++
				d--
				closed++
			}
			for k := 0; k < closed; k++ {
				b.WriteByte('}')
			}
			b.WriteByte(delim)
			for k := 0; k < closed; k++ {
				b.WriteByte('{')
			}
		}
		idx[len(dims)-1]++
		if e == nil {
			b.WriteString("NULL")
			continue
		}
		s := FormatTextStyle(elem, e, st)
		if !arrayNeedsQuotesDelim(s, delim) {
			b.WriteString(s)
			continue
		}
		b.WriteByte('"')
		for j := 0; j < len(s); j++ {
			if s[j] == '"' || s[j] == '\\' {
				b.WriteByte('\\')
			}
			b.WriteByte(s[j])
		}
		b.WriteByte('"')
	}
	for range dims {
		b.WriteByte('}')
	}
	return b.String()
}

func arrayNeedsQuotes(s string) bool { return arrayNeedsQuotesDelim(s, ',') }

func arrayNeedsQuotesDelim(s string, delim byte) bool {
	if s == "" || strings.EqualFold(s, "NULL") {
		return true
	}
	for j := 0; j < len(s); j++ {
		switch c := s[j]; c {
		case '{', '}', delim, '"', '\\':
			return true
		default:
			if arrayIsSpace(c) {
				return true
			}
		}
	}
	return false
}

// compareArrays orders arrays as btarraycmp does: element by element, a
// NULL element equal to another NULL and above any value, then the one
// with fewer elements first, then by number of dimensions, dimension
// lengths and lower bounds.
func compareArrays(a, b *Array) int {
	for i := 0; i < len(a.Elems) && i < len(b.Elems); i++ {
		x, y := a.Elems[i], b.Elems[i]
		switch {
		case x == nil && y == nil:
			continue
		case x == nil:
			return 1
		case y == nil:
			return -1
		}
		if c := Compare(x, y); c != 0 {
			return c
		}
	}
	if c := cmpOrdered(int64(len(a.Elems)), int64(len(b.Elems))); c != 0 {
		return c
	}
	if c := cmpOrdered(int64(a.NDims()), int64(b.NDims())); c != 0 {
		return c
	}
	for d := 0; d < a.NDims(); d++ {
		if c := cmpOrdered(int64(a.DimLen(d)), int64(b.DimLen(d))); c != 0 {
			return c
		}
	}
	for d := 0; d < a.NDims(); d++ {
		if c := cmpOrdered(int64(a.DimLower(d)), int64(b.DimLower(d))); c != 0 {
			return c
		}
	}
	return 0
}

// castArray converts an array element by element, as PostgreSQL's array
// coercion does; the shape is kept.
func castArray(a *Array, from, to T, explicit bool) (Datum, error) {
	fe, _ := from.Elem()
	te, _ := to.Elem()
	elems := make([]Datum, len(a.Elems))
	for i, e := range a.Elems {
		v, err := Cast(e, fe, te, explicit)
		if err != nil {
			return nil, err
		}
		elems[i] = v
	}
	if (from.ID == Int2Vector || from.ID == OIDVector) && to.ID != from.ID {
		// int2vector counts from 0, and so does the array it becomes.
		return NewArray(elems, []int{len(elems)}, []int{0}), nil
	}
	return a.WithElems(elems), nil
}

// ArraySubscript is a[i] of a one-dimensional array: NULL when i is
// outside the array.
func ArraySubscript(a *Array, i int64) Datum {
	return ArrayElement(a, []int64{i})
}

// ArrayElement is a[i][j]...: NULL unless there is one subscript per
// dimension, each within its bounds.
func ArrayElement(a *Array, idx []int64) Datum {
	if len(idx) != a.NDims() {
		return nil
	}
	off := 0
	for d, i := range idx {
		lo, n := int64(a.DimLower(d)), int64(a.DimLen(d))
		if i < lo || i >= lo+n {
			return nil
		}
		off = off*int(n) + int(i-lo)
	}
	return a.Elems[off]
}

// castToArray converts an array element by element, and text through the
// array's input.
func castToArray(d Datum, from, to T, explicit bool) (Datum, error) {
	switch v := d.(type) {
	case *Array:
		return castArray(v, from, to, explicit)
	case string:
		return castFromText(v, to, explicit)
	}
	return nil, cannotCast(from, to)
}
