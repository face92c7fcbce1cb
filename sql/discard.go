package sql

import (
	"slices"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
)

// RESET ALL and DISCARD, what connection poolers send to hand a
// connection to its next client:
//
//   - RESET name, SET name TO DEFAULT and RESET ALL restore a setting's
//     reset value: the one the startup message gave (application_name,
//     options=-c ...), else the built-in default, as in PostgreSQL.
//   - RESET ALL resets every setting a client may change, except the
//     transaction's own modes; it is transactional like SET.
//   - DISCARD PLANS forgets cached plans: cairn rebinds a plan whenever
//     the catalog changes, so there is nothing to forget.
//   - DISCARD ALL, outside a transaction block only (25001), is CLOSE ALL,
//     RESET ALL, DEALLOCATE ALL, UNLISTEN *, pg_advisory_unlock_all(),
//     DISCARD TEMP and DISCARD SEQUENCES.

// noteResetValue records the value the startup message gave setting name
// as its reset value.
func (s *Session) noteResetValue(name string) {
	name = strings.ToLower(name)
	v, ok := s.settings[name]
	if !ok {
		return
	}
	if s.resetVals == nil {
		s.resetVals = make(map[string]string)
	}
	s.resetVals[name] = v
}

// notResetAll are settable parameters RESET ALL leaves alone
// (PostgreSQL's GUC_NO_RESET_ALL).
var notResetAll = map[string]bool{
	"transaction_isolation": true, "transaction_read_only": true, "transaction_deferrable": true,
	"session_authorization": true, "role": true,
}

// resetAll runs RESET ALL.
func (s *Session) resetAll() (*Result, error) {
	res := &Result{Tag: "RESET"}
	names := make([]string, 0, len(s.settings))
	for name := range s.settings {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		def, known := settingsTable[name]
		if known && def.readOnly || notResetAll[name] || !known && !strings.Contains(name, ".") {
			continue
		}
		def, changed, err := s.assign(name, nil, false)
		if err != nil {
			return nil, err
		}
		if changed && def.reported {
			res.ParameterChanges = append(res.ParameterChanges, Parameter{Name: def.name, Value: s.settings[name]})
		}
	}
	return res, nil
}

// discardPlansPlan is DISCARD PLANS.
type discardPlansPlan struct{}

func (discardPlansPlan) columns() []Column { return nil }
func (discardPlansPlan) execute(*execCtx, *evalCtx) (*Result, error) {
	return &Result{Tag: "DISCARD PLANS"}, nil
}

// discardAllPlan is DISCARD ALL.
type discardAllPlan struct{}

func (discardAllPlan) columns() []Column { return nil }
func (discardAllPlan) execute(x *execCtx, ec *evalCtx) (*Result, error) {
	s := x.s
	if s.inBlock() {
		return nil, pgerr.New(pgerr.ActiveSQLTransaction, "DISCARD ALL cannot run inside a transaction block")
	}
	s.closeCursors(func(*cursor) bool { return true })
	res, err := s.resetAll()
	if err != nil {
		return nil, err
	}
	clear(s.sqlPrepared)
	clear(s.protoStmts)
	res.DeallocatedAll = true
	s.queueListen('*', "")
	s.e.tm.UnlockAllAdvisory(&s.backend.owner)
	if _, err := (discardTempPlan{}).execute(x, ec); err != nil {
		return nil, err
	}
	if _, err := (discardPlan{}).execute(x, ec); err != nil {
		return nil, err
	}
	res.Tag = "DISCARD ALL"
	return res, nil
}
