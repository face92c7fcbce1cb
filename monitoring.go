package cairn

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/cairndb/cairn/checkpoint"
	"github.com/cairndb/cairn/metrics"
	"github.com/cairndb/cairn/pgwire"
)

// logCheckpoint is log_checkpoints' line for a finished checkpoint.
func logCheckpoint(logger *slog.Logger, info checkpoint.Info) {
	logger.Info(fmt.Sprintf("checkpoint complete: total=%.3f s; distance=%d kB", info.Duration.Seconds(), info.WALBytes/1024),
		"duration_ms", float64(info.Duration.Microseconds())/1000, "redo_lsn", info.RedoLSN, "wal_bytes", info.WALBytes,
		"table_bytes", info.TableBytes)
}

// MetricsHandler serves the database's metrics in Prometheus' text format
// (docs/metrics.md lists them): what Serve serves on
// ServeOptions.MetricsListener, without the wire server's counters.
func (db *DB) MetricsHandler() http.Handler { return metrics.Handler(db.metricsSources(nil)) }

func (db *DB) metricsSources(srv *pgwire.Server) metrics.Sources {
	src := metrics.Sources{Store: db.store.Stats, Engine: db.engine.Stats}
	if srv != nil {
		src.Server = srv.Stats
	}
	return src
}

// metricsReadHeaderTimeout bounds how long a metrics client may take to
// send its request's headers.
const metricsReadHeaderTimeout = 10 * time.Second

// serveMetrics serves src at /metrics on ln until the returned stop is
// called, which closes ln and waits for the HTTP server to end.
func serveMetrics(ln net.Listener, src metrics.Sources, logger *slog.Logger) (stop func()) {
	mux := http.NewServeMux()
	mux.Handle("/metrics", metrics.Handler(src))
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: metricsReadHeaderTimeout,
		ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("metrics endpoint stopped", "err", err)
		}
	}()
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), metricsReadHeaderTimeout)
		defer cancel()
		if err := hs.Shutdown(ctx); err != nil {
			// A scrape outlived the timeout: cut it off.
			hs.Close()
		}
		<-done
	}
}
