package shard

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cairndb/cairn/internal/pgerr"
)

// Options configure a Coordinator. Zero fields mean the defaults given.
type Options struct {
	// Shards is the number of shards of a distributed table (64).
	Shards int
	// Points is the number of ring points per node (DefaultPoints).
	Points int
	// NodeUser and NodeDatabase are the role and database the
	// coordinator connects to the nodes as ("postgres", "postgres").
	NodeUser, NodeDatabase string
	// PoolSize bounds the coordinator's connections to each node (16).
	PoolSize int
	// ConnectTimeout bounds one attempt to connect to a node (2 s).
	ConnectTimeout time.Duration
	// Retries is how many more times a connection to a node is attempted
	// after a failure to connect (2); RetryInitial is the first backoff
	// (50 ms), doubling with jitter of ±50%.
	Retries      int
	RetryInitial time.Duration
	// BreakerFailures consecutive failures to reach a node open its
	// circuit breaker (3); it stays open for BreakerOpen (5 s), failing
	// calls to the node at once, then lets one call through to test it.
	BreakerFailures uint32
	BreakerOpen     time.Duration
	// MoveWait bounds how long a shard move, or a node joining or
	// leaving, waits for the client statements and transactions in
	// progress to end (10 s) before it gives up with 55P03.
	MoveWait time.Duration
	// PerNodeSnapshots turns cluster snapshots off (doc.go, "Cluster
	// snapshots"): a REPEATABLE READ transaction takes each node's own
	// snapshot when it first reaches the node, and commits carry no
	// cluster timestamp, so a reader may see one node's half of a
	// transaction and not the other's. Only for comparison (tests).
	PerNodeSnapshots bool
	// OracleBlock is how many timestamps the timestamp oracle reserves
	// in etcd at a time (DefaultOracleBlock).
	OracleBlock uint64
	// Logger receives what goes wrong in the background (slog.Default()).
	Logger *slog.Logger

	// dial, when set, opens the connections to the nodes (tests count
	// attempts with it).
	dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

func (o *Options) withDefaults() *Options {
	out := Options{}
	if o != nil {
		out = *o
	}
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&out.Shards, 64)
	def(&out.Points, DefaultPoints)
	def(&out.PoolSize, 16)
	if out.Retries < 0 {
		out.Retries = 0
	} else if out.Retries == 0 {
		out.Retries = 2
	}
	if out.NodeUser == "" {
		out.NodeUser = "postgres"
	}
	if out.NodeDatabase == "" {
		out.NodeDatabase = "postgres"
	}
	if out.ConnectTimeout <= 0 {
		out.ConnectTimeout = 2 * time.Second
	}
	if out.RetryInitial <= 0 {
		out.RetryInitial = 50 * time.Millisecond
	}
	if out.BreakerFailures == 0 {
		out.BreakerFailures = 3
	}
	if out.BreakerOpen <= 0 {
		out.BreakerOpen = 5 * time.Second
	}
	if out.MoveWait <= 0 {
		out.MoveWait = 10 * time.Second
	}
	if out.Logger == nil {
		out.Logger = slog.Default()
	}
	return &out
}

// Coordinator routes the statements of its clients' sessions to the
// nodes of the cluster whose state Store keeps. Its sessions are served
// with pgwire (pgwire.EngineFunc over NewSession).
type Coordinator struct {
	store *Store
	opts  *Options

	// id names this coordinator in the global ids of its prepared
	// transactions; seq numbers them.
	id  string
	seq atomic.Uint64
	// inflight holds the numbers of this coordinator's distributed
	// transactions from newGID to the end of their commit: Recover
	// leaves them to it.
	inflight struct {
		sync.Mutex
		seqs map[uint64]bool
	}

	placement atomic.Pointer[Placement]

	// oracle hands out the cluster's timestamps (oracle.go).
	oracle *Oracle

	// gate keeps client statements out while shards move (gate.go).
	gate gate
	// testMoveHook, when set, is called at each step of a shard move
	// (rebalance.go); an error stops the move there, as a crash would.
	testMoveHook func(step string) error

	mu struct {
		sync.Mutex
		nodes map[string]*nodeConn
		ring  *Ring
		// draining are members whose shards are being moved away
		// before they leave: new tables place no shards on them.
		draining map[string]bool
	}

	stop context.CancelFunc
	done chan struct{}
}

// NewCoordinator loads the members and the placement map from store,
// resolves the prepared transactions an earlier coordinator left (see
// Recover), and keeps the placement map current by watching it.
func NewCoordinator(ctx context.Context, store *Store, opts *Options) (*Coordinator, error) {
	var id [4]byte
	if _, err := rand.Read(id[:]); err != nil {
		return nil, err
	}
	c := &Coordinator{store: store, opts: opts.withDefaults(), id: hex.EncodeToString(id[:]), done: make(chan struct{})}
	c.mu.nodes = map[string]*nodeConn{}
	c.mu.ring = NewRing(c.opts.Points)
	c.mu.draining = map[string]bool{}
	c.inflight.seqs = map[uint64]bool{}
	c.oracle = NewOracle(store, c.opts.OracleBlock)
	nodes, err := store.Nodes(ctx)
	if err != nil {
		return nil, err
	}
	for _, n := range nodes {
		if err := c.connect(n); err != nil {
			c.Close()
			return nil, err
		}
	}
	p, err := store.Placement(ctx)
	if err != nil {
		c.Close()
		return nil, err
	}
	c.setPlacement(p)
	wctx, cancel := context.WithCancel(context.Background())
	c.stop = cancel
	go func() {
		defer close(c.done)
		store.WatchPlacement(wctx, c.setPlacement)
	}()
	return c, nil
}

