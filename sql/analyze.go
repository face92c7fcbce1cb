package sql

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// ANALYZE: the planner's statistics, as PostgreSQL's analyze.c gathers
// them. With N = 300 x (the largest statistics target of its columns),
// N of a table's pages (about a stored block of rows each) are chosen at
// random and read, and a reservoir keeps a uniform sample of N of their
// rows, in table order (sampleRows); each column's statistics are
// computed from the sample (computeColumnStats) and the table's are
// stored in catalog.StatisticTableID with the row count (estimated from
// the pages read, when not all were), where pg_stats and pg_class read
// them and the planner estimates from them (selectivity.go,
// joinorder.go). A table of no more than N pages is read whole, and one
// of fewer rows than the sample is sampled whole, so its statistics are
// exact and deterministic, as PostgreSQL's are.

// defaultStatisticsTarget is default_statistics_target's default.
const defaultStatisticsTarget = 100

func init() {
	settingsTable["default_statistics_target"] = setting{name: "default_statistics_target", def: "100",
		check: checkInteger("default_statistics_target", 1, 10000)}
}

// statisticsTarget is the session's default_statistics_target.
func (s *Session) statisticsTarget() int {
	if n, err := strconv.Atoi(s.settings["default_statistics_target"]); err == nil && n > 0 {
		return n
	}
	return defaultStatisticsTarget
}

// analyzable reports whether ANALYZE gathers statistics of t: a table
// with rows of its own (not a view, sequence or partitioned table).
func analyzable(t *catalog.TableDesc) bool {
	return userTable(t) && t.PartKey == nil && t.View == ""
}

// analyzeTables analyzes tables (cols[i], when given, the columns of
// tables[i] to analyze) in the session's transaction when it is in one,
// else in a transaction of its own.
func (s *Session) analyzeTables(ctx context.Context, tables []*catalog.TableDesc, cols [][]string) error {
	if s.tx != nil {
		x := &execCtx{ctx: ctx, s: s, tx: s.tx, snap: s.currentSnapshot(), planGen: s.e.gen.Load(), mem: &s.mem}
		for i, t := range tables {
			var which []string
			if i < len(cols) {
				which = cols[i]
			}
			if err := s.e.analyzeTable(x.op(), x.later().op(), t, which, s.statisticsTarget()); err != nil {
				return err
			}
		}
		// Plans made before see the new statistics once it commits.
		s.wroteCatalog = true
		return nil
	}
	for i, t := range tables {
		var which []string
		if i < len(cols) {
			which = cols[i]
		}
		if err := s.e.analyzeInTxn(ctx, t, which, s.statisticsTarget(), s.lockTimeout()); err != nil {
			return err
		}
	}
	return nil
}

// analyzeInTxn analyzes t in a transaction of its own.
func (e *Engine) analyzeInTxn(ctx context.Context, t *catalog.TableDesc, cols []string, target int, lockTimeout time.Duration) error {
	tx, err := e.tm.Begin()
	if err != nil {
		return err
	}
	op := heap.Op{Tx: tx, Snap: e.tm.Snapshot(tx, 0), Ctx: ctx, LockTimeout: lockTimeout}
	later := heap.Op{Tx: tx, Snap: e.tm.Snapshot(tx, 1), Ctx: ctx, LockTimeout: lockTimeout}
	if err := e.analyzeTable(op, later, t, cols, target); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	// Plans made before are made again with the new statistics.
	e.catalogChanged()
	return nil
}

