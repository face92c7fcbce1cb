package shard

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// Keys of the cluster state in etcd, under Store's prefix (doc.go, "Cluster
// state").
const (
	keyNodes     = "nodes/"
	keyHealth    = "health/"
	keyPlacement = "placement"
	keyDecisions = "2pc/"
	keyRemoved   = "removed/"
)

// ErrConflict is returned by Store.UpdatePlacement when the placement map
// kept changing under it.
var ErrConflict = errors.New("shard: placement map changed concurrently")

// Node is a member of the cluster: an ordinary cairn server.
type Node struct {
	ID   string `json:"id"`
	Addr string `json:"addr"` // host:port of its PostgreSQL protocol listener
}

// Health is what the coordinator last saw of a node.
type Health struct {
	Up      bool      `json:"up"`
	Checked time.Time `json:"checked"`
	Error   string    `json:"error,omitempty"`
}

// Table is a distributed or reference table in the placement map.
type Table struct {
	Name string `json:"name"`
	// Reference is set for a table copied to every node; Column, Type and
	// Shards are empty then.
	Reference bool `json:"reference,omitempty"`
	// Column is the distribution column, TypeOID and TypeMod its type.
	Column  string `json:"column,omitempty"`
	TypeOID uint32 `json:"type_oid,omitempty"`
	TypeMod int32  `json:"type_mod,omitempty"`
	// ColumnIndex is the distribution column's place among the table's
	// columns (0-based), for INSERTs that name no columns.
	ColumnIndex int `json:"column_index,omitempty"`
	// Shards[i] is the ID of the node holding shard i.
	Shards []string `json:"shards,omitempty"`
}

// Placement is the placement map: every distributed and reference table.
// Version goes up by one with each change.
type Placement struct {
	Version int64             `json:"version"`
	Tables  map[string]*Table `json:"tables"`
}

// Store keeps the cluster state in etcd: membership, node health, the
// placement map and the decisions of two-phase commits. Its methods are
// safe for concurrent use.
type Store struct {
	cli    *clientv3.Client
	prefix string
}

