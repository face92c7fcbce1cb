package sql

import (
	"crypto/md5"
	"encoding/hex"
	"math"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// The bytea forms of functions and operators whose text forms the binder
// binds itself (funcs.go): ||, LIKE, length, octet_length, substring,
// substr, overlay, position, btrim, ltrim, rtrim (and trim) and md5. A
// call takes its bytea form when its first argument is a bytea, as
// PostgreSQL's resolution picks byteacat, byteaoctetlen, bytea_substr,
// byteapos and md5(bytea) then. The functions only bytea has are in
// sql/builtins.

// bindByteaConcat binds bytea || bytea (an untyped literal beside a bytea
// is a bytea); ok is false when neither side is a bytea, or the other is
// text (then it is textcat). A bytea beside another type has no ||.
func (b *binder) bindByteaConcat(l, r expr, pos int32) (expr, bool, error) {
	lt, rt := l.Type().ID, r.Type().ID
	if lt != types.Bytea && rt != types.Bytea {
		return nil, false, nil
	}
	if !(lt == types.Bytea && (rt == types.Bytea || rt == types.Unknown) || rt == types.Bytea && lt == types.Unknown) {
		if l.Type().IsString() || r.Type().IsString() {
			return nil, false, nil // anynonarray || text: the bytea prints as text
		}
		return nil, true, pgerr.New(pgerr.UndefinedFunction, "operator does not exist: %s || %s", l.Type().Name(), r.Type().Name()).
			WithHint("No operator matches the given name and argument types. You might need to add explicit type casts.").WithPosition(pos)
	}
	var err error
	by := types.New(types.Bytea)
	if l, err = b.cast(l, by, false, pos); err != nil {
		return nil, true, err
	}
	if r, err = b.cast(r, by, false, pos); err != nil {
		return nil, true, err
	}
	return &funcExpr{t: by, args: []expr{l, r}, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
		return concatTexts(a[0].(string), a[1].(string))
	}}, true, nil
}

// bindByteaFunc binds the bytea forms of name; ok is false when the call
// is not one (its first argument is not a bytea, or name has no bytea
// form here).
func (b *binder) bindByteaFunc(name string, args []expr, pos int32) (expr, bool, error) {
	if len(args) == 0 || args[0].Type().ID != types.Bytea {
		return nil, false, nil
	}
	int4 := types.New(types.Int4)
	switch name {
	case "length", "octet_length":
		if len(args) != 1 {
			return nil, false, nil
		}
		return &funcExpr{t: int4, args: args, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
			return int64(len(a[0].(string))), nil
		}}, true, nil
	case "bit_length":
		if len(args) != 1 {
			return nil, false, nil
		}
		return &funcExpr{t: int4, args: args, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
			return int64(len(a[0].(string))) * 8, nil
		}}, true, nil
	case "md5":
		if len(args) != 1 {
			return nil, false, nil
		}
		return &funcExpr{t: types.New(types.Text), args: args, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
			sum := md5.Sum([]byte(a[0].(string)))
			return hex.EncodeToString(sum[:]), nil
		}}, true, nil
	case "substr", "substring":
		if len(args) != 2 && len(args) != 3 {
			return nil, false, nil
		}
		for i := 1; i < len(args); i++ {
			var err error
			if args[i], err = b.coerce(args[i], int4, "argument of "+name, pos); err != nil {
				return nil, true, err
			}
		}
		return &funcExpr{t: types.New(types.Bytea), args: args, strict: true, fn: byteaSubstring}, true, nil
	case "btrim", "trim", "ltrim", "rtrim":
		if len(args) != 2 {
			return nil, false, nil
		}
		if err := b.byteaArgs(name, args, 1, pos); err != nil {
			return nil, true, err
		}
		left, right := name != "rtrim", name != "ltrim"
		return &funcExpr{t: types.New(types.Bytea), args: args, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
			return trimBytes(a[0].(string), a[1].(string), left, right), nil
		}}, true, nil
	case "overlay":
		if len(args) != 3 && len(args) != 4 {
			return nil, false, nil
		}
		if args[1].Type().ID != types.Bytea && args[1].Type().ID != types.Unknown {
			return nil, true, undefinedFunction(name, args, pos)
		}
		if err := b.byteaArgs(name, args[:2], 1, pos); err != nil {
			return nil, true, err
		}
		for i := 2; i < len(args); i++ {
			var err error
			if args[i], err = b.coerce(args[i], int4, "argument of overlay", pos); err != nil {
				return nil, true, err
			}
		}
		return &funcExpr{t: types.New(types.Bytea), args: args, strict: true, fn: byteaOverlay}, true, nil
	case "position":
		if len(args) != 2 {
			return nil, false, nil
		}
		if args[1].Type().ID != types.Bytea && args[1].Type().ID != types.Unknown {
			return nil, false, nil
		}
		var err error
		if args[1], err = b.cast(args[1], types.New(types.Bytea), false, pos); err != nil {
			return nil, true, err
		}
		return &funcExpr{t: int4, args: args, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
			return int64(strings.Index(a[0].(string), a[1].(string)) + 1), nil
		}}, true, nil
	}
	return nil, false, nil
}

