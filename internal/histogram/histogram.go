package histogram

import (
	"math"
	"sort"
	"sync/atomic"
)

// Histogram counts observations into buckets with fixed upper bounds. The
// zero value is not usable; use New. It is safe for concurrent use.
type Histogram struct {
	bounds  []float64       // ascending upper bounds; +Inf is implicit
	counts  []atomic.Uint64 // per bucket (not cumulative), len(bounds)+1
	count   atomic.Uint64
	sumBits atomic.Uint64 // float64 bits of the sum
}

// New returns a histogram with the given ascending upper bounds.
func New(bounds []float64) *Histogram {
	if !sort.Float64sAreSorted(bounds) {
		panic("histogram: bounds are not ascending")
	}
	return &Histogram{bounds: append([]float64(nil), bounds...), counts: make([]atomic.Uint64, len(bounds)+1)}
}

// Exponential returns n bounds starting at start, each factor times the
// one before.
func Exponential(start, factor float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = start
		start *= factor
	}
	return out
}

// Observe records one observation of v.
func (h *Histogram) Observe(v float64) {
	i := sort.SearchFloat64s(h.bounds, v) // first bound >= v
	h.counts[i].Add(1)
	h.count.Add(1)
	for {
		old := h.sumBits.Load()
		if h.sumBits.CompareAndSwap(old, math.Float64bits(math.Float64frombits(old)+v)) {
			return
		}
	}
}

// Snapshot is a histogram's state: Buckets maps each upper bound to the
// number of observations at or below it (cumulative, without +Inf, whose
// count is Count).
type Snapshot struct {
	Count   uint64
	Sum     float64
	Buckets map[float64]uint64
}

// Snapshot returns the histogram's current state.
func (h *Histogram) Snapshot() Snapshot {
	s := Snapshot{Buckets: make(map[float64]uint64, len(h.bounds))}
	var cum uint64
	for i, b := range h.bounds {
		cum += h.counts[i].Load()
		s.Buckets[b] = cum
	}
	s.Count = cum + h.counts[len(h.bounds)].Load()
	s.Sum = math.Float64frombits(h.sumBits.Load())
	return s
}
