package shard

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
)

// nodeFunctions are the SQL functions, in Citus's spelling, that change
// the members or move shards (kindNodes).
var nodeFunctions = map[string]bool{
	"citus_add_node":         true,
	"master_add_node":        true,
	"citus_remove_node":      true,
	"master_remove_node":     true,
	"rebalance_table_shards": true,
}

// nodesCall runs one of nodeFunctions: citus_add_node(host, port) joins
// the cairn server at host:port (JoinNode) and returns its ID;
// citus_remove_node(host, port) drains the member there and removes it
// (LeaveNode); rebalance_table_shards() moves shards where the ring
// places them (Rebalance).
func (s *Session) nodesCall(ctx context.Context, a *stmt, params []types.Datum, ptypes []types.T) (*sql.Result, error) {
	var args []string
	call := a.node.(*ast.SelectStmt).Targets[0].Expr.(*ast.FuncCall)
	if len(call.ArgNames) > 0 && slices.ContainsFunc(call.ArgNames, func(n string) bool { return n != "" }) {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "%s takes positional arguments only", a.fn)
	}
	for _, e := range a.args {
		v, ok := constantText(e, params, ptypes)
		if !ok {
			return nil, pgerr.New(pgerr.InvalidParameterValue, "the arguments of %s must be constants", a.fn)
		}
		args = append(args, v)
	}
	void := &sql.Result{Columns: []sql.Column{{Name: a.fn, Type: types.New(types.Void)}}, Rows: [][]types.Datum{{""}}, Tag: "SELECT 1"}
	if a.fn == "rebalance_table_shards" {
		if len(args) != 0 {
			return nil, pgerr.New(pgerr.UndefinedFunction, "function rebalance_table_shards takes no arguments: it rebalances every table")
		}
		if _, err := s.c.Rebalance(ctx); err != nil {
			return nil, err
		}
		return void, nil
	}
	if len(args) != 2 {
		return nil, pgerr.New(pgerr.UndefinedFunction, "function %s takes 2 arguments (host, port)", a.fn)
	}
	port, err := strconv.Atoi(args[1])
	if err != nil || port < 1 || port > 65535 {
		return nil, pgerr.New(pgerr.InvalidParameterValue, "invalid port %q", args[1])
	}
	addr := net.JoinHostPort(args[0], strconv.Itoa(port))
	nodes, err := s.c.store.Nodes(ctx)
	if err != nil {
		return nil, err
	}
	switch a.fn {
	case "citus_add_node", "master_add_node":
		var ids []string
		for _, n := range nodes {
			if n.Addr == addr {
				return nil, pgerr.New(pgerr.DuplicateObject, "node %s at %s is already a member", n.ID, addr)
			}
			ids = append(ids, n.ID)
		}
		id := nextNodeID(ids)
		if _, err := s.c.JoinNode(ctx, Node{ID: id, Addr: addr}); err != nil {
			return nil, err
		}
		return &sql.Result{Columns: []sql.Column{{Name: a.fn, Type: types.New(types.Text)}}, Rows: [][]types.Datum{{id}}, Tag: "SELECT 1"}, nil
	default:
		for _, n := range nodes {
			if n.Addr == addr {
				if err := s.c.LeaveNode(ctx, n.ID); err != nil {
					return nil, err
				}
				return void, nil
			}
		}
		return nil, pgerr.New(pgerr.UndefinedObject, "no member of the cluster is at %s", addr)
	}
}

// constantText is the text of constant argument e (a literal or
// parameter, cast or not).
func constantText(e ast.Expr, params []types.Datum, ptypes []types.T) (string, bool) {
	if x, ok := e.(*ast.CastExpr); ok {
		ct, err := types.Resolve(x.Type)
		if err != nil {
			return "", false
		}
		d, ok := keyValue(x.X, ct, params, ptypes)
		if !ok || d == nil {
			return "", false
		}
		return types.FormatTextStyle(ct, d, types.Style{}), true
	}
	d, ok := keyValue(e, types.New(types.Text), params, ptypes)
	if !ok || d == nil {
		return "", false
	}
	return d.(string), true
}

var trailingNumber = regexp.MustCompile(`^(.*?)(\d+)$`)

// nextNodeID names a new member after the existing ones: their prefix
// and one more than the highest number ("node-4" after node-1..3).
func nextNodeID(ids []string) string {
	prefix, high := "node-", 0
	for _, id := range ids {
		if m := trailingNumber.FindStringSubmatch(id); m != nil {
			if n, _ := strconv.Atoi(m[2]); n >= high {
				prefix, high = m[1], n
			}
		}
	}
	for {
		high++
		id := prefix + strconv.Itoa(high)
		if !slices.Contains(ids, id) {
			return id
		}
	}
}

