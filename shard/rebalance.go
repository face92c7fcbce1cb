package shard

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
)

// errInjected is returned by a move a test stopped at one of its steps
// (Coordinator.moveHook), as if the coordinator had died there: nothing
// is cleaned up.
var errInjected = errors.New("shard: move stopped by a test")

// Move steps at which moveHook is called.
const (
	stepCopied   = "copied"   // rows copied to the target, nothing prepared
	stepPrepared = "prepared" // both node transactions prepared, placement not switched
	stepSwitched = "switched" // placement switched and decision recorded, nothing committed
)

// shardMove is a set of shards of one table going from one node to
// another.
type shardMove struct {
	table    string
	shards   []int
	from, to string
}

// planMoves lists the moves that put every shard of every distributed
// table on the node ring says, grouped by table, source and target, in
// a fixed order. keep, when set, limits the moves to shards on it
// returning true for their current node.
func planMoves(p *Placement, ring *Ring, keep func(node string) bool) []shardMove {
	var out []shardMove
	names := make([]string, 0, len(p.Tables))
	for name := range p.Tables {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		t := p.Tables[name]
		if t.Reference {
			continue
		}
		want := ring.Place(len(t.Shards))
		groups := map[[2]string][]int{}
		var order [][2]string
		for i, cur := range t.Shards {
			if want == nil || want[i] == cur || keep != nil && !keep(cur) {
				continue
			}
			k := [2]string{cur, want[i]}
			if _, ok := groups[k]; !ok {
				order = append(order, k)
			}
			groups[k] = append(groups[k], i)
		}
		for _, k := range order {
			out = append(out, shardMove{table: name, shards: groups[k], from: k[0], to: k[1]})
		}
	}
	return out
}

// Rebalance moves every shard the ring of members places elsewhere than
// the placement map does, one group (table, source, target) at a time,
// each with the gate closed. It returns the number of shards moved.
func (c *Coordinator) Rebalance(ctx context.Context) (int, error) {
	c.mu.Lock()
	ring := c.placementRing()
	c.mu.Unlock()
	return c.runMoves(ctx, planMoves(c.Placement(), ring, nil))
}

func (c *Coordinator) runMoves(ctx context.Context, moves []shardMove) (int, error) {
	moved := 0
	for _, m := range moves {
		if err := c.gate.close(ctx, c.opts.MoveWait); err != nil {
			return moved, err
		}
		err := c.moveShards(ctx, m)
		c.gate.open()
		if err != nil {
			return moved, fmt.Errorf("moving %d shards of %s from %s to %s: %w", len(m.shards), m.table, m.from, m.to, err)
		}
		moved += len(m.shards)
	}
	return moved, nil
}

// placementRing is the ring new placements follow: the members less the
// nodes being drained. c.mu is held.
func (c *Coordinator) placementRing() *Ring {
	r := c.mu.ring
	for id := range c.mu.draining {
		r = r.Without(id)
	}
	return r
}

