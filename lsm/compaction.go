package lsm

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sort"
)

// errCompactionAborted stops a compaction that Close interrupted.
var errCompactionAborted = errors.New("lsm: compaction abandoned at close")

// compaction is one picked compaction: inputs of level, merged with the
// tables of outputLevel (level+1) they overlap, into new tables of
// outputLevel.
type compaction struct {
	level, outputLevel int
	inputs             []*fileMeta // L0: newest first
	overlaps           []*fileMeta // of outputLevel, in key order
	// trivial: one input and no overlaps; the table moves to outputLevel
	// without being rewritten.
	trivial bool
	// pointer, if not nil, is the new compact pointer of level.
	pointer []byte
	// snapshots are the sequence numbers of the open snapshots when the
	// compaction was picked, ascending.
	snapshots []uint64
}

// hiddenByRangeDel reports whether a range tombstone covers the version
// (part, seq) with a higher sequence number in the same snapshot stripe.
func hiddenByRangeDel(rds []rangeDel, snapshots []uint64, part []byte, seq uint64, stripe int) bool {
	for i := range rds {
		r := &rds[i]
		if r.seq > seq && r.covers(part) && snapshotStripe(snapshots, r.seq) == stripe {
			return true
		}
	}
	return false
}

// snapshotStripe returns the number of snapshots below seq: versions of a
// key in the same stripe are seen by the same snapshots, so only the newest
// of them is kept. Stripe 0 is below every snapshot (every reader sees it,
// or a newer version).
func snapshotStripe(snapshots []uint64, seq uint64) int {
	return sort.Search(len(snapshots), func(i int) bool { return snapshots[i] >= seq })
}

// levelTargetBytes is the size above which level l (1..numLevels-2) is
// compacted.
func (d *DB) levelTargetBytes(l int) uint64 {
	t := uint64(d.opts.L1TargetBytes)
	for range l - 1 {
		t *= levelSizeMultiplier
	}
	return t
}

// compactionDebt is Metrics.CompactionDebtBytes of v: what pickCompaction
// would go on picking until no score reaches 1, counted by the bytes over
// the bounds (a lower bound: moving bytes down may push the next level over
// its own target).
func (d *DB) compactionDebt(v *version) uint64 {
	var debt uint64
	if len(v.levels[0]) >= d.opts.L0CompactionThreshold {
		debt += levelBytes(v.levels[0])
	}
	for l := 1; l < numLevels-1; l++ {
		if b, t := levelBytes(v.levels[l]), d.levelTargetBytes(l); b > t {
			debt += b - t
		}
	}
	return debt
}

// pickCompaction returns the compaction the version needs most, or nil.
// Scores: L0's table count over L0CompactionThreshold, and each level's
// bytes over its target; the highest score of at least 1 wins. It reads
// only its arguments.
func (d *DB) pickCompaction(v *version, pointers *[numLevels][]byte) *compaction {
	best, bestScore := -1, 1.0
	if n := len(v.levels[0]); n >= d.opts.L0CompactionThreshold {
		best, bestScore = 0, float64(n)/float64(d.opts.L0CompactionThreshold)
	}
	for l := 1; l < numLevels-1; l++ {
		score := float64(levelBytes(v.levels[l])) / float64(d.levelTargetBytes(l))
		if score >= bestScore && (best < 0 || score > bestScore) {
			best, bestScore = l, score
		}
	}
	switch {
	case best < 0:
		return nil
	case best == 0:
		return pickL0(v)
	}
	return pickLevel(v, best, pointers[best])
}

// pickL0 picks the oldest L0 table and every L0 table overlapping the
// range they span, until it stops growing: a table left out overlaps none
// of the inputs, so moving the inputs below it cannot reorder versions of
// a key.
func pickL0(v *version) *compaction {
	l0 := v.levels[0]
	if len(l0) == 0 {
		return nil
	}
	oldest := l0[len(l0)-1]
	in := map[*fileMeta]bool{oldest: true}
	lo, hi := keyRange([]*fileMeta{oldest}) // user parts
	for grew := true; grew; {
		grew = false
		for _, f := range l0 {
			if !in[f] && f.overlaps(lo, hi) {
				in[f], grew = true, true
				flo, fhi := keyRange([]*fileMeta{f})
				if bytes.Compare(flo, lo) < 0 {
					lo = flo
				}
				if bytes.Compare(fhi, hi) > 0 {
					hi = fhi
				}
			}
		}
	}
	c := &compaction{level: 0, outputLevel: 1}
	for _, f := range l0 {
		if in[f] {
			c.inputs = append(c.inputs, f)
		}
	}
	c.overlaps = v.overlapping(1, lo, hi)
	c.trivial = len(c.inputs) == 1 && len(c.overlaps) == 0
	return c
}

