package runstats

import "testing"

func TestMedianSpread(t *testing.T) {
	tests := []struct {
		xs     []float64
		median float64
		spread string
	}{
		{[]float64{3}, 3, ""},
		{[]float64{4, 1, 2}, 2, "(0.50–2.00)"},
		{[]float64{1, 3, 2, 4}, 2.5, "(0.40–1.60)"},
	}
	for _, tt := range tests {
		if m := Median(tt.xs); m != tt.median {
			t.Errorf("Median(%v) = %v, want %v", tt.xs, m, tt.median)
		}
		if s := Spread(tt.xs); s != tt.spread {
			t.Errorf("Spread(%v) = %q, want %q", tt.xs, s, tt.spread)
		}
	}
}
