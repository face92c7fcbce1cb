package lsm

import (
	"bytes"
	"fmt"
)

// CheckReport summarizes a Check.
type CheckReport struct {
	Tables  int
	Entries uint64
}

// Check reads every table in full and verifies what the format promises:
// every block (data, index and filter) passes its checksum and layout
// checks (through the same reader Get uses, without filling the cache),
// keys strictly increase within a table, every key is in its partition's
// filter, and each table holds the number of entries its footer records.
// The first violation is returned as an error wrapping ErrCorrupt.
func (d *DB) Check() (CheckReport, error) {
	d.mu.RLock()
	if d.mu.closed {
		d.mu.RUnlock()
		return CheckReport{}, ErrClosed
	}
	tables := d.mu.tables
	refTables(tables)
	d.mu.RUnlock()
	defer d.unrefTables(tables)

	var rep CheckReport
	for _, t := range tables {
		rep.Tables++
		s := newTableSource(t, false)
		var prev []byte
		var n uint64
		var f bloomFilter
		filterOff := ^uint64(0)
		for s.first(); s.valid(); s.next() {
			if n > 0 && bytes.Compare(prev, s.key()) >= 0 {
				return rep, corruptf(t.name, "keys out of order: %q then %q", prev, s.key())
			}
			if off := s.partition().p.filter().offset; off != filterOff {
				var err error
				if f, err = t.filter(s.partition(), false); err != nil {
					return rep, err
				}
				filterOff = off
			}
			if !f.mayContain(keyHash(s.key())) {
				return rep, corruptf(t.name, "key %q is not in its partition's filter", s.key())
			}
			prev = append(prev[:0], s.key()...)
			n++
		}
		if err := s.err(); err != nil {
			return rep, err
		}
		if n != t.count {
			return rep, corruptf(t.name, "%d entries, the footer says %d", n, t.count)
		}
		rep.Entries += n
	}
	return rep, nil
}

func (r CheckReport) String() string {
	return fmt.Sprintf("%d tables, %d entries", r.Tables, r.Entries)
}
