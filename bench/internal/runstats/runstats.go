package runstats

import (
	"fmt"
	"slices"
)

// Median returns the median of xs (the mean of the middle two for an even
// count); xs is not changed.
func Median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// Spread is the slowest and fastest run over the median, as
// "(0.95–1.03)", or "" for fewer than two runs.
func Spread(xs []float64) string {
	if len(xs) < 2 {
		return ""
	}
	m := Median(xs)
	return fmt.Sprintf("(%.2f–%.2f)", slices.Min(xs)/m, slices.Max(xs)/m)
}
