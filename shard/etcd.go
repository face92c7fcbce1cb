package shard

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
)

// Etcd is an etcd server running inside this process (go.etcd.io/etcd's
// embed package): a one-member cluster for development, which cairn
// cluster starts beside its coordinator. Production points the
// coordinator at an existing etcd cluster instead (DialEtcd).
type Etcd struct {
	e *embed.Etcd
}

// StartEtcd starts an embedded etcd keeping its data in dir, serving
// clients at clientAddr and its (unused, one-member) peer port at
// peerAddr, both host:port; port 0 picks a free one. Its log goes to
// dir/etcd.log. It returns once the
// server is ready, or fails after timeout.
func StartEtcd(dir, clientAddr, peerAddr string, timeout time.Duration) (*Etcd, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("shard: embedded etcd: %w", err)
	}
	cfg := embed.NewConfig()
	cfg.Name = "cairn"
	cfg.Dir = dir
	cu := url.URL{Scheme: "http", Host: clientAddr}
	pu := url.URL{Scheme: "http", Host: peerAddr}
	cfg.ListenClientUrls = []url.URL{cu}
	cfg.AdvertiseClientUrls = []url.URL{cu}
	cfg.ListenPeerUrls = []url.URL{pu}
	cfg.AdvertisePeerUrls = []url.URL{pu}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	cfg.LogLevel = "warn"
	cfg.LogOutputs = []string{filepath.Join(dir, "etcd.log")}
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return nil, fmt.Errorf("shard: starting embedded etcd: %w", err)
	}
	select {
	case <-e.Server.ReadyNotify():
	case err := <-e.Err():
		e.Close()
		return nil, fmt.Errorf("shard: embedded etcd: %w", err)
	case <-time.After(timeout):
		e.Server.Stop()
		e.Close()
		return nil, fmt.Errorf("shard: embedded etcd not ready after %v", timeout)
	}
	return &Etcd{e: e}, nil
}

// Endpoints are the client addresses of the embedded etcd (host:port).
func (e *Etcd) Endpoints() []string {
	var out []string
	for _, l := range e.e.Clients {
		out = append(out, l.Addr().String())
	}
	return out
}

// Close stops the server.
func (e *Etcd) Close() { e.e.Close() }

// ctxTimeout bounds one call to etcd.
func ctxTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, 5*time.Second)
}
