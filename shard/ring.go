package shard

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/cespare/xxhash/v2"
)

// DefaultPoints is the number of ring points a node owns unless a Ring is
// made with another number.
const DefaultPoints = 256

// Ring is a consistent-hash ring of nodes: each node owns Points points,
// the xxhash64 of "node#i" for i in [0, Points); a key belongs to the node
// of the first point at or after the key's hash, wrapping around. Adding
// a node moves to it only the keys whose first point is now one of its
// own; removing one moves only its keys. A Ring is immutable: With and
// Without return new rings, so readers need no lock.
type Ring struct {
	points []ringPoint // sorted by hash, then node
	nodes  []string    // sorted
	per    int
}

type ringPoint struct {
	hash uint64
	node string
}

// NewRing makes a ring of nodes with points points each (DefaultPoints
// when points <= 0). Duplicate node names count once.
func NewRing(points int, nodes ...string) *Ring {
	if points <= 0 {
		points = DefaultPoints
	}
	r := &Ring{per: points}
	for _, n := range nodes {
		r = r.With(n)
	}
	return r
}

// Nodes returns the ring's nodes, sorted.
func (r *Ring) Nodes() []string { return slices.Clone(r.nodes) }

// Has reports whether node is on the ring.
func (r *Ring) Has(node string) bool {
	_, found := slices.BinarySearch(r.nodes, node)
	return found
}

// With returns the ring with node added (r itself when it is there).
func (r *Ring) With(node string) *Ring {
	if r.Has(node) {
		return r
	}
	out := &Ring{per: r.per, nodes: slices.Clone(r.nodes), points: slices.Clone(r.points)}
	out.nodes = append(out.nodes, node)
	slices.Sort(out.nodes)
	for i := range r.per {
		out.points = append(out.points, ringPoint{xxhash.Sum64String(node + "#" + strconv.Itoa(i)), node})
	}
	slices.SortFunc(out.points, comparePoints)
	return out
}

// Without returns the ring with node removed (r itself when it is not
// there).
func (r *Ring) Without(node string) *Ring {
	if !r.Has(node) {
		return r
	}
	out := &Ring{per: r.per}
	for _, n := range r.nodes {
		if n != node {
			out.nodes = append(out.nodes, n)
		}
	}
	for _, p := range r.points {
		if p.node != node {
			out.points = append(out.points, p)
		}
	}
	return out
}

func comparePoints(a, b ringPoint) int {
	switch {
	case a.hash < b.hash:
		return -1
	case a.hash > b.hash:
		return 1
	}
	switch {
	case a.node < b.node:
		return -1
	case a.node > b.node:
		return 1
	}
	return 0
}

// Owner returns the node that owns hash h; "" on an empty ring.
func (r *Ring) Owner(h uint64) string {
	if len(r.points) == 0 {
		return ""
	}
	i, _ := slices.BinarySearchFunc(r.points, h, func(p ringPoint, h uint64) int {
		switch {
		case p.hash < h:
			return -1
		case p.hash > h:
			return 1
		}
		return 0
	})
	if i == len(r.points) {
		i = 0
	}
	return r.points[i].node
}

// ShardKey is the ring key of shard i of a table with n shards. It names
// the shard by count and index only, so the shards with one index of all
// tables with the same count land on the same node (co-location, which a
// join on the distribution column will use).
func ShardKey(n, i int) uint64 {
	return xxhash.Sum64String(fmt.Sprintf("shard/%d/%d", n, i))
}

// Place returns the node of each of n shards on ring r; an empty ring
// places nothing.
func (r *Ring) Place(n int) []string {
	if len(r.nodes) == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = r.Owner(ShardKey(n, i))
	}
	return out
}
