package sql

import (
	"fmt"

	"github.com/cairndb/cairn/internal/pgerr"
)

// checkServerSettings checks and normalizes Options.Settings as SET
// would (read-only settings with a context included), so that sessions
// start from valid values.
func (e *Engine) checkServerSettings() error {
	if len(e.opts.Settings) == 0 {
		return nil
	}
	out := make(map[string]string, len(e.opts.Settings))
	for name, v := range e.opts.Settings {
		def, ok := settingsTable[name]
		if !ok || def.readOnly && def.context == "" {
			return fmt.Errorf("sql: server setting %q: %w", name, pgerr.New(pgerr.UndefinedObject, "unrecognized or fixed configuration parameter \"%s\"", name))
		}
		if def.check != nil {
			checked, err := def.check(v)
			if err == errInvalidValue {
				err = pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter \"%s\": \"%s\"", name, v)
			}
			if err != nil {
				return fmt.Errorf("sql: server setting %q: %w", name, err)
			}
			v = checked
		}
		out[name] = v
	}
	e.opts.Settings = out
	return nil
}

// applyServerSettings gives a new session the server's settings, as its
// values and its reset values.
func (s *Session) applyServerSettings() {
	for name, v := range s.e.opts.Settings {
		s.settings[name] = v
		if s.resetVals == nil {
			s.resetVals = make(map[string]string)
		}
		s.resetVals[name] = v
		s.noteResetSource(name, sourceCommandLine)
	}
}

// ServerSetting returns the server's value of setting name (its
// Options.Settings value or its default), for the layers that act on
// settings no session changes (log_connections, log_checkpoints).
func (e *Engine) ServerSetting(name string) string {
	if v, ok := e.opts.Settings[name]; ok {
		return v
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
	}
	return pgerr.New(pgerr.CantChangeRuntimeParam, "parameter \"%s\" cannot be changed", name)
}
