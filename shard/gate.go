package shard

import (
	"context"
	"sync"
	"time"

	"github.com/cairndb/cairn/internal/pgerr"
)

// gate keeps client work and shard moves apart. Each client statement,
// and each explicit transaction from its first statement to its end,
// passes through it (enter, leave); a move closes it, waiting until no
// statement or transaction is inside, runs while no client work can
// start, and opens it again. So no statement routes by a placement map
// that changes under it, and no transaction that wrote a shard's rows on
// the old node commits after they were moved.
type gate struct {
	mu     sync.Mutex
	active int
	// opened is closed when the gate opens again; nil while it is open.
	opened chan struct{}
	// drained is closed when the last one inside leaves a closing gate.
	drained chan struct{}
	// movers serializes the closers: one move at a time.
	movers sync.Mutex
}

// enter waits while the gate is closed, then counts the caller inside.
func (g *gate) enter(ctx context.Context) error {
	g.mu.Lock()
	for g.opened != nil {
		ch := g.opened
		g.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
		g.mu.Lock()
	}
	g.active++
	g.mu.Unlock()
	return nil
}

// leave counts the caller out.
func (g *gate) leave() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.active--
	if g.active == 0 && g.drained != nil {
		close(g.drained)
		g.drained = nil
	}
}

// close shuts the gate and waits up to wait for everyone inside to
// leave. When they do not (a transaction left open), the gate opens
// again and close fails with 55P03, as a lock timeout does. On success
// the caller must call open.
func (g *gate) close(ctx context.Context, wait time.Duration) error {
	g.movers.Lock()
	g.mu.Lock()
	g.opened = make(chan struct{})
	if g.active == 0 {
		g.mu.Unlock()
		return nil
	}
	g.drained = make(chan struct{})
	d, n := g.drained, g.active
	g.mu.Unlock()
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-d:
		return nil
	case <-t.C:
		g.open()
		return pgerr.New("55P03", "could not move shards: %d statements or transactions stayed open for %v", n, wait)
	case <-ctx.Done():
		g.open()
		return ctx.Err()
	}
}

// open opens a gate close shut.
func (g *gate) open() {
	g.mu.Lock()
	close(g.opened)
	g.opened, g.drained = nil, nil
	g.mu.Unlock()
	g.movers.Unlock()
}
