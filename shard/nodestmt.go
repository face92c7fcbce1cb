package shard

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql"
)

// A statement with parameters (a client's prepared or extended-protocol
// statement, run again and again with new values) is prepared once on
// each node connection it runs on and executed by name after that, as a
// client connected to the node directly would: sent unnamed each time,
// the node would parse, analyse and plan it again on every execution.
// The statements a connection has prepared are kept in its
// pgconn.CustomData under nodeStmtsKey.
const nodeStmtsKey = "cairn.statements"

// A statement prepared on a node before its table changed shape (ALTER
// TABLE ADD COLUMN under SELECT *) fails there with "cached plan must not
// change result type", as on PostgreSQL. The connection then forgets it;
// outside a transaction, where the failed statement was rolled back with
// its implicit transaction, it is prepared again and run once more. Inside
// one the error stands, as it would for a client's own prepared statement
// (the node's transaction is aborted by then).
//
// nodeStmtsMax bounds the statements prepared on one node connection; the
// next one after that deallocates them all first.
const nodeStmtsMax = 256

// nodeStmts are the statements prepared on one node connection, by text
// and parameter types.
type nodeStmts struct {
	byKey map[string]*pgconn.StatementDescription
	next  int // number of the next statement name
}

func stmtKey(query string, oids []uint32) string {
	var b strings.Builder
	for _, o := range oids {
		b.WriteString(strconv.FormatUint(uint64(o), 10))
		b.WriteByte(',')
	}
	b.WriteByte(';')
	b.WriteString(query)
	return b.String()
}

// nodeStatement returns query with parameter types oids prepared on pc,
// preparing it if pc has not yet.
func nodeStatement(ctx context.Context, pc *pgconn.PgConn, query string, oids []uint32) (*pgconn.StatementDescription, error) {
	ns, _ := pc.CustomData()[nodeStmtsKey].(*nodeStmts)
	if ns == nil {
		ns = &nodeStmts{byKey: make(map[string]*pgconn.StatementDescription)}
		pc.CustomData()[nodeStmtsKey] = ns
	}
	key := stmtKey(query, oids)
	if sd := ns.byKey[key]; sd != nil {
		return sd, nil
	}
	if len(ns.byKey) >= nodeStmtsMax {
		if _, err := pc.Exec(ctx, "DEALLOCATE ALL").ReadAll(); err != nil {
			forgetNodeStatements(pc)
			return nil, relay(err)
		}
		clear(ns.byKey)
	}
	name := fmt.Sprintf("cairn_%d", ns.next)
	ns.next++
	sd, err := pc.Prepare(ctx, name, query, oids)
	if err != nil {
		return nil, relay(err)
	}
	ns.byKey[key] = sd
	return sd, nil
}

// forgetNodeStatements drops pc's record of its prepared statements, after
// something deallocated them on the node or may have. The numbering goes
// on, so that a new name never meets one still prepared there.
func forgetNodeStatements(pc *pgconn.PgConn) {
	if ns, _ := pc.CustomData()[nodeStmtsKey].(*nodeStmts); ns != nil {
		clear(ns.byKey)
	}
}

// deallocates reports whether a statement that completed with tag may have
// deallocated statements prepared on its connection: DEALLOCATE or DISCARD
// ALL run through the coordinator on a pooled connection.
func deallocates(tag pgconn.CommandTag) bool {
	return tag.String() == "DISCARD ALL" || strings.HasPrefix(tag.String(), "DEALLOCATE")
}

// execPrepared runs query with parameters w as a statement prepared on pc.
func execPrepared(ctx context.Context, pc *pgconn.PgConn, query string, w wireParams) (*sql.Result, error) {
	idle := pc.TxStatus() == 'I'
	sd, err := nodeStatement(ctx, pc, query, w.oids)
	if err != nil {
		return nil, err
	}
	res, err := readResult(pc, pc.ExecPrepared(ctx, sd.Name, w.values, nil, nil))
	if err == nil || !planChanged(err) {
		return res, err
	}
	forgetNodeStatement(pc, query, w.oids)
	if !idle || pc.TxStatus() != 'I' {
		return nil, err
	}
	if derr := pc.Deallocate(ctx, sd.Name); derr != nil {
		return nil, relay(derr)
	}
	if sd, err = nodeStatement(ctx, pc, query, w.oids); err != nil {
		return nil, err
	}
	return readResult(pc, pc.ExecPrepared(ctx, sd.Name, w.values, nil, nil))
}

// planChanged reports whether err is a node refusing a prepared statement
// whose result changed shape since it was prepared.
func planChanged(err error) bool {
	var pe *pgerr.Error
	return errors.As(err, &pe) && pe.Code == pgerr.FeatureNotSupported && pe.Message == "cached plan must not change result type"
}

// forgetNodeStatement drops one statement from pc's record.
func forgetNodeStatement(pc *pgconn.PgConn, query string, oids []uint32) {
	if ns, _ := pc.CustomData()[nodeStmtsKey].(*nodeStmts); ns != nil {
		delete(ns.byKey, stmtKey(query, oids))
	}
}
