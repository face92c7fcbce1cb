package shard

import (
	"context"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql"
	"github.com/cairndb/cairn/sql/ast"
)

// settings are a session's run-time parameters, as the SET statements
// that made them: the nodes evaluate SET, so every node connection the
// session uses gets them replayed (after RESET ALL) before the session's
// statements run there, and SHOW, the nodes' formatting, their timeouts
// and search_path follow the session. A pooled connection remembers what
// it was set to (settingsKey in its CustomData), so the replay is one
// round trip, and only when another session with other settings used it
// last. Values are immutable; a nil *settings is the defaults.
type settings struct {
	stmts []setting
	key   string // the statements joined: equal keys, equal settings
}

type setting struct {
	name, sql string
	value     string // the value set, lower case, its parts joined by ","
}

// settingsKey keys what a node connection was last set to in its
// pgconn.CustomData; absent for a new connection, which has the defaults.
const settingsKey = "cairn.settings"

// dirtySettings marks a connection whose settings are unknown (a SET ran
// in a node transaction on it, or replaying failed): it never equals a
// settings key, so the next user resets it.
const dirtySettings = "\x00dirty"

func (s *settings) keyOf() string {
	if s == nil {
		return ""
	}
	return s.key
}

// get returns the value the session set for name, "" when it set none.
func (s *settings) get(name string) string {
	if s == nil {
		return ""
	}
	for _, st := range s.stmts {
		if st.name == name {
			return st.value
		}
	}
	return ""
}

// with is s after x, a session-level SET or RESET written as text.
func (s *settings) with(x *ast.SetStmt, text string) *settings {
	var stmts []setting
	if s != nil && !(x.Reset && x.Name == "all") {
		stmts = slices.Clone(s.stmts)
	}
	stmts = slices.DeleteFunc(stmts, func(st setting) bool { return st.name == x.Name })
	if !x.Reset && x.Value != nil {
		stmts = append(stmts, setting{name: x.Name, sql: text, value: strings.ToLower(strings.Join(x.Value, ","))})
	}
	if len(stmts) == 0 {
		return nil
	}
	parts := make([]string, len(stmts))
	for i, st := range stmts {
		parts[i] = st.sql
	}
	return &settings{stmts: stmts, key: strings.Join(parts, ";\n")}
}

// applySettings makes conn's session have set: RESET ALL, then each SET,
// in one round trip, unless it has them already.
func (nc *nodeConn) applySettings(ctx context.Context, conn *pgxpool.Conn, set *settings) error {
	pc := conn.Conn().PgConn()
	have, _ := pc.CustomData()[settingsKey].(string)
	want := set.keyOf()
	if have == want {
		return nil
	}
	q := "RESET ALL"
	if want != "" {
		q += ";\n" + want
	}
	err := nc.call(conn, func(pc *pgconn.PgConn) error {
		_, err := pc.Exec(ctx, q).ReadAll()
		return relay(err)
	})
	if err != nil {
		pc.CustomData()[settingsKey] = dirtySettings
		return err
	}
	pc.CustomData()[settingsKey] = want
	return nil
}

// markSettings records that conn's session now has set.
func markSettings(conn *pgxpool.Conn, set *settings) {
	conn.Conn().PgConn().CustomData()[settingsKey] = set.keyOf()
}

// txOnly reports whether x sets something for the current transaction
// only: SET LOCAL, SET TRANSACTION.
func txOnly(x *ast.SetStmt) bool { return x.Local || x.Name == "transaction" }

// set runs SET or RESET. Outside a transaction it runs on the home node
// (which checks it) and becomes one of the session's settings. In one it
// runs on every node the transaction has a connection to, and on those
// it opens later, and becomes a session setting when the transaction
// commits (SET LOCAL and SET TRANSACTION never).
func (s *Session) set(ctx context.Context, a *stmt) (*sql.Result, error) {
	x := a.node.(*ast.SetStmt)
	if s.tx != nil {
		return s.tx.set(ctx, s.c, a, x)
	}
	home, err := s.c.home()
	if err != nil {
		return nil, err
	}
	nc, err := s.c.node(home)
	if err != nil {
		return nil, err
	}
	conn, err := nc.acquire(ctx, s.settings)
	if err != nil {
		return nil, err
	}
	defer conn.Release()
	var res *sql.Result
	err = nc.call(conn, func(pc *pgconn.PgConn) error {
		var err error
		res, err = exec(ctx, pc, a.sql, wireParams{})
		return err
	})
	if err != nil {
		conn.Conn().PgConn().CustomData()[settingsKey] = dirtySettings
		return nil, err
	}
	if !txOnly(x) {
		// SET LOCAL and SET TRANSACTION outside a transaction only warn.
		s.settings = s.settings.with(x, a.sql)
		markSettings(conn, s.settings)
	}
	return res, nil
}

// set runs a SET in the transaction (Session.set).
func (t *dtx) set(ctx context.Context, c *Coordinator, a *stmt, x *ast.SetStmt) (*sql.Result, error) {
	if len(t.order) == 0 {
		home, err := c.home()
		if err != nil {
			return nil, err
		}
		if _, _, err := t.conn(ctx, home); err != nil {
			return nil, err
		}
	}
	parts, err := t.runAll(ctx, slices.Clone(t.order), a, wireParams{})
	// Whatever happened, a session-level SET may now outlive the node
	// transactions on their connections.
	t.dirty = t.dirty || !txOnly(x)
	if err != nil {
		return nil, err
	}
	t.sets = append(t.sets, a.sql)
	if !txOnly(x) {
		t.pending = append(t.pending, pendingSet{x, a.sql})
	}
	return parts[0], nil
}

// pendingSet is a session-level SET run in a transaction: the session's
// once the transaction commits.
type pendingSet struct {
	x    *ast.SetStmt
	text string
}

// endTx ends the session's transaction tx, committing it when commit is
// set: its session-level SETs become the session's when it commits.
func (s *Session) endTx(ctx context.Context, tx *dtx, commit bool) error {
	if err := tx.finish(ctx, commit); err != nil || !commit {
		return err
	}
	for _, p := range tx.pending {
		s.settings = s.settings.with(p.x, p.text)
	}
	return nil
}

// discard runs DISCARD on the home node; DISCARD ALL also resets the
// session's settings, as it does on one server.
func (s *Session) discard(ctx context.Context, a *stmt) (*sql.Result, error) {
	x := a.node.(*ast.DiscardStmt)
	if x.All && s.tx != nil {
		return nil, pgerr.New(pgerr.ActiveSQLTransaction, "DISCARD ALL cannot run inside a transaction block")
	}
	home, err := s.c.home()
	if err != nil {
		return nil, err
	}
	if x.All {
		// Run with the defaults, so that the connection's record of its
		// settings stays true.
		s.settings = nil
	}
	return s.run(ctx, home, a, wireParams{})
}
