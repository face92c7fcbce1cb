package sql

import (
	"bytes"
	"errors"
	"slices"
	"strings"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// addPrimaryKeyPlan gives a table without a primary key one.
//
// The heap keys every row by its primary key (heap/doc.go), and a table
// without one by a row id, so adding a key rewrites the table, as
// PostgreSQL rewrites it into a new relfilenode: the descriptor, gaining
// the key, gets a new storage id (catalog.TableDesc.StorageID) and is
// swapped in first, then every row visible to the statement is written
// under its key into the new storage, sorted, ingested into the LSM as
// tables (heap.LoadRows), and index entries are added for the new row keys, all
// in the statement's transaction. The old rows are not touched: they stay
// for the snapshots that still see the old descriptor, and VACUUM (or the
// background vacuum, told by noteStorageDropped) deletes them with one range
// delete once none can (reclaimDropped); if the transaction rolls back, the
// new storage is what goes. Before writing, the rows are checked as
// PostgreSQL checks them when it builds the key's index: a NULL in a key
// column fails with 23502, two rows with one key with 23505.
//
// It takes an ACCESS EXCLUSIVE table lock, as PostgreSQL does: it waits
// for the table's writers to end and keeps them out until it commits;
// writers that waited bind again against the new definition.
type addPrimaryKeyPlan struct{ stmt *ast.AlterTableStmt }

func (p *addPrimaryKeyPlan) columns() []Column { return nil }

func (b *binder) bindAlterTable(s *ast.AlterTableStmt) (boundStmt, error) {
	if err := b.refuseSystemCatalog(s.Table); err != nil {
		return nil, err
	}
	if s.IfExists {
		// A missing table is skipped before its subcommands are bound.
		if d, _, err := b.s.lookupRel(b.snap, s.Table.Name); err != nil {
			return nil, err
		} else if d == nil {
			return &noticePlan{tag: s.Tag(), notice: Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion,
				Message: "relation \"" + catalog.DisplayName(s.Table.Name) + "\" does not exist, skipping"}}, nil
		}
	}
	if err := b.refuseTypedTableChange(s); err != nil {
		return nil, err
	}
	p, err := b.bindAlterTableOne(s)
	if err != nil {
		return nil, err
	}
	return wrapInherited(s, p, false), nil
}

