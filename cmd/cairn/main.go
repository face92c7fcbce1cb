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
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/cairndb/cairn"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, errTestsFailed) {
			msg := err.Error()
			if !strings.HasPrefix(msg, "cairn: ") {
				msg = "cairn: " + msg
			}
			fmt.Fprintln(os.Stderr, msg)
		}
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(args, stdout, stderr)
	case "cluster":
		return clusterCmd(args, stdout, stderr)
	case "coordinator":
		return coordinatorCmd(args, stdout, stderr)
	case "slt":
		return slt(args, stdout, stderr)
	case "diff":
		return diff(args, stdout, stderr)
	case "check":
		return check(args, stdout, stderr)
	case "backup":
		return backup(args, stdout, stderr)
	case "restore":
		return restore(args, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, versionString())
		return nil
	case "help":
		fmt.Fprintln(stdout, "usage:\n  cairn [serve] [--listen ADDR] [--data DIR] [--hba-file FILE] [--tls-cert FILE --tls-key FILE]\n  cairn cluster [--nodes N] [--listen ADDR] [--data DIR] [--etcd HOST:PORT,...] [--shards N]\n  cairn coordinator --etcd HOST:PORT,... [--listen ADDR] [--node ID=HOST:PORT,...]\n  cairn version\n  cairn slt [--url URL] [--junit FILE] [--fail-list FILE] PATH...\n  cairn diff --pg URL [--url URL] PATH...\n  cairn check --data DIR\n"+
			"  cairn backup (--data DIR | --url URL) --to DIR\n"+
			"  cairn restore --from BACKUP [--wal ARCHIVE] [--target-time T | --target-revision R] --to DIR\n"+
			"A data directory is open in one process at a time (lock file DIR/cairn.pid);\n"+
			"serve and check refuse a directory in use and name the process holding it.")
		return nil
	}
	return fmt.Errorf("unknown command %q (try: cairn serve --listen 127.0.0.1:5432 --data ./cairn-data)", cmd)
}

// memoryLimitMin is the smallest --memory-limit: the block cache alone
// takes 128 MB.
const memoryLimitMin = 256 << 20

