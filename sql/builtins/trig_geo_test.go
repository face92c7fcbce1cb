package builtins

import (
	"math"
	"testing"
)

// TestSinCos checks sin and cos against values the C library gives
// (PostgreSQL 15's sin() and cos() give them; polygon(circle) uses them).
func TestSinCos(t *testing.T) {
	pi := math.Pi // in float64 arithmetic, not as a constant expression
	step := 2 * pi / 12
	for _, c := range []struct {
		x        float64
		sin, cos float64
	}{
		{math.Pi / 2, 1, 6.123233995736766e-17},
		{step * 7, -0.4999999999999997, -0.8660254037844388},
		{step * 10, -0.866025403784439, 0.49999999999999933},
		{0.5, 0.479425538604203, 0.8775825618903728},
		{-3, -0.1411200080598672, -0.9899924966004454},
	} {
		if got := sin(c.x); got != c.sin {
			t.Errorf("sin(%v) = %v, want %v", c.x, got, c.sin)
		}
		if got := cos(c.x); got != c.cos {
			t.Errorf("cos(%v) = %v, want %v", c.x, got, c.cos)
		}
	}
}
