package heap

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"sync"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/lsm"
	"github.com/cairndb/cairn/txn"
)

// Vacuum removes what no snapshot can see any more:
//
//   - a row version whose creator rolled back;
//   - a row version whose deleter committed at or below the horizon, the
//     oldest snapshot revision still in use (txn.Manager.Horizon), which
//     counts prepared transactions as running;
//   - row lock records whose lockers all ended.
//
// It runs on demand (VACUUM), in the background when a table has piled up
// enough dead versions (Engine.AutoVacuum), and inside LSM compactions
// through DeadFilter, which drops such entries without writing tombstones.
// A long-running transaction holds the horizon back, and with it the space.
//
// What vacuum removes it deletes, and a deleted version stays in the LSM
// as a tombstone until compaction drops both, so a row updated over and
// over gathers tombstones that every walk over it steps across. Vacuum
// therefore remembers, for the rows where it stepped over many entries
// (vacuumSweptRowSteps, up to vacuumSweptRowsMax rows per table), the
// number of the oldest version it kept: every older version of the row
// was deleted by that vacuum, and every version written since is numbered
// above it (see Key layout), so the next vacuum of the table starts each
// such row there. That keeps a vacuum of a small, hot table proportional
// to the versions written since the last one, not to all its history.
//
// A vacuum walks only the rows claimed since the table's last whole walk
// when it can tell that they hold every dead version (takeDirty): a
// version dies when its deleter commits, and every deletion claims its
// row, or when its creator rolls back, which txn.Manager.WriterAborts
// counts.

// SystemTable is the table id of the SQL layer's catalog, which the
// background paths leave to an explicit vacuum.
const SystemTable = 1

// deadCounts estimates the dead versions each table has gathered since its
// last vacuum, and remembers how many versions that vacuum left and where
// the rows it swept start (see Vacuum).
type deadCounts struct {
	mu   sync.Mutex
	n    map[uint32]int
	left map[uint32]int
	// swept maps a table to its swept rows: row prefix → the version
	// number below which every version of the row has been deleted.
	swept map[uint32]map[string]uint64
	// dirty maps a table to the rows claimed since its last vacuum began
	// (see VacuumDirty), while it has been walked whole since the heap
	// was opened and fewer than vacuumDirtyRowsMax rows are marked.
	dirty map[uint32]*dirtyRows
}

// dirtyRows are the rows of a table that may hold dead versions.
type dirtyRows struct {
	rows map[string]struct{}
	// overflow: more rows were marked than are remembered.
	overflow bool
	// walked: a whole walk of the table began after the heap was opened
	// and after the last overflow, so every dead version older than
	// the set's rows was seen by it or is in the set.
	walked bool
	// passes counts the vacuums since the last whole walk.
	passes int
	// aborts is txn.Manager.WriterAborts as read before the last whole
	// walk began (or when the storage was made, NewStorage): while it is
	// unchanged, no insert into the table can have been rolled back
	// since, so the rows in the set hold every version a whole walk
	// would remove (see takeDirty).
	aborts uint64
}

// NewStorage tells the heap that table is a storage id just allocated, of
// which no version exists yet (a new table, a rewrite's new storage): as
// for a table just walked whole, a vacuum of it then needs to walk only
// the rows claimed since, while no writer rolls back. It must be called
// before anything is written to table.
func (h *Heap) NewStorage(table uint32) {
	d := &h.dead
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.dirty == nil {
		d.dirty = make(map[uint32]*dirtyRows)
	}
	if d.dirty[table] == nil {
		d.dirty[table] = &dirtyRows{rows: make(map[string]struct{}), walked: true, aborts: h.tm.WriterAborts()}
	}
}

// markDirty notes that row of table has a version that may become dead.
func (d *deadCounts) markDirty(table uint32, row []byte) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.dirty == nil {
		d.dirty = make(map[uint32]*dirtyRows)
	}
	ds := d.dirty[table]
	if ds == nil {
		ds = &dirtyRows{rows: make(map[string]struct{})}
		d.dirty[table] = ds
	}
	if ds.overflow {
		return
	}
	if len(ds.rows) >= vacuumDirtyRowsMax {
		ds.overflow, ds.rows = true, nil
		return
	}
	ds.rows[string(row)] = struct{}{}
}

