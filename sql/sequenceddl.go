package sql

import (
	"strconv"
	"strings"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/sequence"
	"github.com/cairndb/cairn/sql/types"
)

// The DDL of sequences: CREATE, ALTER (options, OWNED BY, RENAME) and
// DROP SEQUENCE, the sequences of serial columns, and what DROP and
// TRUNCATE do to the sequences columns own. The shared state and the
// sequence functions are in sequence.go.

// nextvalDefault is the default of a serial column: PostgreSQL's
// pg_get_expr text of nextval('seq'::regclass).
// seq is the sequence's key: one outside public and the temporary schema
// is named with its schema.
func nextvalDefault(seq string) string {
	return "nextval(" + plainLiteral(sequenceRef(seq)) + "::regclass)"
}

// sequenceRef is the name regclass reads for the sequence whose key is
// seq.
func sequenceRef(seq string) string {
	schema, name := catalog.SplitName(seq)
	ref := parser.QuoteIdent(name)
	if schema != "" && !catalog.IsTempSchema(schema) {
		ref = parser.QuoteIdent(schema) + "." + ref
	}
	return ref
}

// identityNextval is the next value of an identity column's sequence
// (key seq): nextval without the privilege check, as PostgreSQL takes it
// for an identity column (a role that may insert into the table need
// not hold USAGE on its sequence).
func (x *execCtx) identityNextval(seq string) (types.Datum, error) {
	v, err := catalog.MakeReg(x, types.Regclass, sequenceRef(seq))
	if err != nil {
		return nil, err
	}
	desc, err := x.sequenceByOID(v.(*types.RegValue).OID)
	if err != nil {
		return nil, err
	}
	if err := x.refuseReadOnly("nextval", desc); err != nil {
		return nil, err
	}
	return x.nextvalOf(desc)
}

// plainLiteral is s as a string literal with quotes doubled, as a
// deparsed constant is written (never in the E'...' form).
func plainLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// sequencesInDefault returns the sequences a stored default expression
// names (catalog.SequencesInDefault).
func (e *Engine) sequencesInDefault(text string) []string {
	return catalog.SequencesInDefault(e.parseStored, text)
}

// seqSpec converts the options as written to package sequence's form; a
// type of AS that does not exist is 42704.
func seqSpec(o ast.SequenceOptions) (sequence.Spec, error) {
	if o.As != "" {
		if _, err := types.Resolve(ast.TypeName{Name: o.As}); err != nil {
			return sequence.Spec{}, err
		}
	}
	spec := sequence.Spec{As: o.As, Increment: o.Increment, Start: o.Start, Restart: o.Restart,
		RestartWith: o.RestartWith, Cache: o.Cache, Cycle: o.Cycle}
	switch {
	case o.NoMinValue:
		spec.Min = &sequence.Bound{None: true}
	case o.MinValue != nil:
		spec.Min = &sequence.Bound{Value: *o.MinValue}
	}
	switch {
	case o.NoMaxValue:
		spec.Max = &sequence.Bound{None: true}
	case o.MaxValue != nil:
		spec.Max = &sequence.Bound{Value: *o.MaxValue}
	}
	return spec, nil
}

// ownedBy checks OWNED BY table.column of a sequence in schema seqSchema
// as PostgreSQL's process_owned_by does: the table must be in the
// sequence's schema (55000), which a system catalog never is.
func ownedBy(x *execCtx, seqSchema string, o []string) (table, col string, err error) {
	sameSchema := func() error {
		return pgerr.New(pgerr.ObjectNotInPrerequisiteState, "sequence must be in same schema as table it is linked to")
	}
	t, _, err := x.s.lookupRel(x.snap, o[0])
	if err != nil {
		return "", "", err
	}
	if t == nil {
		if schema, bare := catalog.SplitName(o[0]); schema == "" || schema == "pg_catalog" {
			if _, system := catalog.SystemTableOID(bare); system {
				return "", "", sameSchema()
			}
		}
		return "", "", pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", catalog.DisplayName(o[0]))
	}
	if t.Kind() != "table" && t.Kind() != "view" {
		return "", "", pgerr.New(pgerr.WrongObjectType, "sequence cannot be owned by relation \"%s\"", o[0]).
			WithDetail("This operation is not supported for " + kindPlural(t.Kind()) + ".")
	}
	if t.Schema != seqSchema {
		return "", "", sameSchema()
	}
	if t.ColumnIndex(o[1]) < 0 {
		return "", "", pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", o[1], o[0])
	}
	return t.Key(), o[1], nil
}

