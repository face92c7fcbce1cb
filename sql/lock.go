package sql

import (
	"errors"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/txn"
)

// LOCK TABLE takes a table lock until the transaction ends, in the modes
// cairn's table locks have (txn/tablelock.go): ACCESS SHARE, ROW
// EXCLUSIVE, SHARE and ACCESS EXCLUSIVE; the others are refused (0A000).
// As in PostgreSQL it needs a transaction block (25P01), a read-only
// transaction may take any mode, and NOWAIT fails at once with 55P03 when
// the lock is taken. Views cannot be locked in cairn.

var lockModes = map[string]txn.TableLockMode{
	"AccessShareLock":     txn.AccessShare,
	"RowExclusiveLock":    txn.RowExclusive,
	"ShareLock":           txn.Share,
	"AccessExclusiveLock": txn.AccessExclusive,
}

type lockPlan struct {
	tables []*catalog.TableDesc
	mode   txn.TableLockMode
	noWait bool
}

func (b *binder) bindLock(s *ast.LockStmt) (boundStmt, error) {
	mode, ok := lockModes[s.Mode]
	if !ok {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "LOCK TABLE in mode %s is not supported", s.Mode)
	}
	p := &lockPlan{mode: mode, noWait: s.NoWait}
	for _, ref := range s.Tables {
		desc, err := b.lookupTableStrict(ref)
		if err != nil {
			return nil, err
		}
		if desc.Kind() != "table" {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "cannot lock \"%s\": only tables can be locked", ref.Name)
		}
		// ACCESS SHARE needs SELECT, ROW EXCLUSIVE any of INSERT, UPDATE,
		// DELETE and TRUNCATE, the rest UPDATE, DELETE or TRUNCATE
		// (LockTableAclCheck): lockPlan checks them as it runs.
		p.tables = append(p.tables, desc)
	}
	return p, nil
}

func (p *lockPlan) columns() []Column { return nil }

func (p *lockPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	if !x.s.inBlock() {
		return nil, pgerr.New(pgerr.NoActiveSQLTransaction, "LOCK TABLE can only be used in transaction blocks")
	}
	timeout := x.s.lockTimeout()
	if p.noWait {
		timeout = txn.NoWait
	}
	need := catalog.PrivUpdate | catalog.PrivDelete | catalog.PrivTruncate
	switch p.mode {
	case txn.AccessShare:
		need = catalog.PrivSelect
	case txn.RowExclusive:
		need |= catalog.PrivInsert
	}
	if x.s.currentUser() != bootstrapName {
		c, err := x.currentChecker()
		if err != nil {
			return nil, err
		}
		for _, t := range p.tables {
			if c.relMask(t.EffectiveACL(), need) == 0 {
				return nil, permissionDenied(t)
			}
		}
	}
	for _, t := range p.tables {
		err := x.s.e.tm.LockTable(x.ctx, x.tx, t.ID, p.mode, timeout)
		if errors.Is(err, txn.ErrLockNotAvailable) {
			return nil, pgerr.New(pgerr.LockNotAvailable, "could not obtain lock on relation \"%s\"", t.Name)
		}
		if err != nil {
			return nil, err
		}
	}
	return &Result{Tag: "LOCK TABLE"}, nil
}