// analyzeTable samples t's rows visible to op and stores its statistics
// in place of those it had: of every column, or of cols and the other
// columns' statistics kept.
func (e *Engine) analyzeTable(op, later heap.Op, t *catalog.TableDesc, cols []string, defaultTarget int) error {
	if !analyzable(t) {
		return nil
	}
	// The table may not be dropped or rewritten while it is read.
	if err := e.tm.LockTable(op.Ctx, op.Tx, t.ID, txn.AccessShare, op.LockTimeout); err != nil {
		return err
	}
	targets := make([]int, len(t.Columns))
	sampleTarget := 0
	for i, c := range t.Columns {
		if len(cols) > 0 && !slices.Contains(cols, c.Name) {
			continue
		}
		targets[i] = defaultTarget
		if c.StatTarget != nil && *c.StatTarget >= 0 {
			targets[i] = int(*c.StatTarget)
		}
		sampleTarget = max(sampleTarget, targets[i])
	}
	sample, total, err := e.sampleRows(op.Snap, t, 300*max(sampleTarget, 1))
	if err != nil {
		return err
	}
	old, err := e.cat.Statistics(op.Snap, t.ID)
	if err != nil {
		return err
	}
	st := &catalog.TableStatistics{Table: t.ID, Rows: float64(total)}
	width := 0.0
	for i, c := range t.Columns {
		if targets[i] == 0 || len(sample) == 0 {
			// Not analyzed now, or no rows to analyze (PostgreSQL then
			// leaves pg_statistic alone): keep what an earlier ANALYZE
			// found, if it was of this column as it is.
			if old != nil {
				for _, oc := range old.Columns {
					if oc.Name == c.Name && oc.Type.ID == c.Type.ID {
						st.Columns = append(st.Columns, oc)
						width += float64(oc.AvgWidth)
					}
				}
			}
			continue
		}
		cs := computeColumnStats(c, i, sample, total, targets[i])
		width += float64(cs.AvgWidth)
		st.Columns = append(st.Columns, cs)
	}
	if total > 0 {
		perPage := math.Max(1, math.Floor(blockBytes/(width+tupleOverhead)))
		st.Pages = math.Ceil(float64(total) / perPage)
	}
	var oldTuple heap.TupleID
	if old != nil {
		oldTuple = old.Tuple
	}
	if err := e.cat.ReplaceStatistics(op, later, oldTuple, st); err != nil {
		return err
	}
	e.statsCache.forget(t.ID)
	return nil
}

// sampleRows returns a uniform sample of at most n of t's rows visible to
// snap, in the order of the table (which the correlation is computed
// against), and the estimated number of rows, as PostgreSQL's
// acquire_sample_rows: a sample of n of the table's pages (all of them,
// if it has no more; heap.TablePages), chosen by Knuth's Algorithm S so
// that each page is as likely, is read whole, and a reservoir keeps a
// uniform sample of the rows met (reservoirSkips). The rows are counted
// exactly when every page was read, else estimated from the rows per page
// read.
func (e *Engine) sampleRows(snap txn.Snapshot, t *catalog.TableDesc, n int) ([][]types.Datum, int64, error) {
	type sampled struct {
		pos int64
		row []types.Datum
	}
	pages, err := e.heap.TablePages(t.StorageID())
	if err != nil {
		return nil, 0, err
	}
	// A fixed seed: the same table stored alike gives the same sample.
	rng := rand.New(rand.NewPCG(uint64(t.ID), 0x5eed))
	chosen := choosePages(rng, pages.Len(), n)
	var res []sampled
	var seen int64
	skips := reservoirSkips{rng: rng, n: n}
	err = e.heap.ScanPages(snap, pages, chosen, func(tu heap.Tuple) error {
		seen++
		if len(res) < n {
			row, err := types.DecodeRow(tu.Data)
			if err != nil {
				return err
			}
			res = append(res, sampled{seen, row})
			if len(res) == n {
				skips.start(seen)
			}
			return nil
		}
		if seen < skips.next {
			return nil
		}
		row, err := types.DecodeRow(tu.Data)
		if err != nil {
			return err
		}
		res[rng.IntN(n)] = sampled{seen, row}
		skips.advance(seen)
		return nil
	})
	if err != nil {
		return nil, 0, pgerr.Wrapf(err, pgerr.Code(err), "analyzing table %s", t.Name)
	}
	slices.SortFunc(res, func(a, b sampled) int { return int(a.pos - b.pos) })
	rows := make([][]types.Datum, len(res))
	for i, s := range res {
		rows[i] = s.row
	}
	total := seen
	if len(chosen) < pages.Len() && len(chosen) > 0 {
		total = int64(math.Floor(float64(seen)/float64(len(chosen))*float64(pages.Len()) + 0.5))
	}
	return rows, total, nil
}

