package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/cairndb/cairn"
	"github.com/cairndb/cairn/pgwire"
	"github.com/cairndb/cairn/shard"
)

// clusterCmd runs cairn cluster: a coordinator with an embedded etcd (or
// an external one) and --nodes cairn nodes in this process, for
// development. Clients connect to --listen.
func clusterCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("cluster", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:5432", "address of the coordinator, where clients connect")
	data := fs.String("data", "./cairn-cluster", "directory of the nodes' data (DIR/node-N) and the embedded etcd's (DIR/etcd)")
	nodes := fs.Int("nodes", 3, "number of nodes to run in this process")
	nodeListen := fs.String("node-listen", "127.0.0.1:0", "address of the first node; the next ones take the next ports (port 0: any free port)")
	etcdEndpoints := fs.String("etcd", "", "host:port,... of an existing etcd cluster (default: run one embedded, keeping its data in DIR/etcd)")
	etcdListen := fs.String("etcd-listen", "127.0.0.1:2379", "client address of the embedded etcd")
	etcdPeer := fs.String("etcd-peer", "127.0.0.1:2380", "peer address of the embedded etcd")
	shards := fs.Int("shards", 64, "shards of a distributed table")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("cluster: unexpected argument %q", fs.Arg(0))
	}
	if *nodes < 1 {
		return errors.New("cluster: --nodes must be at least 1")
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := os.MkdirAll(*data, 0o700); err != nil {
		return fmt.Errorf("cluster: %w", err)
	}

	endpoints := splitList(*etcdEndpoints)
	if len(endpoints) == 0 {
		e, err := shard.StartEtcd(filepath.Join(*data, "etcd"), *etcdListen, *etcdPeer, time.Minute)
		if err != nil {
			return fmt.Errorf("cluster: %w", err)
		}
		defer e.Close()
		endpoints = e.Endpoints()
	}
	cli, err := shard.DialEtcd(endpoints)
	if err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	defer cli.Close()
	store := shard.NewStore(cli, "")

	// The nodes: ordinary cairn servers, each on its own port.
	host, port, err := net.SplitHostPort(*nodeListen)
	if err != nil {
		return fmt.Errorf("cluster: --node-listen: %w", err)
	}
	var first int
	fmt.Sscan(port, &first)
	var members []shard.Node
	var served []chan error
	for i := range *nodes {
		id := fmt.Sprintf("node-%d", i+1)
		db, err := cairn.Open(filepath.Join(*data, id))
		if err != nil {
			return fmt.Errorf("cluster: %s: %w", id, err)
		}
		defer db.Close()
		p := 0
		if first != 0 {
			p = first + i
		}
		ln, err := net.Listen("tcp", net.JoinHostPort(host, fmt.Sprint(p)))
		if err != nil {
			return fmt.Errorf("cluster: %s: %w", id, err)
		}
		done := make(chan error, 1)
		go func() { done <- db.Serve(ctx, ln, &cairn.ServeOptions{Logger: log}) }()
		served = append(served, done)
		members = append(members, shard.Node{ID: id, Addr: ln.Addr().String()})
	}
	fmt.Fprintf(stdout, "cairn cluster: etcd at %s, nodes:", strings.Join(endpoints, ","))
	for _, m := range members {
		fmt.Fprintf(stdout, " %s=%s", m.ID, m.Addr)
	}
	fmt.Fprintln(stdout)
	err = coordinate(ctx, store, members, *listen, *shards, log, stdout)
	stop()
	for _, d := range served {
		<-d
	}
	return err
}

