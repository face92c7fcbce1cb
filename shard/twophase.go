package shard

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql"
)

// dtx is a transaction across nodes: one node transaction per node it
// touched, each begun with the same BEGIN on a connection held until it
// ends. finish commits it: on one node, or, when it wrote on several,
// with two-phase commit.
type dtx struct {
	c     *Coordinator
	begin string
	conns map[string]*pgxpool.Conn
	wrote map[string]bool
	order []string
	// clusterSnap: the transaction reads at one cluster timestamp,
	// snapTS, taken from the oracle when it first reaches a node and
	// given to every node it reaches (SET TRANSACTION SNAPSHOT).
	clusterSnap bool
	snapTS      uint64
	// onCommit run once the transaction committed (placement changes of
	// DROP TABLE).
	onCommit []func(context.Context) error

	// settings are the session's when the transaction began, given to
	// each node connection before BEGIN; sets are the SET statements run
	// in the transaction, replayed after BEGIN on the nodes it reaches
	// later, and pending those that become the session's at COMMIT
	// (settings.go). dirty: a session-level SET ran in node
	// transactions, and outlives them on their connections.
	settings *settings
	sets     []string
	pending  []pendingSet
	dirty    bool
}

func (c *Coordinator) newDtx(begin string, set *settings) *dtx {
	return &dtx{c: c, begin: begin, conns: map[string]*pgxpool.Conn{}, wrote: map[string]bool{}, settings: set}
}

// conn is the transaction's connection to node id, its node transaction
// begun when it is first asked for.
func (t *dtx) conn(ctx context.Context, id string) (*nodeConn, *pgxpool.Conn, error) {
	nc, err := t.c.node(id)
	if err != nil {
		return nil, nil, err
	}
	if conn := t.conns[id]; conn != nil {
		return nc, conn, nil
	}
	conn, err := nc.acquire(ctx, t.settings)
	if err != nil {
		return nil, nil, err
	}
	q := t.begin
	if t.clusterSnap {
		if t.snapTS == 0 {
			if t.snapTS, err = t.c.oracle.Next(ctx); err != nil {
				conn.Release()
				return nil, nil, err
			}
		}
		q += ";\nSET TRANSACTION SNAPSHOT 'cluster-" + strconv.FormatUint(t.snapTS, 10) + "'"
	}
	err = nc.call(conn, func(pc *pgconn.PgConn) error {
		if len(t.sets) > 0 {
			q += ";\n" + strings.Join(t.sets, ";\n")
		}
		_, err := pc.Exec(ctx, q).ReadAll()
		return relay(err)
	})
	if err != nil {
		conn.Release()
		return nil, nil, err
	}
	t.conns[id] = conn
	t.order = append(t.order, id)
	return nc, conn, nil
}