// reservoirSkips is Li's Algorithm L ("Reservoir-sampling algorithms of
// time complexity O(n(1+log(N/n)))", 1994): once a reservoir of n rows is
// full, it says which of the rows that follow replace a sampled one (at
// random), so that every row met is in the sample with probability
// n/(rows met), as with Algorithm R, for a few random numbers per
// replacement instead of one per row. PostgreSQL's reservoir_get_next_S
// skips the same way with Vitter's Algorithm Z.
type reservoirSkips struct {
	rng *rand.Rand
	n   int
	w   float64
	// next is the number (counting from 1) of the next row to take.
	next int64
}

// start begins the skips once the reservoir has filled with the rows up
// to seen.
func (r *reservoirSkips) start(seen int64) {
	r.w = math.Exp(math.Log(r.uniform()) / float64(r.n))
	r.skip(seen)
}

// advance moves on after the row seen was taken.
func (r *reservoirSkips) advance(seen int64) {
	r.w *= math.Exp(math.Log(r.uniform()) / float64(r.n))
	r.skip(seen)
}

func (r *reservoirSkips) skip(seen int64) {
	gap := math.Floor(math.Log(r.uniform()) / math.Log1p(-r.w))
	if math.IsNaN(gap) || gap > math.MaxInt64/2 {
		gap = math.MaxInt64 / 2
	}
	r.next = seen + int64(gap) + 1
}

// uniform is a random number in (0, 1], whose logarithm is finite.
func (r *reservoirSkips) uniform() float64 { return 1 - r.rng.Float64() }

// choosePages returns n of the page numbers 0 to total-1 (all of them
// when total <= n), ascending, each page as likely to be among them as
// any other: Knuth's Algorithm S (TAOCP 3.4.2), the selection sampling of
// PostgreSQL's BlockSampler, which takes page i with probability (pages
// still wanted) / (pages left).
func choosePages(rng *rand.Rand, total, n int) []int {
	out := make([]int, 0, min(total, n))
	for i := 0; i < total && len(out) < n; i++ {
		if total-i <= n-len(out) || float64(total-i)*rng.Float64() < float64(n-len(out)) {
			out = append(out, i)
		}
	}
	return out
}

// orderable reports whether values of t have a total order ANALYZE may
// build a histogram on and compute a correlation over (PostgreSQL's
// compute_scalar_stats); others get only the most common values.
func orderable(t types.T) bool {
	return !t.IsGeometric() && t.ID != types.JSONType && t.ID != types.Record
}

// equatable reports whether values of t can be compared for equality at
// all (json cannot: PostgreSQL's compute_trivial_stats).
func equatable(t types.T) bool {
	return t.ID != types.JSONType && t.ID != types.PointType
}

// datumWidth is the bytes PostgreSQL would store v in (VARSIZE_ANY of a
// variable-length value, with its short header when it fits one).
func datumWidth(t types.T, v types.Datum) int {
	if info, ok := types.Lookup(t.ID); ok && info.Len > 0 {
		return int(info.Len)
	}
	var n int
	switch x := v.(type) {
	case string:
		n = len(x)
	default:
		text := types.FormatText(t, v)
		n = len(text)
		if t.ID == types.Numeric {
			n = 2 + 2*numericDigits(text)
		}
	}
	if n+1 < 127 {
		return n + 1
	}
	return n + 4
}

