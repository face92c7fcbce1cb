package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
)

// Who may set a parameter, and where a session's value came from.
//
// PostgreSQL marks some parameters superuser-only (context "superuser" in
// pg_settings): SET, RESET, set_config, a startup parameter and ALTER
// ROLE/DATABASE ... SET of one by a role that is not a superuser fail
// with 42501. Values stored by ALTER ROLE/DATABASE ... SET were stored by
// a superuser, so applying them at session start is not checked again.
//
// pg_settings.source names where the value RESET returns to came from,
// PostgreSQL's GucSource names: "command line" (the server's settings),
// "global" (ALTER ROLE ALL), "database", "user", "database user" (ALTER
// ROLE ... IN DATABASE), "client" (the startup message); "session" once
// SET changed it, "default" when nothing did.

// superuserSettings are the settable parameters cairn knows that
// PostgreSQL reserves to superusers.
var superuserSettings = map[string]bool{
	"deadlock_timeout":           true,
	"log_lock_waits":             true,
	"log_min_duration_statement": true,
	"max_stack_depth":            true,
	"session_replication_role":   true,
}

// storedSettingNeedsSuperuser reports whether only a superuser may store
// or remove a default for name with ALTER ROLE/DATABASE ... SET/RESET:
// the superuser-only parameters, and custom ones (a name with a dot that
// cairn does not know), since what such a name will mean when a session
// applies it cannot be known, as in PostgreSQL.
func storedSettingNeedsSuperuser(name string) bool {
	_, known := settingsTable[name]
	return superuserSettings[name] || !known
}

// Sources of a setting's reset value, as pg_settings names them.
const (
	sourceCommandLine  = "command line"
	sourceGlobal       = "global"
	sourceDatabase     = "database"
	sourceUser         = "user"
	sourceDatabaseUser = "database user"
	sourceClient       = "client"
)

// isSuperuser reports whether the current role is a superuser, as
// is_superuser (kept by SET ROLE and SET SESSION AUTHORIZATION) says.
func (s *Session) isSuperuser() bool {
	return s.settings["is_superuser"] == "on"
}

// checkSetPrivilege refuses a change of the superuser-only parameter name
// (lower case) by a role that is not a superuser.
func (s *Session) checkSetPrivilege(name string) error {
	if superuserSettings[name] && !s.isSuperuser() {
		return pgerr.New(pgerr.InsufficientPrivilege, "permission denied to set parameter \"%s\"", name)
	}
	return nil
}

// noteResetSource records where the reset value of name came from.
func (s *Session) noteResetSource(name, source string) {
	if s.resetSources == nil {
		s.resetSources = make(map[string]string)
	}
	s.resetSources[name] = source
}

// settingSource is pg_settings.source of name, whose current value is v:
// "session" when it differs from the value RESET returns to, else where
// that value came from ("default" for the built-in one). A SET to the
// value RESET would restore shows that value's source.
func (s *Session) settingSource(name, v string) string {
	reset, ok := s.resetVals[name]
	if !ok {
		reset = settingsTable[name].def
	}
	if v != reset {
		return "session"
	}
	if src, ok := s.resetSources[name]; ok {
		return src
	}
	return "default"
}

// settingContext is pg_settings.context of the settable parameter name.
func settingContext(name string) string {
	if superuserSettings[name] {
		return "superuser"
	}
	return "user"
}