// takeDirty starts a vacuum of table: it returns the rows marked dirty and
// starts a new set for the writes that follow. ok is false when the
// vacuum must walk the whole table: never walked whole since the heap was
// opened (nor made new since, NewStorage), or too many rows marked. What
// no mark records are the versions of inserts that rolled back: an
// explicit vacuum (explicit set) walks the whole table when a writer has
// rolled back since the last whole walk (aborts, txn.Manager.WriterAborts
// read before this vacuum begins, differs from the set's), the background
// one every vacuumWholeEvery passes.
func (d *deadCounts) takeDirty(table uint32, explicit bool, aborts uint64) (rows []string, ok bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.dirty == nil {
		d.dirty = make(map[uint32]*dirtyRows)
	}
	old := d.dirty[table]
	next := &dirtyRows{rows: make(map[string]struct{}), aborts: aborts}
	d.dirty[table] = next
	whole := old == nil || !old.walked || old.overflow
	if explicit {
		whole = whole || old.aborts != aborts
	} else {
		whole = whole || old.passes+1 >= vacuumWholeEvery
	}
	if whole {
		next.walked = true
		return nil, false
	}
	// The set's baseline stays that of the last whole walk: a rollback
	// since then, which a background pass does not look for, must still
	// send the next explicit vacuum through the whole table.
	next.walked, next.passes, next.aborts = true, old.passes+1, old.aborts
	rows = make([]string, 0, len(old.rows))
	for r := range old.rows {
		rows = append(rows, r)
	}
	slices.Sort(rows)
	return rows, true
}

// keepDirty marks again rows whose garbage a vacuum could not remove yet.
func (d *deadCounts) keepDirty(table uint32, rows [][]byte) {
	for _, r := range rows {
		d.markDirty(table, r)
	}
}

// sweptRow is a row whose versions numbered below below are all deleted.
type sweptRow struct {
	prefix []byte
	below  uint64
}

// sweptRows returns the swept rows of table in key order.
func (d *deadCounts) sweptRows(table uint32) []sweptRow {
	d.mu.Lock()
	defer d.mu.Unlock()
	rows := make([]sweptRow, 0, len(d.swept[table]))
	for p, below := range d.swept[table] {
		rows = append(rows, sweptRow{prefix: []byte(p), below: below})
	}
	slices.SortFunc(rows, func(a, b sweptRow) int { return bytes.Compare(a.prefix, b.prefix) })
	return rows
}

// addSwept records rows as swept, once their deletions are written: a
// row's number only grows, and new rows are taken while the table has
// fewer than vacuumSweptRowsMax.
func (d *deadCounts) addSwept(table uint32, rows []sweptRow) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.swept == nil {
		d.swept = make(map[uint32]map[string]uint64)
	}
	m := d.swept[table]
	if m == nil {
		m = make(map[string]uint64)
		d.swept[table] = m
	}
	for _, r := range rows {
		old, ok := m[string(r.prefix)]
		switch {
		case ok && r.below > old:
			m[string(r.prefix)] = r.below
		case !ok && len(m) < vacuumSweptRowsMax:
			m[string(r.prefix)] = r.below
		}
	}
}

// forget drops what is remembered of a table whose data is gone.
func (d *deadCounts) forget(table uint32) {
	d.mu.Lock()
	delete(d.swept, table)
	delete(d.dirty, table)
	d.mu.Unlock()
}

// DeadEstimate is what the heap knows of a table's dead and remaining
// versions without reading it.
type DeadEstimate struct {
	// Dead is how many versions updates and deletes have made dead since
	// the table was last vacuumed.
	Dead int
	// Left is how many row versions the last vacuum of the table left in
	// it (0 before the first vacuum since the heap was opened).
	Left int
}

func (d *deadCounts) add(table uint32) { d.addN(table, 1) }

func (d *deadCounts) addN(table uint32, n int) {
	d.mu.Lock()
	if d.n == nil {
		d.n = make(map[uint32]int)
	}
	d.n[table] += n
	d.mu.Unlock()
}

// DeadEstimates returns, for every table with dead versions since it was
// last vacuumed, how many, and how many versions that vacuum left.
func (h *Heap) DeadEstimates() map[uint32]DeadEstimate {
	h.dead.mu.Lock()
	defer h.dead.mu.Unlock()
	out := make(map[uint32]DeadEstimate, len(h.dead.n))
	for k, v := range h.dead.n {
		out[k] = DeadEstimate{Dead: v, Left: h.dead.left[k]}
	}
	return out
}

