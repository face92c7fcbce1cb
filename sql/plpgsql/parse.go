package plpgsql

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
)

// node is one object of pg_query's JSON: {"PLpgSQL_xxx": {fields}}.
type node map[string]json.RawMessage

// jsonFunction is PLpgSQL_function.
type jsonFunction struct {
	Datums []node `json:"datums"`
	Action node   `json:"action"`
	// NewVarno and OldVarno are the datums of a trigger function's NEW
	// and OLD records (0 in any other function).
	NewVarno int `json:"new_varno"`
	OldVarno int `json:"old_varno"`
}

type jsonVar struct {
	Refname  string `json:"refname"`
	Lineno   int    `json:"lineno"`
	Dno      int    `json:"dno"`
	Datatype struct {
		Type struct {
			Typname string `json:"typname"`
		} `json:"PLpgSQL_type"`
	} `json:"datatype"`
	Notnull    bool   `json:"notnull"`
	Isconst    bool   `json:"isconst"`
	DefaultVal *jExpr `json:"default_val"`
	// PLpgSQL_row
	Fields []struct {
		Name  string `json:"name"`
		Varno int    `json:"varno"`
	} `json:"fields"`
	// PLpgSQL_recfield
	Fieldname   string `json:"fieldname"`
	Recparentno int    `json:"recparentno"`
	// A bound cursor's PLpgSQL_var: its query, the PLpgSQL_row of its
	// arguments (-1 for none) and its options.
	CursorExplicitExpr   *jExpr `json:"cursor_explicit_expr"`
	CursorExplicitArgrow *int   `json:"cursor_explicit_argrow"`
	CursorOptions        int    `json:"cursor_options"`
}

type jExpr struct {
	E struct {
		Query string `json:"query"`
	} `json:"PLpgSQL_expr"`
}

type jStmt struct {
	Lineno     int               `json:"lineno"`
	Label      string            `json:"label"`
	Body       []node            `json:"body"`
	Exceptions *jExceptionsBlock `json:"exceptions"`
	Varno      int               `json:"varno"`
	Expr       *jExpr            `json:"expr"`
	Cond       *jExpr            `json:"cond"`
	ThenBody   []node            `json:"then_body"`
	ElsifList  []struct {
		E struct {
			Cond  *jExpr `json:"cond"`
			Stmts []node `json:"stmts"`
		} `json:"PLpgSQL_if_elsif"`
	} `json:"elsif_list"`
	ElseBody     []node `json:"else_body"`
	TExpr        *jExpr `json:"t_expr"`
	TVarno       int    `json:"t_varno"`
	CaseWhenList []struct {
		E struct {
			Expr  *jExpr `json:"expr"`
			Stmts []node `json:"stmts"`
		} `json:"PLpgSQL_case_when"`
	} `json:"case_when_list"`
	HaveElse  bool            `json:"have_else"`
	ElseStmts []node          `json:"else_stmts"`
	Var       node            `json:"var"`
	Lower     *jExpr          `json:"lower"`
	Upper     *jExpr          `json:"upper"`
	Step      *jExpr          `json:"step"`
	Reverse   bool            `json:"reverse"`
	Query     *jExpr          `json:"query"`
	Dynquery  *jExpr          `json:"dynquery"`
	Params    []*jExpr        `json:"params"`
	Slice     int             `json:"slice"`
	IsExit    bool            `json:"is_exit"`
	ElogLevel int             `json:"elog_level"`
	Condname  string          `json:"condname"`
	Message   json.RawMessage `json:"message"` // RAISE: a string; ASSERT: an expression
	Options   []struct {
		O struct {
			OptType int    `json:"opt_type"`
			Expr    *jExpr `json:"expr"`
		} `json:"PLpgSQL_raise_option"`
	} `json:"options"`
	Sqlstmt   *jExpr `json:"sqlstmt"`
	Into      bool   `json:"into"`
	Strict    bool   `json:"strict"`
	Target    node   `json:"target"`
	IsStacked bool   `json:"is_stacked"`
	DiagItems []struct {
		I struct {
			Kind   string `json:"kind"`
			Target int    `json:"target"`
		} `json:"PLpgSQL_diag_item"`
	} `json:"diag_items"`
	Chain  bool `json:"chain"`
	IsCall bool `json:"is_call"`
	// OPEN, FETCH/MOVE, CLOSE and FOR over a cursor.
	Curvar        int    `json:"curvar"`
	CursorOptions int    `json:"cursor_options"`
	Argquery      *jExpr `json:"argquery"`
	Direction     int    `json:"direction"`
	HowMany       int64  `json:"how_many"`
	IsMove        bool   `json:"is_move"`
}

