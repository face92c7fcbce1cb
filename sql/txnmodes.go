package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
)

// applyTxnModes sets the isolation level, access mode and deferrable mode
// of the current transaction (nil or "" leaves one as it is), with
// PostgreSQL's rules: the level and the deferrable mode are fixed by the
// first query and cannot be set in a subtransaction (the level can be set
// to the one in force), and a read-only transaction cannot become
// read-write after its first query or inside a savepoint.
func (s *Session) applyTxnModes(isolation string, readOnly, deferrable *bool) error {
	if isolation != "" {
		if isolation == "read uncommitted" {
			isolation = ReadCommitted
		}
		switch isolation {
		case ReadCommitted, RepeatableRead, Serializable:
		default:
			return pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter \"transaction_isolation\": \"%s\"", isolation)
		}
		if isolation != s.isolation {
			if s.haveSnap {
				return pgerr.New(pgerr.ActiveSQLTransaction, "SET TRANSACTION ISOLATION LEVEL must be called before any query")
			}
			if len(s.savepoints) > 0 {
				return pgerr.New(pgerr.ActiveSQLTransaction, "SET TRANSACTION ISOLATION LEVEL must not be called in a subtransaction")
			}
		}
		s.isolation = isolation
	}
	if readOnly != nil {
		if !*readOnly && s.readOnly {
			if len(s.savepoints) > 0 {
				return pgerr.New(pgerr.ActiveSQLTransaction, "cannot set transaction read-write mode inside a read-only transaction")
			}
			if s.haveSnap {
				return pgerr.New(pgerr.ActiveSQLTransaction, "transaction read-write mode must be set before any query")
			}
		}
		s.readOnly = *readOnly
	}
	if deferrable != nil {
		if len(s.savepoints) > 0 {
			return pgerr.New(pgerr.ActiveSQLTransaction, "SET TRANSACTION [NOT] DEFERRABLE cannot be called within a subtransaction")
		}
		if s.haveSnap {
			return pgerr.New(pgerr.ActiveSQLTransaction, "SET TRANSACTION [NOT] DEFERRABLE must be called before any query")
		}
		s.deferrable = *deferrable
	}
	return nil
}

// endChained runs COMMIT AND CHAIN (commit true) and ROLLBACK AND CHAIN:
// the transaction block ends as COMMIT or ROLLBACK would end it (a failed
// one rolls back either way), and a new block starts at once with the
// same isolation level, access mode and deferrable mode. Outside a
// transaction block, implicit ones included, both are errors; in an
// implicit block the error rolls the block back.
func (s *Session) endChained(commit bool) (*Result, error) {
	kind := map[bool]string{true: "COMMIT", false: "ROLLBACK"}[commit]
	if !s.explicit {
		if s.implicitTx {
			s.endTxn(false)
		}
		return nil, pgerr.New(pgerr.NoActiveSQLTransaction, "%s AND CHAIN can only be used in transaction blocks", kind)
	}
	isolation, readOnly, deferrable := s.isolation, s.readOnly, s.deferrable
	if len(s.readOnlyAt) > 0 {
		// The access mode of the transaction, not of its savepoint.
		readOnly = s.readOnlyAt[0]
	}
	tag := kind
	if s.failed {
		commit, tag = false, "ROLLBACK"
	}
	if err := s.endTxn(commit); err != nil {
		return nil, err
	}
	if err := s.beginTxn(); err != nil {
		return nil, err
	}
	s.explicit = true
	s.isolation, s.readOnly, s.deferrable = isolation, readOnly, deferrable
	return &Result{Tag: tag}, nil
}

// writesTempOnly reports whether st is an INSERT, UPDATE, DELETE or MERGE
// of a temporary table, which a read-only transaction may run, as in
// PostgreSQL (its other tables it only reads).
func writesTempOnly(st boundStmt) bool {
	var w *tableWriter
	switch p := st.(type) {
	case *insertPlan:
		w = &p.tableWriter
	case *updatePlan:
		w = &p.tableWriter
	case *deletePlan:
		w = &p.tableWriter
	case *mergePlan:
		w = &p.tableWriter
	case *inhDMLPlan:
		for _, part := range p.parts {
			if !writesTempOnly(part) {
				return false
			}
		}
		return len(p.parts) > 0
	}
	return w != nil && w.table != nil && w.table.Temp()
}
