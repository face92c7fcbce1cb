package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
)

// DDL on a table whose trigger function is running: PostgreSQL refuses
// it (CheckTableNotInUse), as the statement firing the trigger still has
// the table open; so does cairn, for DDL run from such a trigger (or
// from what it calls) on the table.

// enterFiring counts a trigger function of table id as running until
// the returned function is called.
func (s *Session) enterFiring(id uint32) func() {
	if s.firingTables == nil {
		s.firingTables = make(map[uint32]int)
	}
	s.firingTables[id]++
	return func() {
		if s.firingTables[id]--; s.firingTables[id] == 0 {
			delete(s.firingTables, id)
		}
	}
}

// checkNotFiring refuses (55006) the DDL statement x runs on table id
// while a trigger function of the table runs.
func (x *execCtx) checkNotFiring(id uint32) error {
	if x.s.firingTables[id] == 0 || x.tag == "" {
		return nil
	}
	rels, err := x.Relations()
	if err != nil {
		return err
	}
	name := ""
	for _, t := range rels.Tables {
		if t.ID == id {
			name = t.Name
			break
		}
	}
	return pgerr.New(pgerr.ObjectInUse, "cannot %s \"%s\" because it is being used by active queries in this session", x.tag, name)
}
