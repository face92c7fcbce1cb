package sql

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/txn"
)

// Exported snapshots, as pg_dump -j shares its snapshot with its workers:
// pg_export_snapshot() names the snapshot the calling transaction's
// statement uses, and SET TRANSACTION SNAPSHOT 'name', first in a
// REPEATABLE READ or SERIALIZABLE transaction, makes another transaction
// use the same one (a commit revision: txn.Manager.SnapshotAt). A name is
// valid while the exporting transaction runs; that transaction's own
// snapshot keeps the revision above the vacuum horizon meanwhile.

type exportedSnapshots struct {
	mu  sync.Mutex
	ids map[string]exportedSnapshot
}

type exportedSnapshot struct {
	xid txn.XID // the exporting transaction
	rev txn.Rev
}

func (e *Engine) exportSnapshot(xid txn.XID, rev txn.Rev) string {
	x := &e.exports
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.ids == nil {
		x.ids = make(map[string]exportedSnapshot)
	}
	id := fmt.Sprintf("%016X-%016X", uint64(xid), uint64(rev))
	x.ids[id] = exportedSnapshot{xid: xid, rev: rev}
	return id
}

// dropExports forgets the snapshots transaction xid exported; it has ended.
func (e *Engine) dropExports(xid txn.XID) {
	x := &e.exports
	x.mu.Lock()
	defer x.mu.Unlock()
	for id, s := range x.ids {
		if s.xid == xid {
			delete(x.ids, id)
		}
	}
}

func (e *Engine) lookupExport(id string) (exportedSnapshot, bool) {
	x := &e.exports
	x.mu.Lock()
	defer x.mu.Unlock()
	s, ok := x.ids[id]
	return s, ok
}

// pgExportSnapshot is pg_export_snapshot().
func pgExportSnapshot(x *execCtx) (string, error) {
	if x.snap.TS != 0 {
		// An importer would get the node's revision, which does not
		// see what the cluster timestamp sees.
		return "", pgerr.New(pgerr.FeatureNotSupported, "cannot export a cluster snapshot")
	}
	return x.s.e.exportSnapshot(x.tx.XID, x.snap.Rev), nil
}

// importSnapshot runs SET TRANSACTION SNAPSHOT id.
func (s *Session) importSnapshot(id string) error {
	switch {
	case s.tx == nil || !s.explicit:
		return pgerr.New(pgerr.NoActiveSQLTransaction, "SET TRANSACTION SNAPSHOT can only be used in transaction blocks")
	case s.haveSnap:
		return pgerr.New(pgerr.ActiveSQLTransaction, "SET TRANSACTION SNAPSHOT must be called before any query")
	case s.isolation != RepeatableRead && s.isolation != Serializable:
		return pgerr.New(pgerr.FeatureNotSupported, "a snapshot-importing transaction must have isolation level SERIALIZABLE or REPEATABLE READ")
	}
	if strings.HasPrefix(id, clusterSnapshotPrefix) {
		return s.importClusterSnapshot(id)
	}
	exp, ok := s.e.lookupExport(id)
	if !ok {
		return pgerr.New(pgerr.InvalidParameterValue, "invalid snapshot identifier: \"%s\"", id)
	}
	snap, err := s.e.tm.SnapshotAt(s.tx, exp.rev, s.cid)
	if err != nil {
		// The exporter (READ COMMITTED) has moved on to newer snapshots.
		return pgerr.New(pgerr.ObjectNotInPrerequisiteState, "snapshot \"%s\" is no longer held by its transaction", id)
	}
	s.snap = snap
	if s.isolation == Serializable {
		s.snap.Serializable = true
		s.e.tm.BeginSerializable(s.tx, s.snap.Rev, s.readOnly)
	}
	s.haveSnap = true
	return nil
}

// A cluster snapshot: the coordinator of a sharded cluster begins each
// node transaction of a REPEATABLE READ transaction with SET TRANSACTION
// SNAPSHOT 'cluster-S', S the transaction's timestamp from the
// coordinator's timestamp oracle, so that it sees the same cut of every
// node (txn.Manager.ClusterSnapshot). A transaction committed across
// nodes commits with its commit timestamp C: the coordinator runs SET
// cairn.commit_timestamp = 'C' before COMMIT PREPARED, which uses the
// setting once and clears it.
const (
	clusterSnapshotPrefix = "cluster-"
	commitTimestampName   = "cairn.commit_timestamp"
)

// importClusterSnapshot runs SET TRANSACTION SNAPSHOT 'cluster-S'.
func (s *Session) importClusterSnapshot(id string) error {
	ts, err := strconv.ParseUint(id[len(clusterSnapshotPrefix):], 10, 64)
	if err != nil || ts == 0 {
		return pgerr.New(pgerr.InvalidParameterValue, "invalid snapshot identifier: \"%s\"", id)
	}
	if s.isolation == Serializable {
		// SSI orders transactions by the node's revisions, which a
		// cluster snapshot does not follow.
		return pgerr.New(pgerr.FeatureNotSupported, "a cluster snapshot requires isolation level REPEATABLE READ")
	}
	snap, err := s.e.tm.ClusterSnapshot(context.Background(), s.tx, txn.Rev(ts), s.cid, txn.DefaultPreparedWait)
	if err != nil {
		if err == txn.ErrSnapshotTooOld {
			return pgerr.New(pgerr.SerializationFailure, "cluster snapshot %d is too old for this node: it has already discarded row versions the snapshot needs", ts).
				WithHint("Retry the transaction.")
		}
		return err
	}
	s.snap = snap
	s.haveSnap = true
	return nil
}

// takeCommitTimestamp returns the cluster commit timestamp set for the
// next COMMIT PREPARED (0 when none) and clears it.
func (s *Session) takeCommitTimestamp() (txn.Rev, error) {
	v := s.settings[commitTimestampName]
	if v == "" {
		return 0, nil
	}
	s.settings[commitTimestampName] = ""
	ts, err := strconv.ParseUint(v, 10, 64)
	if err != nil || ts == 0 {
		return 0, pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter \"%s\": \"%s\"", commitTimestampName, v)
	}
	return txn.Rev(ts), nil
}