// pickLevel picks one table of level l >= 1, round robin: the first whose
// largest key is above the level's compact pointer (wrapping around).
func pickLevel(v *version, l int, pointer []byte) *compaction {
	files := v.levels[l]
	if len(files) == 0 {
		return nil
	}
	f := files[0]
	if pointer != nil {
		for _, g := range files {
			if bytes.Compare(g.largest, pointer) > 0 {
				f = g
				break
			}
		}
	}
	c := &compaction{level: l, outputLevel: l + 1, inputs: []*fileMeta{f}, pointer: f.largest}
	// By user parts: an Ln+1 table may end at f's first user key, with
	// older versions of it, and then overlaps f.
	lo, hi := keyRange([]*fileMeta{f})
	c.overlaps = v.overlapping(l+1, lo, hi)
	c.trivial = len(c.overlaps) == 0
	return c
}

// pickAll picks every table of level l and the tables of l+1 they overlap,
// never as a trivial move (Compact wants tombstones dropped). L6 is
// compacted into itself.
func pickAll(v *version, l int) *compaction {
	if len(v.levels[l]) == 0 {
		return nil
	}
	c := &compaction{level: l, outputLevel: min(l+1, numLevels-1), inputs: v.levels[l]}
	if c.outputLevel != l {
		lo, hi := keyRange(c.inputs)
		c.overlaps = v.overlapping(l+1, lo, hi)
	}
	return c
}

// background runs compactions when signalled, until Close, each time until
// no level needs one.
func (d *DB) background() {
	defer close(d.done)
	for {
		select {
		case <-d.stop:
			return
		case <-d.compactSignal:
		}
		for {
			select {
			case <-d.stop:
				return
			default:
			}
			// Failures are counted in Metrics; the next flush signals again.
			ran, err := d.compactPicked(d.pickCompaction)
			if !ran || err != nil {
				break
			}
		}
	}
}

// maybeScheduleCompaction wakes the background compaction if some level
// needs one.
func (d *DB) maybeScheduleCompaction() {
	if d.opts.DisableAutoCompaction {
		return
	}
	d.mu.RLock()
	need := d.mu.current != nil && d.pickCompaction(d.mu.current, &d.mu.compactPointer) != nil
	d.mu.RUnlock()
	if !need {
		return
	}
	select {
	case d.compactSignal <- struct{}{}:
	default: // already signalled
	}
}

// Compact merges every table into the level below the deepest level
// holding data (L6 into itself), level by level, dropping tombstones and
// the values Options.CompactionFilter rejects, and waits for it. It does
// nothing when there are no tables. A failed step leaves the store as it
// was before that step (the partial output is removed) and may be retried,
// except when the manifest is left uncertain (a failed append whose
// replacement log failed too): that is sticky, like a failed flush
// (ErrFailed).
func (d *DB) Compact() error {
	d.mu.RLock()
	if err := d.writableLocked(); err != nil {
		d.mu.RUnlock()
		return err
	}
	deepest := -1
	for l := range numLevels {
		if len(d.mu.current.levels[l]) > 0 {
			deepest = l
		}
	}
	d.mu.RUnlock()
	for l := 0; l <= deepest; l++ {
		if _, err := d.compactPicked(func(v *version, _ *[numLevels][]byte) *compaction { return pickAll(v, l) }); err != nil {
			return err
		}
	}
	return nil
}

// compactPicked runs the compaction pick chooses from the current version,
// if any; ran reports whether there was one.
func (d *DB) compactPicked(pick func(*version, *[numLevels][]byte) *compaction) (ran bool, err error) {
	d.compactMu.Lock()
	defer d.compactMu.Unlock()
	d.mu.Lock()
	if err := d.writableLocked(); err != nil {
		d.mu.Unlock()
		return false, err
	}
	v := d.mu.current
	c := pick(v, &d.mu.compactPointer)
	if c == nil {
		d.mu.Unlock()
		return false, nil
	}
	v.refs.Add(1)
	c.snapshots = slices.Clone(d.mu.snapshots)
	d.mu.Unlock()

	err = d.runCompaction(v, c)
	d.unrefVersion(v)

	d.mu.Lock()
	defer d.mu.Unlock()
	if err != nil {
		d.mu.compactionFailures++
		d.mu.lastCompactionError = err
		return true, err
	}
	d.mu.compactions++
	if c.trivial {
		d.mu.trivialMoves++
	}
	return true, nil
}