// numericDigits is the base-10000 digits PostgreSQL stores a numeric
// written as text in: groups of four decimal digits aligned on the
// decimal point, without the leading and trailing groups of zeros.
func numericDigits(text string) int {
	text = strings.TrimPrefix(text, "-")
	intPart, frac, _ := strings.Cut(text, ".")
	if strings.ContainsAny(intPart, "eEaN") { // NaN, Infinity
		return 0
	}
	for len(intPart)%4 != 0 {
		intPart = "0" + intPart
	}
	for len(frac)%4 != 0 {
		frac += "0"
	}
	var groups []string
	for k := 0; k < len(intPart); k += 4 {
		groups = append(groups, intPart[k:k+4])
	}
	for k := 0; k < len(frac); k += 4 {
		groups = append(groups, frac[k:k+4])
	}
	for len(groups) > 0 && groups[0] == "0000" {
		groups = groups[1:]
	}
	for len(groups) > 0 && groups[len(groups)-1] == "0000" {
		groups = groups[:len(groups)-1]
	}
	return len(groups)
}

// computeColumnStats computes column c's (the i-th) statistics over
// sample, drawn from a table of total rows, as PostgreSQL's
// compute_scalar_stats, compute_distinct_stats and compute_trivial_stats
// do with statistics target target.
func computeColumnStats(c catalog.ColumnDesc, i int, sample [][]types.Datum, total int64, target int) catalog.ColumnStatistics {
	cs := catalog.ColumnStatistics{Name: c.Name, Type: c.Type}
	type value struct {
		v     types.Datum
		tupno int
	}
	var vals []value
	nulls, width := 0, 0
	for _, row := range sample {
		var v types.Datum
		if i < len(row) {
			v = row[i]
		}
		if v == nil {
			nulls++
			continue
		}
		width += datumWidth(c.Type, v)
		vals = append(vals, value{v, len(vals)})
	}
	samplerows := len(sample)
	if samplerows == 0 {
		return cs
	}
	// PostgreSQL keeps the fraction as a real, and computes with that.
	cs.NullFrac = float64(float32(float64(nulls) / float64(samplerows)))
	if len(vals) == 0 {
		// Only NULLs: the column is taken to be entirely NULL.
		if info, ok := types.Lookup(c.Type.ID); ok && info.Len > 0 {
			cs.AvgWidth = int32(info.Len)
		}
		return cs
	}
	cs.AvgWidth = int32(float64(width) / float64(len(vals))) // truncated, as PostgreSQL stores it
	if !equatable(c.Type) {
		return cs
	}
	// Group equal values: sorted when the type is ordered, else in the
	// order first met.
	scalar := orderable(c.Type)
	type group struct {
		v     types.Datum
		count int
		first int // position in the sorted values
	}
	var groups []group
	if scalar {
		slices.SortStableFunc(vals, func(a, b value) int {
			if r := types.Compare(a.v, b.v); r != 0 {
				return r
			}
			return a.tupno - b.tupno
		})
		for k, v := range vals {
			if k > 0 && types.Compare(vals[k-1].v, v.v) == 0 {
				groups[len(groups)-1].count++
				continue
			}
			groups = append(groups, group{v: v.v, count: 1, first: k})
		}
	} else {
		index := map[string]int{}
		for _, v := range vals {
			key := string(appendGroupKey(nil, v.v))
			if g, ok := index[key]; ok {
				groups[g].count++
				continue
			}
			index[key] = len(groups)
			groups = append(groups, group{v: v.v, count: 1})
		}
	}
	ndistinct, nmultiple := len(groups), 0
	for _, g := range groups {
		if g.count > 1 {
			nmultiple++
		}
	}
	cs.Distinct = estimateDistinct(ndistinct, nmultiple, len(vals), samplerows, float64(total), cs.NullFrac)

	// The most common values: those met more than once, most common
	// first (equally common in value order), at most target of them.
	track := make([]group, 0, nmultiple)
	for _, g := range groups {
		if g.count > 1 {
			track = append(track, g)
		}
	}
	slices.SortStableFunc(track, func(a, b group) int { return b.count - a.count })
	numMCV := target
	if len(track) == ndistinct && cs.Distinct > 0 && len(track) <= numMCV {
		numMCV = len(track) // every value fits in the list
	} else {
		numMCV = min(numMCV, len(track))
		counts := make([]int, numMCV)
		for k := range counts {
			counts[k] = track[k].count
		}
		numMCV = analyzeMCVList(counts, cs.Distinct, cs.NullFrac, samplerows, float64(total))
	}
	if numMCV > 0 {
		mcv := make([]types.Datum, numMCV)
		cs.MCF = make([]float64, numMCV)
		for k := range mcv {
			mcv[k] = track[k].v
			cs.MCF[k] = float64(track[k].count) / float64(samplerows)
		}
		cs.MCV = types.EncodeRow(mcv)
	}
	if !scalar {
		return cs
	}

	// The histogram: bounds of buckets of equal population over the
	// values that are not most common.
	numHist := ndistinct - numMCV
	if numHist > target {
		numHist = target + 1
	}
	if numHist >= 2 {
		inMCV := func(v types.Datum) bool {
			for k := range numMCV {
				if types.Compare(track[k].v, v) == 0 {
					return true
				}
			}
			return false
		}
		rest := make([]types.Datum, 0, len(vals))
		for _, g := range groups {
			if numMCV > 0 && inMCV(g.v) {
				continue
			}
			for range g.count {
				rest = append(rest, g.v)
			}
		}
		nvals := len(rest)
		delta, deltaFrac := (nvals-1)/(numHist-1), (nvals-1)%(numHist-1)
		hist := make([]types.Datum, numHist)
		pos, posFrac := 0, 0
		for k := range hist {
			hist[k] = rest[pos]
			pos += delta
			posFrac += deltaFrac
			if posFrac >= numHist-1 {
				pos++
				posFrac -= numHist - 1
			}
		}
		cs.Histogram = types.EncodeRow(hist)
	}

	// The correlation between the sorted position of each value and its
	// position in the sample (the scan's order).
	if n := float64(len(vals)); len(vals) > 1 {
		var xy float64
		for k, v := range vals {
			xy += float64(k) * float64(v.tupno)
		}
		xsum := (n - 1) * n / 2
		x2sum := (n - 1) * n * (2*n - 1) / 6
		corr := (n*xy - xsum*xsum) / (n*x2sum - xsum*xsum)
		cs.Correlation = &corr
	}
	return cs
}

