package sql

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sort"
	"sync"

	"github.com/cairndb/cairn/internal/pgerr"
)

// The server's settings: Options.Settings (the command line) and the
// settings of Options.ConfigFile, which every new session starts from
// and RESET returns to. ReloadConfig re-reads the file (SIGHUP,
// pg_reload_conf()); its new values reach sessions that start after it,
// not the ones already running. The command line wins over the file, as
// in PostgreSQL.

// serverSetting is one server setting's value and where it came from.
type serverSetting struct {
	value  string
	source string // sourceCommandLine or sourceConfigFile
	file   string
	line   int
}

// serverSettings guards the engine's current server settings.
type serverSettings struct {
	mu   sync.RWMutex
	vals map[string]serverSetting
}

// sourceConfigFile is pg_settings.source of a configuration file's value.
const sourceConfigFile = "configuration file"

// checkServerSetting checks and normalizes the server value v of name as
// SET would (read-only settings with a context included).
func checkServerSetting(name, v string) (string, error) {
	def, ok := settingsTable[name]
	if !ok || def.readOnly && def.context == "" {
		return "", pgerr.New(pgerr.UndefinedObject, "unrecognized configuration parameter \"%s\"", name)
	}
	if def.check != nil {
		checked, err := def.check(v)
		if err == errInvalidValue {
			err = pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter \"%s\": \"%s\"", name, v)
		}
		if err != nil {
			return "", err
		}
		v = checked
	}
	return v, nil
}

// checkServerSettings checks Options.Settings and reads Options.ConfigFile
// into the engine's server settings, so that sessions start from valid
// values.
func (e *Engine) checkServerSettings() error {
	vals := make(map[string]serverSetting, len(e.opts.Settings))
	for name, v := range e.opts.Settings {
		checked, err := checkServerSetting(name, v)
		if err != nil {
			return fmt.Errorf("sql: server setting %q: %w", name, err)
		}
		vals[name] = serverSetting{value: checked, source: sourceCommandLine}
	}
	e.server.vals = vals
	if e.opts.ConfigFile == "" {
		return nil
	}
	fileVals, err := readConfigSettings(e.opts.ConfigFile)
	if err != nil {
		return err
	}
	e.server.vals = e.mergeConfig(fileVals)
	return nil
}

// readConfigSettings reads and checks the configuration file; any error
// names the file and line.
func readConfigSettings(path string) (map[string]serverSetting, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("sql: reading configuration file: %w", err)
	}
	entries, err := ParseConfig(path, data)
	if err != nil {
		return nil, err
	}
	out := make(map[string]serverSetting, len(entries))
	for _, en := range entries {
		v, err := checkServerSetting(en.Name, en.Value)
		var pe *pgerr.Error
		if err != nil && errors.As(err, &pe) {
			return nil, pgerr.New(pe.Code, "%s in file \"%s\" line %d", pe.Message, path, en.Line)
		} else if err != nil {
			return nil, err
		}
		out[en.Name] = serverSetting{value: v, source: sourceConfigFile, file: path, line: en.Line}
	}
	return out, nil
}

// mergeConfig returns the server settings with the file's values fileVals
// in place of the current file's: command-line values stay.
func (e *Engine) mergeConfig(fileVals map[string]serverSetting) map[string]serverSetting {
	out := make(map[string]serverSetting, len(fileVals)+len(e.opts.Settings))
	for name, v := range fileVals {
		out[name] = v
	}
	e.server.mu.RLock()
	for name, v := range e.server.vals {
		if v.source == sourceCommandLine {
			out[name] = v
		}
	}
	e.server.mu.RUnlock()
	return out
}

// ReloadConfig re-reads the configuration file, as PostgreSQL does on
// SIGHUP: sessions that start after it begin from its values. A file
// with an error changes nothing; the error says where it is. Without a
// configuration file there is nothing to reload.
func (e *Engine) ReloadConfig() error {
	if e.opts.ConfigFile == "" {
		return nil
	}
	if e.logger != nil {
		e.logger.Info("received SIGHUP, reloading configuration files", "file", e.opts.ConfigFile)
	}
	fileVals, err := readConfigSettings(e.opts.ConfigFile)
	if err != nil {
		if e.logger != nil {
			e.logger.Error("configuration file contains errors; no changes were applied", "file", e.opts.ConfigFile, "err", err)
		}
		return err
	}
	merged := e.mergeConfig(fileVals)
	e.server.mu.Lock()
	old := e.server.vals
	keepRestartSettings(merged, old, e.logger)
	e.server.vals = merged
	e.server.mu.Unlock()
	if e.logger != nil {
		names := make([]string, 0, len(merged))
		for name, v := range merged {
			if old[name].value != v.value {
				names = append(names, name)
			}
		}
		sort.Strings(names)
		for _, name := range names {
			e.logger.Info("parameter changed", "name", name, "value", merged[name].value)
		}
	}
	return nil
}

// keepRestartSettings puts back in merged the old values of the settings
// only a restart changes (context postmaster), logging each one the file
// changed, as PostgreSQL does.
func keepRestartSettings(merged, old map[string]serverSetting, logger *slog.Logger) {
	for name, def := range settingsTable {
		if def.context != "postmaster" {
			continue
		}
		was, hadOld := old[name]
		now, hasNew := merged[name]
		if was.value == now.value {
			continue
		}
		if logger != nil && (hasNew || hadOld) {
			logger.Warn(fmt.Sprintf("parameter \"%s\" cannot be changed without restarting the server", name))
		}
		if hadOld {
			merged[name] = was
		} else {
			delete(merged, name)
		}
	}
}

// applyServerSettings gives a new session the server's settings, as its
// values and its reset values.
func (s *Session) applyServerSettings() {
	s.e.server.mu.RLock()
	defer s.e.server.mu.RUnlock()
	for name, v := range s.e.server.vals {
		s.settings[name] = v.value
		if s.resetVals == nil {
			s.resetVals = make(map[string]string)
		}
		s.resetVals[name] = v.value
		s.noteResetSource(name, v.source)
		if v.file != "" {
			if s.resetFiles == nil {
				s.resetFiles = make(map[string]serverSetting)
			}
			s.resetFiles[name] = v
		}
	}
}

// ServerSetting returns the server's value of setting name (its
// Options.Settings value or its default), for the layers that act on
// settings no session changes (log_connections, log_checkpoints).
func (e *Engine) ServerSetting(name string) string {
	e.server.mu.RLock()
	defer e.server.mu.RUnlock()
	if v, ok := e.server.vals[name]; ok {
		return v.value
	}
	return settingsTable[name].def
}

// readOnlySettingError is SET's error for a setting it may not change,
// in PostgreSQL's words for the setting's context.
func readOnlySettingError(name string, def setting) error {
	switch def.context {
	case "backend":
		return pgerr.New(pgerr.CantChangeRuntimeParam, "parameter \"%s\" cannot be set after connection start", name)
	case "sighup":
		return pgerr.New(pgerr.CantChangeRuntimeParam, "parameter \"%s\" cannot be changed now", name)
	case "postmaster":
		return pgerr.New(pgerr.CantChangeRuntimeParam, "parameter \"%s\" cannot be changed without restarting the server", name)
	}
	return pgerr.New(pgerr.CantChangeRuntimeParam, "parameter \"%s\" cannot be changed", name)
}