func kindPlural(kind string) string {
	if kind == "index" {
		return "indexes"
	}
	return kind + "s"
}

// createSequence adds a sequence to the catalog in the statement's
// transaction and stores its first state.
func createSequence(x *execCtx, name string, opts ast.SequenceOptions, identity bool, colType types.ID, owner *catalog.SequenceDesc) (*catalog.TableDesc, error) {
	e := x.s.e
	spec, err := seqSpec(opts)
	if err != nil {
		return nil, err
	}
	if colType != 0 {
		// A serial or identity column's sequence has the column's type.
		spec.As = map[types.ID]string{types.Int2: "int2", types.Int4: "int4", types.Int8: "int8"}[colType]
		if spec.As == "" {
			spec.As = types.New(colType).Name()
		}
	}
	o, st, _, err := sequence.Apply(spec, sequence.Options{}, sequence.State{}, true, identity)
	if err != nil {
		return nil, err
	}
	schema, bare := catalog.SplitName(name)
	desc := &catalog.TableDesc{Name: bare, Schema: schema, Columns: catalog.SequenceColumns, Sequence: &catalog.SequenceDesc{Options: o, Identity: identity},
		Unlogged: opts.Unlogged}
	switch {
	case owner != nil:
		desc.Sequence.OwnedBy, desc.Sequence.OwnedCol = owner.OwnedBy, owner.OwnedCol
	case len(opts.OwnedBy) > 0:
		if desc.Sequence.OwnedBy, desc.Sequence.OwnedCol, err = ownedBy(x, schema, opts.OwnedBy); err != nil {
			return nil, err
		}
	}
	if desc.ID, err = e.tm.NextOID(); err != nil {
		return nil, err
	}
	if desc.Owner, err = x.newOwner(); err != nil {
		return nil, err
	}
	if err := x.initialACL(desc); err != nil {
		return nil, err
	}
	if err := e.cat.Create(x.op(), desc); err != nil {
		return nil, err
	}
	e.catalogChanged()
	x.s.wroteCatalog = true
	sh := e.seqs.get(desc.ID)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if err := sh.writeLocked(e, desc.ID, heap.SequenceState{Last: st.Last, Called: st.Called}); err != nil {
		return nil, err
	}
	sh.mu.st, sh.mu.loaded = st, true
	return desc, nil
}

// chooseSequenceName picks <table>_<column>_seq as PostgreSQL's
// ChooseRelationName does: truncated to fit, and numbered if taken.
func chooseSequenceName(x *execCtx, schema, table, column string, taken map[string]bool) (string, error) {
	for n := 0; ; n++ {
		suffix := "seq"
		if n > 0 {
			suffix += strconv.Itoa(n)
		}
		name := makeObjectName(table, column, suffix)
		if taken[name] {
			continue
		}
		d, _, err := x.s.e.cat.Lookup(x.snap, catalog.Key(schema, name))
		if err != nil {
			return "", err
		}
		if d == nil {
			return name, nil
		}
	}
}

// makeObjectName is PostgreSQL's makeObjectName: name1_name2_label within
// 63 bytes, shortening the longer of the two names first.
func makeObjectName(name1, name2, label string) string {
	const maxBytes = 63
	l1, l2 := len(name1), len(name2)
	over := l1 + l2 + len(label) + 2 - maxBytes
	for over > 0 {
		if l1 > l2 {
			l1--
		} else {
			l2--
		}
		over--
	}
	n1 := parser.TruncateIdent(name1[:clipRune(name1, l1)])
	n2 := parser.TruncateIdent(name2[:clipRune(name2, l2)])
	return n1 + "_" + n2 + "_" + label
}

