package sql

import (
	"errors"
	"os"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// pgFileSettings is pg_file_settings: the configuration file as it reads
// now, one row a setting, whether a reload would apply it and why not.
// A later line for the same name overrides an earlier one (applied
// false, no error); a value SET could not take or an unknown name has
// its error; a changed setting that needs a restart has "setting could
// not be applied". A line that does not parse is one row with only the
// file, line and error. Superusers only, as in PostgreSQL.
var pgFileSettings = &sysView{
	name: "pg_file_settings",
	cols: resultColumns(catalog.Cols("sourcefile", textT, "sourceline", int4T, "seqno", int4T, "name", textT,
		"setting", textT, "applied", boolT, "error", textT)),
	rows: func(x *execCtx) ([][]types.Datum, error) {
		if !x.s.isSuperuser() {
			return nil, pgerr.New(pgerr.InsufficientPrivilege, "permission denied for view pg_file_settings")
		}
		return x.s.e.fileSettingsRows()
	},
}

func init() { sessionSystemViews[pgFileSettings.name] = pgFileSettings }

func (e *Engine) fileSettingsRows() ([][]types.Datum, error) {
	path := e.opts.ConfigFile
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, pgerr.New(pgerr.IOError, "could not read configuration file \"%s\": %v", path, err)
	}
	entries, err := ParseConfig(path, data)
	if err != nil {
		var pe *pgerr.Error
		if !errors.As(err, &pe) {
			return nil, err
		}
		return [][]types.Datum{{path, nil, nil, nil, nil, false, pe.Message}}, nil
	}
	last := make(map[string]int, len(entries))
	for i, en := range entries {
		last[en.Name] = i
	}
	e.server.mu.RLock()
	current := e.server.vals
	e.server.mu.RUnlock()
	rows := make([][]types.Datum, 0, len(entries))
	for i, en := range entries {
		var errText types.Datum
		applied := last[en.Name] == i
		v, err := checkServerSetting(en.Name, en.Value)
		var pe *pgerr.Error
		switch {
		case errors.As(err, &pe):
			errText, applied = pe.Message, false
		case err != nil:
			return nil, err
		case applied && settingsTable[en.Name].context == "postmaster" && v != e.serverValue(current, en.Name):
			errText, applied = "setting could not be applied", false
		}
		rows = append(rows, []types.Datum{en.File, int64(en.Line), int64(i + 1), en.Name, en.Value, applied, errText})
	}
	return rows, nil
}

// serverValue is name's value among the server settings vals, or its
// default.
func (e *Engine) serverValue(vals map[string]serverSetting, name string) string {
	if v, ok := vals[name]; ok {
		return v.value
	}
	return settingsTable[name].def
}
