package sql

import (
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// Per-role and per-database parameter defaults, as PostgreSQL keeps them
// in pg_db_role_setting: ALTER ROLE {role | ALL} [IN DATABASE db] SET
// name = value and ALTER DATABASE db SET name = value store "name=value"
// in the row of their (database, role) pair; RESET removes it, RESET ALL
// the row. A new session applies them before its startup parameters,
// from the least specific to the most: ALTER ROLE ALL, the database's,
// the role's, then the role's in that database; what it applies becomes
// what RESET returns to.

type alterRoleSetPlan struct{ stmt *ast.AlterRoleSetStmt }

func (p *alterRoleSetPlan) columns() []Column { return nil }

func (p *alterRoleSetPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	st := p.stmt
	super, createRole, err := x.roleRights()
	if err != nil {
		return nil, err
	}
	var key catalog.DBRoleSetting
	if st.Database != "" {
		oid, ok := catalog.DatabaseOID(x.s.e.opts.Databases, st.Database).(int64)
		if !ok {
			return nil, pgerr.New(pgerr.InvalidCatalogName, "database \"%s\" does not exist", st.Database)
		}
		key.Database = uint32(oid)
	}
	switch {
	case st.AlterDatabase:
		// Every database is owned by the bootstrap superuser.
		if !super {
			return nil, pgerr.New(pgerr.InsufficientPrivilege, "must be owner of database %s", st.Database)
		}
	case st.Role == nil:
		if !super {
			return nil, pgerr.New(pgerr.InsufficientPrivilege, "must be superuser to alter settings globally")
		}
	default:
		role, ok, err := x.lookupRoleSpec(*st.Role)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, pgerr.New(pgerr.UndefinedObject, "role \"%s\" does not exist", st.Role.Name)
		}
		if role.Tuple == nil && role.OID != types.OIDBootstrapSuperuser {
			return nil, pgerr.New(pgerr.ReservedName, "role name \"%s\" is reserved", role.Name).WithDetail("Cannot alter reserved roles.")
		}
		switch {
		case role.Superuser && !super:
			return nil, pgerr.New(pgerr.InsufficientPrivilege, "must be superuser to alter superusers")
		case !role.Superuser && !createRole && role.Name != x.s.currentUser():
			return nil, pgerr.New(pgerr.InsufficientPrivilege, "permission denied")
		}
		key.Role = role.OID
	}
	entry, err := x.s.settingEntry(st)
	if err != nil {
		return nil, err
	}
	rows, err := x.s.e.cat.DBRoleSettings(x.snap)
	if err != nil {
		return nil, err
	}
	updated := catalog.DBRoleSetting{Database: key.Database, Role: key.Role}
	var old *catalog.StoredDBRoleSetting
	for i := range rows {
		if rows[i].Database == key.Database && rows[i].Role == key.Role {
			old = &rows[i]
			updated.Config = append([]string(nil), old.Config...)
		}
	}
	name := strings.ToLower(st.Set.Name)
	if st.Set.Reset && name == "all" {
		// A role that is not a superuser cannot remove what it could not
		// have set: the superuser-only entries stay.
		var kept []string
		for _, e := range updated.Config {
			if n, _, _ := strings.Cut(e, "="); !super && storedSettingNeedsSuperuser(strings.ToLower(n)) {
				kept = append(kept, e)
			}
		}
		updated.Config = kept
	} else {
		updated.Config = replaceSettingEntry(updated.Config, name, entry)
	}
	if old == nil && len(updated.Config) == 0 {
		return &Result{Tag: st.Tag()}, nil
	}
	var oldTuple []byte
	if old != nil {
		oldTuple = old.Tuple
	}
	if err := x.s.e.cat.ReplaceDBRoleSetting(x.op(), x.later().op(), oldTuple, updated); err != nil {
		return nil, err
	}
	x.s.wroteCatalog = true
	return &Result{Tag: st.Tag()}, nil
}

// settingEntry checks the SET of an ALTER ROLE/DATABASE ... SET as SET
// would check it and returns the "name=value" PostgreSQL stores for it;
// "" for RESET and SET ... TO DEFAULT.
func (s *Session) settingEntry(st *ast.AlterRoleSetStmt) (string, error) {
	name := strings.ToLower(st.Set.Name)
	if st.Set.Reset && name == "all" {
		return "", nil
	}
	def, known := settingsTable[name]
	switch {
	case known && def.readOnly:
		return "", pgerr.New(pgerr.CantChangeRuntimeParam, "parameter \"%s\" cannot be changed", name)
	case !known && !strings.Contains(name, "."):
		return "", pgerr.New(pgerr.UndefinedObject, "unrecognized configuration parameter \"%s\"", name)
	case !known && !customSettingName(name):
		return "", pgerr.New(pgerr.InvalidName, "invalid configuration parameter name \"%s\"", name).
			WithDetail("Custom parameter names must be two or more simple identifiers separated by dots.")
	}
	if storedSettingNeedsSuperuser(name) && !s.isSuperuser() {
		return "", pgerr.New(pgerr.InsufficientPrivilege, "permission denied to set parameter \"%s\"", name)
	}
	canonical := name
	if known && def.name != "" {
		canonical = def.name
	}
	if st.FromCurrent {
		// The session's value, as SHOW shows it, which SET accepts back.
		_, v, ok := s.settingValue(name)
		if !ok {
			return "", pgerr.New(pgerr.UndefinedObject, "unrecognized configuration parameter \"%s\"", name)
		}
		return canonical + "=" + v, nil
	}
	if st.Set.Value == nil {
		return "", nil
	}
	vals := make([]string, len(st.Set.Value))
	for i, v := range st.Set.Value {
		if listQuotedSetting[name] && i < len(st.StringArgs) && st.StringArgs[i] {
			v = parser.QuoteIdent(v)
		}
		vals[i] = v
	}
	value := strings.Join(vals, ", ")
	if known && def.check != nil {
		checked := strings.Join(st.Set.Value, ", ")
		if _, err := def.check(checked); err != nil {
			if err == errInvalidValue {
				return "", pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter \"%s\": \"%s\"", name, checked)
			}
			return "", err
		}
	}
	return canonical + "=" + value, nil
}