// moveShards moves m's shards while the gate is closed: no client
// statement runs and none is in a transaction. In one distributed
// transaction, the source gives up the rows of the shards (read with
// COPY TO, filtered by the hash of their distribution value, then
// deleted by value) and the target takes them (COPY FROM); both prepare;
// then one etcd transaction switches the placement map and records the
// commit decision together; then both commit. A coordinator that dies
// before the etcd transaction leaves prepared transactions with no
// decision, which Recover rolls back (the map still names the source);
// one that dies after it leaves a decision, which Recover commits (the
// map names the target).
func (c *Coordinator) moveShards(ctx context.Context, m shardMove) (err error) {
	t := c.Placement().Tables[m.table]
	if t == nil || t.Reference {
		return pgerr.New(pgerr.UndefinedTable, "table %s is not distributed", m.table)
	}
	moving := map[int]bool{}
	for _, i := range m.shards {
		if i < 0 || i >= len(t.Shards) || t.Shards[i] != m.from {
			return pgerr.New(pgerr.ObjectNotInPrerequisiteState, "shard %d of %s is not on node %s", i, m.table, m.from)
		}
		moving[i] = true
	}
	if err := c.settled(ctx, m.from, m.to); err != nil {
		return err
	}
	cols, keyCol, err := c.copyColumnList(ctx, m.from, t)
	if err != nil {
		return err
	}
	gid, seq := c.newGID()
	defer c.endGID(seq)
	tx := c.newDtx("BEGIN", nil)
	crashed := false
	defer func() {
		if crashed {
			tx.release()
		}
	}()
	// The rows of the moving shards, as COPY text lines, and their
	// distinct distribution values.
	var lines bytes.Buffer
	var keys []string
	seen := map[string]bool{}
	nRows := 0
	colT := t.colType()
	copyTo := "COPY " + parser.QuoteIdent(t.Name) + " (" + cols + ") TO STDOUT"
	nc, conn, err := tx.conn(ctx, m.from)
	if err != nil {
		return err
	}
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		rows := sql.NewCopyRowReader(pr, &ast.CopyStmt{Delimiter: '\t', Null: `\N`})
		var err error
		for {
			var line []byte
			line, err = rows.Next()
			if err != nil {
				break
			}
			text, null := rows.Field(keyCol)
			if null {
				continue
			}
			var d types.Datum
			if d, err = types.ParseText(colT, text); err != nil {
				break
			}
			var h uint64
			if h, err = HashValue(colT, d); err != nil {
				break
			}
			if !moving[ShardIndex(h, len(t.Shards))] {
				continue
			}
			lines.Write(line)
			lines.WriteByte('\n')
			nRows++
			if !seen[text] {
				seen[text] = true
				keys = append(keys, text)
			}
		}
		if err == io.EOF {
			err = nil
		}
		pr.CloseWithError(err)
		done <- err
	}()
	err = nc.call(conn, func(pc *pgconn.PgConn) error {
		_, err := pc.CopyTo(ctx, pw, copyTo)
		return relay(err)
	})
	pw.CloseWithError(err)
	if rerr := <-done; err == nil {
		err = rerr
	}
	if err != nil {
		tx.finish(ctx, false)
		return err
	}
	// Delete them from the source by value: every row with a value of a
	// moving shard is in it, and none changes while the gate is closed.
	tx.wrote[m.from] = true
	deleted := 0
	for len(keys) > 0 {
		batch := keys[:min(len(keys), 5000)]
		keys = keys[len(batch):]
		var q strings.Builder
		// A semi-join with the values, which the node can hash, rather
		// than an IN list it would compare each row with one by one.
		q.WriteString("DELETE FROM " + parser.QuoteIdent(t.Name) + " WHERE " + parser.QuoteIdent(t.Column) + " IN (SELECT v.k FROM (VALUES ")
		w := wireParams{}
		for i, k := range batch {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("($" + strconv.Itoa(i+1) + ")")
			w.values = append(w.values, []byte(k))
			w.oids = append(w.oids, t.TypeOID)
		}
		q.WriteString(") AS v(k))")
		res, err := tx.run(ctx, m.from, &stmt{sql: q.String(), tag: "DELETE", write: true}, w)
		if err != nil {
			tx.finish(ctx, false)
			return err
		}
		n, _ := strconv.Atoi(strings.TrimPrefix(res.Tag, "DELETE "))
		deleted += n
	}
	if deleted != nRows {
		tx.finish(ctx, false)
		return pgerr.New(pgerr.InternalError, "node %s deleted %d rows of the %d it gave for shards of %s", m.from, deleted, nRows, m.table)
	}
	tnc, tconn, err := tx.conn(ctx, m.to)
	if err != nil {
		tx.finish(ctx, false)
		return err
	}
	tx.wrote[m.to] = true
	err = tnc.call(tconn, func(pc *pgconn.PgConn) error {
		_, err := pc.CopyFrom(ctx, &lines, "COPY "+parser.QuoteIdent(t.Name)+" ("+cols+") FROM STDIN")
		return relay(err)
	})
	if err != nil {
		tx.finish(ctx, false)
		return err
	}
	if err := c.moveHook(stepCopied); err != nil {
		crashed = true
		return err
	}
	var prepared []string
	for _, id := range []string{m.to, m.from} {
		if err := tx.simple(ctx, id, "PREPARE TRANSACTION '"+gid+"'"); err != nil {
			for _, p := range prepared {
				_ = tx.simple(ctx, p, "ROLLBACK PREPARED '"+gid+"'")
			}
			for _, o := range []string{m.to, m.from}[len(prepared):] {
				_ = tx.simple(ctx, o, "ROLLBACK")
			}
			tx.release()
			return err
		}
		prepared = append(prepared, id)
	}
	if err := c.moveHook(stepPrepared); err != nil {
		crashed = true
		return err
	}
	p, err := c.store.switchPlacement(ctx, gid, Decision{Commit: true, Nodes: prepared}, func(p *Placement) error {
		pt := p.Tables[m.table]
		if pt == nil || pt.Reference || len(pt.Shards) != len(t.Shards) {
			return pgerr.New(pgerr.ObjectNotInPrerequisiteState, "table %s changed during the move", m.table)
		}
		for _, i := range m.shards {
			if pt.Shards[i] != m.from {
				return pgerr.New(pgerr.ObjectNotInPrerequisiteState, "shard %d of %s moved during the move", i, m.table)
			}
			pt.Shards[i] = m.to
		}
		return nil
	})
	if err != nil {
		var pe *pgerr.Error
		if errors.As(err, &pe) || errors.Is(err, ErrConflict) {
			// The map was not written: nothing was decided.
			for _, id := range prepared {
				_ = tx.simple(ctx, id, "ROLLBACK PREPARED '"+gid+"'")
			}
			tx.release()
			return err
		}
		// Whether etcd took the write is not known: leave the prepared
		// transactions to Recover, which reads the decision there.
		crashed = true
		return pgerr.New(codeTransactionResolutionUnknown, "could not record the move of shards of %s: recovery finishes or undoes it", m.table).WithCause(err)
	}
	c.setPlacement(p)
	if err := c.moveHook(stepSwitched); err != nil {
		crashed = true
		return err
	}
	// Both parts must commit before the gate opens: until then the
	// target does not show the rows and the source still does. A node
	// that cannot be reached is tried again for up to MoveWait; after
	// that the move is left to Recover, and until it runs reads may miss
	// the rows (target) or see them twice (source).
	ok := true
	deadline := time.Now().Add(c.opts.MoveWait)
	for _, id := range prepared {
		err := tx.commitPrepared(ctx, id, gid, 0)
		for err != nil && lostConn(err) && time.Now().Before(deadline) && ctx.Err() == nil {
			time.Sleep(c.opts.RetryInitial)
			err = c.resolve(ctx, id, gid, true, 0)
		}
		if err != nil {
			ok = false
			c.opts.Logger.Warn("shard: COMMIT PREPARED of a shard move failed; recovery will finish it", "gid", gid, "node", id, "err", err)
		}
	}
	tx.release()
	if ok {
		if err := c.store.ForgetDecision(ctx, gid); err != nil {
			c.opts.Logger.Warn("shard: could not forget a finished decision", "gid", gid, "err", err)
		}
	}
	return nil
}