// coordinatorCmd runs cairn coordinator: a coordinator for nodes that run
// elsewhere (cairn serve), with the cluster's state in an existing etcd.
// --node id=host:port adds (or moves) a member; a node new to a cluster
// that has members joins it (shard.Coordinator.JoinNode).
func coordinatorCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("coordinator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:5432", "address where clients connect")
	etcdEndpoints := fs.String("etcd", "", "host:port,... of the etcd cluster keeping the cluster's state (required)")
	nodes := fs.String("node", "", "id=host:port,... of nodes to add to the cluster (cairn servers)")
	shards := fs.Int("shards", 64, "shards of a distributed table")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("coordinator: unexpected argument %q", fs.Arg(0))
	}
	endpoints := splitList(*etcdEndpoints)
	if len(endpoints) == 0 {
		return errors.New("coordinator: --etcd must name the etcd cluster (or run cairn cluster for one with everything in it)")
	}
	var members []shard.Node
	for _, n := range splitList(*nodes) {
		id, addr, ok := strings.Cut(n, "=")
		if !ok || id == "" || addr == "" {
			return fmt.Errorf("coordinator: --node %q is not id=host:port", n)
		}
		members = append(members, shard.Node{ID: id, Addr: addr})
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	cli, err := shard.DialEtcd(endpoints)
	if err != nil {
		return fmt.Errorf("coordinator: %w", err)
	}
	defer cli.Close()
	return coordinate(ctx, shard.NewStore(cli, ""), members, *listen, *shards, log, stdout)
}

// coordinate adds members to the cluster kept in store and serves a
// coordinator at listen until ctx ends: it first recovers the prepared
// transactions a crash left, and every 5 s checks the nodes' health and
// recovers again.
func coordinate(ctx context.Context, store *shard.Store, members []shard.Node, listen string, shards int, log *slog.Logger, stdout io.Writer) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// A new cluster takes all the members given; a known one takes the
	// new addresses of its members, and the other nodes given join it
	// (getting its tables and their share of the shards) once the
	// coordinator runs. A node removed from the cluster (citus_remove_node)
	// is not brought back: a restart of cairn cluster starts it unused.
	known, err := store.Nodes(ctx)
	if err != nil {
		return fmt.Errorf("coordinator: %w", err)
	}
	var joining []shard.Node
	for _, m := range members {
		switch {
		case len(known) == 0 || slices.ContainsFunc(known, func(k shard.Node) bool { return k.ID == m.ID }):
			if err := store.AddNode(ctx, m); err != nil {
				return fmt.Errorf("coordinator: %w", err)
			}
			continue
		}
		removed, err := store.Removed(ctx, m.ID)
		if err != nil {
			return fmt.Errorf("coordinator: %w", err)
		}
		if removed {
			log.Warn("coordinator: not adding a node that was removed from the cluster", "node", m.ID, "addr", m.Addr)
			continue
		}
		joining = append(joining, m)
	}
	coord, err := shard.NewCoordinator(ctx, store, &shard.Options{Shards: shards, Logger: log})
	if err != nil {
		return fmt.Errorf("coordinator: %w", err)
	}
	defer coord.Close()
	if err := coord.Recover(ctx); err != nil {
		log.Warn("coordinator: recovering prepared transactions", "err", err)
	}
	for _, m := range joining {
		moved, err := coord.JoinNode(ctx, m)
		if err != nil {
			return fmt.Errorf("coordinator: adding node %s: %w", m.ID, err)
		}
		fmt.Fprintf(stdout, "cairn coordinator: node %s joined, %d shards moved to it\n", m.ID, moved)
	}
	go func() {
		t := time.NewTicker(5 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-t.C:
				if err := coord.CheckHealth(ctx, now); err != nil && ctx.Err() == nil {
					log.Warn("coordinator: health check", "err", err)
				}
				// A node that was down when a commit's second phase
				// reached it holds its prepared part until recovered.
				if err := coord.Recover(ctx); err != nil && ctx.Err() == nil {
					log.Warn("coordinator: recovering prepared transactions", "err", err)
				}
			}
		}
	}()

	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return fmt.Errorf("coordinator: %w", err)
	}
	srv := pgwire.NewServer(coordinatorEngine(coord), pgwire.Options{Logger: log})
	fmt.Fprintf(stdout, "cairn coordinator on %s\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
	case err := <-errc:
		return fmt.Errorf("coordinator: %w", err)
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	srv.Shutdown(sctx)
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// coordinatorEngine serves the coordinator's sessions with pgwire.
func coordinatorEngine(c *shard.Coordinator) pgwire.Engine {
	return pgwire.EngineFunc(func(user, database string, startup map[string]string) (pgwire.Session, error) {
		s, err := c.NewSession(user, database, startup)
		if err != nil {
			return nil, err
		}
		return s, nil
	})
}
