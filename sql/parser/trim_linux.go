//go:build linux && cgo

package parser

/*
#include <malloc.h>
*/
import "C"

// ReleaseMemory hands the C heap's free memory back to the operating
// system (glibc keeps what the C parser freed for reuse otherwise). A
// server calls it when it goes idle after large parses.
func ReleaseMemory() { C.malloc_trim(0) }
