package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/cairndb/cairn/internal/membudget"
	"github.com/cairndb/cairn/sql/parser"
)

// byteSize is a flag value in bytes, written as PostgreSQL writes memory
// settings: a number with an optional unit (B, kB, MB, GB, TB; KiB, MiB,
// GiB, TiB are the same powers of 1024).
type byteSize int64

func (b *byteSize) String() string { return strconv.FormatInt(int64(*b), 10) }

func (b *byteSize) Set(s string) error {
	n, err := parseByteSize(s)
	if err != nil {
		return err
	}
	*b = byteSize(n)
	return nil
}

func parseByteSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i == 0 {
		return 0, fmt.Errorf("invalid size %q: want a number of bytes with an optional unit (kB, MB, GB, TB)", s)
	}
	n, err := strconv.ParseInt(t[:i], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("invalid size %q: %w", s, err)
	}
	shift := 0
	switch unit := strings.TrimSpace(t[i:]); strings.ToLower(unit) {
	case "", "b":
	case "kb", "kib":
		shift = 10
	case "mb", "mib":
		shift = 20
	case "gb", "gib":
		shift = 30
	case "tb", "tib":
		shift = 40
	default:
		return 0, fmt.Errorf("invalid size %q: unknown unit %q (kB, MB, GB, TB)", s, unit)
	}
	if n > (1<<62)>>shift {
		return 0, fmt.Errorf("invalid size %q: too large", s)
	}
	return n << shift, nil
}

// memoryLimitDefault is three quarters of the memory the process may use:
// the cgroup's limit when there is one, else the machine's.
func memoryLimitDefault() (int64, error) {
	total, err := physicalMemory()
	if err != nil {
		return 0, err
	}
	if b, err := os.ReadFile("/sys/fs/cgroup/memory.max"); err == nil {
		if n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && n < total {
			total = n
		}
	}
	return total / 4 * 3, nil
}

func physicalMemory() (int64, error) {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0, fmt.Errorf("reading the machine's memory size (give --memory-limit): %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemTotal:" {
			kb, err := strconv.ParseInt(fields[1], 10, 64)
			if err != nil {
				break
			}
			return kb << 10, nil
		}
	}
	return 0, errors.New("reading the machine's memory size: no MemTotal in /proc/meminfo (give --memory-limit)")
}

// Shares of --memory-limit. The Go runtime's soft limit is the whole of
// it; the budget for what clients make the server hold (message bodies,
// parse trees, the rows and states statements materialize) is half, which
// leaves the rest for the block cache, memtables, the runtime's own
// overhead and garbage not yet collected.
const memoryBudgetShare = 2

// memoryGovernor applies --memory-limit: the runtime's soft limit, and the
// budget the server and the database share. When the budget goes idle after
// large reservations, freed memory goes back to the operating system.
func memoryGovernor(limit int64) *membudget.Budget {
	debug.SetMemoryLimit(limit)
	return membudget.New(limit/memoryBudgetShare, membudget.Options{OnIdle: func() {
		debug.FreeOSMemory()
		parser.ReleaseMemory()
	}})
}
