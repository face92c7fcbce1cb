package plpgsql

import (
	"strconv"

	"github.com/cairndb/cairn/internal/pgerr"
)

// ResultKind is what a function returns, as RETURN's checks need it.
type ResultKind int

const (
	// ResultValue is a function returning one value (or row).
	ResultValue ResultKind = iota
	// ResultVoid is a function returning void, or a procedure.
	ResultVoid
	// ResultSet is a function returning SETOF or TABLE.
	ResultSet
	// ResultOut is a function whose result is its OUT parameters.
	ResultOut
	// ResultProcedure is a procedure.
	ResultProcedure
)

// CheckReturns refuses the RETURN statements PostgreSQL's grammar refuses
// for a function returning kind (pg_query's grammar leaves these checks
// out): an expression where there may be none, none where one is needed.
func (f *Function) CheckReturns(kind ResultKind, name string) error {
	var err error
	var walk func(ss []Stmt)
	walk = func(ss []Stmt) {
		for _, s := range ss {
			if err != nil {
				return
			}
			if r, ok := s.(*Return); ok && !r.Next && !r.Implicit {
				err = checkReturn(r, kind)
				if err != nil {
					err = pgerr.New(pgerr.Code(err), "%s", err.Error()).WithHint(pgerr.Find(err).Hint).
						WithWhere("compilation of PL/pgSQL function \"" + name + "\" near line " + strconv.Itoa(r.Line))
				}
			}
			for _, sub := range children(s) {
				walk(sub)
			}
		}
	}
	walk(f.Body.Body)
	for _, h := range f.Body.Handlers {
		walk(h.Body)
	}
	return err
}

func checkReturn(r *Return, kind ResultKind) error {
	switch kind {
	case ResultVoid:
		if r.Value != nil {
			return pgerr.New(pgerr.DatatypeMismatch, "RETURN cannot have a parameter in function returning void")
		}
	case ResultProcedure:
		if r.Value != nil {
			return pgerr.New(pgerr.SyntaxError, "RETURN cannot have a parameter in a procedure")
		}
	case ResultOut:
		if r.Value != nil {
			return pgerr.New(pgerr.DatatypeMismatch, "RETURN cannot have a parameter in function with OUT parameters")
		}
	case ResultSet:
		if r.Value != nil {
			return pgerr.New(pgerr.DatatypeMismatch, "RETURN cannot have a parameter in function returning set").
				WithHint("Use RETURN NEXT or RETURN QUERY.")
		}
	case ResultValue:
		if r.Value == nil {
			return pgerr.New(pgerr.SyntaxError, "missing expression at or near \";\"")
		}
	}
	return nil
}

// children are the statement lists inside s.
func children(s Stmt) [][]Stmt {
	switch x := s.(type) {
	case *Block:
		out := [][]Stmt{x.Body}
		for _, h := range x.Handlers {
			out = append(out, h.Body)
		}
		return out
	case *If:
		return append(append([][]Stmt{}, x.Bodies...), x.Else)
	case *Case:
		return append(append([][]Stmt{}, x.Bodies...), x.Else)
	case *Loop:
		return [][]Stmt{x.Body}
	case *ForInt:
		return [][]Stmt{x.Body}
	case *ForQuery:
		return [][]Stmt{x.Body}
	case *ForEach:
		return [][]Stmt{x.Body}
	case *ForCursor:
		return [][]Stmt{x.Body}
	}
	return nil
}

// CheckDiagTargets refuses a GET DIAGNOSTICS target that is not a
// scalar variable (42601, as PostgreSQL's grammar does): a record, a row,
// or a variable rowTyped reports to be of a composite type (the grammar,
// having no catalog, cannot tell that of a parameter).
func (f *Function) CheckDiagTargets(rowTyped func(datum int) bool, name string) error {
	var err error
	var walk func(ss []Stmt)
	walk = func(ss []Stmt) {
		for _, s := range ss {
			if err != nil {
				return
			}
			if g, ok := s.(*GetDiag); ok {
				for _, it := range g.Items {
					d := f.Datums[it.Target]
					if d.Kind != DatumVar || rowTyped(it.Target) {
						err = pgerr.New(pgerr.SyntaxError, "\"%s\" is not a scalar variable", d.Name).
							WithWhere("compilation of PL/pgSQL function \"" + name + "\" near line " + strconv.Itoa(g.Line))
						return
					}
				}
			}
			for _, c := range children(s) {
				walk(c)
			}
		}
	}
	walk(f.Body.Body)
	return err
}