func serve(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:5432", "address to listen on for PostgreSQL clients")
	data := fs.String("data", "./cairn-data", "data directory (\":memory:\" for a database that lives only in memory)")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile to FILE until the server stops (for go tool pprof)")
	var prof profiles
	fs.StringVar(&prof.mem, "memprofile", "", "write an allocation profile to FILE when the server stops")
	fs.StringVar(&prof.mutex, "mutexprofile", "", "sample mutex contention and write its profile to FILE when the server stops")
	fs.StringVar(&prof.block, "blockprofile", "", "sample blocking and write its profile to FILE when the server stops")
	tlsCert := fs.String("tls-cert", "", "PEM file of the server's TLS certificate (chain); with --tls-key, clients may connect with TLS (sslmode=require, verify-full)")
	tlsKey := fs.String("tls-key", "", "PEM file of the TLS certificate's private key")
	socketDir := fs.String("socket-dir", "/tmp", "directory of the Unix-domain socket .s.PGSQL.PORT, where psql -p PORT without -h connects (\"\": none)")
	hbaFile := fs.String("hba-file", "", "client authentication rules in pg_hba.conf's format (default: trust over the Unix socket and from loopback addresses only)")
	maxConns := fs.Int("max-connections", 100, "most concurrent sessions; one more gets 53300 sorry, too many clients already")
	reservedConns := fs.Int("superuser-reserved-connections", 3, "of --max-connections, how many only superusers may use")
	var rates rateFlags
	rates.register(fs)
	cleartext := fs.Bool("allow-cleartext-password", false, "let hba rules with method password take clear-text passwords over unencrypted TCP too")
	tlsSelfSigned := fs.Bool("tls-self-signed", false, "serve TLS with a certificate generated in memory at start (development only: clients cannot verify it)")
	walArchive := fs.String("wal-archive", "", "archive every finished WAL segment into this directory (with a base backup, cairn restore replays it to a revision or time)")
	archiveCmd := fs.String("archive-command", "", "shell command that archives a finished WAL segment, as PostgreSQL's archive_command (%p: its path, %f: its file name); a failure keeps the segment")
	var logs logFlags
	logs.register(fs)
	cmdSettings := settingFlags{}
	configFlag := registerConfigFlags(fs, cmdSettings)
	metricsListen := fs.String("metrics-listen", "", "address (host:port) to serve Prometheus metrics on at /metrics (default: none)")
	var memoryLimit, maxMessage byteSize
	fs.Var(&memoryLimit, "memory-limit", "memory the server may use, e.g. 4GB (default: 3/4 of the machine's or the cgroup's memory); half of it bounds what clients make it hold, and a statement that needs more fails with 53200")
	maxMessage = 1<<30 - 1
	fs.Var(&maxMessage, "max-message-size", "largest protocol message accepted, e.g. 256MB (default and most: 1 GB - 1, PostgreSQL's)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if maxMessage <= 0 || maxMessage > 1<<30-1 {
		return fmt.Errorf("serve: --max-message-size must be between 1 byte and 1 GB - 1 byte, not %d", maxMessage)
	}
	if memoryLimit == 0 {
		n, err := memoryLimitDefault()
		if err != nil {
			return fmt.Errorf("serve: %w", err)
		}
		memoryLimit = byteSize(n)
	}
	if memoryLimit < memoryLimitMin {
		return fmt.Errorf("serve: --memory-limit must be at least %d MB", memoryLimitMin>>20)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("serve: unexpected argument %q (flags: --listen ADDR --data DIR)", fs.Arg(0))
	}
	if *data == "" {
		return errors.New("serve: --data must name a directory (or :memory:)")
	}
	rateLimits, err := rates.options()
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	logger, settings, err := logs.setup(stderr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	for name, v := range cmdSettings {
		settings[name] = v
	}
	confFile, err := configFile(*configFlag, *data)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	limits := map[string]*int{"max_connections": maxConns, "superuser_reserved_connections": reservedConns}
	if err := connectionLimits(fs, settings, confFile, limits); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	if *maxConns < 1 || *reservedConns < 0 || *reservedConns >= *maxConns {
		return fmt.Errorf("serve: --superuser-reserved-connections (%d) must be at least 0 and less than --max-connections (%d)", *reservedConns, *maxConns)
	}
	listenHost, _, _ := net.SplitHostPort(*listen)
	hba, err := readHBA(*hbaFile)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	tlsConf, err := tlsConfig(*tlsCert, *tlsKey, *tlsSelfSigned, listenHost)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	serveOpts := &cairn.ServeOptions{TLSConfig: tlsConf, HBA: hba, CleartextPasswordWithoutTLS: *cleartext,
		MaxConnections: *maxConns, ReservedConnections: reservedOption(*reservedConns), MaxMessageBytes: int(maxMessage),
		ShutdownTimeout: 30 * time.Second, Rates: rateLimits}
	// Check the options against the address to listen on before binding
	// it; Serve checks them again against the bound listeners.
	if addr, err := net.ResolveTCPAddr("tcp", *listen); err == nil {
		if err := serveOpts.Check(addr); errors.Is(err, cairn.ErrNoHBA) {
			return fmt.Errorf("serve: --listen %s accepts connections from other hosts, but no --hba-file says how they authenticate; "+
				"give one (e.g. \"hostssl all all 0.0.0.0/0 scram-sha-256\", with --tls-cert and --tls-key), or listen on 127.0.0.1", listenHost)
		} else if err != nil && *hbaFile != "" {
			return fmt.Errorf("serve: --hba-file %s: %w", *hbaFile, err)
		} else if err != nil {
			return fmt.Errorf("serve: %w", err)
		}
	}
	// Bind before opening the data directory: a server that cannot listen
	// must not open (recover, checkpoint) a directory at all.
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", *listen, err)
	}
	defer ln.Close()
	var metricsLn net.Listener
	if *metricsListen != "" {
		if metricsLn, err = net.Listen("tcp", *metricsListen); err != nil {
			return fmt.Errorf("listening for metrics on %s: %w", *metricsListen, err)
		}
		defer metricsLn.Close()
		serveOpts.MetricsListener = metricsLn
	}
	var unixLn net.Listener
	if *socketDir != "" {
		_, port, _ := net.SplitHostPort(ln.Addr().String())
		if unixLn, err = listenUnix(*socketDir, port); err != nil {
			return err
		}
		defer unixLn.Close()
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return err
		}
		defer func() {
			pprof.StopCPUProfile()
			f.Close()
		}()
	}
	prof.start()
	defer func() {
		if err := prof.write(); err != nil {
			fmt.Fprintln(stderr, "cairn:", err)
		}
	}()
	slog.SetDefault(logger)

	budget := memoryGovernor(int64(memoryLimit))
	db, err := cairn.OpenWithOptions(*data, &cairn.Options{Logger: logger, MemoryBudget: budget, Settings: settings, ConfigFile: confFile,
		WALArchiveDir: *walArchive, ArchiveSegment: archiveCommand(*archiveCmd)})
	if err != nil {
		return err
	}
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	if unixLn != nil {
		fmt.Fprintf(stdout, "listening on Unix socket %s\n", unixLn.Addr())
		serveOpts.ExtraListeners = []net.Listener{unixLn}
	}
	fmt.Fprintf(stdout, "cairn is serving %s on %s\nconnect with: psql -h %s -p %s -U postgres -d postgres\n", *data, ln.Addr(), host, port)
	if metricsLn != nil {
		fmt.Fprintf(stdout, "metrics at http://%s/metrics\n", metricsLn.Addr())
	}

	serveOpts.Logger = logger
	defer reloadOnSIGHUP(db)()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	context.AfterFunc(ctx, func() { logger.Info("shutting down", "cause", context.Cause(ctx)) })
	if err := db.Serve(ctx, ln, serveOpts); err != nil {
		db.Close()
		return err
	}
	if err := db.Close(); err != nil {
		return err
	}
	logger.Info("shut down; bye")
	return nil
}

// check verifies a data directory offline: storage checksums and order,
// and every row against its table and indexes.
func check(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "./cairn-data", "data directory to check (refused while a server has it open)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("check: unexpected argument %q (flags: --data DIR)", fs.Arg(0))
	}
	db, err := cairn.OpenWithOptions(*data, &cairn.Options{Logger: slog.New(slog.NewTextHandler(stderr, nil))})
	if err != nil {
		return err
	}
	// Opening recovered the directory; what it cut from the WAL is part
	// of the verdict.
	if cut := db.Recovery().WALCut; cut != nil {
		fmt.Fprintf(stdout, "wal: %s\n", cut)
	}
	view := newProgressView(stderr, "check")
	report, err := db.CheckContext(cairn.WithProgress(context.Background(), view.report))
	view.finish()
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: ok (%s)\n", *data, report)
	return nil
}