func (b *binder) bindAlterTableOne(s *ast.AlterTableStmt) (boundStmt, error) {
	switch {
	case s.Subcommands != nil:
		return &alterSubcommandsPlan{stmt: s}, nil
	case s.IndexAttach:
		return &indexAttachPlan{stmt: s}, nil
	case s.Inherit != nil || s.NoInherit != nil || s.Attach != nil || s.Detach != nil:
		return &inheritAlterPlan{stmt: s}, nil
	case s.DropColumn != nil:
		return &dropColumnPlan{stmt: s}, nil
	case s.RenameColumn != nil:
		return &renameColumnPlan{stmt: s}, nil
	case s.AlterType != nil:
		return &alterTypePlan{stmt: s}, nil
	case s.SetLogged != nil:
		return &setLoggedPlan{stmt: s}, nil
	case s.ColumnAttr != nil:
		return &columnAttrPlan{stmt: s}, nil
	case s.OfType != nil || s.NotOf:
		return &typedTablePlan{stmt: s}, nil
	case s.RelOptions != nil:
		return &relOptionsPlan{stmt: s}, nil
	}
	if s.Identity != nil {
		return &alterIdentityPlan{stmt: s}, nil
	}
	if s.RowSecurity != "" {
		return &rowSecurityPlan{stmt: s}, nil
	}
	if s.ClusterOn != nil || s.ReplicaIdentity != "" {
		return &indexMarkPlan{stmt: s}, nil
	}
	if s.AlterColumn != nil {
		return b.bindAlterColumn(s)
	}
	if s.Owner != nil {
		return b.bindAlterOwner(s)
	}
	if s.Unique != nil {
		return &addUniquePlan{stmt: s}, nil
	}
	if s.Check != nil || s.ForeignKey != nil || s.DropConstraint != nil || s.ValidateConstraint != "" || s.RenameConstraint != nil || s.AlterConstraint != nil {
		return &constraintPlan{stmt: s}, nil
	}
	if s.AddColumn == nil {
		return &addPrimaryKeyPlan{stmt: s}, nil
	}
	c := s.AddColumn
	t, dom, err := b.resolveColumnType(c.Type)
	if err != nil {
		return nil, err
	}
	if err := b.checkTypeUsage(t, dom); err != nil {
		return nil, err
	}
	if c.Identity != "" && !t.IsInteger() {
		return nil, pgerr.New(pgerr.InvalidParameterValue, "identity column type must be smallint, integer, or bigint")
	}
	p := &addColumnPlan{stmt: s, col: catalog.ColumnDesc{Name: c.Name, Type: t, NotNull: c.NotNull, Default: c.DefaultSQL, Generated: c.GeneratedSQL}}
	if dom != nil {
		p.col.Domain = dom.ID
	}
	p.value = &constExpr{t: t}
	if c.Generated != nil {
		// Computed from each row's other columns, which keep their
		// places: the new column goes last.
		desc, err := b.lookupTableStrict(s.Table)
		if err != nil {
			return nil, err
		}
		with := *desc
		with.Columns = append(slices.Clone(desc.Columns), p.col)
		if p.value, err = b.bindGenerationExpr(&with, len(desc.Columns), c.Generated); err != nil {
			return nil, err
		}
		p.generated = true
	}
	if c.Default != nil {
		if err := checkDefault(c.Default); err != nil {
			return nil, err
		}
		e, err := b.bindExpr(c.Default, nil)
		if err != nil {
			return nil, err
		}
		if p.value, err = b.assign(e, t, c.Name, c.Default.Position()); err != nil {
			return nil, err
		}
		if isNullConst(e) {
			p.col.Default = ""
		}
	}
	if dom != nil && !p.generated {
		// The rows there get the domain's default when the column has
		// none, and every value is checked against the domain.
		if c.Default == nil {
			if p.value, err = b.defaultExpr(p.col); err != nil {
				return nil, err
			}
		} else if p.value, err = b.toDomain(p.value, dom); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// addColumnPlan adds a column to a table. Every row visible to the
// statement gets a new version holding the column's default (evaluated per
// row, so a volatile default gives each row its own value, as in
// PostgreSQL), in the statement's transaction; then the descriptor gains
// the column. A NOT NULL column whose default leaves a row NULL fails with
// 23502. PostgreSQL avoids the rewrite for a constant default by keeping
// the value in the catalog; cairn always rewrites, so the statement costs a
// pass over the table and leaves dead versions for vacuum. Primary key
// and index entries do not change: the row keys stay the same.
//
// It takes an ACCESS EXCLUSIVE table lock, as PostgreSQL does.
type addColumnPlan struct {
	stmt  *ast.AlterTableStmt
	col   catalog.ColumnDesc
	value expr
	// generated says value is a generation expression over the row.
	generated bool
}

func (p *addColumnPlan) columns() []Column { return nil }

func (p *addColumnPlan) execute(x *execCtx, ec *evalCtx) (*Result, error) {
	e := x.s.e
	s := p.stmt
	table, tableTuple, res, err := lockAlterTarget(x, s)
	if table == nil {
		return res, err
	}
	if err := systemColumnName(p.col.Name); err != nil {
		return nil, err
	}
	if table.ColumnIndex(p.col.Name) >= 0 {
		if s.IfNotExists {
			res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: pgerr.DuplicateColumn,
				Message: "column \"" + p.col.Name + "\" of relation \"" + table.Name + "\" already exists, skipping"})
			return res, nil
		}
		return nil, pgerr.New(pgerr.DuplicateColumn, "column \"%s\" of relation \"%s\" already exists", p.col.Name, table.Name)
	}
	if len(table.Columns) >= types.ColumnsMax {
		return nil, pgerr.New(pgerr.TooManyColumns, "tables can have at most %d columns", types.ColumnsMax)
	}
	if err := selfMember(table, p.col.Type); err != nil {
		return nil, err
	}
	col := p.col
	value := func(ec *evalCtx, row []types.Datum) (types.Datum, error) {
		if p.generated {
			return p.value.Eval(ec, row)
		}
		return p.value.Eval(ec, nil)
	}
	if s.AddColumn.Identity != "" && !s.Table.Only && len(table.Children) > 0 {
		// Identity is not inherited (adding the column, then the
		// identity, works).
		return nil, pgerr.New(pgerr.InvalidTableDefinition, "cannot recursively add identity column to table that has child tables")
	}
	if c := s.AddColumn; c.Serial || c.Identity != "" {
		// The column's own sequence, made first; every row takes a
		// value from it, as in PostgreSQL.
		name := c.IdentityOptions.SequenceName
		if name == "" {
			if name, err = chooseSequenceName(x, table.Schema, table.Name, col.Name, nil); err != nil {
				return nil, err
			}
		}
		name = catalog.Key(table.Schema, name)
		owner := &catalog.SequenceDesc{OwnedBy: table.Key(), OwnedCol: col.Name}
		opts := c.IdentityOptions
		opts.Unlogged = table.Unlogged
		seq, err := createSequence(x, name, opts, c.Identity != "", col.Type.ID, owner)
		if err != nil {
			return nil, err
		}
		if c.Serial {
			col.Default = nextvalDefault(name)
		} else {
			col.Identity, col.IdentitySeq = c.Identity, name
		}
		value = func(*evalCtx, []types.Datum) (types.Datum, error) { return x.nextvalOf(seq) }
	}
	h := e.heap
	op := x.op()
	op.Snap.Serializable = false // DDL takes no part in SSI
	type row struct {
		id  heap.TupleID
		row []types.Datum
	}
	var rows []row
	err = h.Scan(op.Snap, table.StorageID(), func(t heap.Tuple) error {
		if x.ctx.Err() != nil {
			return pgerr.FromContext(x.ctx)
		}
		r, err := types.DecodeRow(t.Data)
		if err != nil {
			return err
		}
		if len(r) != len(table.Columns) {
			return pgerr.New(pgerr.DataCorrupted, "row of table %s has %d columns, want %d", table.Name, len(r), len(table.Columns))
		}
		rows = append(rows, row{id: t.ID, row: r})
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		v, err := value(ec, r.row)
		if err != nil {
			return nil, err
		}
		if v == nil && col.NotNull {
			return nil, pgerr.New(pgerr.NotNullViolation, "column \"%s\" of relation \"%s\" contains null values", col.Name, table.Name)
		}
		if err := h.Update(op, table.StorageID(), r.id, heap.RowKey(r.id), types.EncodeRow(append(r.row, v))); err != nil {
			return nil, err
		}
	}
	updated := *table
	updated.Columns = append(slices.Clone(table.Columns), col)
	if c := s.AddColumn; len(c.Checks) > 0 || len(c.References) > 0 {
		// The column's CHECK and REFERENCES constraints check the rows
		// just rewritten: a later command of the statement sees them.
		later := *x
		later.snap.CID = x.s.cid
		x.s.cid++
		updated.Checks = slices.Clone(table.Checks)
		updated.ForeignKeys = slices.Clone(table.ForeignKeys)
		for i := range c.Checks {
			if err := addCheck(&later, ec, &updated, &c.Checks[i]); err != nil {
				return nil, err
			}
		}
		for i := range c.References {
			if err := addForeignKey(&later, ec, &updated, &c.References[i]); err != nil {
				return nil, err
			}
		}
	}
	if err := replaceTableDesc(x, tableTuple, &updated); err != nil {
		return nil, err
	}
	if err := rowTypeChanged(x, table, &updated, nil); err != nil {
		return nil, err
	}
	if err := addColumnInViews(x, table, &updated); err != nil {
		return nil, err
	}
	// The column's PRIMARY KEY and UNIQUE constraints, as later commands.
	for _, k := range s.ColumnKeys {
		nextCommand(x)
		var key boundStmt = &addPrimaryKeyPlan{stmt: k}
		if k.Unique != nil {
			key = &addUniquePlan{stmt: k}
		}
		if _, err := key.execute(x, ec); err != nil {
			return nil, err
		}
	}
	return res, nil
}

func (p *addPrimaryKeyPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	s := p.stmt
	table, tableTuple, res, err := lockAlterTarget(x, s)
	if table == nil {
		return res, err
	}
	multiple := func() error {
		return pgerr.New(pgerr.InvalidTableDefinition, "multiple primary keys for table \"%s\" are not allowed", table.Name).WithPosition(s.Pos)
	}
	if len(table.PK) > 0 && s.UsingIndex == "" {
		return nil, multiple()
	}
	updated := *table
	updated.Columns = slices.Clone(table.Columns)
	keyNames, pkName := s.PrimaryKey, s.PKName
	if s.UsingIndex != "" {
		// USING INDEX (constraint_using_index.go): the index's columns
		// are the key, and the index goes, its entries rebuilt as the
		// table's new storage.
		ix, name, notices, err := usingIndex(x, table, s.UsingIndex, s.PKName, true, s.Pos)
		if err != nil {
			return nil, err
		}
		if len(table.PK) > 0 {
			// PostgreSQL finds the index before it meets the key.
			return nil, multiple()
		}
		res.Notices = append(res.Notices, notices...)
		keyNames, pkName = nil, name
		for _, c := range ix.Columns {
			keyNames = append(keyNames, table.Columns[c].Name)
		}
		if err := dropIndexName(x, table, ix); err != nil {
			return nil, err
		}
		updated.Indexes = slices.DeleteFunc(slices.Clone(table.Indexes), func(d catalog.IndexDesc) bool { return d.ID == ix.ID })
	}
	for _, name := range keyNames {
		i := table.ColumnIndex(name)
		if i < 0 {
			return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" named in key does not exist", name).WithPosition(s.Pos)
		}
		if slices.Contains(updated.PK, i) {
			return nil, pgerr.New(pgerr.DuplicateColumn, "column \"%s\" appears twice in primary key constraint", name).WithPosition(s.Pos)
		}
		updated.PK = append(updated.PK, i)
		updated.Columns[i].NotNull = true
	}
	updated.PKName = pkName
	if updated.PKName == "" {
		updated.PKName = parser.TruncateIdent(table.Name + "_pkey")
	}
	// The new descriptor goes first, so that the WAL never holds rows
	// of the new storage without the catalog entry that names it: after a
	// crash or a rollback, the entry's creator did not commit and
	// reclaimDropped finds the storage to delete.
	storage, err := x.s.e.tm.NextOID()
	if err != nil {
		return nil, err
	}
	updated.Storage = storage
	x.s.e.heap.NewStorage(storage)
	if err := replaceTableDesc(x, tableTuple, &updated); err != nil {
		return nil, err
	}
	if err := rewriteUnderKey(x, table, &updated); err != nil {
		return nil, err
	}
	x.s.e.noteStorageDropped()
	x.s.e.noteRewrite(table.ID, x.snap.XID)
	return res, nil
}

