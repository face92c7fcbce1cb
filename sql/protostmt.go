package sql

import "github.com/cairndb/cairn/internal/pgerr"

// Prepared statements of the extended protocol live in the server (a Parse
// message names them), SQL-level ones in the session; as in PostgreSQL
// they share one namespace: PREPARE refuses a name a Parse took (42P05),
// and DEALLOCATE name or DEALLOCATE ALL (and DISCARD ALL) drop protocol
// statements too, which the server learns from Result.Deallocated and
// Result.DeallocatedAll. psycopg 3 evicts statements from its cache with
// DEALLOCATE; poolers reset connections with DISCARD ALL.

// ParseStatement tells the session that the extended protocol prepared p
// as the named statement name (query is the Parse message's text); it
// fails with 42P05 when PREPARE already took the name. The session lists
// the statement in pg_prepared_statements and runs it under EXECUTE.
func (s *Session) ParseStatement(name, query string, p *Prepared) error {
	if _, ok := s.sqlPrepared[name]; ok {
		return pgerr.New(pgerr.DuplicatePreparedStatement, "prepared statement \"%s\" already exists", name)
	}
	if s.protoStmts == nil {
		s.protoStmts = make(map[string]*namedStmt)
	}
	s.protoStmts[name] = &namedStmt{p: p, source: query, at: s.e.now()}
	return nil
}

// CloseStatement tells the session that the extended protocol closed the
// named statement name.
func (s *Session) CloseStatement(name string) { delete(s.protoStmts, name) }
