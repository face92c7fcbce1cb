package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
)

// readHBA reads the client authentication rules of --hba-file ("" when
// none is given). cairn.ServeOptions.Check parses them, and refuses a
// server listening beyond loopback without any: pgwire's defaults trust
// the Unix socket and loopback clients only.
func readHBA(file string) (string, error) {
	if file == "" {
		return "", nil
	}
	text, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("reading --hba-file: %w", err)
	}
	if len(text) == 0 {
		return "", fmt.Errorf("%s has no rules: no client could connect", file)
	}
	return string(text), nil
}

// reservedOption maps --superuser-reserved-connections to pgwire's
// option, where zero means the default.
func reservedOption(n int) int {
	if n == 0 {
		return -1
	}
	return n
}

// versionString is what `cairn version` prints: the PostgreSQL version
// cairn speaks as, the module version and VCS revision it was built from,
// and the Go version.
func versionString() string {
	mod, rev, dirty := "(devel)", "", ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			mod = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					dirty = "+dirty"
				}
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	out := "cairn " + mod
	if rev != "" {
		out += " (" + rev + dirty + ")"
	}
	return out + ", PostgreSQL 15.18 protocol, " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH
}