// clipRune moves n back to a character boundary of s.
func clipRune(s string, n int) int {
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return n
}

type createSequencePlan struct{ stmt *ast.CreateSequenceStmt }

func (p *createSequencePlan) columns() []Column { return nil }

func (p *createSequencePlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	schema, name, temp, err := x.creationTarget(p.stmt.Name)
	if err != nil {
		return nil, err
	}
	_ = temp
	key := catalog.Key(schema, name)
	existing, _, err := x.s.e.cat.Lookup(x.snap, key)
	if err != nil {
		return nil, err
	}
	if existing != nil {
		if p.stmt.IfNotExists {
			return &Result{Tag: "CREATE SEQUENCE", Notices: []Notice{{Severity: "NOTICE", Code: pgerr.DuplicateTable,
				Message: "relation \"" + name + "\" already exists, skipping"}}}, nil
		}
		return nil, pgerr.New(pgerr.DuplicateTable, "relation \"%s\" already exists", name)
	}
	if _, err := createSequence(x, key, p.stmt.Options, false, 0, nil); err != nil {
		return nil, err
	}
	return &Result{Tag: "CREATE SEQUENCE"}, nil
}

type alterSequencePlan struct{ stmt *ast.AlterSequenceStmt }

func (p *alterSequencePlan) columns() []Column { return nil }

func (p *alterSequencePlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	res := &Result{Tag: p.stmt.Tag()}
	name := catalog.DisplayName(p.stmt.Name.Name)
	desc, tuple, err := x.s.lookupRel(x.snap, p.stmt.Name.Name)
	if err != nil {
		return nil, err
	}
	if desc == nil {
		if p.stmt.IfExists {
			res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion,
				Message: "relation \"" + name + "\" does not exist, skipping"})
			return res, nil
		}
		return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", name)
	}
	if desc.Sequence == nil {
		return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a sequence", name)
	}
	return res, alterSequenceOptions(x, desc, tuple, p.stmt.Options)
}

