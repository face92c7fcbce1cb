package sql

import (
	"bytes"
	"slices"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// Conditions on later index columns. With an index on (a, b) and WHERE
// a < 2 AND b IN (1, 3), the range on a bounds the entries read and the
// condition on b is tested on each entry's key, before the row is read,
// as PostgreSQL's btree tests every index qualification on the index
// tuple. Keys are found column by column (types.KeyValueLen); a key whose
// columns cannot be found is kept, and the filter above the scan decides.

// postCond is a condition op vals on key column pos: "=", "in", "<",
// "<=", ">" or ">=".
type postCond struct {
	pos  int
	op   string
	vals []expr
}

// postConds collects the conditions on idx's plain key columns from
// position from on.
func postConds(idx catalog.IndexDesc, from int, condsOf func(key int) []keyCond) []postCond {
	var out []postCond
	for k := from; k < len(idx.Columns); k++ {
		if idx.KeyExpr(k) != "" {
			continue
		}
		for _, c := range condsOf(k) {
			out = append(out, postCond{pos: k, op: c.op, vals: c.vals})
		}
	}
	return out
}

// postKeys are the evaluated conditions: each value's key encoding, nil
// for NULL.
type postKeys struct {
	conds []postCond
	keys  [][][]byte
}

func (s *indexScan) evalPost(ec *evalCtx) (*postKeys, error) {
	out := &postKeys{conds: s.post, keys: make([][][]byte, len(s.post))}
	for i, p := range s.post {
		for _, e := range p.vals {
			v, err := e.Eval(ec, nil)
			if err != nil {
				return nil, err
			}
			var k []byte
			if v != nil {
				k = types.EncodeKey([]types.Datum{v})
			}
			out.keys[i] = append(out.keys[i], k)
		}
	}
	return out, nil
}

// match reports whether an entry's key may satisfy the conditions.
func (p *postKeys) match(key []byte) bool {
	if p == nil {
		return true
	}
	var cols [][]byte
	for off := 0; off < len(key); {
		n, ok := types.KeyValueLen(key[off:])
		if !ok {
			break
		}
		cols = append(cols, key[off:off+n])
		off += n
	}
	for i, c := range p.conds {
		if c.pos >= len(cols) {
			continue // not found: the filter decides
		}
		v := cols[c.pos]
		if v[0] == types.KeyNull {
			return false // no condition is true for NULL
		}
		ok := false
		for _, k := range p.keys[i] {
			if k == nil {
				continue
			}
			cmp := bytes.Compare(v, k)
			switch c.op {
			case "=", "in":
				ok = ok || cmp == 0
			case "<":
				ok = ok || cmp < 0
			case "<=":
				ok = ok || cmp <= 0
			case ">":
				ok = ok || cmp > 0
			case ">=":
				ok = ok || cmp >= 0
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// scanFiltered is scan for an index scan with conditions on later key
// columns: the entries of each range whose keys pass them lead to rows.
func (s *indexScan) scanFiltered(ec *evalCtx, table *catalog.TableDesc, visit func(heap.Tuple) error) error {
	x := ec.exec
	ranges, err := s.ranges(ec)
	if err != nil {
		return err
	}
	post, err := s.evalPost(ec)
	if err != nil {
		return err
	}
	seen := make(map[string]bool)
	for _, r := range ranges {
		var pks [][]byte
		err := x.s.e.heap.ScanIndexEntries(x.snap, table.StorageID(), s.index.StorageID(), r.lower, r.upper, func(key, pk []byte) error {
			if post.match(key) && !seen[string(pk)] {
				seen[string(pk)] = true
				pks = append(pks, slices.Clone(pk))
			}
			return x.tick()
		})
		if err != nil {
			return err
		}
		for _, pk := range pks {
			if err := x.s.e.heap.ScanKey(x.snap, table.StorageID(), pk, visit); err != nil {
				return err
			}
		}
	}
	return nil
}
