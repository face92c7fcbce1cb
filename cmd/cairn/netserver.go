package main

import (
	"fmt"
	"net"
	"os"
	"runtime"
	"runtime/debug"

	"github.com/cairndb/cairn/pgwire"
)

// loadHBA reads the client authentication rules of --hba-file. Without
// one the server uses pgwire's defaults (trust over the Unix socket and
// from loopback only), which a server listening on other addresses must
// not: it refuses to start rather than turn away, or worse trust, every
// remote client.
func loadHBA(file, listenHost string) ([]pgwire.HBARule, error) {
	if file == "" {
		if !loopbackHost(listenHost) {
			return nil, fmt.Errorf("--listen %s accepts connections from other hosts, but no --hba-file says how they authenticate; "+
				"give one (e.g. \"hostssl all all 0.0.0.0/0 scram-sha-256\", with --tls-cert and --tls-key), or listen on 127.0.0.1", listenHost)
		}
		return nil, nil
	}
	text, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("reading --hba-file: %w", err)
	}
	rules, err := pgwire.ParseHBA(string(text))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if len(rules) == 0 {
		return nil, fmt.Errorf("%s has no rules: no client could connect", file)
	}
	return rules, nil
}

// loopbackHost reports whether a --listen host accepts loopback clients
// only.
func loopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
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
