package shard

import (
	"context"
	"sync"
	"testing"
	"time"
)

// startEtcd starts an embedded etcd for a test, on free loopback ports.
func startEtcd(t *testing.T) *Store {
	t.Helper()
	e, err := StartEtcd(t.TempDir(), "127.0.0.1:0", "127.0.0.1:0", 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	cli, err := DialEtcd(e.Endpoints())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.Close() })
	return NewStore(cli, "/test/")
}

func TestStore(t *testing.T) {
	s := startEtcd(t)
	ctx := context.Background()
	for _, n := range []Node{{ID: "b", Addr: "127.0.0.1:2"}, {ID: "a", Addr: "127.0.0.1:1"}} {
		if err := s.AddNode(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	nodes, err := s.Nodes(ctx)
	if err != nil || len(nodes) != 2 || nodes[0].ID != "a" || nodes[1].Addr != "127.0.0.1:2" {
		t.Fatalf("nodes %v %v", nodes, err)
	}
	if err := s.SetHealth(ctx, "a", Health{Up: false, Error: "refused"}); err != nil {
		t.Fatal(err)
	}
	if h, err := s.Health(ctx); err != nil || h["a"].Error != "refused" {
		t.Fatalf("health %v %v", h, err)
	}
	if err := s.RemoveNode(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if nodes, _ := s.Nodes(ctx); len(nodes) != 1 {
		t.Fatalf("after remove: %v", nodes)
	}

	// Concurrent updates of the placement map all land, each with its own
	// version.
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			_, err := s.UpdatePlacement(ctx, func(p *Placement) error {
				p.Tables[string(rune('a'+i))] = &Table{Name: string(rune('a' + i)), Reference: true}
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	p, err := s.Placement(ctx)
	if err != nil || p.Version != 8 || len(p.Tables) != 8 {
		t.Fatalf("placement %+v %v", p, err)
	}

	if err := s.RecordDecision(ctx, "g1", Decision{Commit: true, Nodes: []string{"a"}}); err != nil {
		t.Fatal(err)
	}
	if d, err := s.Decisions(ctx); err != nil || !d["g1"].Commit {
		t.Fatalf("decisions %v %v", d, err)
	}
	if err := s.ForgetDecision(ctx, "g1"); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.Decisions(ctx); len(d) != 0 {
		t.Fatalf("decision not forgotten: %v", d)
	}
}