// JoinNode makes the cairn server n a member and gives it its share of
// the data: with the gate closed it creates on n every table and view of
// the home node's public schema (definitions read from its catalog; the
// tables that are neither distributed nor reference tables stay empty),
// copies the reference tables' rows, all in one transaction on n, and
// records n in etcd and on the ring; then Rebalance moves to it the
// shards the ring now places there. n's ID must sort after the home
// node's (the home node holds the rows of tables that are not
// distributed), and n must not have any of the tables yet. It returns
// the number of shards moved.
func (c *Coordinator) JoinNode(ctx context.Context, n Node) (int, error) {
	if n.ID == "" || strings.Contains(n.ID, "/") {
		return 0, pgerr.New(pgerr.InvalidParameterValue, "bad node id %q", n.ID)
	}
	home, err := c.home()
	if err != nil {
		return 0, err
	}
	if _, err := c.node(n.ID); err == nil {
		return 0, pgerr.New(pgerr.DuplicateObject, "node %s is already a member", n.ID)
	}
	if n.ID < home {
		return 0, pgerr.New(pgerr.FeatureNotSupported, "a new node's ID (%s) must sort after the home node's (%s)", n.ID, home)
	}
	nc, err := newNodeConn(n, c.opts)
	if err != nil {
		return 0, err
	}
	if err := c.gate.close(ctx, c.opts.MoveWait); err != nil {
		nc.close()
		return 0, err
	}
	err = c.fillNode(ctx, home, nc)
	if err == nil {
		err = c.store.AddNode(ctx, n)
	}
	nc.close()
	if err == nil {
		err = c.connect(n)
	}
	c.gate.open()
	if err != nil {
		return 0, err
	}
	return c.Rebalance(ctx)
}

// fillNode creates the tables and views of home's public schema on nc
// from home's definitions and copies the reference tables' rows, in one
// transaction on nc.
func (c *Coordinator) fillNode(ctx context.Context, home string, nc *nodeConn) error {
	p := c.Placement()
	// Every table and view of the home node's public schema: the
	// distributed and reference tables, and the others too (empty: their
	// rows are the home node's), so that DDL the coordinator sends to
	// every node later finds them on this one as well.
	var rels [][]string
	err := c.withConn(ctx, home, func(pc *pgconn.PgConn) error {
		rr := pc.ExecParams(ctx, `SELECT c.relname::text, c.relkind::text, CASE WHEN c.relkind = 'v' THEN pg_get_viewdef(c.oid) ELSE '' END
			FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v') ORDER BY c.oid`, nil, nil, nil, nil)
		for rr.NextRow() {
			v := rr.Values()
			rels = append(rels, []string{string(v[0]), string(v[1]), string(v[2])})
		}
		_, err := rr.Close()
		return relay(err)
	})
	if err != nil {
		return fmt.Errorf("listing the tables of home node %s: %w", home, err)
	}
	var ddl, names []string
	for _, rel := range rels {
		if rel[1] == "v" {
			ddl = append(ddl, "CREATE VIEW "+parser.QuoteIdent(rel[0])+" AS "+rel[2])
			continue
		}
		stmts, err := c.tableDefinition(ctx, home, rel[0])
		if err != nil {
			return err
		}
		ddl = append(ddl, stmts...)
		names = append(names, rel[0])
	}
	conn, err := nc.acquire(ctx, nil)
	if err != nil {
		return err
	}
	defer conn.Release()
	return nc.call(conn, func(pc *pgconn.PgConn) error {
		if _, err := pc.Exec(ctx, "BEGIN").ReadAll(); err != nil {
			return relay(err)
		}
		fail := func(err error) error {
			_, _ = pc.Exec(ctx, "ROLLBACK").ReadAll()
			return err
		}
		for _, q := range ddl {
			if _, err := pc.Exec(ctx, q).ReadAll(); err != nil {
				return fail(pgerr.New(pgerr.Code(relay(err)), "creating the cluster's tables on node %s: %v", nc.node.ID, relay(err)).WithDetail(q))
			}
		}
		for _, name := range names {
			if t := p.Tables[name]; t == nil || !t.Reference {
				continue
			}
			var data bytes.Buffer
			copyOut := "COPY " + parser.QuoteIdent(name) + " TO STDOUT"
			err := c.withConn(ctx, home, func(hc *pgconn.PgConn) error {
				_, err := hc.CopyTo(ctx, &data, copyOut)
				return relay(err)
			})
			if err != nil {
				return fail(err)
			}
			if _, err := pc.CopyFrom(ctx, &data, "COPY "+parser.QuoteIdent(name)+" FROM STDIN"); err != nil {
				return fail(relay(err))
			}
		}
		_, err := pc.Exec(ctx, "COMMIT").ReadAll()
		return relay(err)
	})
}

var nextvalSequence = regexp.MustCompile(`nextval\('([^']+)'`)