type jExceptionsBlock struct {
	B struct {
		ExcList []struct {
			E struct {
				Conditions []struct {
					C struct {
						Condname string `json:"condname"`
					} `json:"PLpgSQL_condition"`
				} `json:"conditions"`
				Action []node `json:"action"`
			} `json:"PLpgSQL_exception"`
		} `json:"exc_list"`
	} `json:"PLpgSQL_exception_block"`
}

// kind returns the node's single key and its body.
func (n node) kind() (string, json.RawMessage) {
	for k, v := range n {
		return k, v
	}
	return "", nil
}

// builder turns the JSON into a Function.
type builder struct {
	f       *Function
	claimed []bool
	decls   [][]decl
	nblock  int
	retNext []string // RETURN NEXT variables by line, in order (see returnNextVars)
	rnSeen  map[int]int
}

// errCompile marks a body the JSON does not describe as expected.
func errCompile(format string, args ...any) error {
	return pgerr.New(pgerr.InternalError, "plpgsql: "+format, args...)
}

// Build reads pg_query's JSON for a function whose body is src, with
// the argument names params (datums created before FOUND).
func Build(name, src, js string) (*Function, error) {
	var top []map[string]jsonFunction
	if err := json.Unmarshal([]byte(js), &top); err != nil {
		return nil, errCompile("reading the parse tree: %v", err)
	}
	if len(top) != 1 {
		return nil, errCompile("expected one function, got %d", len(top))
	}
	jf, ok := top[0]["PLpgSQL_function"]
	if !ok {
		return nil, errCompile("no PLpgSQL_function in the parse tree")
	}
	b := &builder{f: &Function{Name: name, Source: src, Found: -1}, decls: blockDecls(src), rnSeen: map[int]int{}}
	for i, dn := range jf.Datums {
		k, raw := dn.kind()
		var jv jsonVar
		if err := json.Unmarshal(raw, &jv); err != nil {
			return nil, errCompile("reading datum %d: %v", i, err)
		}
		d := &Datum{Name: jv.Refname, Line: jv.Lineno, NotNull: jv.Notnull, Const: jv.Isconst}
		switch k {
		case "PLpgSQL_var":
			d.Kind = DatumVar
			d.TypeName = strings.TrimSpace(jv.Datatype.Type.Typname)
			if jv.DefaultVal != nil {
				d.Default = b.newExpr(jv.DefaultVal.E.Query, nil, "")
			}
			if jv.CursorExplicitExpr != nil {
				d.Cursor = &CursorDecl{Query: b.newExpr(jv.CursorExplicitExpr.E.Query, nil, ""), Options: jv.CursorOptions}
				if jv.CursorExplicitArgrow != nil && *jv.CursorExplicitArgrow >= 0 {
					// The arguments' row precedes the cursor.
					if r := *jv.CursorExplicitArgrow; r < len(b.f.Datums) {
						d.Cursor.Args = b.f.Datums[r].Fields
					}
				}
			}
		case "PLpgSQL_rec":
			d.Kind = DatumRec
		case "PLpgSQL_row":
			d.Kind = DatumRow
			for _, f := range jv.Fields {
				d.Fields = append(d.Fields, f.Varno)
			}
		case "PLpgSQL_recfield":
			d.Kind = DatumRecField
			d.Field = jv.Fieldname
			d.Parent = jv.Recparentno
		default:
			return nil, errCompile("unknown datum kind %s", k)
		}
		b.f.Datums = append(b.f.Datums, d)
	}
	b.claimed = make([]bool, len(b.f.Datums))
	for _, d := range b.f.Datums {
		// A bound cursor's arguments are its own, declared by no block.
		if d.Cursor != nil {
			for _, a := range d.Cursor.Args {
				b.claimed[a] = true
			}
		}
	}
	// The function's name labels its outermost scope: f.param names
	// a parameter.
	label, _, _ := strings.Cut(name, "(")
	fnScope := &Scope{Label: label, Names: map[string]int{}}
	for i, d := range b.f.Datums {
		if d.Name == "found" && d.Kind == DatumVar && d.Line == 0 {
			b.f.Found = i
			b.claimed[i] = true
			fnScope.Names["found"] = i
			break
		}
		if d.Line == 0 && d.Kind != DatumRow {
			b.f.Params = append(b.f.Params, i)
			b.claimed[i] = true
			fnScope.Names[d.Name] = i
		}
	}
	if jf.NewVarno > 0 && jf.OldVarno > 0 {
		b.triggerParams(fnScope, jf.NewVarno, jf.OldVarno)
	}
	b.retNext = returnNextLines(src)
	b.f.VariableConflict = variableConflict(src)
	k, raw := jf.Action.kind()
	if k != "PLpgSQL_stmt_block" {
		return nil, errCompile("the body is a %s, not a block", k)
	}
	blk, err := b.block(raw, fnScope)
	if err != nil {
		return nil, err
	}
	b.f.Body = blk
	for _, d := range b.f.Datums {
		if d.Default != nil && d.Default.Scope == nil {
			d.Default.Scope = fnScope
		}
	}
	return b.f, nil
}

