//go:build !linux || !cgo

package parser

// ReleaseMemory does nothing where the C library has no malloc_trim.
func ReleaseMemory() {}