// runCompaction runs c, picked from v (which the caller holds), and
// installs its result. Compactions are serialized and flushes only add L0
// tables, so c's inputs and every level below L0 are as in v until the
// install.
//
// A key's tombstone, or a value the CompactionFilter rejects, is dropped
// when no level below outputLevel has a table whose range holds the key
// (nothing older can resurface); otherwise it is written as a tombstone.
//
// The steps, each durable before the next: write and fsync the outputs and
// sync their directory entries; append the edit to the manifest log and
// fsync it; install the new version in memory; the inputs' files go when
// the last version holding them is released. A crash before the edit is
// durable leaves the old version and unlisted outputs, which Open removes;
// after it, the new version and unlisted inputs.
func (d *DB) runCompaction(v *version, c *compaction) error {
	var e versionEdit
	e.compactPointer[c.level] = c.pointer
	if c.trivial {
		f := c.inputs[0]
		e.deleteFile(c.level, f)
		e.addFile(c.outputLevel, f)
		if uncertain, err := d.logAndApply(&e, nil); err != nil {
			return d.compactionInstallFailed(fmt.Errorf("lsm: compaction: %w", err), uncertain, nil)
		}
		return nil
	}
	outputs, err := d.writeCompactionOutputs(v, c)
	if err != nil {
		return fmt.Errorf("lsm: compaction: %w", err)
	}
	var in uint64
	for _, f := range c.inputs {
		e.deleteFile(c.level, f)
		in += f.size
	}
	for _, f := range c.overlaps {
		e.deleteFile(c.outputLevel, f)
		in += f.size
	}
	var out uint64
	for _, f := range outputs {
		e.addFile(c.outputLevel, f)
		out += f.size
	}
	uncertain, err := d.logAndApply(&e, func() {
		d.mu.bytesCompacted += out
		d.mu.bytesCompactedIn += in
	})
	if err != nil {
		return d.compactionInstallFailed(fmt.Errorf("lsm: compaction: %w", err), uncertain, outputs)
	}
	return nil
}

// compactionInstallFailed handles a failed manifest edit. When the edit is
// certainly not recorded nothing changed: the outputs go. When it is
// uncertain (see logAndApply), the edit may or may not survive a crash:
// both its outputs and the inputs are kept on disk, reads go on from the
// inputs, and the store refuses further manifest edits (ErrFailed).
func (d *DB) compactionInstallFailed(err error, uncertain bool, outputs []*fileMeta) error {
	if !uncertain {
		for _, f := range outputs {
			err = errors.Join(err, d.removeTable(f))
		}
		return err
	}
	for _, f := range outputs {
		err = errors.Join(err, f.t.close())
	}
	err = fmt.Errorf("%w: %w", ErrFailed, err)
	d.mu.Lock()
	d.mu.failed = err
	d.mu.Unlock()
	return err
}