// deadVersion reports whether no snapshot at or after horizon sees v.
func (h *Heap) deadVersion(v txn.Version, horizon txn.Rev) bool {
	if st, _ := h.tm.StatusOf(v.Xmin); st == txn.Aborted {
		return true
	}
	if v.Xmax == 0 {
		return false
	}
	st, rev := h.tm.StatusOf(v.Xmax)
	return st == txn.Committed && rev <= horizon
}

// Vacuum removes the dead versions and lock records of table and returns
// how many entries it removed. It walks the whole table, unless the table
// was walked whole since the heap opened (or made by NewStorage) and no
// writer has rolled back since (takeDirty): then every dead version is in
// a row claimed since, and it walks only those rows. A table just loaded
// and never updated is then vacuumed without reading it.
func (h *Heap) Vacuum(table uint32) (int, error) {
	n, _, err := h.vacuum(table, true, nil)
	return n, err
}

// VacuumProgress is what a running Vacuum has done: the row versions it
// has read and the dead ones among them, and, once it has read the whole
// table and removed them, Removed.
type VacuumProgress struct {
	Scanned, Dead, Removed int
	// ScanDone is set once the whole table has been read, and Done on
	// the last report, after the dead versions are removed.
	ScanDone, Done bool
}

// vacuumReportEvery is how many versions a vacuum reads between reports.
const vacuumReportEvery = 256

// VacuumReporting is Vacuum calling report as it goes: every
// vacuumReportEvery versions read, when the whole table has been read,
// and when the dead versions are removed (Done). report runs on the
// vacuum's goroutine and must not call back into the heap.
func (h *Heap) VacuumReporting(table uint32, report func(VacuumProgress)) (int, error) {
	n, _, err := h.vacuum(table, true, report)
	return n, err
}

// VacuumDirty is Vacuum for the background: it walks only the rows claimed
// (updated, deleted or locked) since the table's last vacuum, and the rows
// whose garbage that vacuum had to leave, when it can (see takeDirty); the
// bool reports whether it did. A table with a few hot rows among millions
// is then vacuumed in the time its hot rows take.
func (h *Heap) VacuumDirty(table uint32) (int, bool, error) {
	return h.vacuum(table, false, nil)
}

func (h *Heap) vacuum(table uint32, explicit bool, report func(VacuumProgress)) (int, bool, error) {
	aborts := h.tm.WriterAborts()
	w := vacuumWalk{h: h, horizon: h.tm.Horizon(), swept: map[string]bool{}, report: report}
	dirty, partial := h.dead.takeDirty(table, explicit, aborts)
	if partial {
		n, err := h.vacuumRows(table, &w, dirty)
		if err != nil {
			h.dead.keepDirty(table, stringsToBytes(dirty))
			return 0, true, err
		}
		if report != nil {
			report(VacuumProgress{Scanned: w.versions, Dead: len(w.dead), ScanDone: true})
			report(VacuumProgress{Scanned: w.versions, Dead: len(w.dead), Removed: n, ScanDone: true, Done: true})
		}
		return n, true, nil
	}
	rows := tablePrefixKey(table)
	// The table's keys, less the deleted start of each swept row: the
	// ranges between swept rows, and each swept row from its number on.
	start := rows
	for _, r := range h.dead.sweptRows(table) {
		if bytes.Compare(r.prefix, start) < 0 {
			continue // a row whose key extends another swept row's
		}
		w.swept[string(r.prefix)] = true
		if err := w.walk(start, r.prefix); err != nil {
			return 0, false, fmt.Errorf("heap: vacuuming table %d: %w", table, err)
		}
		if err := w.walk(binary.BigEndian.AppendUint64(bytes.Clone(r.prefix), r.below), prefixEnd(r.prefix)); err != nil {
			return 0, false, fmt.Errorf("heap: vacuuming table %d: %w", table, err)
		}
		start = prefixEnd(r.prefix)
	}
	if err := w.walk(start, prefixEnd(rows)); err != nil {
		return 0, false, fmt.Errorf("heap: vacuuming table %d: %w", table, err)
	}
	left := w.versions - len(w.dead)
	if report != nil {
		report(VacuumProgress{Scanned: w.versions, Dead: len(w.dead), ScanDone: true})
	}
	dead := w.dead
	locks := append([]byte{lockPrefix}, rows[1:]...)
	if err := h.collectDeadLocks(locks, &dead); err != nil {
		return 0, false, fmt.Errorf("heap: vacuuming row locks of table %d: %w", table, err)
	}
	removed := len(dead)
	if err := h.deleteKeys(dead); err != nil {
		return 0, false, fmt.Errorf("heap: vacuuming table %d: %w", table, err)
	}
	h.dead.addSwept(table, w.sweep)
	h.dead.keepDirty(table, w.garbage)
	// The swept rows now begin with the tombstones of what was removed:
	// lookups read them newest first, past none of those.
	hot := make([][]byte, len(w.sweep))
	for i, r := range w.sweep {
		hot[i] = r.prefix
	}
	h.hot.add(hot...)
	h.dead.mu.Lock()
	delete(h.dead.n, table)
	if h.dead.left == nil {
		h.dead.left = make(map[uint32]int)
	}
	h.dead.left[table] = left
	h.dead.mu.Unlock()
	if report != nil {
		report(VacuumProgress{Scanned: w.versions, Dead: len(w.dead), Removed: removed, ScanDone: true, Done: true})
	}
	return removed, false, nil
}