// estimateDistinct is PostgreSQL's estimate of a column's distinct
// values from a sample of samplerows rows (nonnull of them not NULL)
// holding ndistinct distinct values, nmultiple of them more than once:
// all distinct when none repeats; exactly those seen when every one
// repeats; else the Haas-Stokes Duj1 estimator. Above a tenth of the
// rows it is given as minus a fraction of the rows, to scale with the
// table.
func estimateDistinct(ndistinct, nmultiple, nonnull, samplerows int, totalrows, nullFrac float64) float64 {
	var d float64
	switch {
	case nmultiple == 0:
		d = -1 * (1 - nullFrac)
	case nmultiple == ndistinct:
		d = float64(ndistinct)
	default:
		f1 := float64(ndistinct - nmultiple)
		dd := float64(ndistinct)
		n := float64(nonnull)
		N := totalrows * (1 - nullFrac)
		est := 0.0
		if N > 0 {
			est = (n * dd) / ((n - f1) + f1*n/N)
		}
		est = math.Min(math.Max(est, dd), N)
		d = math.Floor(est + 0.5)
	}
	if d > 0.1*totalrows {
		d = -(d / totalrows)
	}
	return d
}

// analyzeMCVList decides how many of the candidate most common values
// (counts, most common first) to keep: all when the whole table was
// sampled, else those significantly more common than the values left
// out would be on average (PostgreSQL's analyze_mcv_list).
func analyzeMCVList(counts []int, stadistinct, nullFrac float64, samplerows int, totalrows float64) int {
	num := len(counts)
	if float64(samplerows) == totalrows || num == 0 {
		return num
	}
	ndistinct := stadistinct
	if ndistinct < 0 {
		ndistinct = -ndistinct * totalrows
	}
	sum := 0.0
	for k := 0; k < num-1; k++ {
		sum += float64(counts[k])
	}
	n, N := float64(samplerows), totalrows
	for num > 0 {
		selec := math.Min(math.Max(1-sum/n-nullFrac, 0), 1)
		if other := ndistinct - float64(num-1); other > 1 {
			selec /= other
		}
		K := N * float64(counts[num-1]) / n
		variance := n * K * (N - K) * (N - n) / (N * N * (N - 1))
		if float64(counts[num-1]) > selec*n+2*math.Sqrt(variance)+0.5 {
			break
		}
		num--
		if num == 0 {
			break
		}
		sum -= float64(counts[num-1])
	}
	return num
}