// alterSequenceOptions applies ALTER SEQUENCE's options (or those of an
// identity's ALTER COLUMN) to the sequence desc, whose catalog entry is
// tuple.
func alterSequenceOptions(x *execCtx, desc *catalog.TableDesc, tuple heap.TupleID, opts ast.SequenceOptions) error {
	e := x.s.e
	updated := *desc
	seq := *desc.Sequence
	updated.Sequence = &seq
	var err error
	if seq.Identity && (len(opts.OwnedBy) > 0 || opts.OwnedByNone) {
		return pgerr.New(pgerr.FeatureNotSupported, "cannot change ownership of identity sequence").
			WithDetail("Sequence \"" + desc.Name + "\" is linked to table \"" + seq.OwnedBy + "\".")
	}
	if len(opts.OwnedBy) > 0 {
		if seq.OwnedBy, seq.OwnedCol, err = ownedBy(x, desc.Schema, opts.OwnedBy); err != nil {
			return err
		}
	} else if opts.OwnedByNone {
		seq.OwnedBy, seq.OwnedCol = "", ""
	}
	spec, err := seqSpec(opts)
	if err != nil {
		return err
	}
	sh := e.seqs.get(desc.ID)
	apply := func() (sequence.Options, sequence.State, bool, error) {
		if err := sh.loadLocked(e, desc); err != nil {
			return sequence.Options{}, sequence.State{}, false, err
		}
		return sequence.Apply(spec, desc.Sequence.Options, sh.mu.st, false, seq.Identity)
	}
	// Check the options, then write the descriptor without holding the
	// sequence's mutex (the write may wait for another transaction's
	// DDL, and nextval must not wait with it), then apply them to the
	// state as it is by then.
	sh.mu.Lock()
	o, _, _, err := apply()
	sh.mu.Unlock()
	if err != nil {
		return err
	}
	seq.Options = o
	if err := replaceTableDesc(x, tuple, &updated); err != nil {
		return err
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	_, st, restarted, err := apply()
	if err != nil {
		return err
	}
	if restarted {
		if err := sh.writeLocked(e, desc.ID, heap.SequenceState{Last: st.Last, Called: st.Called}); err != nil {
			return err
		}
	}
	sh.mu.st = st
	sh.mu.epoch++
	if local := x.s.seqs[desc.ID]; local != nil {
		local.cached = local.last
	}
	return nil
}

// renameSequence renames a sequence and the defaults of the columns that
// call nextval on it (PostgreSQL's defaults name it by oid, and so follow
// it), and the identity that uses it.
func renameSequence(x *execCtx, tuple heap.TupleID, updated *catalog.TableDesc, to string) error {
	e := x.s.e
	other, _, err := e.cat.Lookup(x.snap, catalog.Key(updated.Schema, to))
	if err != nil {
		return err
	}
	if other != nil {
		return pgerr.New(pgerr.DuplicateTable, "relation \"%s\" already exists", to)
	}
	before := *updated
	from := updated.Key()
	updated.Name = to
	to = updated.Key()
	if err := replaceTableDesc(x, tuple, updated); err != nil {
		return err
	}
	all, err := e.cat.All(x.snap)
	if err != nil {
		return err
	}
	for _, t := range all {
		if t.Sequence != nil || t.View != "" || t.IndexOf != "" {
			continue
		}
		var changed *catalog.TableDesc
		for i, c := range t.Columns {
			uses := c.IdentitySeq == from
			for _, s := range e.sequencesInDefault(c.Default) {
				uses = uses || refersTo(s, &before)
			}
			if !uses {
				continue
			}
			if changed == nil {
				cp := *t
				cp.Columns = append([]catalog.ColumnDesc(nil), t.Columns...)
				changed = &cp
			}
			if c.IdentitySeq == from {
				changed.Columns[i].IdentitySeq = to
			}
			if c.Default == nextvalDefault(from) {
				changed.Columns[i].Default = nextvalDefault(to)
			}
		}
		if changed != nil {
			_, id, err := e.cat.Lookup(x.snap, t.Key())
			if err != nil {
				return err
			}
			if err := replaceTableDesc(x, id, changed); err != nil {
				return err
			}
		}
	}
	return nil
}

// dropSequenceDependents refuses to drop a sequence that column defaults
// use or that an identity column owns; with CASCADE the defaults go.
func dropSequenceDependents(x *execCtx, seq *catalog.TableDesc, stmt *ast.DropTableStmt, dropping map[string]bool) ([]Notice, error) {
	e := x.s.e
	if seq.Sequence.Identity && !dropping[seq.Sequence.OwnedBy] {
		return nil, pgerr.New(pgerr.DependentObjectsStillExist, "cannot drop sequence %s because column %s of table %s requires it",
			seq.Name, seq.Sequence.OwnedCol, seq.Sequence.OwnedBy).
			WithHint("You can drop column " + seq.Sequence.OwnedCol + " of table " + seq.Sequence.OwnedBy + " instead.")
	}
	all, err := e.cat.All(x.snap)
	if err != nil {
		return nil, err
	}
	var lines []string
	for _, t := range all {
		if t.Sequence != nil || t.View != "" || t.IndexOf != "" || dropping[t.Key()] {
			continue
		}
		var changed *catalog.TableDesc
		for i, c := range t.Columns {
			uses := false
			for _, s := range e.sequencesInDefault(c.Default) {
				uses = uses || refersTo(s, seq)
			}
			if !uses {
				continue
			}
			lines = append(lines, "default value for column "+c.Name+" of table "+t.Name)
			if changed == nil {
				cp := *t
				cp.Columns = append([]catalog.ColumnDesc(nil), t.Columns...)
				changed = &cp
			}
			changed.Columns[i].Default = ""
		}
		if changed != nil && stmt.Cascade {
			_, id, err := e.cat.Lookup(x.snap, t.Key())
			if err != nil {
				return nil, err
			}
			if err := replaceTableDesc(x, id, changed); err != nil {
				return nil, err
			}
		}
	}
	if len(lines) == 0 {
		return nil, nil
	}
	if !stmt.Cascade {
		detail := make([]string, len(lines))
		for i, l := range lines {
			detail[i] = l + " depends on sequence " + seq.Name
		}
		return nil, pgerr.New(pgerr.DependentObjectsStillExist, "cannot drop sequence %s because other objects depend on it", seq.Name).
			WithDetail(strings.Join(detail, "\n")).
			WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
	}
	if len(lines) == 1 {
		return []Notice{{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion, Message: "drop cascades to " + lines[0]}}, nil
	}
	for i := range lines {
		lines[i] = "drop cascades to " + lines[i]
	}
	return []Notice{{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion, Message: "drop cascades to " + itoa(len(lines)) + " other objects",
		Detail: strings.Join(lines, "\n")}}, nil
}

// forgetDroppedSequences removes the stored state of the sequences the
// committed transaction dropped, those that are gone from the catalog (a
// drop undone by ROLLBACK TO SAVEPOINT left its sequence in place).
func (s *Session) forgetDroppedSequences() error {
	ids := s.droppedSeqs
	s.droppedSeqs = nil
	if len(ids) == 0 {
		return nil
	}
	all, err := s.e.cat.All(s.e.tm.ReadSnapshot())
	if err != nil {
		return err
	}
	live := make(map[uint32]bool, len(all))
	for _, d := range all {
		live[d.ID] = true
	}
	for _, id := range ids {
		if live[id] {
			continue
		}
		if err := s.e.heap.DeleteSequence(id); err != nil {
			return err
		}
		s.e.seqs.m.Delete(id)
		delete(s.seqs, id)
	}
	return nil
}

// restartOwnedSequences restarts the sequences owned by table's columns
// (TRUNCATE ... RESTART IDENTITY). Like nextval, and unlike PostgreSQL,
// which gives them new storage in the transaction, the restart is not
// undone by a rollback.
func restartOwnedSequences(x *execCtx, table *catalog.TableDesc) error {
	e := x.s.e
	all, err := e.cat.All(x.snap)
	if err != nil {
		return err
	}
	for _, d := range all {
		if d.Sequence == nil || d.Sequence.OwnedBy != table.Key() {
			continue
		}
		sh := e.seqs.get(d.ID)
		sh.mu.Lock()
		st := sequence.State{Last: d.Sequence.Start}
		err := sh.writeLocked(e, d.ID, heap.SequenceState{Last: st.Last})
		if err == nil {
			sh.mu.st, sh.mu.loaded = st, true
			sh.mu.epoch++
		}
		sh.mu.Unlock()
		if err != nil {
			return err
		}
		if local := x.s.seqs[d.ID]; local != nil {
			local.cached = local.last
		}
	}
	return nil
}

// dropOwnedSequences drops the sequences owned by the columns of table,
// which is being dropped.
func dropOwnedSequences(x *execCtx, table *catalog.TableDesc) error {
	e := x.s.e
	all, err := e.cat.All(x.snap)
	if err != nil {
		return err
	}
	for _, d := range all {
		if d.Sequence == nil || d.Sequence.OwnedBy != table.Key() {
			continue
		}
		_, id, err := e.cat.Lookup(x.snap, d.Key())
		if err != nil {
			return err
		}
		if err := e.cat.Drop(x.op(), id); err != nil {
			return err
		}
		x.s.droppedSeqs = append(x.s.droppedSeqs, d.ID)
	}
	return nil
}
