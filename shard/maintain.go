package shard

import (
	"context"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql"
	"github.com/cairndb/cairn/sql/ast"
)

// maintain runs VACUUM or ANALYZE on every node: each holds its own part
// of the distributed tables, and a copy of the others. VACUUM runs
// outside any transaction, as on one server; ANALYZE inside the session's
// when there is one.
func (s *Session) maintain(ctx context.Context, a *stmt) (*sql.Result, error) {
	nodes := s.c.nodeIDs()
	if len(nodes) == 0 {
		return nil, pgerr.New(pgerr.ObjectNotInPrerequisiteState, "the cluster has no nodes")
	}
	var parts []*sql.Result
	var err error
	switch v := a.node.(*ast.VacuumStmt); {
	case s.tx != nil && !v.AnalyzeOnly:
		return nil, pgerr.New(pgerr.ActiveSQLTransaction, "%s cannot run inside a transaction block", v.Tag())
	case s.tx != nil:
		parts, err = s.tx.runAll(ctx, nodes, a, wireParams{})
	default:
		parts, err = s.c.runAll(ctx, nodes, a, wireParams{}, s.settings)
	}
	if err != nil {
		return nil, err
	}
	return &sql.Result{Tag: parts[0].Tag, Notices: parts[0].Notices}, nil
}