// run runs a on node id inside the transaction.
func (t *dtx) run(ctx context.Context, id string, a *stmt, w wireParams) (*sql.Result, error) {
	nc, conn, err := t.conn(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.write {
		t.wrote[id] = true
	}
	var res *sql.Result
	err = nc.call(conn, func(pc *pgconn.PgConn) error {
		var err error
		res, err = exec(ctx, pc, a.sql, w)
		return err
	})
	return res, err
}

// runAll runs a on each node of ids inside the transaction, at once.
func (t *dtx) runAll(ctx context.Context, ids []string, a *stmt, w wireParams) ([]*sql.Result, error) {
	// Connections are taken (and node transactions begun) one by one:
	// the maps are not shared between goroutines.
	for _, id := range ids {
		if _, _, err := t.conn(ctx, id); err != nil {
			return nil, err
		}
	}
	if a.write {
		for _, id := range ids {
			t.wrote[id] = true
		}
	}
	return parallel(ids, func(id string) (*sql.Result, error) {
		nc, _ := t.c.node(id)
		var res *sql.Result
		err := nc.call(t.conns[id], func(pc *pgconn.PgConn) error {
			var err error
			res, err = exec(ctx, pc, a.sql, w)
			return err
		})
		return res, err
	})
}

// simple runs one statement without parameters on the transaction's
// connection to id.
func (t *dtx) simple(ctx context.Context, id, query string) error {
	nc, _ := t.c.node(id)
	if nc == nil {
		return fmt.Errorf("shard: node %s left", id)
	}
	return nc.call(t.conns[id], func(pc *pgconn.PgConn) error {
		_, err := pc.Exec(ctx, query).ReadAll()
		return relay(err)
	})
}

func (t *dtx) release() {
	for _, conn := range t.conns {
		if t.dirty {
			conn.Conn().PgConn().CustomData()[settingsKey] = dirtySettings
		}
		conn.Release()
	}
	clear(t.conns)
}

// finish ends the transaction: a rollback, or a commit. A commit of
// writes on one node is that node's COMMIT. Writes on several nodes
// commit in two phases: PREPARE TRANSACTION on each (any failure rolls
// all back), then the decision is written to etcd, then COMMIT PREPARED
// on each. Once the decision is written the transaction has committed:
// a node that cannot be reached for phase two is left to Recover.
func (t *dtx) finish(ctx context.Context, commit bool) error {
	defer t.release()
	if !commit {
		for _, id := range t.order {
			_ = t.simple(ctx, id, "ROLLBACK")
		}
		return nil
	}
	var writers, readers []string
	for _, id := range t.order {
		if t.wrote[id] {
			writers = append(writers, id)
		} else {
			readers = append(readers, id)
		}
	}
	for _, id := range readers {
		if err := t.simple(ctx, id, "COMMIT"); err != nil && len(writers) > 0 {
			// A reader's failure does not decide the writers' fate, but
			// its snapshot is gone: end them all.
			for _, w := range writers {
				_ = t.simple(ctx, w, "ROLLBACK")
			}
			return err
		}
	}
	if len(writers) <= 1 {
		for _, id := range writers {
			if err := t.simple(ctx, id, "COMMIT"); err != nil {
				if lostConn(err) {
					return pgerr.New(codeTransactionResolutionUnknown, "the connection to node %s was lost during COMMIT: the transaction's outcome is unknown", id).WithCause(err)
				}
				return err
			}
		}
		return t.committed(ctx)
	}
	gid, seq := t.c.newGID()
	defer t.c.endGID(seq)
	var prepared []string
	for _, id := range writers {
		if err := t.simple(ctx, id, "PREPARE TRANSACTION '"+gid+"'"); err != nil {
			for _, p := range prepared {
				_ = t.simple(ctx, p, "ROLLBACK PREPARED '"+gid+"'")
			}
			for _, w := range writers[len(prepared):] {
				_ = t.simple(ctx, w, "ROLLBACK")
			}
			return err
		}
		prepared = append(prepared, id)
	}
	// The commit timestamp is taken once every node prepared: a cluster
	// snapshot given out before waits for the prepared transaction on
	// each node it reaches, and one given out after is above it.
	var ts uint64
	if !t.c.opts.PerNodeSnapshots {
		var err error
		if ts, err = t.c.oracle.Next(ctx); err != nil {
			for _, p := range prepared {
				_ = t.simple(ctx, p, "ROLLBACK PREPARED '"+gid+"'")
			}
			return err
		}
	}
	if err := t.c.store.RecordDecision(ctx, gid, Decision{Commit: true, Nodes: writers, TS: ts}); err != nil {
		// Whether etcd kept the decision is not known: Recover reads it
		// there and finishes the transaction either way.
		return pgerr.New(codeTransactionResolutionUnknown, "could not record the commit decision of distributed transaction %s: its outcome is decided when the coordinator recovers", gid).WithCause(err)
	}
	done := true
	for _, id := range writers {
		if err := t.commitPrepared(ctx, id, gid, ts); err != nil {
			done = false
			t.c.opts.Logger.Warn("shard: COMMIT PREPARED failed; recovery will finish it", "gid", gid, "node", id, "err", err)
		}
	}
	if done {
		if err := t.c.store.ForgetDecision(ctx, gid); err != nil {
			t.c.opts.Logger.Warn("shard: could not forget a finished decision", "gid", gid, "err", err)
		}
	}
	return t.committed(ctx)
}

// commitPrepared runs COMMIT PREPARED gid on node id at cluster
// timestamp ts (none when 0): on the transaction's connection, and after
// a failure on new connections, with backoff (it is safe to repeat: a gid
// already committed is gone).
func (t *dtx) commitPrepared(ctx context.Context, id, gid string, ts uint64) error {
	var err error
	if ts != 0 {
		err = t.simple(ctx, id, commitTimestampSQL(ts))
	}
	if err == nil {
		err = t.simple(ctx, id, "COMMIT PREPARED '"+gid+"'")
	}
	for try := 0; err != nil && lostConn(err) && try < t.c.opts.Retries; try++ {
		select {
		case <-ctx.Done():
			return err
		case <-time.After(t.c.opts.RetryInitial << try):
		}
		err = t.c.resolve(ctx, id, gid, true, ts)
	}
	return err
}

// commitTimestampSQL sets the cluster timestamp the node's next COMMIT
// PREPARED commits at (the node clears it there, whether the commit
// succeeds or not).
func commitTimestampSQL(ts uint64) string {
	return "SET cairn.commit_timestamp = '" + strconv.FormatUint(ts, 10) + "'"
}

// committed runs the transaction's on-commit actions.
func (t *dtx) committed(ctx context.Context) error {
	for _, fn := range t.onCommit {
		if err := fn(ctx); err != nil {
			return err
		}
	}
	return nil
}

// resolve commits (at cluster timestamp ts, none when 0) or rolls back
// the prepared transaction gid on node id on a connection of its own; one
// that is not there (42704) is done.
func (c *Coordinator) resolve(ctx context.Context, id, gid string, commit bool, ts uint64) error {
	nc, err := c.node(id)
	if err != nil {
		return err
	}
	conn, err := nc.acquire(ctx, nil)
	if err != nil {
		return err
	}
	defer conn.Release()
	q := "ROLLBACK PREPARED '" + gid + "'"
	if commit {
		q = "COMMIT PREPARED '" + gid + "'"
	}
	err = nc.call(conn, func(pc *pgconn.PgConn) error {
		if commit && ts != 0 {
			if _, err := pc.Exec(ctx, commitTimestampSQL(ts)).ReadAll(); err != nil {
				return relay(err)
			}
		}
		_, err := pc.Exec(ctx, q).ReadAll()
		return relay(err)
	})
	if pgerr.Code(err) == "42704" {
		return nil
	}
	return err
}

// Recover finishes the distributed transactions left prepared on the
// nodes: those whose commit decision etcd holds are committed, the others
// rolled back (presumed abort: a decision is written before any COMMIT
// PREPARED). Decisions no node still waits for are forgotten. The
// transactions this coordinator is committing at the time are left
// alone, so it may run while clients commit (cairn cluster and cairn
// coordinator run it at start and every 5 s); it must not run while
// another coordinator commits (one coordinator per cluster in this
// version). Nodes that cannot be reached are skipped and reported.
func (c *Coordinator) Recover(ctx context.Context) error {
	// Taken first: a transaction of this coordinator's numbered up to
	// seq0 and not in flight now has ended its commit, and its decision
	// (if any) is in etcd before the decisions are read.
	c.inflight.Lock()
	seq0 := c.seq.Load()
	busy := maps.Clone(c.inflight.seqs)
	c.inflight.Unlock()
	committing := func(gid string) bool {
		n, own := c.ownSeq(gid)
		return own && (n > seq0 || busy[n])
	}
	decisions, err := c.store.Decisions(ctx)
	if err != nil {
		return err
	}
	var errs []error
	pendingAnywhere := map[string]bool{}
	for _, id := range c.nodeIDs() {
		var gids []string
		err := c.withConn(ctx, id, func(pc *pgconn.PgConn) error {
			rr := pc.ExecParams(ctx, "SELECT gid FROM pg_prepared_xacts", nil, nil, nil, nil)
			for rr.NextRow() {
				gids = append(gids, string(rr.Values()[0]))
			}
			_, err := rr.Close()
			return relay(err)
		})
		if err != nil {
			errs = append(errs, err)
			for gid := range decisions {
				pendingAnywhere[gid] = true // not known: keep the decision
			}
			continue
		}
		for _, gid := range gids {
			if !strings.HasPrefix(gid, gidPrefix) || committing(gid) {
				continue
			}
			d, ok := decisions[gid]
			if err := c.resolve(ctx, id, gid, ok && d.Commit, d.TS); err != nil {
				errs = append(errs, err)
				pendingAnywhere[gid] = true
			}
		}
	}
	for gid := range decisions {
		if !pendingAnywhere[gid] && !committing(gid) {
			if err := c.store.ForgetDecision(ctx, gid); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// withConn calls fn on a pooled connection to node id.
func (c *Coordinator) withConn(ctx context.Context, id string, fn func(*pgconn.PgConn) error) error {
	nc, err := c.node(id)
	if err != nil {
		return err
	}
	conn, err := nc.acquire(ctx, nil)
	if err != nil {
		return err
	}
	defer conn.Release()
	return nc.call(conn, fn)
}

// lostConn reports whether err is a failure to reach a node (whatever
// was sent may or may not have run).
func lostConn(err error) bool {
	var ne *NodeError
	return errors.As(err, &ne)
}