// vacuumRows removes the dead versions of the given rows of table.
func (h *Heap) vacuumRows(table uint32, w *vacuumWalk, rows []string) (int, error) {
	swept := make(map[string]uint64)
	for _, r := range h.dead.sweptRows(table) {
		swept[string(r.prefix)] = r.below
	}
	for _, r := range rows {
		prefix := []byte(r)
		lower := prefix
		if below, ok := swept[r]; ok {
			w.swept[r] = true
			lower = binary.BigEndian.AppendUint64(bytes.Clone(prefix), below)
		}
		if err := w.walk(lower, prefixEnd(prefix)); err != nil {
			return 0, fmt.Errorf("heap: vacuuming table %d: %w", table, err)
		}
	}
	dead := w.dead
	locks := append([]byte{lockPrefix}, tablePrefixKey(table)[1:]...)
	if err := h.collectDeadLocks(locks, &dead); err != nil {
		return 0, fmt.Errorf("heap: vacuuming row locks of table %d: %w", table, err)
	}
	if err := h.deleteKeys(dead); err != nil {
		return 0, fmt.Errorf("heap: vacuuming table %d: %w", table, err)
	}
	h.dead.addSwept(table, w.sweep)
	hot := make([][]byte, len(w.sweep))
	for i, r := range w.sweep {
		hot[i] = r.prefix
	}
	h.hot.add(hot...)
	h.dead.keepDirty(table, w.garbage)
	h.dead.mu.Lock()
	delete(h.dead.n, table)
	h.dead.mu.Unlock()
	return len(dead), nil
}

func stringsToBytes(ss []string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}

// vacuumWalk collects the dead versions of a table, range by range, and
// the rows worth remembering as swept.
type vacuumWalk struct {
	h        *Heap
	horizon  txn.Rev
	swept    map[string]bool // rows already remembered as swept
	dead     [][]byte
	versions int
	sweep    []sweptRow
	// garbage are the rows that keep a version some snapshot may still
	// need but that is or will be dead (claimed, or superseded): a later
	// vacuum must look at them again.
	garbage [][]byte
	// The row being walked: its prefix, the entries stepped over for it,
	// the number of its oldest version kept (0: none yet) and of its
	// newest version met.
	row         []byte
	steps       int
	oldestKept  uint64
	newestSeen  uint64
	rowStarted  bool
	rowGarbage  bool // the row is in garbage already
	stepsBefore int
	// report, if set, hears of the walk's progress (VacuumReporting).
	report func(VacuumProgress)
}

// walk collects the dead versions in [lower, upper).
func (w *vacuumWalk) walk(lower, upper []byte) error {
	it := w.h.store.NewLiveIter(lower, upper)
	defer it.Close()
	w.stepsBefore = 0
	for ok := it.First(); ok; ok = it.Next() {
		key := it.Key()
		if len(key) < 5+seqSize { // 't', table id, sequence number
			return pgerr.New(pgerr.DataCorrupted, "heap: row key of %d bytes", len(key))
		}
		steps := it.Steps()
		w.enterRow(key[:len(key)-seqSize], steps-w.stepsBefore)
		w.stepsBefore = steps
		v, _, err := decodeHeader(it.Value())
		if err != nil {
			return err
		}
		w.versions++
		if w.report != nil && w.versions%vacuumReportEvery == 0 {
			w.report(VacuumProgress{Scanned: w.versions, Dead: len(w.dead)})
		}
		seq := binary.BigEndian.Uint64(key[len(key)-seqSize:])
		w.newestSeen = seq
		if w.h.deadVersion(v, w.horizon) {
			w.dead = append(w.dead, bytes.Clone(key))
		} else {
			if w.oldestKept == 0 {
				w.oldestKept = seq
			}
			if v.Xmax != 0 && !w.rowGarbage {
				w.rowGarbage = true
				w.garbage = append(w.garbage, bytes.Clone(key[:len(key)-seqSize]))
			}
		}
	}
	if err := it.Err(); err != nil {
		return err
	}
	w.endRow()
	return nil
}

