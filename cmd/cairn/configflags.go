package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/cairndb/cairn"
	"github.com/cairndb/cairn/sql"
)

// settingFlags are serve's -c name=value flags, PostgreSQL's postgres -c:
// server settings given on the command line, which win over the
// configuration file.
type settingFlags map[string]string

func (s settingFlags) String() string { return "" }

func (s settingFlags) Set(v string) error {
	name, value, ok := strings.Cut(v, "=")
	name = strings.ToLower(strings.TrimSpace(name))
	if !ok || name == "" {
		return fmt.Errorf("want name=value, not %q", v)
	}
	s[name] = value
	return nil
}

// configFileName is the configuration file serve reads from the data
// directory when --config does not name one.
const configFileName = "cairn.conf"

// configFile returns the configuration file to read: flagValue, or
// cairn.conf in the data directory when there is one; "" for none.
func configFile(flagValue, data string) (string, error) {
	if flagValue != "" || data == ":memory:" {
		return flagValue, nil
	}
	path := filepath.Join(data, configFileName)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return "", nil
	} else if err != nil {
		return "", err
	}
	return path, nil
}

// registerConfigFlags adds --config and -c to serve's flags.
func registerConfigFlags(fs *flag.FlagSet, settings settingFlags) *string {
	fs.Var(settings, "c", "set a server setting, name=value (repeatable; wins over the configuration file)")
	return fs.String("config", "", "configuration file in postgresql.conf's format, re-read on SIGHUP (default: "+configFileName+" in the data directory, if there is one)")
}

// reloadOnSIGHUP re-reads db's configuration file on each SIGHUP until
// the returned function is called.
func reloadOnSIGHUP(db *cairn.DB) (stop func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-ch:
				_ = db.ReloadConfig() // logged by ReloadConfig; the old settings stay
			case <-done:
				return
			}
		}
	}()
	return func() {
		signal.Stop(ch)
		close(done)
	}
}

// connectionLimits sets the connection limits (max_connections,
// superuser_reserved_connections, chosen at start) from -c or the
// configuration file, unless their flag (--max-connections, ...) was
// given, which then is the command line's value of the setting.
func connectionLimits(fs *flag.FlagSet, settings map[string]string, confFile string, limits map[string]*int) error {
	given := make(map[string]bool)
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	fileVals := make(map[string]string)
	if confFile != "" {
		data, err := os.ReadFile(confFile)
		if err != nil {
			return fmt.Errorf("reading configuration file: %w", err)
		}
		entries, err := sql.ParseConfig(confFile, data)
		if err != nil {
			return err
		}
		for _, e := range entries {
			fileVals[e.Name] = e.Value
		}
	}
	for name, limit := range limits {
		if given[strings.ReplaceAll(name, "_", "-")] {
			settings[name] = strconv.Itoa(*limit)
			continue
		}
		v, ok := settings[name]
		if !ok {
			v, ok = fileVals[name]
		}
		if !ok {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return fmt.Errorf("invalid value for parameter \"%s\": \"%s\"", name, v)
		}
		*limit = n
	}
	return nil
}