// TypedRecord gives the record variable name declared on line its row
// type (as written): the body was compiled with it declared record (see
// DeclaredTypes). It reports whether the variable was found.
func (f *Function) TypedRecord(name string, line int, typeName string) bool {
	for _, d := range f.Datums {
		if d.Kind == DatumRec && d.Name == name && d.Line == line && d.TypeName == "" {
			d.TypeName = typeName
			return true
		}
	}
	return false
}

// claim finds the first unclaimed datum named name (of the given kinds)
// from the start, marks it and returns its number; -1 when none.
func (b *builder) claim(name string) int {
	for i, d := range b.f.Datums {
		if !b.claimed[i] && d.Name == name && (d.Kind == DatumVar || d.Kind == DatumRec) {
			b.claimed[i] = true
			return i
		}
	}
	return -1
}

func (b *builder) expr(e *jExpr, sc *Scope) *Expr {
	if e == nil {
		return nil
	}
	return b.newExpr(e.E.Query, sc, "")
}

// newExpr makes an expression of the body, numbered for the Cache.
func (b *builder) newExpr(query string, sc *Scope, assign string) *Expr {
	b.f.exprs++
	return &Expr{Query: query, Scope: sc, Assign: assign, id: b.f.exprs}
}

func (b *builder) exprs(es []*jExpr, sc *Scope) []*Expr {
	var out []*Expr
	for _, e := range es {
		out = append(out, b.expr(e, sc))
	}
	return out
}

