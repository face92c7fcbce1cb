package histogram

import "testing"

func TestObserve(t *testing.T) {
	h := New([]float64{1, 10, 100})
	for _, v := range []float64{0.5, 1, 2, 50, 1000} {
		h.Observe(v)
	}
	s := h.Snapshot()
	want := map[float64]uint64{1: 2, 10: 3, 100: 4}
	for b, n := range want {
		if s.Buckets[b] != n {
			t.Errorf("bucket le=%g: %d, want %d", b, s.Buckets[b], n)
		}
	}
	if s.Count != 5 || s.Sum != 1053.5 {
		t.Errorf("count %d sum %g, want 5 and 1053.5", s.Count, s.Sum)
	}
}

func TestExponential(t *testing.T) {
	got := Exponential(0.001, 10, 3)
	if len(got) != 3 || got[0] != 0.001 || got[2] < 0.0999 || got[2] > 0.1001 {
		t.Errorf("Exponential = %v", got)
	}
}
