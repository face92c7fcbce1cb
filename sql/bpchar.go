package sql

import (
	"strings"
)

// The binder's side of character(n): comparisons and functions. Neither
// primary-key lookups nor index ranges are planned on character columns:
// their keys hold padded values, so the WHERE filter finds the rows by
// scanning.

// unifyStrings picks the type two string operands are compared as:
// character when both are, else text, the character side losing its
// trailing blanks in the cast.
func (b *binder) unifyStrings(l, r expr, pos int32) (expr, expr, Type, error) {
	if l.Type().ID == TypeBpchar && r.Type().ID == TypeBpchar {
		return l, r, typ(TypeBpchar), nil
	}
	var err error
	if l.Type().ID == TypeBpchar {
		if l, err = b.cast(l, typ(TypeText), false, pos); err != nil {
			return nil, nil, Type{}, err
		}
	}
	if r.Type().ID == TypeBpchar {
		if r, err = b.cast(r, typ(TypeText), false, pos); err != nil {
			return nil, nil, Type{}, err
		}
	}
	return l, r, typ(TypeText), nil
}

// trimBpchar drops the trailing blanks of character values, so that
// comparing them as strings compares them as character values.
func trimBpchar(es []expr) []expr {
	out := make([]expr, len(es))
	for i, e := range es {
		out[i] = &funcExpr{t: e.Type(), args: []expr{e}, strict: true, fn: func(a []Datum) (Datum, error) {
			return strings.TrimRight(a[0].(string), " "), nil
		}}
	}
	return out
}