// rewriteUnderKey writes every row of table that the statement sees into
// updated's storage, a new one, keyed by updated's primary key, and adds
// the entries of updated's indexes for the new keys.
func rewriteUnderKey(x *execCtx, table, updated *catalog.TableDesc) error {
	h := x.s.e.heap
	op := x.op()
	op.Snap.Serializable = false // DDL takes no part in SSI
	if updated.StorageID() == table.StorageID() {
		return pgerr.New(pgerr.InternalError, "rewriting table %s into its own storage", table.Name)
	}
	// The rows are kept in chunks, not one slice that doubles as it
	// grows: a table of millions of rows would be copied over and over.
	//
	// The scan and the load overlap: while the keys come in order, as they
	// do from a table filled in key order, each full chunk goes to a
	// loader that writes it into the new storage while the scan reads on.
	// Keys out of order stop the hand-over; the rows from the first chunk
	// not handed over on are sorted when the scan ends, checked against
	// each other and against the rows handed over, and loaded by a second
	// call. The storage is new and only this transaction's catalog entry
	// names it, and the keys of each call are sorted and distinct: the
	// rows go in large batches without a uniqueness probe each.
	var chunks [][]heap.Load
	sent := 0 // chunks handed to the loader
	var prev []byte
	sorted := true
	keys := newIndexKeys(updated)
	// Only the columns up to the last key column are decoded: the row's
	// data is copied as it is.
	keyCols := 0
	for _, c := range updated.PK {
		keyCols = max(keyCols, c+1)
	}
	keyVals := make([]types.Datum, len(updated.PK))
	var keyBuf, dataBuf []byte
	load := startLoad(h, op, updated.StorageID())
	defer load.abort()
	// The scan lends each row; its data is copied into large shared
	// buffers like the keys (a large row into its own).
	err := h.ScanLent(op.Snap, table.StorageID(), func(t heap.Tuple) error {
		if x.ctx.Err() != nil {
			return pgerr.FromContext(x.ctx)
		}
		row, n, err := types.DecodeRowPrefix(t.Data, keyCols)
		if err != nil {
			return err
		}
		if n != len(table.Columns) {
			return pgerr.New(pgerr.DataCorrupted, "row of table %s has %d columns, want %d", table.Name, n, len(table.Columns))
		}
		for _, c := range updated.PK {
			if row[c] == nil {
				return pgerr.New(pgerr.NotNullViolation, "column \"%s\" of relation \"%s\" contains null values", table.Columns[c].Name, table.Name)
			}
		}
		// The keys are appended to large shared buffers rather than
		// allocated one by one; each stays where it was written.
		for i, c := range updated.PK {
			keyVals[i] = row[c]
		}
		if cap(keyBuf)-len(keyBuf) < rewriteKeyRoomBytes {
			keyBuf = make([]byte, 0, rewriteKeyBufBytes)
		}
		start := len(keyBuf)
		keyBuf = types.AppendKey(keyBuf, keyVals)
		key := keyBuf[start:len(keyBuf):len(keyBuf)]
		switch c := bytes.Compare(prev, key); {
		case prev != nil && c == 0:
			return duplicateKey(updated, row)
		case prev != nil && c > 0:
			sorted = false
		}
		prev = key
		if len(chunks) == 0 || len(chunks[len(chunks)-1]) == rewriteChunkRows {
			if sorted && sent < len(chunks) {
				if err := load.send(chunks[sent]); err != nil {
					return err
				}
				sent++
			}
			chunks = append(chunks, make([]heap.Load, 0, rewriteChunkRows))
		}
		data := t.Data
		if len(data) > rewriteDataOwnBytes {
			data = bytes.Clone(data)
		} else {
			if cap(dataBuf)-len(dataBuf) < len(data) {
				dataBuf = make([]byte, 0, rewriteDataBufBytes)
			}
			start := len(dataBuf)
			dataBuf = append(dataBuf, data...)
			data = dataBuf[start:len(dataBuf):len(dataBuf)]
		}
		last := &chunks[len(chunks)-1]
		*last = append(*last, heap.Load{PK: key, Data: data})
		return nil
	})
	if err != nil {
		return err
	}
	if sorted {
		for ; sent < len(chunks); sent++ {
			if err := load.send(chunks[sent]); err != nil {
				return err
			}
		}
	}
	if err := load.finish(); err != nil {
		return err
	}
	if !sorted {
		rest, err := sortRewriteRest(updated, chunks[:sent], chunks[sent:])
		if err != nil {
			return err
		}
		if err := h.LoadRows(op, updated.StorageID(), [][]heap.Load{rest}); err != nil {
			return err
		}
		chunks = append(chunks[:sent:sent], rest)
	}
	if len(updated.Indexes) == 0 {
		return nil
	}
	for _, c := range chunks {
		for _, l := range c {
			if x.ctx.Err() != nil {
				return pgerr.FromContext(x.ctx)
			}
			row, err := types.DecodeRow(l.Data)
			if err != nil {
				return err
			}
			for i := range updated.Indexes {
				idx := &updated.Indexes[i]
				ks, in, err := keys.entries(x, idx, row)
				if err != nil {
					return err
				}
				if !in {
					continue
				}
				for _, k := range ks {
					if err := h.InsertIndexEntry(op, idx.StorageID(), k, l.PK); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

// sortRewriteRest sorts the rows of rest, the chunks of a rewrite that
// came after its keys went out of order, into one run, and checks that no
// key is there twice or in loaded, the chunks already loaded (sorted).
func sortRewriteRest(updated *catalog.TableDesc, loaded, rest [][]heap.Load) ([]heap.Load, error) {
	n := 0
	for _, c := range rest {
		n += len(c)
	}
	all := make([]heap.Load, 0, n)
	for _, c := range rest {
		all = append(all, c...)
	}
	slices.SortFunc(all, func(a, b heap.Load) int { return bytes.Compare(a.PK, b.PK) })
	dup := func(l heap.Load) error {
		row, err := types.DecodeRow(l.Data)
		if err != nil {
			return err
		}
		return duplicateKey(updated, row)
	}
	for i := 1; i < len(all); i++ {
		if bytes.Equal(all[i-1].PK, all[i].PK) {
			return nil, dup(all[i])
		}
	}
	// Both runs are sorted: one merge walk finds a key in both.
	i := 0
	for _, c := range loaded {
		for _, l := range c {
			for i < len(all) && bytes.Compare(all[i].PK, l.PK) < 0 {
				i++
			}
			if i < len(all) && bytes.Equal(all[i].PK, l.PK) {
				return nil, dup(all[i])
			}
		}
	}
	return all, nil
}

// rewriteLoad runs heap.LoadRowsFrom in a goroutine of its own, fed with
// the chunks of a rewrite's scan as they fill, so that writing the new
// storage overlaps reading the old. Each chunk must stay unchanged until
// finish or abort returns; one of them must be called.
type rewriteLoad struct {
	chunks chan []heap.Load
	stop   chan struct{} // closed by abort
	done   chan error    // the load's result
	ended  bool          // done was received
	closed bool          // chunks was closed
	err    error
}

// errRewriteStopped ends a load whose scan failed.
var errRewriteStopped = errors.New("rewrite stopped")

func startLoad(h *heap.Heap, op heap.Op, storage uint32) *rewriteLoad {
	l := &rewriteLoad{chunks: make(chan []heap.Load, rewriteLoadChunks), stop: make(chan struct{}), done: make(chan error, 1)}
	go func() {
		l.done <- h.LoadRowsFrom(op, storage, func() ([]heap.Load, error) {
			select {
			case c, ok := <-l.chunks:
				if !ok {
					return nil, nil
				}
				return c, nil
			case <-l.stop:
				return nil, errRewriteStopped
			}
		})
	}()
	return l
}

// send hands chunk c to the load; it fails when the load has failed.
func (l *rewriteLoad) send(c []heap.Load) error {
	if l.ended {
		return l.err
	}
	select {
	case l.chunks <- c:
		return nil
	case l.err = <-l.done:
		l.ended = true
		if l.err == nil {
			return pgerr.New(pgerr.InternalError, "rewrite: the load ended before its last chunk")
		}
		return l.err
	}
}

// finish ends the chunks and waits for the load to write them.
func (l *rewriteLoad) finish() error {
	if !l.closed {
		close(l.chunks)
		l.closed = true
	}
	if !l.ended {
		l.err, l.ended = <-l.done, true
	}
	return l.err
}

// abort stops the load, unless it has ended, and waits for it: nothing
// is written after. It may be called after finish (it then does nothing),
// and is deferred, so that a panic in the scan does not leave the load
// waiting for chunks (and holding the store's ingests) for ever.
func (l *rewriteLoad) abort() {
	if l.ended {
		return
	}
	close(l.stop)
	l.err, l.ended = <-l.done, true
}

// duplicateKey is the error of a rewrite that meets row's primary key
// twice, as PostgreSQL words it when it builds the key's index.
func duplicateKey(t *catalog.TableDesc, row []types.Datum) error {
	return pgerr.New(pgerr.UniqueViolation, "could not create unique index \"%s\"", t.PKName).
		WithDetail("Key "+keyValues(t, row)+" is duplicated.").
		WithObject(t.SchemaName(), t.Name, "", t.PKName)
}

// keyValues renders a row's primary key as (a, b)=(1, 2) for messages.
func keyValues(t *catalog.TableDesc, row []types.Datum) string {
	names, vals := make([]string, len(t.PK)), make([]string, len(t.PK))
	for i, c := range t.PK {
		names[i] = t.Columns[c].Name
		vals[i] = types.FormatText(t.Columns[c].Type, row[c])
	}
	return "(" + strings.Join(names, ", ") + ")=(" + strings.Join(vals, ", ") + ")"
}

// lockAlterTarget finds the table ALTER TABLE names, takes its ACCESS
// EXCLUSIVE lock (waiting out every other user of the table, as PostgreSQL
// does) and reads its descriptor again under the lock. With no table it
// returns a nil table and either the IF EXISTS notice or the error.
func lockAlterTarget(x *execCtx, s *ast.AlterTableStmt) (*catalog.TableDesc, heap.TupleID, *Result, error) {
	e := x.s.e
	res := &Result{Tag: s.Tag()}
	missing := func() (*catalog.TableDesc, heap.TupleID, *Result, error) {
		if s.IfExists {
			res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion,
				Message: "relation \"" + catalog.DisplayName(s.Table.Name) + "\" does not exist, skipping"})
			return nil, heap.TupleID{}, res, nil
		}
		return nil, heap.TupleID{}, nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", catalog.DisplayName(s.Table.Name)).WithPosition(s.Table.Pos)
	}
	table, _, err := x.s.lookupRel(x.snap, s.Table.Name)
	if err != nil {
		return nil, heap.TupleID{}, nil, err
	}
	if table == nil {
		return missing()
	}
	if table.Kind() != "table" {
		return nil, heap.TupleID{}, nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a table", table.Name)
	}
	if err := x.lockTableForDDL(table.ID, txn.AccessExclusive); err != nil {
		return nil, heap.TupleID{}, nil, err
	}
	table, tuple, err := e.cat.Lookup(x.snap, table.Key())
	if err != nil {
		return nil, heap.TupleID{}, nil, err
	}
	if table == nil {
		return missing()
	}
	return table, tuple, res, nil
}

// replaceTableDesc swaps a table's catalog entry for updated in the
// statement's transaction.
func replaceTableDesc(x *execCtx, old heap.TupleID, updated *catalog.TableDesc) error {
	e := x.s.e
	if err := e.cat.Drop(x.op(), old); err != nil {
		return err
	}
	if err := e.cat.Create(x.op(), updated); err != nil {
		return err
	}
	e.catalogChanged()
	x.s.wroteCatalog = true
	return nil
}

// ALTER TABLE ... OWNER TO role, on tables, views and sequences.
func (b *binder) bindAlterOwner(s *ast.AlterTableStmt) (boundStmt, error) {
	desc, err := b.lookupTableStrict(s.Table)
	if err != nil {
		if s.IfExists && pgerr.Code(err) == pgerr.UndefinedTable {
			return &noticePlan{tag: "ALTER TABLE", notice: Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion,
				Message: "relation \"" + s.Table.Name + "\" does not exist, skipping"}}, nil
		}
		return nil, err
	}
	return &alterOwnerPlan{key: desc.Key(), owner: *s.Owner, tag: s.Tag()}, nil
}

// alterOwnerPlan is ALTER TABLE ... OWNER TO (ATExecChangeOwner): a role
// that is not a superuser must own the relation, be a member of the new
// owner and may create in its schema. The old owner's entries in the
// ACL become the new owner's.
type alterOwnerPlan struct {
	key   string
	owner string // "" for CURRENT_USER
	tag   string
}

func (p *alterOwnerPlan) columns() []Column { return nil }

func (p *alterOwnerPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	desc, tuple, err := x.s.e.cat.Lookup(x.snap, p.key)
	if err != nil {
		return nil, err
	}
	if desc == nil {
		return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", catalog.DisplayName(p.key))
	}
	g, err := x.s.roleGraph(x.snap)
	if err != nil {
		return nil, err
	}
	name := p.owner
	if name == "" {
		name = x.s.currentUser()
	}
	to, ok := g.byName[name]
	if !ok {
		return nil, pgerr.New(pgerr.UndefinedObject, "role \"%s\" does not exist", name)
	}
	res := &Result{Tag: p.tag}
	if to.OID == desc.OwnerOID() {
		return res, nil
	}
	cur, ok := x.s.currentRoleOID(g)
	if !ok {
		return nil, pgerr.New(pgerr.UndefinedObject, "role \"%s\" does not exist", x.s.currentUser())
	}
	c := g.checker(cur)
	if !c.super {
		if !c.owns(desc.OwnerOID()) {
			return nil, mustOwn(desc)
		}
		if !g.isMemberOf(cur, to.OID) {
			return nil, pgerr.New(pgerr.InsufficientPrivilege, "must be member of role \"%s\"", to.Name)
		}
		if err := x.checkSchemaPriv(c, desc.Schema, catalog.PrivCreate); err != nil {
			return nil, err
		}
	}
	updated := *desc
	if desc.HasACL {
		updated.SetACL(catalog.ReplaceRole(desc.ACL, desc.OwnerOID(), to.OID))
	}
	updated.Owner = to.OID
	if to.OID == bootstrapOID {
		updated.Owner = 0
	}
	if err := replaceTableDesc(x, tuple, &updated); err != nil {
		return nil, err
	}
	return res, nil
}

// noticePlan is a statement with nothing to do but report its tag and,
// if set, a notice.
type noticePlan struct {
	tag    string
	notice Notice
}

func (p *noticePlan) columns() []Column { return nil }

func (p *noticePlan) execute(*execCtx, *evalCtx) (*Result, error) {
	res := &Result{Tag: p.tag}
	if p.notice.Message != "" {
		res.Notices = []Notice{p.notice}
	}
	return res, nil
}

// addUniquePlan is ALTER TABLE ADD [CONSTRAINT name] UNIQUE (columns): a
// unique index that is a constraint's, named as PostgreSQL names it
// (table_columns_key) when no name is given, built as CREATE INDEX
// builds one (waiting for the table's writers, 23505 on duplicates).
type addUniquePlan struct{ stmt *ast.AlterTableStmt }

func (p *addUniquePlan) columns() []Column { return nil }

func (p *addUniquePlan) execute(x *execCtx, ec *evalCtx) (*Result, error) {
	if p.stmt.UsingIndex != "" {
		return addUniqueUsingIndex(x, p.stmt)
	}
	u := *p.stmt.Unique
	if err := nameAddedUnique(x, p.stmt.Table, &u); err != nil {
		return nil, err
	}
	stmt := uniqueConstraintIndex(p.stmt.Table.Name, p.stmt.Table, u)
	if _, err := (&createIndexPlan{stmt: stmt}).execute(x, ec); err != nil {
		return nil, err
	}
	return &Result{Tag: "ALTER TABLE"}, nil
}
