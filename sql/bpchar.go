package sql

import (
	"strings"

	"github.com/cairndb/cairn/sql/types"
)

// The binder's side of character(n): comparisons and functions. Neither
// primary-key lookups nor index ranges are planned on character columns:
// their keys hold padded values, so the WHERE filter finds the rows by
// scanning.

// unifyStrings picks the type two string operands are compared as:
// character when both are, else text, the character side losing its
// trailing blanks in the cast.
func (b *binder) unifyStrings(l, r expr, pos int32) (expr, expr, types.T, error) {
	if l.Type().ID == types.Bpchar && r.Type().ID == types.Bpchar {
		return l, r, types.New(types.Bpchar), nil
	}
	var err error
	if l.Type().ID == types.Bpchar {
		if l, err = b.cast(l, types.New(types.Text), false, pos); err != nil {
			return nil, nil, types.T{}, err
		}
	}
	if r.Type().ID == types.Bpchar {
		if r, err = b.cast(r, types.New(types.Text), false, pos); err != nil {
			return nil, nil, types.T{}, err
		}
	}
	return l, r, types.New(types.Text), nil
}

// trimBpchar drops the trailing blanks of character values, so that
// comparing them as strings compares them as character values.
func trimBpchar(es []expr) []expr {
	out := make([]expr, len(es))
	for i, e := range es {
		out[i] = &funcExpr{t: e.Type(), args: []expr{e}, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
			return strings.TrimRight(a[0].(string), " "), nil
		}}
	}
	return out
}
