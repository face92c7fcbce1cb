package sql

import (
	"encoding/json"
	"time"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// Two-phase commit: PREPARE TRANSACTION, COMMIT PREPARED, ROLLBACK PREPARED
// and the pg_prepared_xacts view. Unlike PostgreSQL, whose default
// max_prepared_transactions is 0, cairn accepts prepared transactions out of
// the box: its cluster coordinator depends on them.

// preparedMeta is what the SQL layer keeps with a prepared transaction.
type preparedMeta struct {
	Owner    string `json:"owner"`
	Database string `json:"database"`
	AtMicros int64  `json:"at"`
}

func (s *Session) execTwoPhase(t *ast.TransactionStmt) (*Result, error) {
	if t.Kind == "PREPARE TRANSACTION" {
		if !s.explicit {
			return &Result{Tag: "ROLLBACK", Notices: []Notice{{Severity: "WARNING", Code: pgerr.NoActiveSQLTransaction, Message: "there is no transaction in progress"}}}, nil
		}
		if s.failed {
			s.endTxn(false)
			return &Result{Tag: "ROLLBACK"}, nil
		}
		if s.pendingNotify.used {
			s.endTxn(false)
			return nil, pgerr.New(pgerr.FeatureNotSupported, "cannot PREPARE a transaction that has executed LISTEN, UNLISTEN, or NOTIFY")
		}
		if s.temp.touched {
			// A temporary relation dies with its session, which the
			// prepared transaction outlives.
			s.endTxn(false)
			return nil, pgerr.New(pgerr.FeatureNotSupported, "cannot PREPARE a transaction that has operated on temporary objects")
		}
		meta, err := json.Marshal(preparedMeta{Owner: s.user, Database: s.database, AtMicros: s.e.now().UnixMicro()})
		if err != nil {
			return nil, err
		}
		tx := s.tx
		wroteCatalog := s.wroteCatalog
		s.detachTxn()
		if err := s.e.tm.Prepare(tx, t.GID, meta); err != nil {
			return nil, err
		}
		if wroteCatalog {
			s.e.catalogChanged()
		}
		return &Result{Tag: "PREPARE TRANSACTION"}, nil
	}
	if s.explicit {
		s.failed = true
		return nil, pgerr.New(pgerr.ActiveSQLTransaction, "%s cannot run inside a transaction block", t.Kind)
	}
	ts, err := s.takeCommitTimestamp()
	if err != nil {
		return nil, err
	}
	if t.Kind == "COMMIT PREPARED" {
		err = s.e.tm.CommitPreparedAt(t.GID, ts)
	} else {
		err = s.e.tm.RollbackPrepared(t.GID)
	}
	if err != nil {
		return nil, err
	}
	// The prepared transaction may have changed the catalog.
	s.e.catalogChanged()
	return &Result{Tag: t.Kind}, nil
}

// detachTxn forgets the session's transaction without ending it.
func (s *Session) detachTxn() {
	s.tx, s.explicit, s.failed, s.haveSnap = nil, false, false, false
	s.setXID(0)
	s.savepoints = nil
	s.riQueue, s.riDeferred, s.riMarks, s.riWrote, s.riLocked = nil, nil, nil, false, nil
	s.uniq = uniqueChecks{}
	s.setConstraints, s.setConstraintsAll = nil, nil
	s.isolation, s.readOnly = "", false
	s.txnStart = time.Time{}
	s.wroteCatalog = false
}

// systemViews are the pg_catalog relations cairn serves.
type sysView struct {
	name string
	cols []Column
	rows func(x *execCtx) ([][]types.Datum, error)
	// tableOID, when set, is the oid of the system catalog the view
	// shows, which its rows carry in the tableoid system column.
	tableOID int64
}

var preparedXacts = &sysView{
	name: "pg_prepared_xacts",
	cols: []Column{
		{Name: "transaction", Type: types.New(types.Int8)},
		{Name: "gid", Type: types.New(types.Text)},
		{Name: "prepared", Type: types.New(types.TimestampTZ)},
		{Name: "owner", Type: types.New(types.Text)},
		{Name: "database", Type: types.New(types.Text)},
	},
	rows: func(x *execCtx) ([][]types.Datum, error) {
		var out [][]types.Datum
		for _, p := range x.s.e.tm.Prepared() {
			var meta preparedMeta
			_ = json.Unmarshal(p.Meta, &meta) // a record without meta shows NULLs
			row := []types.Datum{int64(p.XID), p.GID, nil, nil, nil}
			if meta.Owner != "" {
				row[2] = time.UnixMicro(meta.AtMicros).UTC()
				row[3], row[4] = meta.Owner, meta.Database
			}
			out = append(out, row)
		}
		return out, nil
	},
}

// systemView returns the system view ref names, if any. Unqualified names
// find them first, as pg_catalog comes first on PostgreSQL's search path.
func systemView(ref *ast.TableRef) *sysView {
	if ref.InfoSchema {
		v, ok := catalog.LookupInfoSchemaView(ref.Name)
		if !ok {
			return nil
		}
		return &sysView{name: v.Name, cols: resultColumns(v.Columns), rows: func(x *execCtx) ([][]types.Datum, error) { return v.Rows(x) }}
	}
	switch ref.Name {
	case preparedXacts.name:
		return preparedXacts
	case pgLocks.name:
		return pgLocks
	case pgSettings.name:
		return pgSettings
	}
	if v := sessionSystemViews[ref.Name]; v != nil {
		return v
	}
	v, ok := catalog.LookupSystemView(ref.Name)
	if !ok {
		return nil
	}
	oid, _ := catalog.SystemTableOID(v.Name)
	return &sysView{name: v.Name, cols: resultColumns(v.Columns), rows: func(x *execCtx) ([][]types.Datum, error) { return v.Rows(x) }, tableOID: oid}
}

// resultColumns describes a system view's columns as result columns.
func resultColumns(cols []catalog.ColumnDesc) []Column {
	out := make([]Column, len(cols))
	for i, c := range cols {
		out[i] = Column{Name: c.Name, Type: c.Type}
	}
	return out
}

func (b *binder) bindSystemView(v *sysView, ref *ast.TableRef) (plan, []scopeCol, error) {
	name := ref.RelName()
	if ref.Alias != "" {
		name = ref.Alias
	}
	cols := make([]scopeCol, len(v.cols))
	for i, c := range v.cols {
		cols[i] = scopeCol{table: name, name: c.Name, t: c.Type}
	}
	if err := renameColumns(cols, name, ref.Columns); err != nil {
		return nil, nil, err
	}
	if v.tableOID != 0 {
		cols = append(cols, scopeCol{table: name, name: "tableoid", t: oidT, system: true})
	}
	return &sysViewNode{v: v}, cols, nil
}

// sysViewNode produces a system view's rows when the query runs, each
// followed by the tableoid system column when the view has one.
type sysViewNode struct {
	v *sysView
}

func (n *sysViewNode) columns() []Column {
	if n.v.tableOID == 0 {
		return n.v.cols
	}
	return append(append([]Column(nil), n.v.cols...), Column{Name: "tableoid", Type: oidT})
}

func (n *sysViewNode) run(c *evalCtx) ([][]types.Datum, error) {
	rows, err := n.v.rows(c.exec)
	if err != nil {
		return nil, err
	}
	if n.v.tableOID != 0 {
		for i, r := range rows {
			rows[i] = append(r[:len(r):len(r)], n.v.tableOID)
		}
	}
	for _, r := range rows {
		if err := c.addRow(r); err != nil {
			return nil, err
		}
	}
	return rows, nil
}
