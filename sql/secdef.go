package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/catalog"
)

// SECURITY DEFINER routines run with their owner's privileges: for the
// call, current_user is the owner (session_user stays the caller's), as
// PostgreSQL's fmgr_security_definer switches the user id. SET ROLE and
// SET SESSION AUTHORIZATION are refused inside such a call (42501), as
// they are in PostgreSQL.

// runAsOwner makes d's owner the current user and returns what gives
// the caller's back.
func (s *Session) runAsOwner(x *execCtx, d *catalog.FuncDesc) (func(), error) {
	g, err := s.roleGraph(x.snap)
	if err != nil {
		return nil, err
	}
	owner, ok := g.byOID[d.Owner]
	if !ok {
		return nil, pgerr.New(pgerr.UndefinedObject, "role with OID %d does not exist", d.Owner)
	}
	saved := s.definer
	s.definer = owner.Name
	return func() { s.definer = saved }, nil
}