// byteaToText casts a bytea to a string type through byteaout, whose
// format is the session's bytea_output when the cast runs (never folded
// at bind time: a cached plan outlives a SET).
func byteaToText(s *Session, e expr, t types.T, explicit bool) expr {
	text := types.New(types.Text)
	return &funcExpr{t: t, args: []expr{e}, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
		out := types.FormatTextStyle(types.New(types.Bytea), a[0], s.TypeStyle())
		return types.Cast(out, text, t, explicit)
	}}
}

// byteaArgs converts the untyped ones of args[from:] to bytea and fails
// as PostgreSQL does when another is not a bytea: bytea has no implicit
// casts from other types.
func (b *binder) byteaArgs(name string, args []expr, from int, pos int32) error {
	for _, a := range args[from:] {
		if id := a.Type().ID; id != types.Bytea && id != types.Unknown {
			return undefinedFunction(name, args, pos)
		}
	}
	for i := from; i < len(args); i++ {
		if args[i].Type().ID == types.Unknown {
			c, err := b.cast(args[i], types.New(types.Bytea), false, pos)
			if err != nil {
				return err
			}
			args[i] = c
		}
	}
	return nil
}

// trimBytes is byteatrim, bytealtrim and byteartrim: the bytes of set
// removed from the chosen ends of s.
func trimBytes(s, set string, left, right bool) string {
	if left {
		for len(s) > 0 && strings.IndexByte(set, s[0]) >= 0 {
			s = s[1:]
		}
	}
	if right {
		for len(s) > 0 && strings.IndexByte(set, s[len(s)-1]) >= 0 {
			s = s[:len(s)-1]
		}
	}
	return s
}

// byteaOverlay is byteaoverlay: s with count bytes (by default, as many
// as the replacement has) from the 1-based start replaced.
func byteaOverlay(a []types.Datum) (types.Datum, error) {
	s, repl, start := a[0].(string), a[1].(string), a[2].(int64)
	count := int64(len(repl))
	if len(a) == 4 {
		count = a[3].(int64)
	}
	if start < 1 {
		return nil, pgerr.New(substringError, "negative substring length not allowed")
	}
	head, err := byteaSubstring([]types.Datum{s, int64(1), start - 1})
	if err != nil {
		return nil, err
	}
	tail, err := byteaSubstring([]types.Datum{s, start + count})
	if err != nil {
		return nil, err
	}
	return concatTexts(head.(string), repl, tail.(string))
}

// bindByteaLike binds bytea LIKE bytea, which matches bytes, not
// characters; ok is false when the left side is not a bytea.
func (b *binder) bindByteaLike(op string, l, r expr, pos int32) (expr, bool, error) {
	if l.Type().ID != types.Bytea || strings.Contains(op, "ILIKE") {
		return nil, false, nil
	}
	if id := r.Type().ID; id != types.Bytea && id != types.Unknown {
		return nil, true, pgerr.New(pgerr.UndefinedFunction, "operator does not exist: bytea ~~ %s", r.Type().Name()).
			WithHint("No operator matches the given name and argument types. You might need to add explicit type casts.").WithPosition(pos)
	}
	args := []expr{l, r}
	if err := b.byteaArgs("like", args, 1, pos); err != nil {
		return nil, true, err
	}
	not := strings.HasPrefix(op, "NOT")
	return &funcExpr{t: types.New(types.Bool), args: args, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
		m, err := likeBytes(a[0].(string), a[1].(string))
		if err != nil {
			return nil, err
		}
		return m != not, nil
	}}, true, nil
}

// likeBytes matches s against a LIKE pattern byte by byte: % any bytes,
// _ one byte, \ escaping the next byte.
func likeBytes(s, pattern string) (bool, error) {
	const anyOne, anyRun = -1, -2
	var toks []int
	for i := 0; i < len(pattern); i++ {
		switch c := pattern[i]; c {
		case '%':
			toks = append(toks, anyRun)
		case '_':
			toks = append(toks, anyOne)
		case '\\':
			if i+1 == len(pattern) {
				return false, pgerr.New(pgerr.InvalidEscapeSequence, "LIKE pattern must not end with escape character")
			}
			i++
			toks = append(toks, int(pattern[i]))
		default:
			toks = append(toks, int(c))
		}
	}
	// Greedy matching that backtracks to the last %.
	si, ti, starT, starS := 0, 0, -1, 0
	for si < len(s) {
		switch {
		case ti < len(toks) && (toks[ti] == anyOne || toks[ti] == int(s[si])):
			si++
			ti++
		case ti < len(toks) && toks[ti] == anyRun:
			starT, starS = ti, si
			ti++
		case starT >= 0:
			starS++
			si, ti = starS, starT+1
		default:
			return false, nil
		}
	}
	for ti < len(toks) && toks[ti] == anyRun {
		ti++
	}
	return ti == len(toks), nil
}

// byteaSubstring is bytea_substr: bytes from a 1-based start, for an
// optional count; the part before byte 1 counts against the count.
func byteaSubstring(a []types.Datum) (types.Datum, error) {
	s := a[0].(string)
	start := a[1].(int64)
	end := int64(math.MaxInt64)
	if len(a) == 3 {
		n := a[2].(int64)
		if n < 0 {
			return nil, pgerr.New(substringError, "negative substring length not allowed")
		}
		end = start + n
	}
	start = max(start, 1)
	end = min(end, int64(len(s))+1)
	if start >= end {
		return "", nil
	}
	return s[start-1 : end-1], nil
}

// substringError is SQLSTATE 22011, which internal/pgerr does not name.
const substringError = "22011"