// dropStatistics deletes the statistics of table, dropped, in x's
// transaction; with column set, only that column's, dropped from it.
func dropStatistics(x *execCtx, table uint32, column string) error {
	st, err := x.s.e.cat.Statistics(x.snap, table)
	if err != nil || st == nil {
		return err
	}
	var keep *catalog.TableStatistics
	if column != "" {
		keep = &catalog.TableStatistics{Table: st.Table, Rows: st.Rows, Pages: st.Pages}
		for _, c := range st.Columns {
			if c.Name != column {
				keep.Columns = append(keep.Columns, c)
			}
		}
		if len(keep.Columns) == len(st.Columns) {
			return nil
		}
	}
	x.s.e.statsCache.forget(table)
	return x.s.e.cat.ReplaceStatistics(x.op(), x.later().op(), st.Tuple, keep)
}

// A table is analyzed in the background (Engine.AutoVacuum) once the rows
// inserted, updated and deleted since its last analysis reach
// autoanalyzeMin plus autoanalyzeScaleFactor times its rows then
// (PostgreSQL's autovacuum_analyze_threshold and
// autovacuum_analyze_scale_factor defaults), so that the statistics
// follow a table that changes.
// A table is analyzed in the background at most once per
// autoanalyzeNaptime (PostgreSQL's autovacuum_naptime), since each
// analysis reads the whole table and makes every cached plan again.
const (
	autoanalyzeMin         = 50
	autoanalyzeScaleFactor = 0.1
	autoanalyzeNaptime     = time.Minute
)

// autoAnalyze analyzes the tables changed enough since their last
// analysis, each in a transaction of its own, and returns how many.
func (e *Engine) autoAnalyze() (int, error) {
	tables, err := e.cat.All(e.tm.ReadSnapshot())
	if err != nil {
		return 0, err
	}
	counts := e.heap.TableCounts()
	done := 0
	for _, t := range tables {
		if !analyzable(t) || t.Persistence() == "t" {
			continue // a session's temporary table is its own to analyze
		}
		c := counts[t.StorageID()]
		mods := c.Inserted + c.Updated + c.Deleted
		base, rows, last := e.tableAct.analyzedAt(t.ID)
		if !last.IsZero() && e.now().Sub(last) < autoanalyzeNaptime {
			continue
		}
		if mods < base {
			base = 0 // the table was rewritten into new storage
		}
		if float64(mods-base) < autoanalyzeMin+autoanalyzeScaleFactor*rows {
			continue
		}
		err := e.analyzeInTxn(context.Background(), t, nil, defaultStatisticsTarget, txn.NoWait)
		if errors.Is(err, txn.ErrLockNotAvailable) {
			continue // DDL holds the table: the next pass analyzes it
		}
		if err != nil {
			return done, err
		}
		live := float64(c.Inserted) - float64(c.Deleted)
		e.tableAct.noteAutoanalyze(t.ID, e.now(), mods, live)
		done++
	}
	return done, nil
}