// DialEtcd connects to the etcd cluster at endpoints (host:port each).
func DialEtcd(endpoints []string) (*clientv3.Client, error) {
	cli, err := clientv3.New(clientv3.Config{Endpoints: endpoints, DialTimeout: 5 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("shard: connecting to etcd at %s: %w", strings.Join(endpoints, ","), err)
	}
	return cli, nil
}

// NewStore keeps its keys under prefix ("/cairn/" when empty) in cli.
func NewStore(cli *clientv3.Client, prefix string) *Store {
	if prefix == "" {
		prefix = "/cairn/"
	}
	return &Store{cli: cli, prefix: prefix}
}

// Client is the store's etcd client.
func (s *Store) Client() *clientv3.Client { return s.cli }

func (s *Store) put(ctx context.Context, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	ctx, cancel := ctxTimeout(ctx)
	defer cancel()
	if _, err := s.cli.Put(ctx, s.prefix+key, string(b)); err != nil {
		return fmt.Errorf("shard: etcd put %s: %w", key, err)
	}
	return nil
}

// AddNode records node as a member (replacing one with its ID).
func (s *Store) AddNode(ctx context.Context, n Node) error {
	if n.ID == "" || strings.Contains(n.ID, "/") {
		return fmt.Errorf("shard: bad node id %q", n.ID)
	}
	ctx, cancel := ctxTimeout(ctx)
	defer cancel()
	b, err := json.Marshal(n)
	if err != nil {
		return err
	}
	_, err = s.cli.Txn(ctx).Then(
		clientv3.OpPut(s.prefix+keyNodes+n.ID, string(b)),
		clientv3.OpDelete(s.prefix+keyRemoved+n.ID),
	).Commit()
	if err != nil {
		return fmt.Errorf("shard: etcd add node %s: %w", n.ID, err)
	}
	return nil
}

// RemoveNode forgets a member and its health, and remembers that it was
// removed (Removed).
func (s *Store) RemoveNode(ctx context.Context, id string) error {
	ctx, cancel := ctxTimeout(ctx)
	defer cancel()
	_, err := s.cli.Txn(ctx).Then(
		clientv3.OpDelete(s.prefix+keyNodes+id),
		clientv3.OpDelete(s.prefix+keyHealth+id),
		clientv3.OpPut(s.prefix+keyRemoved+id, "{}"),
	).Commit()
	if err != nil {
		return fmt.Errorf("shard: etcd remove node %s: %w", id, err)
	}
	return nil
}

// Removed reports whether id was removed from the members (RemoveNode)
// and not added since.
func (s *Store) Removed(ctx context.Context, id string) (bool, error) {
	ctx, cancel := ctxTimeout(ctx)
	defer cancel()
	resp, err := s.cli.Get(ctx, s.prefix+keyRemoved+id, clientv3.WithCountOnly())
	if err != nil {
		return false, fmt.Errorf("shard: etcd removed %s: %w", id, err)
	}
	return resp.Count > 0, nil
}

// Nodes lists the members, by ID.
func (s *Store) Nodes(ctx context.Context) ([]Node, error) {
	ctx, cancel := ctxTimeout(ctx)
	defer cancel()
	resp, err := s.cli.Get(ctx, s.prefix+keyNodes, clientv3.WithPrefix())
	if err != nil {
		return nil, fmt.Errorf("shard: etcd list nodes: %w", err)
	}
	var out []Node
	for _, kv := range resp.Kvs {
		var n Node
		if err := json.Unmarshal(kv.Value, &n); err != nil {
			return nil, fmt.Errorf("shard: node record %s: %w", kv.Key, err)
		}
		out = append(out, n)
	}
	slices.SortFunc(out, func(a, b Node) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// SetHealth records what was last seen of node id.
func (s *Store) SetHealth(ctx context.Context, id string, h Health) error {
	return s.put(ctx, keyHealth+id, h)
}

// Health returns the recorded health of every node that has one.
func (s *Store) Health(ctx context.Context) (map[string]Health, error) {
	ctx, cancel := ctxTimeout(ctx)
	defer cancel()
	resp, err := s.cli.Get(ctx, s.prefix+keyHealth, clientv3.WithPrefix())
	if err != nil {
		return nil, fmt.Errorf("shard: etcd health: %w", err)
	}
	out := map[string]Health{}
	for _, kv := range resp.Kvs {
		var h Health
		if err := json.Unmarshal(kv.Value, &h); err != nil {
			return nil, fmt.Errorf("shard: health record %s: %w", kv.Key, err)
		}
		out[strings.TrimPrefix(string(kv.Key), s.prefix+keyHealth)] = h
	}
	return out, nil
}

// Placement reads the placement map; an empty one (version 0) when none
// was written.
func (s *Store) Placement(ctx context.Context) (*Placement, error) {
	p, _, err := s.placement(ctx)
	return p, err
}

func (s *Store) placement(ctx context.Context) (*Placement, int64, error) {
	ctx, cancel := ctxTimeout(ctx)
	defer cancel()
	resp, err := s.cli.Get(ctx, s.prefix+keyPlacement)
	if err != nil {
		return nil, 0, fmt.Errorf("shard: etcd placement: %w", err)
	}
	p := &Placement{Tables: map[string]*Table{}}
	if len(resp.Kvs) == 0 {
		return p, 0, nil
	}
	if err := json.Unmarshal(resp.Kvs[0].Value, p); err != nil {
		return nil, 0, fmt.Errorf("shard: placement record: %w", err)
	}
	if p.Tables == nil {
		p.Tables = map[string]*Table{}
	}
	return p, resp.Kvs[0].ModRevision, nil
}

// UpdatePlacement applies change to the current placement map and writes
// it back with its version one higher, atomically: etcd's compare on the
// key's revision makes a concurrent writer's change fail this write,
// which is then retried on the new map (ErrConflict after 10 tries). An
// error from change leaves the map as it was and is returned.
func (s *Store) UpdatePlacement(ctx context.Context, change func(*Placement) error) (*Placement, error) {
	return s.updatePlacement(ctx, change)
}

// updatePlacement is UpdatePlacement writing also the puts in with, in
// the same etcd transaction as the map.
func (s *Store) updatePlacement(ctx context.Context, change func(*Placement) error, with ...clientv3.Op) (*Placement, error) {
	for range 10 {
		p, rev, err := s.placement(ctx)
		if err != nil {
			return nil, err
		}
		if err := change(p); err != nil {
			return nil, err
		}
		p.Version++
		b, err := json.Marshal(p)
		if err != nil {
			return nil, err
		}
		key := s.prefix + keyPlacement
		tctx, cancel := ctxTimeout(ctx)
		resp, err := s.cli.Txn(tctx).
			If(clientv3.Compare(clientv3.ModRevision(key), "=", rev)).
			Then(append([]clientv3.Op{clientv3.OpPut(key, string(b))}, with...)...).
			Commit()
		cancel()
		if err != nil {
			return nil, fmt.Errorf("shard: etcd write placement: %w", err)
		}
		if resp.Succeeded {
			return p, nil
		}
	}
	return nil, ErrConflict
}

// WatchPlacement calls fn with each new placement map until ctx ends.
func (s *Store) WatchPlacement(ctx context.Context, fn func(*Placement)) {
	for resp := range s.cli.Watch(ctx, s.prefix+keyPlacement) {
		for _, ev := range resp.Events {
			if ev.Kv == nil || len(ev.Kv.Value) == 0 {
				continue
			}
			p := &Placement{}
			if json.Unmarshal(ev.Kv.Value, p) == nil {
				if p.Tables == nil {
					p.Tables = map[string]*Table{}
				}
				fn(p)
			}
		}
	}
}

// Decision is the recorded outcome of a two-phase commit.
type Decision struct {
	Commit bool     `json:"commit"`
	Nodes  []string `json:"nodes"` // the nodes the transaction was prepared on
	// TS is the commit's cluster timestamp, which every node commits
	// with (recovery too); 0 for none.
	TS uint64 `json:"ts,omitempty"`
}

// RecordDecision writes the outcome of the distributed transaction gid.
// Phase two starts only after it returns: a coordinator that restarts
// finds the decision for every transaction it prepared.
func (s *Store) RecordDecision(ctx context.Context, gid string, d Decision) error {
	return s.put(ctx, keyDecisions+gid, d)
}

// Decisions returns every recorded decision, by global transaction id.
func (s *Store) Decisions(ctx context.Context) (map[string]Decision, error) {
	ctx, cancel := ctxTimeout(ctx)
	defer cancel()
	resp, err := s.cli.Get(ctx, s.prefix+keyDecisions, clientv3.WithPrefix())
	if err != nil {
		return nil, fmt.Errorf("shard: etcd decisions: %w", err)
	}
	out := map[string]Decision{}
	for _, kv := range resp.Kvs {
		var d Decision
		if err := json.Unmarshal(kv.Value, &d); err != nil {
			return nil, fmt.Errorf("shard: decision record %s: %w", kv.Key, err)
		}
		out[strings.TrimPrefix(string(kv.Key), s.prefix+keyDecisions)] = d
	}
	return out, nil
}

// ForgetDecision deletes the record of gid once phase two finished on
// every node.
func (s *Store) ForgetDecision(ctx context.Context, gid string) error {
	ctx, cancel := ctxTimeout(ctx)
	defer cancel()
	if _, err := s.cli.Delete(ctx, s.prefix+keyDecisions+gid); err != nil {
		return fmt.Errorf("shard: etcd forget decision %s: %w", gid, err)
	}
	return nil
}
