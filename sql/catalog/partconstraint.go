package catalog

import (
	"strconv"
	"strings"

	"github.com/cairndb/cairn/sql/types"
)

// PartitionConstraintDef is pg_get_partition_constraintdef: the
// condition a partition's rows satisfy, its own bound's and its
// ancestors', as PostgreSQL's deparser prints it; ok is false for a
// table that is no partition.
func (r *Relations) PartitionConstraintDef(t *TableDesc) (string, bool) {
	var conj []string
	var chain []*TableDesc
	for cur, depth := t, 0; cur.PartBound != nil && len(cur.Inherits) == 1 && depth < 64; depth++ {
		chain = append(chain, cur)
		p := r.table(cur.Inherits[0])
		if p == nil || p.PartKey == nil {
			break
		}
		cur = p
	}
	if len(chain) == 0 {
		return "", false
	}
	for i := len(chain) - 1; i >= 0; i-- {
		c := chain[i]
		p := r.table(c.Inherits[0])
		if p == nil || p.PartKey == nil {
			continue
		}
		conj = append(conj, r.levelConstraint(p, c)...)
	}
	switch len(conj) {
	case 0:
		return "", false
	case 1:
		return conj[0], true
	}
	return "(" + strings.Join(conj, " AND ") + ")", true
}

// levelConstraint is the conjuncts of partition c's bound in parent p.
func (r *Relations) levelConstraint(p, c *TableDesc) []string {
	b := c.PartBound
	if b.Default {
		return r.defaultConstraint(p, c)
	}
	switch p.PartKey.Strategy {
	case "h":
		var args []string
		for i := range p.PartKey.Columns {
			args = append(args, p.KeyName(i))
		}
		return []string{"satisfies_hash_partition('" + strconv.FormatInt(int64(p.ID), 10) + "'::oid, " +
			strconv.Itoa(b.Modulus) + ", " + strconv.Itoa(b.Remainder) + ", " + strings.Join(args, ", ") + ")"}
	case "l":
		return listConstraint(p.KeyName(0), p.KeyTypes()[0], b.In)
	}
	out := notNulls(p)
	return append(out, rangeConstraint(p, b)...)
}

func notNulls(p *TableDesc) []string {
	var out []string
	for i := range p.PartKey.Columns {
		out = append(out, "("+p.KeyName(i)+" IS NOT NULL)")
	}
	return out
}

// listConstraint is a list bound's condition: the column is among the
// values (and, when the list holds NULL, or NULL).
func listConstraint(name string, typ types.T, in []BoundDatum) []string {
	var vals []string
	null := false
	for _, d := range in {
		if d.Null {
			null = true
			continue
		}
		vals = append(vals, constSQL(typ, d))
	}
	var eq string
	switch len(vals) {
	case 0:
	case 1:
		eq = "(" + name + " = " + vals[0] + ")"
	default:
		eq = "(" + name + " = ANY (ARRAY[" + strings.Join(vals, ", ") + "]))"
	}
	switch {
	case null && eq == "":
		return []string{"(" + name + " IS NULL)"}
	case null:
		return []string{"((" + name + " IS NULL) OR " + eq + ")"}
	}
	return []string{"(" + name + " IS NOT NULL)", eq}
}

