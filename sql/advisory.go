package sql

import (
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/builtins"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// PostgreSQL's advisory lock functions, over the transaction manager's
// advisory lock table (txn/advisory.go), the session being the owner:
//
//	pg_[try_]advisory_[xact_]lock[_shared](bigint | int, int)
//	pg_advisory_unlock[_shared](bigint | int, int)
//	pg_advisory_unlock_all()
//
// The lock functions return void, the try_ ones boolean. A waiting lock
// honours lock_timeout, statement_timeout and cancel requests, and takes
// part in deadlock detection. Unlocking a lock the session does not hold
// at session level returns false with PostgreSQL's WARNING. Session locks
// go when the session closes (Session.Close), transaction locks when the
// transaction ends or the savepoint that took them is rolled back.

// advisoryCall is one advisory lock function, from its name.
type advisoryCall struct {
	unlock, unlockAll, try, xact bool
	mode                         txn.AdvisoryMode
}

// parseAdvisoryName reports whether name is an advisory lock function, and
// which.
func parseAdvisoryName(name string) (advisoryCall, bool) {
	var c advisoryCall
	if name == "pg_advisory_unlock_all" {
		return advisoryCall{unlockAll: true}, true
	}
	rest, ok := strings.CutPrefix(name, "pg_")
	if !ok {
		return c, false
	}
	rest, c.try = strings.CutPrefix(rest, "try_")
	if rest, ok = strings.CutPrefix(rest, "advisory_"); !ok {
		return c, false
	}
	rest, c.xact = strings.CutPrefix(rest, "xact_")
	c.mode = txn.AdvisoryExclusive
	if r, shared := strings.CutSuffix(rest, "_shared"); shared {
		rest, c.mode = r, txn.AdvisoryShare
	}
	switch rest {
	case "lock":
	case "unlock":
		if c.try || c.xact {
			return c, false
		}
		c.unlock = true
	default:
		return c, false
	}
	return c, true
}

func (c advisoryCall) result() types.ID {
	if c.try || c.unlock {
		return types.Bool
	}
	return types.Void
}

// bindAdvisoryFunc binds a call of an advisory lock function; ok is false
// for any other name.
func (b *binder) bindAdvisoryFunc(name string, args []expr, pos int32) (e expr, ok bool, err error) {
	call, ok := parseAdvisoryName(name)
	if !ok {
		return nil, false, nil
	}
	f := &builtins.Func{Name: name}
	if call.unlockAll {
		f.Overloads = []*builtins.Overload{{Result: types.Void}}
	} else {
		f.Overloads = []*builtins.Overload{
			{Args: []types.ID{types.Int8}, Result: call.result()},
			{Args: []types.ID{types.Int4, types.Int4}, Result: call.result()},
		}
	}
	if _, err := b.resolveArgs(f, args, pos); err != nil {
		return nil, true, err
	}
	return &ctxFuncExpr{t: types.New(call.result()), args: args, fn: call.eval}, true, nil
}

// eval runs the call; like every built-in function it is strict
// (ctxFuncExpr): a NULL key takes no lock and gives NULL.
func (call advisoryCall) eval(x *execCtx, vals []types.Datum) (types.Datum, error) {
	var key txn.AdvisoryKey
	switch len(vals) {
	case 1:
		key = txn.AdvisoryKey64(vals[0].(int64))
	case 2:
		key = txn.AdvisoryKey32(int32(vals[0].(int64)), int32(vals[1].(int64)))
	}
	s := x.s
	owner := &s.backend.owner
	switch {
	case call.unlockAll:
		s.e.tm.UnlockAllAdvisory(owner)
		return "", nil
	case call.unlock:
		if s.e.tm.UnlockAdvisory(owner, key, call.mode) {
			return true, nil
		}
		x.notices = append(x.notices, Notice{Severity: "WARNING", Code: pgerr.Warning,
			Message: "you don't own a lock of type " + call.mode.String()})
		return false, nil
	}
	ok, err := s.e.tm.LockAdvisory(x.ctx, txn.AdvisoryRequest{Owner: owner, Key: key, Mode: call.mode,
		Txn: x.tx, Xact: call.xact, Try: call.try, LockTimeout: s.lockTimeout()})
	if err != nil {
		return nil, err
	}
	if call.try {
		return ok, nil
	}
	return "", nil
}
