package sql

import (
	"strconv"
	"sync"
	"time"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/builtins"
	"github.com/cairndb/cairn/sql/types"
)

// pg_sleep, pg_cancel_backend and pg_terminate_backend. Signalling a
// backend is the server's business: the server that accepted the
// session's connection registers a Signaler (pgwire does), which cancels
// the backend's running statement or ends its connection. Embedded
// sessions have no connection to end: without a Signaler both functions
// report false.

// Signaler cancels the running statement of the backend with process id
// pid, or with terminate ends its connection; it reports whether it
// found the backend.
type Signaler func(pid int32, terminate bool) bool

// signalers holds the engine's Signaler.
type signalers struct {
	mu sync.Mutex
	fn Signaler
}

// SetSignaler registers the function that signals backends.
func (e *Engine) SetSignaler(fn Signaler) {
	e.signal.mu.Lock()
	defer e.signal.mu.Unlock()
	e.signal.fn = fn
}

func (e *Engine) signaler() Signaler {
	e.signal.mu.Lock()
	defer e.signal.mu.Unlock()
	return e.signal.fn
}

// terminateWaitPoll is how often pg_terminate_backend with a timeout
// looks whether the backend has gone.
const terminateWaitPoll = 5 * time.Millisecond

func (b *binder) bindBackendFunc(name string, args []expr, pos int32) (expr, bool, error) {
	f := &builtins.Func{Name: name}
	var fn func(x *execCtx, vals []types.Datum) (types.Datum, error)
	result := types.Bool
	switch name {
	case "pg_sleep":
		result = types.Void
		f.Overloads = []*builtins.Overload{{Args: []types.ID{types.Float8}, Result: types.Void}}
		fn = pgSleep
	case "pg_cancel_backend":
		f.Overloads = []*builtins.Overload{{Args: []types.ID{types.Int4}, Result: types.Bool}}
		fn = func(x *execCtx, vals []types.Datum) (types.Datum, error) {
			return signalBackend(x, int32(vals[0].(int64)), false, 0)
		}
	case "pg_terminate_backend":
		f.Overloads = []*builtins.Overload{
			{Args: []types.ID{types.Int4}, Result: types.Bool},
			{Args: []types.ID{types.Int4, types.Int8}, Result: types.Bool},
		}
		fn = func(x *execCtx, vals []types.Datum) (types.Datum, error) {
			timeout := int64(0)
			if len(vals) == 2 {
				timeout = vals[1].(int64)
			}
			return signalBackend(x, int32(vals[0].(int64)), true, timeout)
		}
	case "pg_reload_conf":
		f.Overloads = []*builtins.Overload{{Result: types.Bool}}
		fn = reloadConf
	default:
		return nil, false, nil
	}
	if _, err := b.resolveArgs(f, args, pos); err != nil {
		return nil, true, err
	}
	return &ctxFuncExpr{t: types.New(result), args: args, fn: fn}, true, nil
}

// reloadConf is pg_reload_conf(): a superuser has the server re-read
// its configuration file. As in PostgreSQL, it reports true whether or
// not the file could be applied; the server log says why not.
func reloadConf(x *execCtx, _ []types.Datum) (types.Datum, error) {
	if !x.s.isSuperuser() {
		return nil, pgerr.New(pgerr.InsufficientPrivilege, "permission denied for function pg_reload_conf")
	}
	_ = x.s.e.ReloadConfig() // logged by ReloadConfig
	return true, nil
}

// pgSleep waits the given seconds, or until the statement is cancelled.
func pgSleep(x *execCtx, vals []types.Datum) (types.Datum, error) {
	secs := vals[0].(float64)
	if secs > 0 {
		x.s.backend.act.sleeping.Store(true)
		defer x.s.backend.act.sleeping.Store(false)
		t := time.NewTimer(time.Duration(secs * float64(time.Second)))
		defer t.Stop()
		select {
		case <-t.C:
		case <-x.ctx.Done():
			return nil, pgerr.FromContext(x.ctx)
		}
	}
	return "", nil
}

// signalBackend is pg_cancel_backend and pg_terminate_backend, with
// PostgreSQL 15's checks: superusers may signal any backend, other roles
// those of the roles whose privileges they have, or with pg_signal_backend
// any, never a superuser's.
func signalBackend(x *execCtx, pid int32, terminate bool, timeoutMs int64) (types.Datum, error) {
	if timeoutMs < 0 {
		return nil, pgerr.New(pgerr.InvalidParameterValue, "\"timeout\" must not be negative")
	}
	be := x.s.e.backends.get(pid)
	if be == nil {
		x.notices = append(x.notices, Notice{Severity: "WARNING", Code: pgerr.Warning,
			Message: "PID " + strconv.Itoa(int(pid)) + " is not a PostgreSQL backend process"})
		return false, nil
	}
	c, err := x.currentChecker()
	if err != nil {
		return nil, err
	}
	if !c.super {
		// A role may signal the sessions of the roles whose privileges it
		// has, or any but a superuser's with pg_signal_backend's.
		owner, known := c.g.byName[be.user]
		mayOwn := known && c.owns(owner.OID)
		switch {
		case be.superuser && terminate:
			return nil, pgerr.New(pgerr.InsufficientPrivilege, "must be a superuser to terminate superuser process")
		case be.superuser:
			return nil, pgerr.New(pgerr.InsufficientPrivilege, "must be a superuser to cancel superuser query")
		case mayOwn || c.hasPredefined(types.OIDPgSignalBackend):
		case terminate:
			return nil, pgerr.New(pgerr.InsufficientPrivilege, "must be a member of the role whose process is being terminated or member of pg_signal_backend")
		default:
			return nil, pgerr.New(pgerr.InsufficientPrivilege, "must be a member of the role whose query is being canceled or member of pg_signal_backend")
		}
	}
	signal := x.s.e.signaler()
	if signal == nil || !signal(pid, terminate) {
		x.notices = append(x.notices, Notice{Severity: "WARNING", Code: pgerr.Warning,
			Message: "could not send signal to process " + strconv.Itoa(int(pid))})
		return false, nil
	}
	if !terminate || timeoutMs == 0 {
		return true, nil
	}
	deadline := time.NewTimer(time.Duration(timeoutMs) * time.Millisecond)
	defer deadline.Stop()
	tick := time.NewTicker(terminateWaitPoll)
	defer tick.Stop()
	for x.s.e.backends.get(pid) == be {
		select {
		case <-deadline.C:
			x.notices = append(x.notices, Notice{Severity: "WARNING", Code: pgerr.Warning,
				Message: "backend with PID " + strconv.Itoa(int(pid)) + " did not terminate within " + strconv.FormatInt(timeoutMs, 10) + " milliseconds"})
			return false, nil
		case <-x.ctx.Done():
			return nil, pgerr.FromContext(x.ctx)
		case <-tick.C:
		}
	}
	return true, nil
}