// settled makes sure no distributed transaction is left prepared on the
// nodes ids, recovering first if one is: its rows could not be moved
// (a prepared write would commit on the node a shard left). With the gate
// closed, no client transaction is committing.
func (c *Coordinator) settled(ctx context.Context, ids ...string) error {
	pending := func() (string, error) {
		for _, id := range ids {
			var gid string
			err := c.withConn(ctx, id, func(pc *pgconn.PgConn) error {
				rr := pc.ExecParams(ctx, "SELECT gid FROM pg_prepared_xacts", nil, nil, nil, nil)
				for rr.NextRow() {
					if g := string(rr.Values()[0]); strings.HasPrefix(g, gidPrefix) && gid == "" {
						gid = g
					}
				}
				_, err := rr.Close()
				return relay(err)
			})
			if err != nil || gid != "" {
				return id + " holds " + gid, err
			}
		}
		return "", nil
	}
	what, err := pending()
	if err != nil || what == "" {
		return err
	}
	if err := c.Recover(ctx); err != nil {
		return err
	}
	if what, err = pending(); err != nil || what == "" {
		return err
	}
	return pgerr.New(pgerr.ObjectNotInPrerequisiteState, "cannot move shards now: node %s, a prepared transaction recovery could not finish", what)
}

// moveHook is called at each step of a move; a test stops a move by
// returning an error.
func (c *Coordinator) moveHook(step string) error {
	if c.testMoveHook == nil {
		return nil
	}
	return c.testMoveHook(step)
}

// copyColumnList is the quoted list of t's columns a COPY reads and
// writes on node id (not the generated ones), and where the
// distribution column is among them.
func (c *Coordinator) copyColumnList(ctx context.Context, id string, t *Table) (string, int, error) {
	names, err := copyColumns(t.Name, func(a *stmt, w wireParams) (*sql.Result, error) {
		var res *sql.Result
		err := c.withConn(ctx, id, func(pc *pgconn.PgConn) error {
			var err error
			res, err = exec(ctx, pc, a.sql, w)
			return err
		})
		return res, err
	})
	if err != nil {
		return "", 0, err
	}
	keyCol := slices.Index(names, t.Column)
	if keyCol < 0 {
		return "", 0, pgerr.New(pgerr.UndefinedColumn, "distribution column %s of %s is not among the columns node %s copies", t.Column, t.Name, id)
	}
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = parser.QuoteIdent(n)
	}
	return strings.Join(quoted, ", "), keyCol, nil
}

// switchPlacement changes the placement map as UpdatePlacement does and,
// in the same etcd transaction, records decision d of gid: a shard
// move's switch and its commit decision happen together or not at all.
func (s *Store) switchPlacement(ctx context.Context, gid string, d Decision, change func(*Placement) error) (*Placement, error) {
	db, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	return s.updatePlacement(ctx, change, clientv3.OpPut(s.prefix+keyDecisions+gid, string(db)))
}