// enterRow notes that the walk is at a version of row, having stepped over
// steps entries since the previous version it met (the tombstones before
// the row's first version count for the row).
func (w *vacuumWalk) enterRow(row []byte, steps int) {
	if w.rowStarted && bytes.Equal(row, w.row) {
		w.steps += steps
		return
	}
	w.endRow()
	w.row = append(w.row[:0], row...)
	w.steps, w.oldestKept, w.newestSeen, w.rowStarted, w.rowGarbage = steps, 0, 0, true, false
}

// endRow decides whether the row just walked is remembered as swept: every
// version of it below the oldest one kept (or, if none was kept, above the
// newest met) is deleted once the walk's deletions are written.
func (w *vacuumWalk) endRow() {
	if !w.rowStarted {
		return
	}
	w.rowStarted = false
	if w.steps < vacuumSweptRowSteps && !w.swept[string(w.row)] {
		return
	}
	below := w.oldestKept
	if below == 0 {
		below = w.newestSeen + 1
	}
	w.sweep = append(w.sweep, sweptRow{prefix: bytes.Clone(w.row), below: below})
}

// collectDeadLocks appends the keys of the dead row lock records in the
// range of prefix to dead.
func (h *Heap) collectDeadLocks(prefix []byte, dead *[][]byte) error {
	it := h.store.NewLiveIter(prefix, prefixEnd(prefix))
	defer it.Close()
	for ok := it.First(); ok; ok = it.Next() {
		d, err := h.deadLockRecord(it.Value())
		if err != nil {
			return err
		}
		if d {
			*dead = append(*dead, bytes.Clone(it.Key()))
		}
	}
	return it.Err()
}

func (h *Heap) deadLockRecord(val []byte) (bool, error) {
	locks, err := decodeLocks(val)
	if err != nil {
		return false, err
	}
	for _, l := range locks {
		if st, _ := h.tm.StatusOf(l.xid); st == txn.InProgress {
			return false, nil
		}
	}
	return true, nil
}

// DeadFilter is the LSM compaction filter: it reports whether a key/value
// pair of the heap's ranges is dead and may be dropped. Other keys are
// kept.
func (h *Heap) DeadFilter(key, value []byte) bool {
	if len(key) == 0 {
		return false
	}
	switch key[0] {
	case tablePrefix:
		if len(key) >= 5 && binary.BigEndian.Uint32(key[1:5]) == SystemTable {
			// The catalog's dead versions say which tables were
			// dropped; only an explicit vacuum removes them, after it
			// has reclaimed those tables' data.
			return false
		}
		v, _, err := decodeHeader(value)
		return err == nil && h.deadVersion(v, h.tm.Horizon())
	case lockPrefix:
		d, err := h.deadLockRecord(value)
		return err == nil && d
	}
	return false
}

// VersionState is what ForEachVersion tells of a version.
type VersionState int

const (
	// VersionLive: no transaction deleted the version, or its deleter
	// rolled back.
	VersionLive VersionState = iota
	// VersionDying: deleted by a transaction that is still running, or
	// that committed above the horizon (a snapshot may still see it).
	VersionDying
	// VersionDead: created by a transaction that rolled back, or deleted
	// by one that committed below the horizon; no snapshot sees it.
	VersionDead
)