// setPlacement installs p unless a newer map is already installed.
func (c *Coordinator) setPlacement(p *Placement) {
	for {
		old := c.placement.Load()
		if old != nil && old.Version >= p.Version {
			return
		}
		if c.placement.CompareAndSwap(old, p) {
			return
		}
	}
}

// updatePlacement changes the placement map in etcd (Store.UpdatePlacement)
// and routes by the new one at once, whatever the watch's delay.
func (c *Coordinator) updatePlacement(ctx context.Context, change func(*Placement) error) error {
	p, err := c.store.UpdatePlacement(ctx, change)
	if err != nil {
		return err
	}
	c.setPlacement(p)
	return nil
}

// Placement is the placement map the coordinator routes by.
func (c *Coordinator) Placement() *Placement { return c.placement.Load() }

// connect adds a pool and breaker for n (replacing one with its ID).
func (c *Coordinator) connect(n Node) error {
	nc, err := newNodeConn(n, c.opts)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.mu.nodes[n.ID]; old != nil {
		old.close()
	}
	c.mu.nodes[n.ID] = nc
	c.mu.ring = c.mu.ring.With(n.ID)
	return nil
}

// AddNode makes n a member of the cluster: recorded in etcd and on the
// ring, nothing more (cairn cluster and cairn coordinator register the
// nodes they start with so). Tables distributed afterwards place shards
// on it; existing tables are neither created on it nor moved to it:
// JoinNode does that.
func (c *Coordinator) AddNode(ctx context.Context, n Node) error {
	if err := c.store.AddNode(ctx, n); err != nil {
		return err
	}
	return c.connect(n)
}

// node returns the connection to node id.
func (c *Coordinator) node(id string) (*nodeConn, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	nc := c.mu.nodes[id]
	if nc == nil {
		return nil, pgerr.New(codeConnectionFailure, "node %s is not a member of the cluster", id)
	}
	return nc, nil
}

// nodeIDs lists the members, sorted.
func (c *Coordinator) nodeIDs() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.mu.ring.Nodes()
}

// home is the node that runs statements naming no distributed or
// reference table: the first member by ID.
func (c *Coordinator) home() (string, error) {
	ids := c.nodeIDs()
	if len(ids) == 0 {
		return "", pgerr.New(pgerr.ObjectNotInPrerequisiteState, "the cluster has no nodes")
	}
	return ids[0], nil
}

// BreakerState reports the state of node id's circuit breaker ("closed",
// "half-open", "open"), "" for no such node.
func (c *Coordinator) BreakerState(id string) string {
	nc, err := c.node(id)
	if err != nil {
		return ""
	}
	return nc.BreakerState()
}

// CheckHealth pings every node once and records what it saw in etcd.
func (c *Coordinator) CheckHealth(ctx context.Context, now time.Time) error {
	for _, id := range c.nodeIDs() {
		nc, err := c.node(id)
		if err != nil {
			continue
		}
		h := Health{Up: true, Checked: now}
		pctx, cancel := context.WithTimeout(ctx, c.opts.ConnectTimeout)
		conn, err := nc.acquire(pctx, nil)
		if err == nil {
			err = nc.call(conn, func(pc *pgconn.PgConn) error { return pc.Ping(pctx) })
			conn.Release()
		}
		cancel()
		if err != nil {
			h.Up, h.Error = false, err.Error()
		}
		if err := c.store.SetHealth(ctx, id, h); err != nil {
			return err
		}
	}
	return nil
}

// newGID names a distributed transaction: unique across coordinators and
// their restarts, and recognizable among a node's prepared transactions.
// It counts as in flight until endGID.
func (c *Coordinator) newGID() (string, uint64) {
	c.inflight.Lock()
	defer c.inflight.Unlock()
	n := c.seq.Add(1)
	c.inflight.seqs[n] = true
	return fmt.Sprintf("%s%s_%d", gidPrefix, c.id, n), n
}

// endGID marks the commit of transaction n ended, whatever its outcome.
func (c *Coordinator) endGID(n uint64) {
	c.inflight.Lock()
	defer c.inflight.Unlock()
	delete(c.inflight.seqs, n)
}

// ownSeq is the number of a global id this coordinator gave out.
func (c *Coordinator) ownSeq(gid string) (uint64, bool) {
	rest, ok := strings.CutPrefix(gid, gidPrefix+c.id+"_")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseUint(rest, 10, 64)
	return n, err == nil
}

// gidPrefix starts the global id of every transaction a coordinator
// prepares.
const gidPrefix = "cairn_"

// Close stops watching etcd and closes the pools.
func (c *Coordinator) Close() {
	if c.stop != nil {
		c.stop()
		<-c.done
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, nc := range c.mu.nodes {
		nc.close()
	}
	c.mu.nodes = map[string]*nodeConn{}
}

// NewSession starts a client session routed through c.
func (c *Coordinator) NewSession(user, database string, startup map[string]string) (*Session, error) {
	return &Session{c: c, user: user, database: database, cache: map[string]*stmt{}}, nil
}

// tableNodes lists the distinct nodes holding shards of t, sorted.
func tableNodes(t *Table) []string {
	out := slices.Clone(t.Shards)
	slices.Sort(out)
	return slices.Compact(out)
}
