package sql

import "github.com/cairndb/cairn/sql/catalog"

// nextval and the other sequence functions find their sequence by oid,
// once per call, so once per row of a serial column. The catalog is keyed
// by name: finding an oid means reading every descriptor. The session
// remembers the key each sequence was found under, and reads that one
// descriptor first; it is the answer only when it is still a sequence
// with that oid under the statement's snapshot (a rename or a drop makes
// the hint miss, and the full search runs).

// sequenceByKnownKey returns the sequence with oid through the key it was
// last found under, or nil.
func (x *execCtx) sequenceByKnownKey(oid int64) *catalog.TableDesc {
	key, ok := x.s.seqKeys[oid]
	if !ok {
		return nil
	}
	t, _, err := x.s.e.cat.Lookup(x.snap, key)
	if err != nil || t == nil || int64(t.ID) != oid || t.IndexOf != "" || t.Sequence == nil {
		return nil
	}
	return t
}

// rememberSequenceKey notes the key sequence t (with oid) was found under.
func (x *execCtx) rememberSequenceKey(oid int64, t *catalog.TableDesc) {
	if x.s.seqKeys == nil {
		x.s.seqKeys = make(map[int64]string)
	}
	if len(x.s.seqKeys) >= 1024 {
		clear(x.s.seqKeys) // bounded: a session touching many sequences starts over
	}
	x.s.seqKeys[oid] = t.Key()
}