// rangeConstraint is a range bound's conditions without the NOT NULLs:
// equalities on the leading columns both bounds fix, then the lower and
// the upper bound, each an OR over the columns that decide.
func rangeConstraint(p *TableDesc, b *PartitionBound) []string {
	cols := p.PartKey.Columns
	keyTypes := p.KeyTypes()
	name := func(i int) string { return p.KeyName(i) }
	val := func(i int, d BoundDatum) string { return constSQL(keyTypes[i], d) }
	var out []string
	i := 0
	for ; i < len(cols); i++ {
		lo, hi := b.From[i], b.To[i]
		if lo.Kind != BoundValue || hi.Kind != BoundValue || lo.Text != hi.Text {
			break
		}
		out = append(out, "("+name(i)+" = "+val(i, lo)+")")
	}
	side := func(ds []BoundDatum, lower bool) string {
		// n counts the values before the first MINVALUE or MAXVALUE; the
		// last deciding column is inclusive for a lower bound, and for
		// an upper bound followed by MAXVALUE, not for a lower bound followed
		// by MAXVALUE.
		n := i
		for n < len(ds) && ds[n].Kind == BoundValue {
			n++
		}
		if n == i {
			return ""
		}
		incl := lower
		switch {
		case n < len(ds) && lower:
			incl = ds[n].Kind == BoundMinValue
		case n < len(ds):
			incl = ds[n].Kind == BoundMaxValue
		}
		strict, last := " < ", " < "
		if lower {
			strict, last = " > ", " > "
		}
		if incl {
			last = strings.TrimSpace(last)
			last = " " + last + "= "
		}
		var terms []string
		for j := i; j < n; j++ {
			var parts []string
			for k := i; k < j; k++ {
				parts = append(parts, "("+name(k)+" = "+val(k, ds[k])+")")
			}
			op := strict
			if j == n-1 {
				op = last
			}
			parts = append(parts, "("+name(j)+op+val(j, ds[j])+")")
			if len(parts) == 1 {
				terms = append(terms, parts[0])
			} else {
				terms = append(terms, "("+strings.Join(parts, " AND ")+")")
			}
		}
		if len(terms) == 1 {
			return terms[0]
		}
		return "(" + strings.Join(terms, " OR ") + ")"
	}
	if i < len(cols) {
		if s := side(b.From, true); s != "" {
			out = append(out, s)
		}
		if s := side(b.To, false); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// defaultConstraint is the default partition's condition: none of the
// other partitions' bounds holds.
func (r *Relations) defaultConstraint(p, def *TableDesc) []string {
	var others []*TableDesc
	for _, cn := range p.Children {
		if c := r.table(cn); c != nil && c != def && c.PartBound != nil && !c.PartBound.Default {
			others = append(others, c)
		}
	}
	if len(others) == 0 {
		return nil
	}
	switch p.PartKey.Strategy {
	case "l":
		kt := p.KeyTypes()[0]
		var all []BoundDatum
		for _, c := range others {
			all = append(all, c.PartBound.In...)
		}
		sortBoundData(kt, all)
		conj := listConstraint(p.KeyName(0), kt, all)
		inner := conj[0]
		if len(conj) > 1 {
			inner = "(" + strings.Join(conj, " AND ") + ")"
		}
		return []string{"(NOT " + inner + ")"}
	case "r":
		var ors []string
		for _, c := range others {
			rc := rangeConstraint(p, c.PartBound)
			if len(rc) == 1 {
				ors = append(ors, rc[0])
			} else {
				ors = append(ors, "("+strings.Join(rc, " AND ")+")")
			}
		}
		or := ors[0]
		if len(ors) > 1 {
			or = "(" + strings.Join(ors, " OR ") + ")"
		}
		nn := notNulls(p)
		return []string{"(NOT (" + strings.Join(append(nn, or), " AND ") + "))"}
	}
	return nil
}

// sortBoundData orders list values as PostgreSQL's bound order does.
func sortBoundData(t types.T, ds []BoundDatum) {
	parse := func(d BoundDatum) types.Datum {
		v, err := types.ParseText(t, d.Text)
		if err != nil {
			return d.Text
		}
		return v
	}
	for i := 1; i < len(ds); i++ {
		for j := i; j > 0; j-- {
			a, b := ds[j-1], ds[j]
			if a.Null || !b.Null && types.Compare(parse(a), parse(b)) <= 0 {
				break
			}
			ds[j-1], ds[j] = b, a
		}
	}
}

// constSQL prints a bound value as a constant of the column's type in an
// expression, as PostgreSQL's get_const_expr does: int4 and plain
// numerics bare, booleans as words, the rest quoted with a cast.
func constSQL(t types.T, d BoundDatum) string {
	switch t.ID {
	case types.Int4:
		if !strings.HasPrefix(d.Text, "-") {
			return d.Text
		}
	case types.Numeric:
		if d.Text != "" && d.Text[0] >= '0' && d.Text[0] <= '9' && strings.Trim(d.Text, "0123456789+-eE.") == "" {
			return d.Text
		}
	case types.Bool:
		if d.Text == "t" {
			return "true"
		}
		return "false"
	}
	return "'" + strings.ReplaceAll(d.Text, "'", "''") + "'::" + types.Format(t)
}

// ByOID returns the table or view whose oid is oid, or nil.
func (r *Relations) ByOID(oid int64) *TableDesc {
	for _, t := range r.Tables {
		if int64(t.ID) == oid {
			return t
		}
	}
	return nil
}
