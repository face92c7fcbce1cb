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

// Check reads every table of the current version in full and verifies
// what the format and the manifest promise: every block (data, index and
// filter) passes its checksum and layout checks (through the same reader
// Get uses, without filling the cache), keys strictly increase within a
// table, every key (its user part: what filters hold) is in its
// partition's filter, each table holds the number of entries its footer
// records, its first and last keys are the ones the manifest records, and
// the tables of each level below L0 do not overlap. The first violation
// is returned as an error wrapping ErrCorrupt.
func (d *DB) Check() (CheckReport, error) { return d.CheckReporting(nil) }

// CheckReporting is Check calling report (if not nil) with the tables
// checked and the tables to check, after each table.
func (d *DB) CheckReporting(report func(done, total int)) (CheckReport, error) {
	d.mu.RLock()
	if d.mu.closed {
		d.mu.RUnlock()
		return CheckReport{}, ErrClosed
	}
	v := d.mu.current
	v.refs.Add(1)
	d.mu.RUnlock()
	defer d.unrefVersion(v)

	var rep CheckReport
	total := 0
	for _, files := range v.levels {
		total += len(files)
	}
	for l, files := range v.levels {
		for i, f := range files {
			// By user key, as applyEdit checks: two tables of a level
			// must not share a user key even in different versions.
			if l > 0 && i > 0 && bytes.Compare(userPart(files[i-1].largest), userPart(f.smallest)) >= 0 {
				return rep, fmt.Errorf("%w: level %d: tables %s and %s overlap", ErrCorrupt, l, files[i-1].t.name, f.t.name)
			}
			n, err := checkTable(f)
			rep.Tables++
			rep.Entries += n
			if err != nil {
				return rep, err
			}
			if report != nil {
				report(rep.Tables, total)
			}
		}
	}
	return rep, nil
}

// checkTable reads a table in full: key order, filters, entry count, and
// the key range the manifest records.
func checkTable(f *fileMeta) (uint64, error) {
	t := f.t
	ts := newTableSource(t, false)
	var s source = &checkedSource{tableSource: ts}
	if f.legacyKeys {
		s = &legacySource{tableSource: ts}
	}
	var prev []byte
	var n uint64
	var filter bloomFilter
	filterOff := ^uint64(0)
	for s.first(); s.valid(); s.next() {
		if n == 0 && !bytes.Equal(s.key(), f.smallest) {
			return n, corruptf(t.name, "first key %q, the manifest says %q", s.key(), f.smallest)
		}
		if n > 0 && bytes.Compare(prev, s.key()) >= 0 {
			return n, corruptf(t.name, "keys out of order: %q then %q", prev, s.key())
		}
		if off := ts.partition().p.filter().offset; off != filterOff {
			var err error
			if filter, err = t.filter(ts.partition(), false); err != nil {
				return n, err
			}
			filterOff = off
		}
		// The filters hold the table's keys as written: user keys in a
		// table from before sequence numbers, else user parts.
		fk := ts.key()
		if !f.legacyKeys {
			fk = userPart(fk)
		}
		if !filter.mayContain(keyHash(fk)) {
			return n, corruptf(t.name, "key %q is not in its partition's filter", ts.key())
		}
		prev = append(prev[:0], s.key()...)
		n++
	}
	if err := s.err(); err != nil {
		return n, err
	}
	if n != t.count {
		return n, corruptf(t.name, "%d entries, the footer says %d", n, t.count)
	}
	if !bytes.Equal(prev, f.largest) {
		return n, corruptf(t.name, "last key %q, the manifest says %q", prev, f.largest)
	}
	return n, nil
}

func (r CheckReport) String() string {
	return fmt.Sprintf("%d tables, %d entries", r.Tables, r.Entries)
}
