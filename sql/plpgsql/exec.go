package plpgsql

import (
	"context"
	"strconv"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// Outcome is what running a body produced.
type Outcome struct {
	// Value and Type are RETURN's value (Returned set).
	Value    types.Datum
	Type     types.T
	Returned bool
	// Set are the rows of RETURN NEXT and RETURN QUERY.
	Set [][]types.Datum
	// Out are the values of Function.OutParams when the body ended.
	Out []types.Datum
}

// Cache keeps a body's bound statements between runs in one session.
// The zero value is ready; it is not safe for concurrent use.
type Cache struct {
	// compiled are the bound statements by Expr.id; unnumbered
	// expressions' are in others.
	compiled []*compiled
	others   map[*Expr]*compiled
	// types are the datums' declared types, by datum number.
	types []typeSlot
	// domains are the checks of the variables declared with a domain
	// type, by datum (nil for one of another type).
	domains map[int]func(context.Context, types.Datum) error
}

type typeSlot struct {
	t     types.T
	known bool
}

// init sizes the cache for fn, once.
func (c *Cache) init(fn *Function) {
	if c.compiled == nil {
		c.compiled = make([]*compiled, fn.exprs+1)
		c.others = map[*Expr]*compiled{}
		c.types = make([]typeSlot, len(fn.Datums))
	}
}

func (c *Cache) statement(e *Expr) *compiled {
	if e.id > 0 && e.id < len(c.compiled) {
		return c.compiled[e.id]
	}
	return c.others[e]
}

func (c *Cache) setStatement(e *Expr, q *compiled) {
	if e.id > 0 && e.id < len(c.compiled) {
		c.compiled[e.id] = q
		return
	}
	c.others[e] = q
}

// typeOf is datum d's declared type, once resolved.
func (c *Cache) typeOf(d int) (types.T, bool) {
	if d < 0 || d >= len(c.types) {
		return types.T{}, false
	}
	return c.types[d].t, c.types[d].known
}

func (c *Cache) setType(d int, t types.T) {
	if d >= 0 && d < len(c.types) {
		c.types[d] = typeSlot{t: t, known: true}
	}
}

// value is a datum's current value. A record is assigned once a row was
// stored in it.
type value struct {
	t        types.T
	v        types.Datum
	assigned bool
}

// frame is one run of a body.
type frame struct {
	fn       *Function
	rt       Runtime
	cache    *Cache
	vals     []value
	args     []types.Datum
	argTypes []types.T
	rowCount int64
	// caught is the stack of errors the running handlers caught.
	caught []*pgerr.Error
	out    Outcome
	// exitLabel is the label an EXIT or CONTINUE leaves by ("": the
	// innermost loop).
	exitLabel string
	// subtxns counts the exception blocks running.
	subtxns int
}

// flow is how a statement list ended.
type flow int

const (
	flowNext flow = iota
	flowExit
	flowContinue
	flowReturn
)

// Run executes fn with the given parameter values and types (one per
// Params entry; nil for an OUT parameter). cache may be nil.
func Run(ctx context.Context, rt Runtime, fn *Function, cache *Cache, args []types.Datum, argTypes []types.T) (*Outcome, error) {
	if cache == nil {
		cache = &Cache{}
	}
	cache.init(fn)
	f := &frame{fn: fn, rt: rt, cache: cache, vals: make([]value, len(fn.Datums)), args: args, argTypes: argTypes}
	for i, d := range fn.Params {
		if i < len(args) {
			f.vals[d] = value{t: argTypes[i], v: args[i], assigned: true}
			if fn.Datums[d].Kind == DatumVar {
				// A parameter has the type the engine gives: the TG_
				// variables', and a routine's declared parameter types
				// (the grammar's type names drop array bounds, and a
				// polymorphic parameter has its call's resolved type).
				cache.setType(d, argTypes[i])
			}
		}
	}
	if fn.Found >= 0 {
		f.vals[fn.Found] = value{t: types.New(types.Bool), v: false, assigned: true}
	}
	if _, err := f.block(ctx, fn.Body); err != nil {
		return nil, err
	}
	for _, d := range fn.OutParams {
		f.out.Out = append(f.out.Out, f.vals[d].v)
	}
	return &f.out, nil
}

func (f *frame) setFound(b bool) {
	if f.fn.Found >= 0 {
		f.vals[f.fn.Found] = value{t: types.New(types.Bool), v: b, assigned: true}
	}
}

// stmtName is the statement's name in CONTEXT lines (pl_funcs.c's
// plpgsql_stmt_typename).
func stmtName(s Stmt) string {
	switch x := s.(type) {
	case *Block:
		return "statement block"
	case *Assign:
		return "assignment"
	case *If:
		return "IF"
	case *Case:
		return "CASE"
	case *Loop:
		if x.Cond != nil {
			return "WHILE"
		}
		return "LOOP"
	case *ForInt:
		return "FOR with integer loop variable"
	case *ForQuery:
		if x.Dynamic {
			return "FOR over EXECUTE statement"
		}
		return "FOR over SELECT rows"
	case *ForEach:
		return "FOREACH over array"
	case *ForCursor:
		return "FOR over cursor"
	case *Open:
		return "OPEN"
	case *Fetch:
		if x.Move {
			return "MOVE"
		}
		return "FETCH"
	case *Close:
		return "CLOSE"
	case *Exit:
		if x.Continue {
			return "CONTINUE"
		}
		return "EXIT"
	case *Return:
		if x.Next {
			return "RETURN NEXT"
		}
		return "RETURN"
	case *ReturnQuery:
		return "RETURN QUERY"
	case *Raise:
		return "RAISE"
	case *Assert:
		return "ASSERT"
	case *ExecSQL:
		return "SQL statement"
	case *Perform:
		return "PERFORM"
	case *DynExecute:
		return "EXECUTE"
	case *GetDiag:
		return "GET DIAGNOSTICS"
	case *Commit:
		if x.Rollback {
			return "ROLLBACK"
		}
		return "COMMIT"
	case *Call:
		return "CALL"
	case *Null:
		return "NULL"
	}
	return "statement"
}

// sqlError is an error of a SQL statement or expression the body ran,
// with the CONTEXT line that names it.
type sqlError struct {
	err   error
	where string
}

func (e *sqlError) Error() string { return e.err.Error() }
func (e *sqlError) Unwrap() error { return e.err }

// withContext adds the CONTEXT line of statement s to err, once: errors
// passing up through enclosing statements already carry it.
func (f *frame) withContext(s Stmt, err error) error {
	if err == nil {
		return nil
	}
	if _, ok := err.(*ctxError); ok {
		return err
	}
	pe := toPG(err)
	var lines []string
	if pe.Where != "" {
		lines = append(lines, pe.Where)
	}
	if se, ok := err.(*sqlError); ok && se.where != "" {
		lines = append(lines, se.where)
	}
	lines = append(lines, "PL/pgSQL function "+f.fn.Name+" line "+strconv.Itoa(s.line())+" at "+stmtName(s))
	pe.Where = strings.Join(lines, "\n")
	return &ctxError{pe}
}

// ctxError is an error that has its CONTEXT line.
type ctxError struct{ e *pgerr.Error }

func (e *ctxError) Error() string { return e.e.Message }
func (e *ctxError) Unwrap() error { return e.e }

// toPG returns a copy of err's *pgerr.Error (a new one for other
// errors), with no position: positions point into the statement the
// body ran, not into the client's query.
func toPG(err error) *pgerr.Error {
	var ne pgerr.Error
	if pe := pgerr.Find(err); pe != nil {
		ne = *pe
		ne.Code = pgerr.Code(err)
		if ne.Complete {
			ne.Message = pe.Message
		} else if se, ok := err.(*sqlError); ok {
			ne.Message = se.err.Error()
		}
	} else {
		ne = pgerr.Error{Code: pgerr.Code(err), Message: err.Error()}
	}
	ne.Position = 0
	ne.Complete = true
	return &ne
}

func (f *frame) stmts(ctx context.Context, ss []Stmt) (flow, error) {
	for _, s := range ss {
		if err := pgerr.FromContext(ctx); err != nil {
			return flowNext, err
		}
		fl, err := f.stmt(ctx, s)
		if err != nil {
			return fl, f.withContext(s, err)
		}
		if fl != flowNext {
			return fl, nil
		}
	}
	return flowNext, nil
}

func (f *frame) stmt(ctx context.Context, s Stmt) (flow, error) {
	switch x := s.(type) {
	case *Block:
		return f.block(ctx, x)
	case *Assign:
		return flowNext, f.assign(ctx, x)
	case *If:
		for i, c := range x.Conds {
			ok, err := f.cond(ctx, c)
			if err != nil {
				return flowNext, err
			}
			if ok {
				return f.stmts(ctx, x.Bodies[i])
			}
		}
		return f.stmts(ctx, x.Else)
	case *Case:
		return f.caseStmt(ctx, x)
	case *Loop:
		return f.loop(ctx, x)
	case *ForInt:
		return f.forInt(ctx, x)
	case *ForQuery:
		return f.forQuery(ctx, x)
	case *ForEach:
		return f.forEach(ctx, x)
	case *ForCursor:
		return f.forCursor(ctx, x)
	case *Open:
		_, err := f.openCursor(ctx, x)
		return flowNext, err
	case *Fetch:
		return flowNext, f.fetch(ctx, x)
	case *Close:
		return flowNext, f.closeCursor(ctx, x)
	case *Exit:
		if x.Cond != nil {
			ok, err := f.cond(ctx, x.Cond)
			if err != nil || !ok {
				return flowNext, err
			}
		}
		f.exitLabel = x.Label
		if x.Continue {
			return flowContinue, nil
		}
		return flowExit, nil
	case *Return:
		return f.returnStmt(ctx, x)
	case *ReturnQuery:
		rows, err := f.query(ctx, x.Query, x.Dynamic, x.Using)
		if err != nil {
			return flowNext, err
		}
		f.out.Set = append(f.out.Set, rows.Rows...)
		f.rowCount = rows.Count
		f.setFound(rows.Count > 0)
		return flowNext, nil
	case *Raise:
		return flowNext, f.raise(ctx, x)
	case *Assert:
		if f.rt.Setting("plpgsql.check_asserts") == "off" {
			return flowNext, nil
		}
		ok, err := f.cond(ctx, x.Cond)
		if err != nil || ok {
			return flowNext, err
		}
		msg := "assertion failed"
		if x.Message != nil {
			v, t, err := f.eval(ctx, x.Message)
			if err != nil {
				return flowNext, err
			}
			if v != nil {
				msg = f.rt.Format(t, v)
			} else {
				msg = "assertion message is null"
			}
		}
		return flowNext, pgerr.New("P0004", "%s", msg)
	case *ExecSQL:
		return flowNext, f.execSQL(ctx, x)
	case *Perform:
		rows, err := f.run(ctx, x.Query, false)
		if err != nil {
			return flowNext, err
		}
		f.rowCount = rows.Count
		f.setFound(rows.Count > 0)
		return flowNext, nil
	case *DynExecute:
		return flowNext, f.dynExecute(ctx, x)
	case *GetDiag:
		return flowNext, f.getDiag(ctx, x)
	case *Null:
		return flowNext, nil
	case *Commit:
		return flowNext, f.rt.EndTransaction(ctx, !x.Rollback, x.Chain, f.subtxns > 0)
	case *Call:
		rows, err := f.run(ctx, x.Query, false)
		if err == nil {
			f.rowCount = rows.Count
		}
		return flowNext, err
	}
	return flowNext, pgerr.New(pgerr.FeatureNotSupported, "PL/pgSQL statement %s is not supported", stmtName(s))
}

// block runs a block: its variables are initialized on every entry;
// with handlers, its statements run in a subtransaction that an error
// rolls back before the matching handler runs.
func (f *frame) block(ctx context.Context, b *Block) (flow, error) {
	for _, d := range b.Decls {
		if err := f.initVar(ctx, d); err != nil {
			pe := toPG(err)
			where := "PL/pgSQL function " + f.fn.Name + " line " + strconv.Itoa(b.Line) + " during statement block local variable initialization"
			if pe.Where != "" {
				where = pe.Where + "\n" + where
			}
			pe.Where = where
			return flowNext, &ctxError{pe}
		}
	}
	var fl flow
	var err error
	if len(b.Handlers) == 0 {
		fl, err = f.stmts(ctx, b.Body)
	} else {
		fl, err = f.guarded(ctx, b)
	}
	if err != nil {
		return fl, err
	}
	if fl == flowExit && b.Label != "" && f.exitLabel == b.Label {
		return flowNext, nil
	}
	return fl, nil
}

func (f *frame) guarded(ctx context.Context, b *Block) (flow, error) {
	sub, err := f.rt.Savepoint(ctx)
	if err != nil {
		return flowNext, err
	}
	f.subtxns++
	fl, err := f.stmts(ctx, b.Body)
	f.subtxns--
	if err == nil {
		return fl, sub.Release()
	}
	if rerr := sub.Rollback(); rerr != nil {
		return flowNext, rerr
	}
	code := pgerr.Code(err)
	for _, h := range b.Handlers {
		if !handles(h, code) {
			continue
		}
		pe := toPG(err)
		if b.SQLState >= 0 {
			f.vals[b.SQLState] = value{t: types.New(types.Text), v: pe.Code, assigned: true}
		}
		if b.SQLErrm >= 0 {
			f.vals[b.SQLErrm] = value{t: types.New(types.Text), v: pe.Message, assigned: true}
		}
		f.caught = append(f.caught, pe)
		fl, herr := f.stmts(ctx, h.Body)
		f.caught = f.caught[:len(f.caught)-1]
		return fl, herr
	}
	return flowNext, err
}

// handles reports whether handler h catches SQLSTATE code. OTHERS does
// not catch a cancel or a failed assertion, as in PostgreSQL.
func handles(h *Handler, code string) bool {
	for _, c := range h.Conditions {
		if c == "others" {
			if code != pgerr.QueryCanceled && code != "P0004" {
				return true
			}
			continue
		}
		cc, ok := conditions[c]
		if !ok {
			cc = strings.ToUpper(c)
		}
		if strings.HasSuffix(cc, "000") {
			if len(code) == 5 && code[:2] == cc[:2] {
				return true
			}
		} else if code == cc {
			return true
		}
		// A name shared by a class 01 warning and a class 22 error
		// (string_data_right_truncation) catches the error too.
		if c == "string_data_right_truncation" && code == "22001" {
			return true
		}
	}
	return false
}

// varType is the declared type of datum d, resolved once.
func (f *frame) varType(ctx context.Context, d int) (types.T, error) {
	if t, ok := f.cache.typeOf(d); ok {
		return t, nil
	}
	name := f.fn.Datums[d].TypeName
	// v%TYPE of another variable.
	if i := len(name) - len("%TYPE"); i > 0 && strings.EqualFold(name[i:], "%TYPE") && !strings.Contains(name[:i], ".") {
		base := name[:i]
		for i, o := range f.fn.Datums {
			if i != d && strings.EqualFold(o.Name, strings.Trim(base, `"`)) && o.Kind == DatumVar {
				t, err := f.varType(ctx, i)
				if err == nil {
					f.cache.setType(d, t)
				}
				return t, err
			}
		}
	}
	t, err := f.rt.Type(ctx, name)
	if err != nil {
		return types.T{}, err
	}
	f.cache.setType(d, t)
	return t, nil
}

func (f *frame) initVar(ctx context.Context, d int) error {
	dt := f.fn.Datums[d]
	switch dt.Kind {
	case DatumRec:
		if dt.TypeName == "" {
			f.vals[d] = value{t: types.New(types.Record)}
			return nil
		}
		// A row-typed variable starts NULL, with its type's fields.
		t, err := f.varType(ctx, d)
		if err != nil {
			return err
		}
		f.vals[d] = value{t: t, assigned: true}
		return nil
	case DatumVar:
	default:
		return nil
	}
	t, err := f.varType(ctx, d)
	if err != nil {
		return err
	}
	f.vals[d] = value{t: t, assigned: true}
	if dt.Default == nil {
		if dt.Cursor != nil {
			// A bound cursor's variable names the cursor itself
			// until assigned.
			f.vals[d].v = dt.Name
		}
		return nil
	}
	v, vt, err := f.eval(ctx, dt.Default)
	if err != nil {
		return err
	}
	return f.store(ctx, d, v, vt)
}

// store assigns v (of type vt) to scalar variable d, casting it.
func (f *frame) store(ctx context.Context, d int, v types.Datum, vt types.T) error {
	dt := f.fn.Datums[d]
	switch dt.Kind {
	case DatumRecField:
		return f.storeField(ctx, dt, v, vt)
	case DatumRec:
		rv, ok := v.(*types.RecordValue)
		if v != nil && !ok {
			return pgerr.New(pgerr.DatatypeMismatch, "cannot assign non-composite value to a record variable")
		}
		f.vals[d] = value{t: vt, v: rv, assigned: true}
		if rv == nil {
			f.vals[d] = value{t: vt, assigned: vt.Shape != nil}
		}
		return nil
	case DatumRow:
		rv, _ := v.(*types.RecordValue)
		var names []string
		var ts []types.T
		var vals []types.Datum
		if rv != nil {
			names, ts, vals = rv.Shape.Names, rv.Shape.Types, rv.Fields
		}
		return f.assignRow(ctx, d, names, ts, [][]types.Datum{vals})
	}
	t, err := f.varType(ctx, d)
	if err != nil {
		return err
	}
	if v != nil && !sameType(t, vt) {
		if v, err = f.rt.Cast(ctx, v, vt, t); err != nil {
			return err
		}
	}
	if v == nil && dt.NotNull {
		return pgerr.New(pgerr.NullValueNotAllowed, "null value cannot be assigned to variable \"%s\" declared NOT NULL", dt.Name)
	}
	if check, err := f.domainCheck(ctx, d); err != nil {
		return err
	} else if check != nil {
		if err := check(ctx, v); err != nil {
			return err
		}
	}
	f.vals[d] = value{t: t, v: v, assigned: true}
	return nil
}

// domainCheck is the check of the domain variable d is declared with,
// looked up once; nil for a variable of another type.
func (f *frame) domainCheck(ctx context.Context, d int) (func(context.Context, types.Datum) error, error) {
	if check, ok := f.cache.domains[d]; ok {
		return check, nil
	}
	var check func(context.Context, types.Datum) error
	if name := f.fn.Datums[d].TypeName; name != "" && (f.fn.Datums[d].Kind == DatumVar) && !f.isParam(d) {
		var err error
		if check, err = f.rt.DomainCheck(ctx, name); err != nil {
			return nil, err
		}
	}
	if f.cache.domains == nil {
		f.cache.domains = map[int]func(context.Context, types.Datum) error{}
	}
	f.cache.domains[d] = check
	return check, nil
}

// isParam reports whether datum d is a parameter (whose type the engine
// gives, not its name).
func (f *frame) isParam(d int) bool {
	for _, p := range f.fn.Params {
		if p == d {
			return true
		}
	}
	return false
}

func (f *frame) storeField(ctx context.Context, dt *Datum, v types.Datum, vt types.T) error {
	parent := &f.vals[dt.Parent]
	rv, _ := parent.v.(*types.RecordValue)
	shape := parent.t.Shape
	if rv != nil {
		shape = rv.Shape
	}
	if shape == nil {
		return pgerr.New(pgerr.ObjectNotInPrerequisiteState, "record \"%s\" is not assigned yet", f.fn.Datums[dt.Parent].Name).
			WithDetail("The tuple structure of a not-yet-assigned record is indeterminate.")
	}
	i := fieldIndex(shape, dt.Field)
	if i < 0 {
		return pgerr.New(pgerr.UndefinedColumn, "record \"%s\" has no field \"%s\"", f.fn.Datums[dt.Parent].Name, dt.Field)
	}
	if v != nil && !sameType(shape.Types[i], vt) {
		var err error
		if v, err = f.rt.Cast(ctx, v, vt, shape.Types[i]); err != nil {
			return err
		}
	}
	fields := make([]types.Datum, len(shape.Names))
	if rv != nil {
		copy(fields, rv.Fields)
	}
	fields[i] = v
	parent.v = &types.RecordValue{Shape: shape, Fields: fields}
	parent.assigned = true
	return nil
}

func fieldIndex(shape *types.RecordShape, name string) int {
	for i, n := range shape.Names {
		if n == name {
			return i
		}
	}
	return -1
}

// sameType reports whether values of a need no cast to be stored as b.
func sameType(a, b types.T) bool {
	if a.ID != b.ID || a.Mod != b.Mod {
		return false
	}
	if a.Shape == nil || b.Shape == nil {
		return a.Shape == b.Shape
	}
	if len(a.Shape.Types) != len(b.Shape.Types) {
		return false
	}
	for i := range a.Shape.Types {
		if !sameType(a.Shape.Types[i], b.Shape.Types[i]) || a.Shape.Names[i] != b.Shape.Names[i] {
			return false
		}
	}
	return true
}

// assignRow stores the first of rows (all NULL when there is none) in
// target d: a record takes the row's shape, a list of variables the
// columns in order, a scalar the first column.
func (f *frame) assignRow(ctx context.Context, d int, names []string, ts []types.T, rows [][]types.Datum) error {
	var row []types.Datum
	if len(rows) > 0 {
		row = rows[0]
	}
	col := func(i int) (types.Datum, types.T) {
		if i < len(row) && i < len(ts) {
			return row[i], ts[i]
		}
		return nil, types.New(types.Unknown)
	}
	dt := f.fn.Datums[d]
	if dt.Kind == DatumRec && dt.TypeName != "" && !(len(ts) == 1 && ts[0].Shape != nil) {
		// A row-typed record takes the columns as its type's fields.
		return f.assignRowTyped(ctx, d, ts, row)
	}
	switch dt.Kind {
	case DatumRec:
		shape := &types.RecordShape{Names: append([]string(nil), names...), Types: append([]types.T(nil), ts...)}
		t := types.New(types.Record)
		t.Shape = shape
		if row == nil {
			f.vals[d] = value{t: t, v: nil, assigned: true}
			return nil
		}
		f.vals[d] = value{t: t, v: &types.RecordValue{Shape: shape, Fields: append([]types.Datum(nil), row...)}, assigned: true}
		return nil
	case DatumRow:
		if len(dt.Fields) == 1 && f.isRowTyped(ctx, dt.Fields[0]) && !(len(ts) == 1 && ts[0].Shape != nil) {
			// INTO a single row-typed variable takes all the columns.
			return f.assignRow(ctx, dt.Fields[0], names, ts, rows)
		}
		if row != nil {
			if err := f.checkMultiAssignment(len(dt.Fields), len(ts)); err != nil {
				return err
			}
		}
		for i, fd := range dt.Fields {
			v, t := col(i)
			if err := f.store(ctx, fd, v, t); err != nil {
				return err
			}
		}
		return nil
	case DatumVar:
		t, err := f.varType(ctx, d)
		if err != nil {
			return err
		}
		if t.Shape != nil && len(ts) != 1 {
			return f.assignRowTyped(ctx, d, ts, row)
		}
	}
	v, t := col(0)
	return f.store(ctx, d, v, t)
}

// assignRowTyped stores row (of column types ts; nil for no row) in the
// row-typed variable d, its columns cast to the type's fields.
func (f *frame) assignRowTyped(ctx context.Context, d int, ts []types.T, row []types.Datum) error {
	t, err := f.varType(ctx, d)
	if err != nil {
		return err
	}
	if t.Shape == nil {
		return pgerr.New(pgerr.DatatypeMismatch, "variable \"%s\" is not of a row type", f.fn.Datums[d].Name)
	}
	if row != nil {
		if err := f.checkMultiAssignment(len(t.Shape.Types), len(ts)); err != nil {
			return err
		}
	}
	fields := make([]types.Datum, len(t.Shape.Types))
	for i := range fields {
		if i >= len(row) || i >= len(ts) {
			continue
		}
		v, vt := row[i], ts[i]
		if v != nil && !sameType(vt, t.Shape.Types[i]) {
			if v, err = f.rt.Cast(ctx, v, vt, t.Shape.Types[i]); err != nil {
				return err
			}
		}
		fields[i] = v
	}
	// Without a row, every field is NULL.
	f.vals[d] = value{t: t, v: &types.RecordValue{Shape: t.Shape, Fields: fields}, assigned: true}
	return nil
}

// isRowTyped reports whether datum d is a record or a variable of a
// composite type.
func (f *frame) isRowTyped(ctx context.Context, d int) bool {
	switch f.fn.Datums[d].Kind {
	case DatumRec:
		return true
	case DatumVar:
		t, err := f.varType(ctx, d)
		return err == nil && t.Shape != nil
	}
	return false
}

func (f *frame) assign(ctx context.Context, a *Assign) error {
	v, t, err := f.eval(ctx, a.Value)
	if err != nil {
		return err
	}
	if len(a.Path) == 0 {
		return f.store(ctx, a.Target, v, t)
	}
	cur, curT, err := f.current(ctx, a.Target)
	if err != nil {
		return err
	}
	nv, err := f.assignPath(ctx, a, cur, curT, a.Path, v, t)
	if err != nil {
		return err
	}
	return f.store(ctx, a.Target, nv, curT)
}

// subscript evaluates an assignment's subscript to an integer.
func (f *frame) subscript(ctx context.Context, e *Expr) (int, error) {
	iv, it, err := f.eval(ctx, e)
	if err != nil {
		return 0, err
	}
	if iv == nil {
		return 0, pgerr.New(pgerr.NullValueNotAllowed, "array subscript in assignment must not be null")
	}
	if !sameType(it, types.New(types.Int4)) {
		if iv, err = f.rt.Cast(ctx, iv, it, types.New(types.Int4)); err != nil {
			return 0, err
		}
	}
	return int(iv.(int64)), nil
}

// assignElementND stores v at arr[i][j]... of a multidimensional array,
// as PostgreSQL does: within the array's bounds, or, for an empty array,
// making a one-element array at those subscripts. A multidimensional
// array does not grow (2202E).
func (f *frame) assignElementND(ctx context.Context, a *Assign, arr *types.Array, et types.T, path []AssignStep, v types.Datum, vt types.T) (types.Datum, error) {
	var subs []int
	for len(path) > 0 && path[0].Subscript != nil {
		i, err := f.subscript(ctx, path[0].Subscript)
		if err != nil {
			return nil, err
		}
		subs = append(subs, i)
		path = path[1:]
	}
	if arr == nil || len(arr.Elems) == 0 {
		nv, err := f.assignPath(ctx, a, nil, et, path, v, vt)
		if err != nil {
			return nil, err
		}
		dims := make([]int, len(subs))
		for i := range dims {
			dims[i] = 1
		}
		return types.NewArray([]types.Datum{nv}, dims, subs), nil
	}
	dims, lower := arr.Shape()
	if len(subs) != len(dims) {
		return nil, pgerr.New("2202E", "wrong number of array subscripts")
	}
	flat := 0
	for k, i := range subs {
		if i < lower[k] || i >= lower[k]+dims[k] {
			return nil, pgerr.New("2202E", "array subscript out of range")
		}
		flat = flat*dims[k] + (i - lower[k])
	}
	elems := append([]types.Datum(nil), arr.Elems...)
	nv, err := f.assignPath(ctx, a, elems[flat], et, path, v, vt)
	if err != nil {
		return nil, err
	}
	elems[flat] = nv
	return types.NewArray(elems, dims, lower), nil
}

// current is the value and type of variable d (a record's field too).
func (f *frame) current(ctx context.Context, d int) (types.Datum, types.T, error) {
	dt := f.fn.Datums[d]
	switch dt.Kind {
	case DatumRecField:
		parent := f.vals[dt.Parent]
		rv, _ := parent.v.(*types.RecordValue)
		shape := parent.t.Shape
		if rv != nil {
			shape = rv.Shape
		}
		if shape == nil {
			return nil, types.T{}, pgerr.New(pgerr.ObjectNotInPrerequisiteState, "record \"%s\" is not assigned yet", f.fn.Datums[dt.Parent].Name).
				WithDetail("The tuple structure of a not-yet-assigned record is indeterminate.")
		}
		i := fieldIndex(shape, dt.Field)
		if i < 0 {
			return nil, types.T{}, pgerr.New(pgerr.UndefinedColumn, "record \"%s\" has no field \"%s\"", f.fn.Datums[dt.Parent].Name, dt.Field)
		}
		if rv == nil {
			return nil, shape.Types[i], nil
		}
		return rv.Fields[i], shape.Types[i], nil
	case DatumRec:
		return f.vals[d].v, f.vals[d].t, nil
	}
	t, err := f.varType(ctx, d)
	if err != nil {
		return nil, types.T{}, err
	}
	return f.vals[d].v, t, nil
}

// assignPath returns cur (of type curT) with v stored at path within
// it: a field of a composite value, or an element of a one-dimensional
// array (extended with NULLs as PostgreSQL does), recursively.
func (f *frame) assignPath(ctx context.Context, a *Assign, cur types.Datum, curT types.T, path []AssignStep, v types.Datum, vt types.T) (types.Datum, error) {
	if len(path) == 0 {
		if v != nil && curT.ID != 0 && !sameType(vt, curT) && !(curT.ID == types.Record && curT.Shape == nil) {
			return f.rt.Cast(ctx, v, vt, curT)
		}
		return v, nil
	}
	step := path[0]
	if step.Subscript == nil {
		rv, _ := cur.(*types.RecordValue)
		shape := curT.Shape
		if rv != nil {
			shape = rv.Shape
		}
		if shape == nil {
			return nil, pgerr.New(pgerr.DatatypeMismatch, "cannot assign to field \"%s\" of column \"%s\" because its type %s is not a composite type",
				step.Field, f.fn.Datums[a.Target].Name, types.Format(curT))
		}
		i := fieldIndex(shape, step.Field)
		if i < 0 {
			return nil, pgerr.New(pgerr.UndefinedColumn, "cannot assign to field \"%s\" of column \"%s\" because there is no such column in data type %s",
				step.Field, f.fn.Datums[a.Target].Name, types.Format(curT))
		}
		fields := make([]types.Datum, len(shape.Names))
		if rv != nil {
			copy(fields, rv.Fields)
		}
		nv, err := f.assignPath(ctx, a, fields[i], shape.Types[i], path[1:], v, vt)
		if err != nil {
			return nil, err
		}
		fields[i] = nv
		return &types.RecordValue{Shape: shape, Fields: fields}, nil
	}
	et, ok := curT.Elem()
	if !ok {
		return nil, pgerr.New(pgerr.DatatypeMismatch, "cannot subscript type %s because it does not support subscripting", types.Format(curT))
	}
	arr, _ := cur.(*types.Array)
	nsubs := 0
	for nsubs < len(path) && path[nsubs].Subscript != nil {
		nsubs++
	}
	if nsubs > 1 || arr != nil && arr.NDims() > 1 {
		return f.assignElementND(ctx, a, arr, et, path, v, vt)
	}
	idx, err := f.subscript(ctx, step.Subscript)
	if err != nil {
		return nil, err
	}
	lower, elems := idx, []types.Datum(nil)
	if arr != nil && len(arr.Elems) > 0 {
		lower = 1
		if len(arr.Lower) > 0 {
			lower = arr.Lower[0]
		}
		elems = append(elems, arr.Elems...)
	}
	for idx < lower {
		elems = append([]types.Datum{nil}, elems...)
		lower--
	}
	for idx >= lower+len(elems) {
		elems = append(elems, nil)
	}
	nv, err := f.assignPath(ctx, a, elems[idx-lower], et, path[1:], v, vt)
	if err != nil {
		return nil, err
	}
	elems[idx-lower] = nv
	var lb []int
	if lower != 1 {
		lb = []int{lower}
	}
	return types.NewArray(elems, []int{len(elems)}, lb), nil
}

func (f *frame) cond(ctx context.Context, e *Expr) (bool, error) {
	v, t, err := f.eval(ctx, e)
	if err != nil {
		return false, err
	}
	if v == nil {
		return false, nil
	}
	if t.ID != types.Bool {
		if v, err = f.rt.Cast(ctx, v, t, types.New(types.Bool)); err != nil {
			return false, err
		}
	}
	b, _ := v.(bool)
	return b, nil
}

func (f *frame) caseStmt(ctx context.Context, c *Case) (flow, error) {
	if c.Operand != nil {
		v, t, err := f.eval(ctx, c.Operand)
		if err != nil {
			return flowNext, err
		}
		// The operand's variable takes the operand's type.
		f.cache.setType(c.Var, t)
		f.vals[c.Var] = value{t: t, v: v, assigned: true}
	}
	for i, w := range c.Whens {
		ok, err := f.cond(ctx, w)
		if err != nil {
			return flowNext, err
		}
		if ok {
			return f.stmts(ctx, c.Bodies[i])
		}
	}
	if !c.HasElse {
		return flowNext, pgerr.New("20000", "case not found").WithHint("CASE statement is missing ELSE part.")
	}
	return f.stmts(ctx, c.Else)
}

// loopFlow decides what a loop does after its body ended with fl: stop
// (and return what), or go on.
func (f *frame) loopFlow(label string, fl flow) (stop bool, out flow) {
	switch fl {
	case flowExit:
		if f.exitLabel == "" || f.exitLabel == label {
			return true, flowNext
		}
		return true, flowExit
	case flowContinue:
		if f.exitLabel == "" || f.exitLabel == label {
			return false, flowNext
		}
		return true, flowContinue
	case flowReturn:
		return true, flowReturn
	}
	return false, flowNext
}

func (f *frame) loop(ctx context.Context, l *Loop) (flow, error) {
	for {
		if err := pgerr.FromContext(ctx); err != nil {
			return flowNext, err
		}
		if l.Cond != nil {
			ok, err := f.cond(ctx, l.Cond)
			if err != nil || !ok {
				return flowNext, err
			}
		}
		fl, err := f.stmts(ctx, l.Body)
		if err != nil {
			return flowNext, err
		}
		if stop, out := f.loopFlow(l.Label, fl); stop {
			return out, nil
		}
	}
}

func (f *frame) intValue(ctx context.Context, e *Expr, what string) (int64, error) {
	v, t, err := f.eval(ctx, e)
	if err != nil {
		return 0, err
	}
	if v == nil {
		return 0, pgerr.New(pgerr.NullValueNotAllowed, "%s of FOR loop cannot be null", what)
	}
	if t.ID != types.Int4 {
		if v, err = f.rt.Cast(ctx, v, t, types.New(types.Int4)); err != nil {
			return 0, err
		}
	}
	return v.(int64), nil
}

func (f *frame) forInt(ctx context.Context, l *ForInt) (flow, error) {
	lo, err := f.intValue(ctx, l.Lower, "lower bound")
	if err != nil {
		return flowNext, err
	}
	hi, err := f.intValue(ctx, l.Upper, "upper bound")
	if err != nil {
		return flowNext, err
	}
	step := int64(1)
	if l.Step != nil {
		if step, err = f.intValue(ctx, l.Step, "BY value"); err != nil {
			return flowNext, err
		}
		if step <= 0 {
			return flowNext, pgerr.New(pgerr.InvalidParameterValue, "BY value of FOR loop must be greater than zero")
		}
	}
	f.cache.setType(l.Var, types.New(types.Int4))
	found := false
	for i := lo; (!l.Reverse && i <= hi) || (l.Reverse && i >= hi); {
		if err := pgerr.FromContext(ctx); err != nil {
			return flowNext, err
		}
		found = true
		f.vals[l.Var] = value{t: types.New(types.Int4), v: i, assigned: true}
		fl, err := f.stmts(ctx, l.Body)
		if err != nil {
			return flowNext, err
		}
		if stop, out := f.loopFlow(l.Label, fl); stop {
			f.setFound(true)
			return out, nil
		}
		if l.Reverse {
			if i-step > i || i-step < -1<<31 {
				break
			}
			i -= step
		} else {
			if i+step < i || i+step > 1<<31-1 {
				break
			}
			i += step
		}
	}
	f.setFound(found)
	return flowNext, nil
}

func (f *frame) forQuery(ctx context.Context, l *ForQuery) (flow, error) {
	rows, err := f.query(ctx, l.Query, l.Dynamic, l.Using)
	if err != nil {
		return flowNext, err
	}
	for _, r := range rows.Rows {
		if err := pgerr.FromContext(ctx); err != nil {
			return flowNext, err
		}
		if err := f.assignRow(ctx, l.Target, rows.Names, rows.Types, [][]types.Datum{r}); err != nil {
			return flowNext, err
		}
		fl, err := f.stmts(ctx, l.Body)
		if err != nil {
			return flowNext, err
		}
		if stop, out := f.loopFlow(l.Label, fl); stop {
			f.setFound(true)
			return out, nil
		}
	}
	f.setFound(len(rows.Rows) > 0)
	return flowNext, nil
}

func (f *frame) forEach(ctx context.Context, l *ForEach) (flow, error) {
	v, t, err := f.eval(ctx, l.Array)
	if err != nil {
		return flowNext, err
	}
	if !t.IsArray() {
		return flowNext, pgerr.New(pgerr.DatatypeMismatch, "FOREACH expression must yield an array, not type %s", types.Format(t))
	}
	if v == nil {
		return flowNext, pgerr.New(pgerr.NullValueNotAllowed, "FOREACH expression must not be null")
	}
	arr := v.(*types.Array)
	et, _ := t.Elem()
	nd := arr.NDims()
	if l.Slice < 0 || (l.Slice > nd && len(arr.Elems) > 0) {
		return flowNext, pgerr.New("2202E", "slice dimension (%d) is out of the valid range 0..%d", l.Slice, nd)
	}
	chunk := 1
	var subDims []int
	if l.Slice > 0 && f.fn.Datums[l.Var].Kind == DatumVar {
		vt, err := f.varType(ctx, l.Var)
		if err != nil {
			return flowNext, err
		}
		if !vt.IsArray() {
			return flowNext, pgerr.New(pgerr.DatatypeMismatch, "FOREACH ... SLICE loop variable must be of an array type")
		}
	}
	if l.Slice > 0 {
		dims := arr.Dims
		if dims == nil {
			dims = []int{len(arr.Elems)}
		}
		subDims = dims[len(dims)-l.Slice:]
		for _, d := range subDims {
			chunk *= d
		}
	}
	found := false
	for i := 0; i+chunk <= len(arr.Elems) && chunk > 0; i += chunk {
		if err := pgerr.FromContext(ctx); err != nil {
			return flowNext, err
		}
		found = true
		if l.Slice == 0 {
			err = f.store(ctx, l.Var, arr.Elems[i], et)
		} else {
			err = f.store(ctx, l.Var, types.NewArray(append([]types.Datum(nil), arr.Elems[i:i+chunk]...), append([]int(nil), subDims...), nil), t)
		}
		if err != nil {
			return flowNext, err
		}
		fl, err := f.stmts(ctx, l.Body)
		if err != nil {
			return flowNext, err
		}
		if stop, out := f.loopFlow(l.Label, fl); stop {
			f.setFound(true)
			return out, nil
		}
	}
	f.setFound(found)
	return flowNext, nil
}

func (f *frame) returnStmt(ctx context.Context, r *Return) (flow, error) {
	var v types.Datum
	var t types.T
	switch {
	case r.Value != nil:
		var err error
		if v, t, err = f.eval(ctx, r.Value); err != nil {
			return flowNext, err
		}
	case r.Var >= 0:
		val := f.vals[r.Var]
		v, t = val.v, val.t
	case r.Next && len(f.fn.OutParams) > 0:
		row := make([]types.Datum, len(f.fn.OutParams))
		for i, d := range f.fn.OutParams {
			row[i] = f.vals[d].v
		}
		f.out.Set = append(f.out.Set, row)
		return flowNext, nil
	}
	if r.Implicit {
		return flowReturn, nil
	}
	if r.Next {
		if rv, ok := v.(*types.RecordValue); ok && t.Shape != nil {
			f.out.Set = append(f.out.Set, append([]types.Datum(nil), rv.Fields...))
		} else if v == nil && t.Shape != nil && t.ID == types.Record {
			// A NULL row: every column NULL.
			f.out.Set = append(f.out.Set, make([]types.Datum, len(t.Shape.Names)))
		} else {
			f.out.Set = append(f.out.Set, []types.Datum{v})
		}
		return flowNext, nil
	}
	f.out.Value, f.out.Type, f.out.Returned = v, t, true
	return flowReturn, nil
}

// conditionCode is the SQLSTATE of a condition name or 5-character
// code.
func conditionCode(name string) (string, error) {
	if len(name) == 5 && strings.IndexFunc(name, func(r rune) bool { return !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z') }) < 0 {
		return name, nil
	}
	if c, ok := conditions[strings.ToLower(name)]; ok {
		return c, nil
	}
	return "", pgerr.New(pgerr.UndefinedObject, "unrecognized exception condition \"%s\"", name)
}

var severities = map[int]string{14: "DEBUG", 15: "LOG", 17: "INFO", 18: "NOTICE", 19: "WARNING"}

func (f *frame) raise(ctx context.Context, r *Raise) error {
	if r.Condition == "" && !r.HasMsg && len(r.Options) == 0 {
		if len(f.caught) == 0 {
			return pgerr.New("0Z002", "RAISE without parameters cannot be used outside an exception handler")
		}
		c := *f.caught[len(f.caught)-1]
		c.Where = ""
		return &c
	}
	e := &pgerr.Error{}
	condname := ""
	if r.Condition != "" {
		code, err := conditionCode(r.Condition)
		if err != nil {
			return err
		}
		e.Code, condname = code, r.Condition
	}
	hasMsg := false
	if r.HasMsg {
		msg, err := f.format(ctx, r.Message, r.Args)
		if err != nil {
			return err
		}
		e.Message, hasMsg = msg, true
	}
	seen := map[int]bool{}
	for _, o := range r.Options {
		names := []string{"ERRCODE", "MESSAGE", "DETAIL", "HINT", "COLUMN", "CONSTRAINT", "DATATYPE", "TABLE", "SCHEMA"}
		if seen[o.Kind] || (o.Kind == 1 && hasMsg) || (o.Kind == 0 && r.Condition != "") {
			return pgerr.New(pgerr.SyntaxError, "RAISE option already specified: %s", names[o.Kind])
		}
		seen[o.Kind] = true
		v, t, err := f.eval(ctx, o.Value)
		if err != nil {
			return err
		}
		if v == nil {
			return pgerr.New(pgerr.NullValueNotAllowed, "RAISE statement option cannot be null")
		}
		s := f.rt.Format(t, v)
		switch o.Kind {
		case 0:
			code, err := conditionCode(s)
			if err != nil {
				return err
			}
			e.Code, condname = code, s
		case 1:
			e.Message, hasMsg = s, true
		case 2:
			e.Detail = s
		case 3:
			e.Hint = s
		case 4:
			e.Column = s
		case 5:
			e.Constraint = s
		case 6:
			e.DataType = s
		case 7:
			e.Table = s
		case 8:
			e.Schema = s
		}
	}
	if e.Code == "" && r.Level >= 21 {
		e.Code = "P0001"
	}
	if !hasMsg {
		if condname != "" {
			e.Message = condname
		} else {
			e.Message = e.Code
		}
	}
	e.Complete = true
	if r.Level >= 21 {
		return e
	}
	code := e.Code
	if code == "" {
		code = "00000"
		if r.Level == 19 {
			code = "01000"
		}
	}
	f.rt.Notice(Notice{Severity: severities[r.Level], Code: code, Message: e.Message, Detail: e.Detail, Hint: e.Hint,
		Where: "PL/pgSQL function " + f.fn.Name + " line " + strconv.Itoa(r.Line) + " at RAISE"})
	return nil
}

// format substitutes RAISE's arguments for the % of its format string
// (%% is a literal %); NULL prints as <NULL>.
func (f *frame) format(ctx context.Context, msg string, args []*Expr) (string, error) {
	var b strings.Builder
	n := 0
	for i := 0; i < len(msg); i++ {
		if msg[i] != '%' {
			b.WriteByte(msg[i])
			continue
		}
		if i+1 < len(msg) && msg[i+1] == '%' {
			b.WriteByte('%')
			i++
			continue
		}
		if n >= len(args) {
			return "", pgerr.New(pgerr.SyntaxError, "too few parameters specified for RAISE")
		}
		v, t, err := f.eval(ctx, args[n])
		if err != nil {
			return "", err
		}
		n++
		if v == nil {
			b.WriteString("<NULL>")
		} else {
			b.WriteString(f.rt.Format(t, v))
		}
	}
	if n < len(args) {
		return "", pgerr.New(pgerr.SyntaxError, "too many parameters specified for RAISE")
	}
	return b.String(), nil
}

// isDML reports whether a statement's text starts as INSERT, UPDATE,
// DELETE or MERGE do.
func isDML(q string) bool {
	w := strings.TrimSpace(q)
	for _, p := range []string{"insert", "update", "delete", "merge"} {
		if len(w) >= len(p) && strings.EqualFold(w[:len(p)], p) {
			return true
		}
	}
	return false
}

func (f *frame) intoResult(ctx context.Context, rows *Rows, target int, strict, dml bool) error {
	n := len(rows.Rows)
	if strict || dml {
		if n == 0 && strict {
			return pgerr.New("P0002", "query returned no rows")
		}
		if n > 1 {
			e := pgerr.New("P0003", "query returned more than one row")
			if strict {
				e = e.WithHint("Make sure the query returns a single row, or use LIMIT 1.")
			}
			return e
		}
	}
	return f.assignRow(ctx, target, rows.Names, rows.Types, rows.Rows)
}

func (f *frame) execSQL(ctx context.Context, s *ExecSQL) error {
	rows, err := f.run(ctx, s.Query, false)
	if err != nil {
		return err
	}
	f.rowCount = rows.Count
	if !s.Into {
		if len(rows.Names) > 0 && !isDML(s.Query.Query) || len(rows.Names) > 0 && isDML(s.Query.Query) && strings.Contains(strings.ToLower(s.Query.Query), "returning") {
			return pgerr.New(pgerr.SyntaxError, "query has no destination for result data").
				WithHint("If you want to discard the results of a SELECT, use PERFORM instead.")
		}
		f.setFound(rows.Count > 0)
		return nil
	}
	f.setFound(len(rows.Rows) > 0)
	if !s.Strict && !isDML(s.Query.Query) {
		if err := f.checkTooManyRows(len(rows.Rows)); err != nil {
			return err
		}
	}
	return f.intoResult(ctx, rows, s.Target, s.Strict, isDML(s.Query.Query))
}

func (f *frame) dynExecute(ctx context.Context, s *DynExecute) error {
	rows, err := f.query(ctx, s.Query, true, s.Using)
	if err != nil {
		return err
	}
	f.rowCount = rows.Count
	if s.Into {
		return f.intoResult(ctx, rows, s.Target, s.Strict, false)
	}
	return nil
}

func (f *frame) getDiag(ctx context.Context, g *GetDiag) error {
	var pe *pgerr.Error
	if g.Stacked {
		if len(f.caught) == 0 {
			return pgerr.New("0Z002", "GET STACKED DIAGNOSTICS cannot be used outside an exception handler")
		}
		pe = f.caught[len(f.caught)-1]
	}
	for _, it := range g.Items {
		var v types.Datum
		t := types.New(types.Text)
		switch it.Kind {
		case "ROW_COUNT":
			v, t = f.rowCount, types.New(types.Int8)
		case "PG_CONTEXT":
			v = ""
		case "RETURNED_SQLSTATE":
			v = pe.Code
		case "MESSAGE_TEXT":
			v = pe.Message
		case "PG_EXCEPTION_DETAIL":
			v = pe.Detail
		case "PG_EXCEPTION_HINT":
			v = pe.Hint
		case "PG_EXCEPTION_CONTEXT":
			v = pe.Where
		case "COLUMN_NAME":
			v = pe.Column
		case "CONSTRAINT_NAME":
			v = pe.Constraint
		case "PG_DATATYPE_NAME":
			v = pe.DataType
		case "TABLE_NAME":
			v = pe.Table
		case "SCHEMA_NAME":
			v = pe.Schema
		default:
			return pgerr.New(pgerr.FeatureNotSupported, "GET DIAGNOSTICS item %s is not supported", it.Kind)
		}
		if err := f.store(ctx, it.Target, v, t); err != nil {
			return err
		}
	}
	return nil
}