func (b *builder) block(raw json.RawMessage, parent *Scope) (*Block, error) {
	var js jStmt
	if err := json.Unmarshal(raw, &js); err != nil {
		return nil, errCompile("reading a block: %v", err)
	}
	blk := &Block{stmtBase: stmtBase{Line: js.Lineno}, Label: js.Label, SQLState: -1, SQLErrm: -1}
	sc := &Scope{Label: js.Label, Names: map[string]int{}, Parent: parent}
	blk.Scope = sc
	var decls []decl
	if b.nblock < len(b.decls) {
		decls = b.decls[b.nblock]
	}
	b.nblock++
	for _, d := range decls {
		if d.alias != "" {
			if n, ok := lookupName(sc, d.alias); ok {
				sc.Names[d.name] = n
			}
			continue
		}
		n := b.claim(d.name)
		if n < 0 {
			return nil, errCompile("no datum for the declaration of %q", d.name)
		}
		blk.Decls = append(blk.Decls, n)
		if c := b.f.Datums[n].Cursor; c != nil {
			for _, a := range c.Args {
				b.noteShadow(sc, b.f.Datums[a])
			}
		}
		b.noteShadow(sc, b.f.Datums[n])
		// A default sees the variables declared before it.
		if def := b.f.Datums[n].Default; def != nil {
			def.Scope = &Scope{Names: cloneNames(sc.Names), Parent: parent, Label: js.Label}
		}
		sc.Names[d.name] = n
		if c := b.f.Datums[n].Cursor; c != nil {
			// The cursor's query sees its arguments and the names
			// declared before it.
			args := map[string]int{}
			for _, a := range c.Args {
				args[b.f.Datums[a].Name] = a
			}
			c.Query.Scope = &Scope{Names: args, Parent: &Scope{Names: cloneNames(sc.Names), Parent: parent, Label: js.Label}}
		}
	}
	body, err := b.stmts(js.Body, sc)
	if err != nil {
		return nil, err
	}
	blk.Body = body
	if js.Exceptions != nil {
		blk.SQLState = b.claim("sqlstate")
		blk.SQLErrm = b.claim("sqlerrm")
		hsc := &Scope{Names: map[string]int{}, Parent: sc}
		if blk.SQLState >= 0 {
			hsc.Names["sqlstate"] = blk.SQLState
		}
		if blk.SQLErrm >= 0 {
			hsc.Names["sqlerrm"] = blk.SQLErrm
		}
		for _, e := range js.Exceptions.B.ExcList {
			h := &Handler{}
			for _, c := range e.E.Conditions {
				h.Conditions = append(h.Conditions, strings.ToLower(c.C.Condname))
			}
			if h.Body, err = b.stmts(e.E.Action, hsc); err != nil {
				return nil, err
			}
			blk.Handlers = append(blk.Handlers, h)
		}
	}
	return blk, nil
}

// noteShadow records d's declaration when it hides a name sc already
// sees (plpgsql.extra_warnings = shadowed_variables).
func (b *builder) noteShadow(sc *Scope, d *Datum) {
	if _, ok := lookupName(sc, d.Name); ok {
		b.f.Shadowed = append(b.f.Shadowed, Shadow{Name: d.Name, Line: d.Line})
	}
}

func cloneNames(m map[string]int) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func lookupName(sc *Scope, name string) (int, bool) {
	for s := sc; s != nil; s = s.Parent {
		if n, ok := s.Names[name]; ok {
			return n, true
		}
	}
	return 0, false
}