// listQuotedSetting are the list parameters whose string elements
// PostgreSQL quotes as identifiers when it stores them (GUC_LIST_QUOTE).
var listQuotedSetting = map[string]bool{
	"search_path": true, "temp_tablespaces": true, "session_preload_libraries": true,
	"shared_preload_libraries": true, "local_preload_libraries": true,
}

// replaceSettingEntry returns config with name's entry replaced by entry
// in place, appended when it had none, or removed when entry is "".
func replaceSettingEntry(config []string, name, entry string) []string {
	out := config[:0:0]
	replaced := false
	for _, e := range config {
		if n, _, _ := strings.Cut(e, "="); strings.EqualFold(n, name) {
			if entry != "" && !replaced {
				out = append(out, entry)
			}
			replaced = true
			continue
		}
		out = append(out, e)
	}
	if !replaced && entry != "" {
		out = append(out, entry)
	}
	return out
}

// applyRoleSettings gives a new session of role in its database the
// defaults stored for them, least specific first, as the values RESET
// returns to. A stored value that no longer passes its check (the
// settings changed since it was stored) is skipped with a warning in the
// server's log, as PostgreSQL skips it with a WARNING.
func (s *Session) applyRoleSettings(snap txn.Snapshot, role uint32) error {
	rows, err := s.e.cat.DBRoleSettings(snap)
	if err != nil || len(rows) == 0 {
		return err
	}
	var db uint32
	if oid, ok := catalog.DatabaseOID(s.e.opts.Databases, s.database).(int64); ok {
		db = uint32(oid)
	}
	for _, want := range []struct {
		db, role uint32
		source   string
	}{{0, 0, sourceGlobal}, {db, 0, sourceDatabase}, {0, role, sourceUser}, {db, role, sourceDatabaseUser}} {
		for _, r := range rows {
			if r.Database != want.db || r.Role != want.role {
				continue
			}
			for _, e := range r.Config {
				name, value, _ := strings.Cut(e, "=")
				name = strings.ToLower(name)
				if _, _, err := s.assign(name, &value, false); err != nil {
					s.e.logger.Warn("skipping a stored parameter default", "setting", name, "err", err)
					continue
				}
				s.noteResetValue(name)
				s.noteResetSource(name, want.source)
			}
		}
	}
	return nil
}

// dropRoleSettings removes the rows of pg_db_role_setting that name role,
// as DROP ROLE does.
func dropRoleSettings(x *execCtx, role uint32) error {
	rows, err := x.s.e.cat.DBRoleSettings(x.snap)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if r.Role == role {
			if err := x.s.e.cat.ReplaceDBRoleSetting(x.op(), x.later().op(), r.Tuple, catalog.DBRoleSetting{}); err != nil {
				return err
			}
		}
	}
	return nil
}

// roleConfigs are rolconfig (pg_roles) and useconfig (pg_user) by role
// oid: each role's settings in every database; a role without any has
// none (NULL).
func roleConfigs(x *execCtx) (map[uint32]types.Datum, error) {
	rows, err := x.s.e.cat.DBRoleSettings(x.snap)
	if err != nil {
		return nil, err
	}
	out := make(map[uint32]types.Datum)
	for _, r := range rows {
		if r.Database == 0 && r.Role != 0 {
			out[r.Role] = configArray(r.Config)
		}
	}
	return out, nil
}

func configArray(config []string) *types.Array {
	out := &types.Array{Elems: make([]types.Datum, len(config))}
	for i, e := range config {
		out.Elems[i] = e
	}
	return out
}

var pgDBRoleSetting = &sysView{
	name: "pg_db_role_setting",
	cols: resultColumns(catalog.Cols("setdatabase", oidT, "setrole", oidT, "setconfig", textArrayT)),
	rows: func(x *execCtx) ([][]types.Datum, error) {
		rows, err := x.s.e.cat.DBRoleSettings(x.snap)
		if err != nil {
			return nil, err
		}
		out := make([][]types.Datum, len(rows))
		for i, r := range rows {
			out[i] = []types.Datum{int64(r.Database), int64(r.Role), configArray(r.Config)}
		}
		return out, nil
	},
	tableOID: 2964,
}

func init() {
	sessionSystemViews[pgDBRoleSetting.name] = pgDBRoleSetting
}