// tableDefinition reads table's definition from node id's catalog and
// returns the statements that create it alike elsewhere: the sequences
// its defaults draw from, CREATE TABLE with its columns (types,
// defaults, NOT NULL, identity, generated) and its primary key, unique
// and check constraints, then its other indexes. Foreign keys are left
// out.
func (c *Coordinator) tableDefinition(ctx context.Context, id, table string) ([]string, error) {
	var cols, cons, idx [][]string
	query := func(q string, out *[][]string) error {
		return c.withConn(ctx, id, func(pc *pgconn.PgConn) error {
			rr := pc.ExecParams(ctx, q, [][]byte{[]byte(parser.QuoteIdent(table))}, []uint32{uint32(types.Text)}, nil, nil)
			for rr.NextRow() {
				var row []string
				for _, v := range rr.Values() {
					row = append(row, string(v))
				}
				*out = append(*out, row)
			}
			_, err := rr.Close()
			return relay(err)
		})
	}
	if err := query(`SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull::text,
			coalesce(pg_get_expr(d.adbin, d.adrelid), ''), a.attgenerated::text, a.attidentity::text
		FROM pg_catalog.pg_attribute a LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
		WHERE a.attrelid = $1::text::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`, &cols); err != nil {
		return nil, fmt.Errorf("reading the columns of %s on node %s: %w", table, id, err)
	}
	if err := query(`SELECT conname, pg_get_constraintdef(oid), contype::text FROM pg_catalog.pg_constraint
		WHERE conrelid = $1::text::regclass AND contype IN ('p', 'u', 'c') ORDER BY conname`, &cons); err != nil {
		return nil, fmt.Errorf("reading the constraints of %s on node %s: %w", table, id, err)
	}
	if err := query(`SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_catalog.pg_index i
		WHERE i.indrelid = $1::text::regclass ORDER BY 1`, &idx); err != nil {
		return nil, fmt.Errorf("reading the indexes of %s on node %s: %w", table, id, err)
	}
	var out []string
	var defs []string
	for _, col := range cols {
		def := parser.QuoteIdent(col[0]) + " " + col[1]
		switch {
		case col[4] == "s":
			def += " GENERATED ALWAYS AS (" + col[3] + ") STORED"
		case col[5] == "a":
			def += " GENERATED ALWAYS AS IDENTITY"
		case col[5] == "d":
			def += " GENERATED BY DEFAULT AS IDENTITY"
		case col[3] != "":
			if m := nextvalSequence.FindStringSubmatch(col[3]); m != nil {
				out = append(out, "CREATE SEQUENCE IF NOT EXISTS "+m[1])
			}
			def += " DEFAULT " + col[3]
		}
		if col[2] == "true" {
			def += " NOT NULL"
		}
		defs = append(defs, def)
	}
	constraintIndex := map[string]bool{}
	for _, con := range cons {
		defs = append(defs, "CONSTRAINT "+parser.QuoteIdent(con[0])+" "+con[1])
		if con[2] != "c" {
			constraintIndex[con[0]] = true
		}
	}
	out = append(out, "CREATE TABLE "+parser.QuoteIdent(table)+" ("+strings.Join(defs, ", ")+")")
	for _, ix := range idx {
		if !constraintIndex[ix[0]] {
			out = append(out, ix[1])
		}
	}
	return out, nil
}

// LeaveNode drains member id, moving each of its shards to the node the
// ring without it places the shard on, then removes it from the
// members. It is refused when no other member is left to take the
// shards, and for the home node (which holds the rows of tables that are
// not distributed). Reference tables' copies stay on the node, unused.
func (c *Coordinator) LeaveNode(ctx context.Context, id string) error {
	if _, err := c.node(id); err != nil {
		return pgerr.New(pgerr.UndefinedObject, "node %s is not a member of the cluster", id)
	}
	home, err := c.home()
	if err != nil {
		return err
	}
	if id == home {
		return pgerr.New(pgerr.FeatureNotSupported, "node %s is the home node (tables that are not distributed live there): removing it is not supported yet", id)
	}
	c.mu.Lock()
	if c.mu.draining[id] {
		c.mu.Unlock()
		return pgerr.New(pgerr.ObjectNotInPrerequisiteState, "node %s is already being removed", id)
	}
	c.mu.draining[id] = true
	ring := c.placementRing()
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.mu.draining, id)
		c.mu.Unlock()
	}()
	if len(ring.Nodes()) == 0 {
		return pgerr.New(pgerr.ObjectNotInPrerequisiteState, "cannot remove node %s: no other node would hold the shards of the distributed tables", id)
	}
	if _, err := c.runMoves(ctx, planMoves(c.Placement(), ring, func(node string) bool { return node == id })); err != nil {
		return err
	}
	if err := c.gate.close(ctx, c.opts.MoveWait); err != nil {
		return err
	}
	defer c.gate.open()
	for name, t := range c.Placement().Tables {
		if slices.Contains(t.Shards, id) {
			return pgerr.New(pgerr.ObjectNotInPrerequisiteState, "cannot remove node %s: shards of %s were placed on it meanwhile", id, name)
		}
	}
	if err := c.store.RemoveNode(ctx, id); err != nil {
		return err
	}
	c.disconnect(id)
	return nil
}

// disconnect forgets member id: its pool and its ring points.
func (c *Coordinator) disconnect(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if nc := c.mu.nodes[id]; nc != nil {
		nc.close()
	}
	delete(c.mu.nodes, id)
	c.mu.ring = c.mu.ring.Without(id)
}