func (b *builder) stmts(ns []node, sc *Scope) ([]Stmt, error) {
	var out []Stmt
	for _, n := range ns {
		s, err := b.stmt(n, sc)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// target turns an embedded PLpgSQL_row / PLpgSQL_rec / PLpgSQL_var into a
// datum number; a row becomes a new datum.
func (b *builder) target(n node, sc *Scope) (int, error) {
	k, raw := n.kind()
	var jv jsonVar
	if err := json.Unmarshal(raw, &jv); err != nil {
		return 0, errCompile("reading a target: %v", err)
	}
	switch k {
	case "PLpgSQL_rec":
		return jv.Dno, nil
	case "PLpgSQL_row":
		d := &Datum{Kind: DatumRow, Name: jv.Refname, Line: jv.Lineno}
		for _, f := range jv.Fields {
			d.Fields = append(d.Fields, f.Varno)
		}
		b.f.Datums = append(b.f.Datums, d)
		b.claimed = append(b.claimed, true)
		return len(b.f.Datums) - 1, nil
	case "PLpgSQL_var":
		if n, ok := lookupName(sc, jv.Refname); ok {
			return n, nil
		}
	}
	return 0, errCompile("unknown target %s", k)
}

func (b *builder) stmt(n node, sc *Scope) (Stmt, error) {
	k, raw := n.kind()
	if k == "PLpgSQL_stmt_block" {
		return b.block(raw, sc)
	}
	var js jStmt
	if err := json.Unmarshal(raw, &js); err != nil {
		return nil, errCompile("reading %s: %v", k, err)
	}
	base := stmtBase{Line: js.Lineno}
	var err error
	switch k {
	case "PLpgSQL_stmt_assign":
		a := &Assign{stmtBase: base, Target: js.Varno}
		if js.Expr == nil {
			return nil, errCompile("assignment without expression")
		}
		steps, value := splitAssign(js.Expr.E.Query)
		a.Path = b.assignPath(steps, js.Varno, sc)
		a.Value = b.newExpr(value, sc, js.Expr.E.Query)
		return a, nil
	case "PLpgSQL_stmt_if":
		s := &If{stmtBase: base}
		s.Conds = append(s.Conds, b.expr(js.Cond, sc))
		body, err := b.stmts(js.ThenBody, sc)
		if err != nil {
			return nil, err
		}
		s.Bodies = append(s.Bodies, body)
		for _, e := range js.ElsifList {
			s.Conds = append(s.Conds, b.expr(e.E.Cond, sc))
			body, err := b.stmts(e.E.Stmts, sc)
			if err != nil {
				return nil, err
			}
			s.Bodies = append(s.Bodies, body)
		}
		if s.Else, err = b.stmts(js.ElseBody, sc); err != nil {
			return nil, err
		}
		return s, nil
	case "PLpgSQL_stmt_case":
		s := &Case{stmtBase: base, Var: -1, HasElse: js.HaveElse}
		wsc := sc
		if js.TExpr != nil {
			s.Operand = b.expr(js.TExpr, sc)
			s.Var = js.TVarno
			b.claimed[js.TVarno] = true
			wsc = &Scope{Names: map[string]int{strings.ToLower(b.f.Datums[js.TVarno].Name): js.TVarno}, Parent: sc}
			// The WHEN expressions quote the name as written.
			wsc.Names[b.f.Datums[js.TVarno].Name] = js.TVarno
		}
		for _, w := range js.CaseWhenList {
			s.Whens = append(s.Whens, b.expr(w.E.Expr, wsc))
			body, err := b.stmts(w.E.Stmts, sc)
			if err != nil {
				return nil, err
			}
			s.Bodies = append(s.Bodies, body)
		}
		if s.Else, err = b.stmts(js.ElseStmts, sc); err != nil {
			return nil, err
		}
		return s, nil
	case "PLpgSQL_stmt_loop", "PLpgSQL_stmt_while":
		s := &Loop{stmtBase: base, Label: js.Label, Cond: b.expr(js.Cond, sc)}
		if s.Body, err = b.stmts(js.Body, sc); err != nil {
			return nil, err
		}
		return s, nil
	case "PLpgSQL_stmt_fori":
		s := &ForInt{stmtBase: base, Label: js.Label, Reverse: js.Reverse,
			Lower: b.expr(js.Lower, sc), Upper: b.expr(js.Upper, sc), Step: b.expr(js.Step, sc)}
		_, vraw := js.Var.kind()
		var jv jsonVar
		if err := json.Unmarshal(vraw, &jv); err != nil {
			return nil, errCompile("reading a FOR variable: %v", err)
		}
		s.Var = b.claim(jv.Refname)
		if s.Var < 0 {
			return nil, errCompile("no datum for FOR variable %q", jv.Refname)
		}
		lsc := &Scope{Label: js.Label, Names: map[string]int{jv.Refname: s.Var}, Parent: sc}
		if s.Body, err = b.stmts(js.Body, lsc); err != nil {
			return nil, err
		}
		return s, nil
	case "PLpgSQL_stmt_fors", "PLpgSQL_stmt_dynfors":
		s := &ForQuery{stmtBase: base, Label: js.Label, Dynamic: k == "PLpgSQL_stmt_dynfors", Using: b.exprs(js.Params, sc)}
		s.Query = b.expr(js.Query, sc)
		if s.Target, err = b.target(js.Var, sc); err != nil {
			return nil, err
		}
		lsc := &Scope{Label: js.Label, Names: map[string]int{}, Parent: sc}
		if s.Body, err = b.stmts(js.Body, lsc); err != nil {
			return nil, err
		}
		return s, nil
	case "PLpgSQL_stmt_foreach_a":
		s := &ForEach{stmtBase: base, Label: js.Label, Var: js.Varno, Slice: js.Slice, Array: b.expr(js.Expr, sc)}
		lsc := &Scope{Label: js.Label, Names: map[string]int{}, Parent: sc}
		if s.Body, err = b.stmts(js.Body, lsc); err != nil {
			return nil, err
		}
		return s, nil
	case "PLpgSQL_stmt_exit":
		return &Exit{stmtBase: base, Continue: !js.IsExit, Label: js.Label, Cond: b.expr(js.Cond, sc)}, nil
	case "PLpgSQL_stmt_return":
		return &Return{stmtBase: base, Value: b.expr(js.Expr, sc), Var: -1, Implicit: js.Lineno == 0 && js.Expr == nil}, nil
	case "PLpgSQL_stmt_return_next":
		s := &Return{stmtBase: base, Next: true, Value: b.expr(js.Expr, sc), Var: -1}
		if s.Value == nil {
			// pg_query leaves out the variable of RETURN NEXT var;
			// read it from the line.
			if name, ok := b.returnNextVar(js.Lineno); ok {
				if n, ok := lookupName(sc, name); ok {
					s.Var = n
				}
			}
		}
		return s, nil
	case "PLpgSQL_stmt_return_query":
		s := &ReturnQuery{stmtBase: base, Using: b.exprs(js.Params, sc)}
		if js.Dynquery != nil {
			s.Dynamic = true
			s.Query = b.expr(js.Dynquery, sc)
		} else {
			s.Query = b.expr(js.Query, sc)
		}
		return s, nil
	case "PLpgSQL_stmt_raise":
		s := &Raise{stmtBase: base, Level: js.ElogLevel, Condition: js.Condname, Args: b.exprs(js.Params, sc)}
		if js.Message != nil {
			if err := json.Unmarshal(js.Message, &s.Message); err != nil {
				return nil, errCompile("reading RAISE's message: %v", err)
			}
			s.HasMsg = true
		}
		for _, o := range js.Options {
			s.Options = append(s.Options, RaiseOption{Kind: o.O.OptType, Value: b.expr(o.O.Expr, sc)})
		}
		return s, nil
	case "PLpgSQL_stmt_assert":
		s := &Assert{stmtBase: base, Cond: b.expr(js.Cond, sc)}
		if js.Message != nil {
			var m jExpr
			if err := json.Unmarshal(js.Message, &m); err != nil {
				return nil, errCompile("reading ASSERT's message: %v", err)
			}
			s.Message = b.expr(&m, sc)
		}
		return s, nil
	case "PLpgSQL_stmt_execsql":
		s := &ExecSQL{stmtBase: base, Query: b.expr(js.Sqlstmt, sc), Into: js.Into, Strict: js.Strict, Target: -1}
		if js.Into {
			if s.Target, err = b.target(js.Target, sc); err != nil {
				return nil, err
			}
		}
		return s, nil
	case "PLpgSQL_stmt_perform":
		return &Perform{stmtBase: base, Query: b.expr(js.Expr, sc)}, nil
	case "PLpgSQL_stmt_dynexecute":
		s := &DynExecute{stmtBase: base, Query: b.expr(js.Query, sc), Into: js.Into, Strict: js.Strict, Target: -1, Using: b.exprs(js.Params, sc)}
		if js.Into {
			if s.Target, err = b.target(js.Target, sc); err != nil {
				return nil, err
			}
		}
		return s, nil
	case "PLpgSQL_stmt_getdiag":
		s := &GetDiag{stmtBase: base, Stacked: js.IsStacked}
		for _, it := range js.DiagItems {
			s.Items = append(s.Items, DiagItem{Kind: it.I.Kind, Target: it.I.Target})
		}
		return s, nil
	case "PLpgSQL_stmt_open":
		s := &Open{stmtBase: base, Var: js.Curvar, Options: js.CursorOptions, Query: b.expr(js.Query, sc),
			Dynamic: b.expr(js.Dynquery, sc), Using: b.exprs(js.Params, sc), ArgQuery: b.expr(js.Argquery, sc)}
		return s, nil
	case "PLpgSQL_stmt_fetch":
		s := &Fetch{stmtBase: base, Var: js.Curvar, Target: -1, Move: js.IsMove, Count: js.HowMany, CountExpr: b.expr(js.Expr, sc)}
		if js.Direction < 0 || js.Direction >= len(fetchDirections) {
			return nil, errCompile("unknown FETCH direction %d", js.Direction)
		}
		s.Direction = fetchDirections[js.Direction]
		if !js.IsMove {
			if s.Target, err = b.target(js.Target, sc); err != nil {
				return nil, err
			}
		}
		return s, nil
	case "PLpgSQL_stmt_close":
		return &Close{stmtBase: base, Var: js.Curvar}, nil
	case "PLpgSQL_stmt_forc":
		s := &ForCursor{stmtBase: base, Label: js.Label, Var: js.Curvar, ArgQuery: b.expr(js.Argquery, sc)}
		if s.Target, err = b.target(js.Var, sc); err != nil {
			return nil, err
		}
		// The loop declares its record variable.
		lsc := &Scope{Label: js.Label, Names: map[string]int{b.f.Datums[s.Target].Name: s.Target}, Parent: sc}
		b.claimed[s.Target] = true
		if s.Body, err = b.stmts(js.Body, lsc); err != nil {
			return nil, err
		}
		return s, nil
	case "PLpgSQL_stmt_commit":
		return &Commit{stmtBase: base, Chain: js.Chain}, nil
	case "PLpgSQL_stmt_rollback":
		return &Commit{stmtBase: base, Rollback: true, Chain: js.Chain}, nil
	case "PLpgSQL_stmt_call":
		return &Call{stmtBase: base, Query: b.expr(js.Expr, sc)}, nil
	}
	return nil, pgerr.New(pgerr.FeatureNotSupported, "PL/pgSQL statement %s is not supported", strings.TrimPrefix(k, "PLpgSQL_stmt_"))
}

var returnNextRE = regexp.MustCompile(`(?i)\breturn\s+next\s+("(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)\s*;`)

// returnNextLines lists, per line, the variables of RETURN NEXT var;
// statements ("line:name").
func returnNextLines(src string) []string {
	var out []string
	for i, l := range strings.Split(src, "\n") {
		for _, m := range returnNextRE.FindAllStringSubmatch(l, -1) {
			name := m[1]
			if strings.HasPrefix(name, `"`) {
				name = strings.ReplaceAll(name[1:len(name)-1], `""`, `"`)
			} else {
				name = strings.ToLower(name)
			}
			out = append(out, fmt.Sprintf("%d:%s", i+1, name))
		}
	}
	return out
}

// returnNextVar returns the variable of the next RETURN NEXT var; on line.
func (b *builder) returnNextVar(line int) (string, bool) {
	prefix := fmt.Sprintf("%d:", line)
	seen := 0
	for _, e := range b.retNext {
		if !strings.HasPrefix(e, prefix) {
			continue
		}
		if seen == b.rnSeen[line] {
			b.rnSeen[line]++
			return strings.TrimPrefix(e, prefix), true
		}
		seen++
	}
	return "", false
}

// assignStep is one step of an assignment's target as written: a name
// (folded to lower case unless quoted) or a subscript's text.
type assignStep struct {
	field string
	sub   string
	isSub bool
}

// splitAssign splits "target.f[sub]... := value" (or "=") into the
// target's steps and the value's text.
func splitAssign(q string) (steps []assignStep, value string) {
	i := 0
	for i < len(q) {
		c := q[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '.':
			i++
			continue
		case c == '"':
			var b strings.Builder
			j := i + 1
			for j < len(q) {
				if q[j] == '"' {
					if j+1 < len(q) && q[j+1] == '"' {
						b.WriteByte('"')
						j += 2
						continue
					}
					break
				}
				b.WriteByte(q[j])
				j++
			}
			steps = append(steps, assignStep{field: b.String()})
			i = j + 1
			continue
		case isIdentStart(c) || c == '$':
			// A name, or a parameter's number ($1).
			j := i + 1
			for j < len(q) && isIdentByte(q[j]) {
				j++
			}
			steps = append(steps, assignStep{field: strings.ToLower(q[i:j])})
			i = j
			continue
		case c == '[':
			depth := 0
			start := i + 1
			for ; i < len(q); i++ {
				if q[i] == '[' {
					depth++
				} else if q[i] == ']' {
					depth--
					if depth == 0 {
						break
					}
				}
			}
			sub := q[start:min(i, len(q))]
			if c := strings.Index(sub, ":"); c >= 0 && !strings.Contains(sub, "::") {
				// A slice; kept whole, the evaluator refuses it.
				sub = "'" + sub + "'"
			}
			steps = append(steps, assignStep{sub: sub, isSub: true})
			i++
			continue
		}
		break
	}
	rest := q[min(i, len(q)):]
	rest = strings.TrimLeft(rest, " \t\r\n")
	if strings.HasPrefix(rest, ":=") {
		rest = rest[2:]
	} else if strings.HasPrefix(rest, "=") {
		rest = rest[1:]
	}
	return steps, strings.TrimSpace(rest)
}

// assignPath is the part of an assignment's target steps past the
// variable target names (a record's field r.f, or a name qualified by a
// block label): the fields and subscripts it assigns within its value.
func (b *builder) assignPath(steps []assignStep, target int, sc *Scope) []AssignStep {
	dt := b.f.Datums[target]
	consumed := 0
	for k := 0; k < len(steps) && k < 3; k++ {
		if steps[k].isSub {
			break
		}
		if dt.Kind == DatumRecField {
			parent := b.f.Datums[dt.Parent].Name
			if k+1 < len(steps) && !steps[k+1].isSub && steps[k].field == parent && steps[k+1].field == dt.Field {
				consumed = k + 2
				break
			}
		} else if steps[k].field == dt.Name {
			consumed = k + 1
			break
		}
	}
	if consumed == 0 {
		consumed = 1
	}
	var path []AssignStep
	for _, st := range steps[min(consumed, len(steps)):] {
		if st.isSub {
			path = append(path, AssignStep{Subscript: b.newExpr(st.sub, sc, "")})
		} else {
			path = append(path, AssignStep{Field: st.field})
		}
	}
	return path
}

var variableConflictRE = regexp.MustCompile(`(?im)^\s*#variable_conflict\s+(error|use_variable|use_column)\b`)

// variableConflict reads the #variable_conflict directive at the start
// of a body (the grammar accepts it and the parse tree leaves it out).
func variableConflict(src string) string {
	head := src
	if i := strings.Index(strings.ToLower(src), "begin"); i >= 0 {
		head = src[:i]
	}
	if m := variableConflictRE.FindStringSubmatch(head); m != nil {
		return strings.ToLower(m[1])
	}
	return ""
}
