package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// logFlags are serve's logging flags: the log's format and level, and the
// PostgreSQL settings that say what is logged, which become the server's
// values of those settings (cairn.Options.Settings; sessions may change
// the per-session ones with SET).
type logFlags struct {
	format, level string
	// settings holds each setting flag's value; "" leaves the default.
	settings map[string]*string
}

// logSettingFlags are the settings with a flag of the same name (dashes
// for underscores).
var logSettingFlags = []struct{ name, usage string }{
	{"log_min_duration_statement", "log every statement that runs at least this long, e.g. 250ms (its text and duration, never parameter values); -1: none, 0: all (default -1)"},
	{"log_lock_waits", "log a lock wait that lasts longer than --deadlock-timeout (on|off, default off)"},
	{"deadlock_timeout", "how long a lock wait lasts before --log-lock-waits logs it (default 1s)"},
	{"log_checkpoints", "log each checkpoint with its duration (on|off, default on)"},
	{"log_connections", "log each connection and its authorization (on|off, default off)"},
	{"log_disconnections", "log each session's end and length (on|off, default off)"},
}

func (l *logFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&l.format, "log-format", "text", "format of the server log on stderr: text (key=value) or json")
	fs.StringVar(&l.level, "log-level", "info", "least severe messages logged: debug, info, warn or error")
	l.settings = make(map[string]*string)
	for _, s := range logSettingFlags {
		l.settings[s.name] = fs.String(strings.ReplaceAll(s.name, "_", "-"), "", s.usage)
	}
}

// setup returns the logger the flags describe, writing to w, and the
// settings they give.
func (l *logFlags) setup(w io.Writer) (*slog.Logger, map[string]string, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(l.level)); err != nil {
		return nil, nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", l.level)
	}
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler
	switch l.format {
	case "text":
		h = slog.NewTextHandler(w, opts)
	case "json":
		h = slog.NewJSONHandler(w, opts)
	default:
		return nil, nil, fmt.Errorf("--log-format %q: want text or json", l.format)
	}
	settings := make(map[string]string)
	for name, v := range l.settings {
		if *v != "" {
			settings[name] = *v
		}
	}
	return slog.New(h), settings, nil
}
