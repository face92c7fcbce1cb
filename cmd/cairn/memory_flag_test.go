package main

import "testing"

func TestParseByteSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"1024", 1024, true}, {"512MB", 512 << 20, true}, {"4GB", 4 << 30, true}, {"4 GiB", 4 << 30, true},
		{"64kB", 64 << 10, true}, {"1TB", 1 << 40, true}, {"7b", 7, true},
		{"", 0, false}, {"MB", 0, false}, {"12XB", 0, false}, {"-1GB", 0, false}, {"1.5GB", 0, false},
		{"99999999999999999999", 0, false}, {"9999999999TB", 0, false},
	}
	for _, tt := range tests {
		got, err := parseByteSize(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseByteSize(%q) = %d, %v; want %d, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}