// writeCompactionOutputs merges c's tables into new tables of
// c.outputLevel, cut at Options.TargetFileBytes, synced, with their
// directory entries synced. On error nothing is left behind.
func (d *DB) writeCompactionOutputs(v *version, c *compaction) (_ []*fileMeta, err error) {
	var sources []source
	var expected, inBytes uint64
	for _, f := range c.inputs {
		expected += f.t.count
		inBytes += f.size
	}
	for _, f := range c.overlaps {
		expected += f.t.count
		inBytes += f.size
	}
	// Size each output's bloom filter for its share of the keys, with
	// room to spare (the writer folds a filter down, never up).
	if target := uint64(d.opts.TargetFileBytes); inBytes > target {
		expected = min(expected, expected/(inBytes/target)*2+1024)
	}
	if c.level == 0 {
		for _, f := range c.inputs {
			sources = append(sources, newFileSource(f, false))
		}
	} else {
		sources = append(sources, newLevelSource(c.inputs, false))
	}
	if len(c.overlaps) > 0 {
		sources = append(sources, newLevelSource(c.overlaps, false))
	}
	for _, s := range sources {
		s.first()
	}

	var b *tableBuilder
	var outputs []*fileMeta
	defer func() {
		if err == nil {
			return
		}
		if b != nil {
			err = errors.Join(err, b.abort())
		}
		for _, f := range outputs {
			err = errors.Join(err, d.removeTable(f))
		}
	}()
	finish := func() error {
		needed := b.rangeDelsNeeded
		f, err := b.finish()
		b = nil
		if err != nil {
			return err
		}
		f.rangeDelsChecked = make(map[uint64]bool, len(v.rangeDels))
		for _, r := range v.rangeDels {
			f.rangeDelsChecked[r.seq] = true
		}
		f.rangeDelsNeeded = needed
		outputs = append(outputs, f)
		return nil
	}
	// nothingBelow reports whether no level under the output may hold the
	// user key with this user part.
	nothingBelow := func(part []byte) bool {
		for l := c.outputLevel + 1; l < numLevels; l++ {
			if v.findFile(l, part) != nil {
				return false
			}
		}
		return true
	}
	var (
		lastKey    []byte // the last internal key met
		lastPart   []byte // its user part
		lastStripe int    // the snapshot stripe of the last version kept of lastPart
		user       []byte // scratch for the CompactionFilter's key
	)
	for n := 0; ; n++ {
		if n%compactionAbortCheckEntries == 0 {
			select {
			case <-d.stop:
				return nil, errCompactionAborted
			default:
			}
		}
		w, err := smallest(sources)
		if err != nil {
			return nil, err
		}
		if w < 0 {
			break
		}
		// Versions arrive by user key, newest first; a key is the
		// source's buffer, valid until it moves.
		s := sources[w]
		k := s.key()
		if bytes.Equal(k, lastKey) {
			// The same version in an older source (tables written before
			// sequence numbers all hold their keys at 0): the newer
			// source's copy was taken.
			s.next()
			continue
		}
		lastKey = append(lastKey[:0], k...)
		part, seq := userPart(k), ikeySeq(k)
		first := !bytes.Equal(part, lastPart)
		if first {
			lastPart = append(lastPart[:0], part...)
			lastStripe = -1
		}
		stripe := snapshotStripe(c.snapshots, seq)
		if stripe == lastStripe {
			// A newer version in the same stripe is what every snapshot
			// that could see this one sees.
			s.next()
			continue
		}
		lastStripe = stripe
		// A version a range tombstone hides from every reader that could
		// see it (no snapshot between them) goes; so do the older
		// versions of its stripe, with it.
		if len(v.rangeDels) > 0 && hiddenByRangeDel(v.rangeDels, c.snapshots, part, seq, stripe) {
			s.next()
			continue
		}
		ent := entry{key: k, value: s.value(), deleted: s.deleted()}
		// Only a version every reader sees (no snapshot below it) may be
		// filtered or dropped.
		if first && stripe == 0 && !ent.deleted && d.opts.CompactionFilter != nil {
			user = appendUserKey(user[:0], part)
			if d.opts.CompactionFilter(user, ent.value) {
				ent = entry{key: k, deleted: true}
			}
		}
		if ent.deleted && stripe == 0 && nothingBelow(part) {
			s.next()
			continue
		}
		// Cut only between user keys, so that no user key spans two
		// tables of a level.
		if b != nil && first && b.dataBytes() >= uint64(d.opts.TargetFileBytes) {
			if err := finish(); err != nil {
				return nil, err
			}
		}
		if b == nil {
			d.mu.Lock()
			fileNum := d.mu.nextFileNum
			d.mu.nextFileNum++
			d.mu.Unlock()
			if b, err = d.newTableBuilder(fileNum, expected); err != nil {
				return nil, err
			}
			b.rangeDelsNeeded = map[uint64]bool{}
		}
		if err := b.add(ent); err != nil {
			return nil, err
		}
		// Range tombstones still covering a version written (kept for a
		// snapshot) stay needed.
		for i := range v.rangeDels {
			if r := &v.rangeDels[i]; r.seq > seq && r.covers(part) {
				b.rangeDelsNeeded[r.seq] = true
			}
		}
		s.next()
	}
	if b != nil {
		if err := finish(); err != nil {
			return nil, err
		}
	}
	if len(outputs) > 0 {
		// The outputs' directory entries are durable before any manifest
		// names them.
		if err := d.fs.SyncDir(d.dir); err != nil {
			return nil, fmt.Errorf("sync dir %s after writing tables: %w", d.dir, err)
		}
	}
	return outputs, nil
}
