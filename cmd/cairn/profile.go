package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
)

// profiles are the runtime profiles cairn serve writes when it stops:
// allocations (--memprofile), mutex contention (--mutexprofile) and
// blocking (--blockprofile), each for go tool pprof. An empty name
// leaves that profile off (mutex and block sampling cost a little on
// every contended lock, so they are off by default).
type profiles struct {
	mem, mutex, block string
}

// start turns on the sampling the chosen profiles need.
func (p profiles) start() {
	if p.mutex != "" {
		runtime.SetMutexProfileFraction(5)
	}
	if p.block != "" {
		// One sample per 10 µs spent blocked.
		runtime.SetBlockProfileRate(10_000)
	}
}

// write writes each chosen profile to its file.
func (p profiles) write() error {
	for _, w := range []struct{ file, name string }{{p.mem, "allocs"}, {p.mutex, "mutex"}, {p.block, "block"}} {
		if w.file == "" {
			continue
		}
		f, err := os.Create(w.file)
		if err != nil {
			return fmt.Errorf("writing the %s profile: %w", w.name, err)
		}
		err = pprof.Lookup(w.name).WriteTo(f, 0)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("writing the %s profile: %w", w.name, err)
		}
	}
	return nil
}
