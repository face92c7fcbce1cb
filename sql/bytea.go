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
// binds itself (funcs.go): ||, length, octet_length, substring, substr,
// position, strpos and md5. A call takes its bytea form when its first
// argument is a bytea, as PostgreSQL's resolution picks byteacat,
// byteaoctetlen, bytea_substr, byteapos and md5(bytea) then. The
// functions only bytea has are in sql/builtins.

// bindByteaConcat binds bytea || bytea (an untyped literal beside a bytea
// is a bytea); ok is false when neither side is a bytea.
func (b *binder) bindByteaConcat(l, r expr, pos int32) (expr, bool, error) {
	lt, rt := l.Type().ID, r.Type().ID
	if !(lt == types.Bytea && (rt == types.Bytea || rt == types.Unknown) || rt == types.Bytea && lt == types.Unknown) {
		return nil, false, nil
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
	case "position", "strpos":
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