// ForEachVersion calls fn with the row data of every stored version of
// table and its state at the current horizon. The SQL layer reads its
// catalog this way to find dropped tables and replaced storage.
func (h *Heap) ForEachVersion(table uint32, fn func(data []byte, state VersionState) error) error {
	horizon := h.tm.Horizon()
	prefix := tablePrefixKey(table)
	it := h.store.NewLiveIter(prefix, prefixEnd(prefix))
	defer it.Close()
	for ok := it.First(); ok; ok = it.Next() {
		v, data, err := decodeHeader(it.Value())
		if err != nil {
			return err
		}
		state := VersionLive
		switch {
		case h.deadVersion(v, horizon):
			state = VersionDead
		case v.Xmax != 0:
			if st, _ := h.tm.StatusOf(v.Xmax); st != txn.Aborted {
				state = VersionDying
			}
		}
		if err := fn(data, state); err != nil {
			return err
		}
	}
	return it.Err()
}

// DropTableData deletes every stored row version and row lock of a table
// that no snapshot can see any more (dropped below the horizon), with one
// range delete for each; it returns the number of ranges deleted.
func (h *Heap) DropTableData(table uint32) (int, error) {
	h.dead.forget(table)
	rows := tablePrefixKey(table)
	var b lsm.Batch
	b.DeleteRange(rows, prefixEnd(rows))
	locks := append([]byte{lockPrefix}, rows[1:]...)
	b.DeleteRange(locks, prefixEnd(locks))
	return h.deleteRanges(&b)
}

// DropIndexData deletes every entry of a dropped index with one range
// delete; it returns the number of ranges deleted.
func (h *Heap) DropIndexData(index uint32) (int, error) {
	prefix := binary.BigEndian.AppendUint32([]byte{indexPrefix}, index)
	var b lsm.Batch
	b.DeleteRange(prefix, prefixEnd(prefix))
	return h.deleteRanges(&b)
}

func (h *Heap) deleteRanges(b *lsm.Batch) (int, error) {
	h.mu.Lock()
	_, err := h.store.Write(b)
	h.mu.Unlock()
	if err != nil {
		return 0, fmt.Errorf("heap: deleting dropped data: %w", err)
	}
	return b.Len(), nil
}

// VacuumIndex removes the entries of index (of table) that lead to no row
// version anyone may still see with that key: every version of the row is
// dead below the horizon, or holds other values. matches reports whether a
// version's row data holds the entry's key. Entries are written after the
// row version they lead to, so an entry whose version is still being
// written cannot be met here.
func (h *Heap) VacuumIndex(table, index uint32, matches func(key, data []byte) (bool, error)) (int, error) {
	horizon := h.tm.Horizon()
	prefix := indexPrefixKey(index)
	var dead [][]byte
	it := h.store.NewLiveIter(prefix, prefixEnd(prefix))
	for ok := it.First(); ok; ok = it.Next() {
		pk, err := entryRowKey(it.Key(), it.Value())
		if err != nil {
			it.Close()
			return 0, err
		}
		key := it.Key()[len(prefix) : len(it.Key())-len(pk)]
		live, err := h.entryLive(table, pk, key, horizon, matches)
		if err != nil {
			it.Close()
			return 0, err
		}
		if !live {
			dead = append(dead, append([]byte(nil), it.Key()...))
		}
	}
	if err := it.Close(); err != nil {
		return 0, err
	}
	if err := h.deleteKeys(dead); err != nil {
		return 0, fmt.Errorf("heap: vacuuming index %d: %w", index, err)
	}
	return len(dead), nil
}

// deleteKeys deletes keys in batches of vacuumBatch, each written under
// the heap's write lock.
func (h *Heap) deleteKeys(keys [][]byte) error {
	for len(keys) > 0 {
		n := min(len(keys), vacuumBatch)
		var b lsm.Batch
		for _, k := range keys[:n] {
			b.Delete(k)
		}
		h.mu.Lock()
		_, err := h.store.Write(&b)
		h.mu.Unlock()
		if err != nil {
			return err
		}
		keys = keys[n:]
	}
	return nil
}

// entryLive reports whether some version of row pk that is not dead holds
// key.
func (h *Heap) entryLive(table uint32, pk, key []byte, horizon txn.Rev, matches func(key, data []byte) (bool, error)) (bool, error) {
	prefix := rowPrefix(table, pk)
	it := h.store.NewLiveIter(prefix, prefixEnd(prefix))
	defer it.Close()
	for ok := it.First(); ok; ok = it.Next() {
		if len(it.Key()) != len(prefix)+seqSize {
			continue
		}
		v, data, err := decodeHeader(it.Value())
		if err != nil {
			return false, err
		}
		if h.deadVersion(v, horizon) {
			continue
		}
		m, err := matches(key, data)
		if err != nil || m {
			return m, err
		}
	}
	return false, it.Err()
}
