package sql

import (
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
)

// The session's roles, as PostgreSQL 15 has them (miscinit.c, variable.c):
// the authenticated user logged in (Session.user); the session user is
// that user until a superuser session runs SET SESSION AUTHORIZATION; the
// current user, whose privileges every check uses, is the session user
// unless SET ROLE named another role the session user is a member of.
// Both are run-time parameters, session_authorization and role, so a
// transaction or savepoint that rolls back undoes them (gucstack.go).

// currentUser is the name of the current role (current_user).
func (s *Session) currentUser() string {
	if s.definer != "" {
		return s.definer
	}
	if r := s.settings["role"]; r != "" && r != "none" {
		return r
	}
	return s.sessionUser()
}

// sessionUser is the name of the session user (session_user).
func (s *Session) sessionUser() string {
	if u := s.settings["session_authorization"]; u != "" {
		return u
	}
	return s.user
}

// setRole runs SET [LOCAL] ROLE, RESET ROLE, SET SESSION AUTHORIZATION
// and RESET SESSION AUTHORIZATION.
func (x *execCtx) setRole(st *ast.SetStmt) (*Result, error) {
	s := x.s
	if s.definer != "" {
		return nil, pgerr.New(pgerr.InsufficientPrivilege, "cannot set parameter \"%s\" within security-definer function", st.Name)
	}
	if st.Local && !s.inBlock() {
		return &Result{Tag: "SET", Notices: []Notice{{Severity: "WARNING", Code: pgerr.NoActiveSQLTransaction, Message: "SET LOCAL can only be used in transaction blocks"}}}, nil
	}
	g, err := s.roleGraph(x.snap)
	if err != nil {
		return nil, err
	}
	value := ""
	if len(st.Value) > 0 {
		value = strings.Join(st.Value, ", ")
	}
	res := &Result{Tag: st.Tag()}
	assign := func(name, v string) {
		level := s.gucLevel()
		s.guc.push(name, s.settings[name], level, st.Local)
		if s.settings[name] != v {
			s.settings[name] = v
			if def := settingsTable[name]; def.reported {
				res.ParameterChanges = append(res.ParameterChanges, Parameter{Name: def.name, Value: v})
			}
		}
	}
	if st.Name == "session_authorization" {
		if value == "" {
			value = s.user
		} else if value != s.user {
			r, ok := g.byName[value]
			if !ok {
				return nil, pgerr.New(pgerr.InvalidParameterValue, "role \"%s\" does not exist", value)
			}
			login, _ := g.byName[s.user]
			if login == nil || !login.Superuser {
				return nil, pgerr.New(pgerr.InsufficientPrivilege, "permission denied to set session authorization")
			}
			value = r.Name
		}
		assign("session_authorization", value)
		assign("role", "none")
	} else {
		if value == "" {
			value = "none"
		}
		if value != "none" {
			r, ok := g.byName[value]
			if !ok {
				return nil, pgerr.New(pgerr.InvalidParameterValue, "role \"%s\" does not exist", value)
			}
			sess, ok := g.byName[s.sessionUser()]
			if !ok || !g.isMemberOf(sess.OID, r.OID) {
				return nil, pgerr.New(pgerr.InsufficientPrivilege, "permission denied to set role \"%s\"", value)
			}
		}
		assign("role", value)
	}
	super := false
	if r, ok := g.byName[s.currentUser()]; ok {
		super = r.Superuser
	}
	assign("is_superuser", onOff(super))
	return res, nil
}
