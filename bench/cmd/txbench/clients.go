package main

import (
	"context"
	stdsql "database/sql"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// pgxTarget reaches a server over pgwire with pgx: one pgx.Conn per client
// in pgx's default query mode (statements prepared once per connection and
// cached).
func pgxTarget(name, url string) *target {
	withConn := func(ctx context.Context, f func(*pgx.Conn) error) error {
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		return f(conn)
	}
	return &target{
		name: name,
		connect: func(ctx context.Context) (client, error) {
			conn, err := pgx.Connect(ctx, url)
			if err != nil {
				return nil, err
			}
			return &pgxClient{conn: conn}, nil
		},
		exec: func(ctx context.Context, query string) error {
			return withConn(ctx, func(conn *pgx.Conn) error {
				_, err := conn.Exec(ctx, query, pgx.QueryExecModeSimpleProtocol)
				return err
			})
		},
		queryInt: func(ctx context.Context, query string) (int64, error) {
			var v int64
			err := withConn(ctx, func(conn *pgx.Conn) error {
				return conn.QueryRow(ctx, query, pgx.QueryExecModeSimpleProtocol).Scan(&v)
			})
			return v, err
		},
	}
}

type pgxClient struct{ conn *pgx.Conn }

func (c *pgxClient) transact(ctx context.Context, a txArgs) error {
	tx, err := c.conn.Begin(ctx)
	if err != nil {
		return err
	}
	// After a commit, Rollback is a no-op that returns pgx.ErrTxClosed.
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, updateSQL, a.delta, a.aid); err != nil {
		return err
	}
	var balance int64
	if err := tx.QueryRow(ctx, selectSQL, a.aid).Scan(&balance); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, insertSQL, a.historyID, a.aid, a.delta); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

func (c *pgxClient) close() error { return c.conn.Close(context.Background()) }

// describePostgres returns the server's version and the settings that decide
// when a commit is acknowledged.
func describePostgres(ctx context.Context, url string) (string, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	var version, fsync, syncCommit, walSync string
	for _, q := range []struct {
		sql string
		v   *string
	}{
		{"SHOW server_version", &version},
		{"SHOW fsync", &fsync},
		{"SHOW synchronous_commit", &syncCommit},
		{"SHOW wal_sync_method", &walSync},
	} {
		if err := conn.QueryRow(ctx, q.sql).Scan(q.v); err != nil {
			return "", err
		}
	}
	return fmt.Sprintf("PostgreSQL %s, fsync=%s, synchronous_commit=%s (PostgreSQL's defaults), wal_sync_method=%s",
		version, fsync, syncCommit, walSync), nil
}

// sqlTarget runs cairn in this process through database/sql. The
// statements are prepared on the DB and bound to each transaction with
// Tx.StmtContext, which reuses the statement already prepared on that
// transaction's connection.
func sqlTarget(name string, db *stdsql.DB) *target {
	t := &target{
		name: name,
		exec: func(ctx context.Context, query string) error {
			_, err := db.ExecContext(ctx, query)
			return err
		},
		queryInt: func(ctx context.Context, query string) (int64, error) {
			var v int64
			err := db.QueryRowContext(ctx, query).Scan(&v)
			return v, err
		},
	}
	var stmts *sqlStmts
	t.connect = func(ctx context.Context) (client, error) {
		if stmts == nil {
			s, err := prepareSQL(ctx, db)
			if err != nil {
				return nil, err
			}
			stmts = s
		}
		// One connection per client, kept idle between transactions.
		stmts.clients++
		db.SetMaxOpenConns(stmts.clients)
		db.SetMaxIdleConns(stmts.clients)
		return &sqlClient{db: db, s: stmts}, nil
	}
	return t
}

type sqlStmts struct {
	update, sel, insert *stdsql.Stmt
	clients             int // clients connected
}

func prepareSQL(ctx context.Context, db *stdsql.DB) (*sqlStmts, error) {
	var s sqlStmts
	var err error
	if s.update, err = db.PrepareContext(ctx, updateSQL); err != nil {
		return nil, err
	}
	if s.sel, err = db.PrepareContext(ctx, selectSQL); err != nil {
		return nil, err
	}
	if s.insert, err = db.PrepareContext(ctx, insertSQL); err != nil {
		return nil, err
	}
	return &s, nil
}

type sqlClient struct {
	db *stdsql.DB
	s  *sqlStmts
}

func (c *sqlClient) transact(ctx context.Context, a txArgs) error {
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	// After a commit, Rollback is a no-op that returns sql.ErrTxDone.
	defer tx.Rollback()
	if _, err := tx.StmtContext(ctx, c.s.update).ExecContext(ctx, a.delta, a.aid); err != nil {
		return err
	}
	var balance int64
	if err := tx.StmtContext(ctx, c.s.sel).QueryRowContext(ctx, a.aid).Scan(&balance); err != nil {
		return err
	}
	if _, err := tx.StmtContext(ctx, c.s.insert).ExecContext(ctx, a.historyID, a.aid, a.delta); err != nil {
		return err
	}
	return tx.Commit()
}

// close lets database/sql shrink the pool back when the last client of a
// measurement goes.
func (c *sqlClient) close() error {
	c.s.clients--
	c.db.SetMaxOpenConns(max(c.s.clients, 1))
	c.db.SetMaxIdleConns(max(c.s.clients, 1))
	return nil
}

// walStats are PostgreSQL's cumulative WAL counters (pg_stat_wal).
type walStats struct {
	records, fpi, bytes, syncs int64
}

func readWALStats(ctx context.Context, url string) (walStats, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return walStats{}, err
	}
	defer conn.Close(ctx)
	var w walStats
	err = conn.QueryRow(ctx, "SELECT wal_records, wal_fpi, wal_bytes::int8, wal_sync FROM pg_stat_wal").
		Scan(&w.records, &w.fpi, &w.bytes, &w.syncs)
	return w, err
}
