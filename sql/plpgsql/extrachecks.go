package plpgsql

import (
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
)

// The checks plpgsql.extra_warnings and plpgsql.extra_errors turn on,
// as PostgreSQL 15 has them: shadowed_variables (a declaration hiding a
// name of an enclosing block or a parameter, at compile time; see
// Function.Shadowed), too_many_rows (SELECT INTO without STRICT that
// found several rows) and strict_multi_assignment (an INTO list or row
// variable given another number of columns). A check named in
// extra_errors fails with the error; one named only in extra_warnings
// sends it as a WARNING and goes on.

// Extra check names, as the settings list them.
const (
	CheckShadowedVariables     = "shadowed_variables"
	CheckTooManyRows           = "too_many_rows"
	CheckStrictMultiAssignment = "strict_multi_assignment"
)

// Shadow is a declaration that hides a name already visible where it is
// declared.
type Shadow struct {
	Name string
	Line int
}

// ExtraCheck reports whether the check is on in a setting's value
// ("none", "all" or a list of names): which is the setting's name.
func ExtraCheck(value, check string) bool {
	for _, w := range strings.Split(value, ",") {
		w = strings.ToLower(strings.TrimSpace(w))
		if w == "all" || w == check {
			return true
		}
	}
	return false
}

// ShadowError is the error (or warning) of a shadowing declaration.
func ShadowError(s Shadow) *pgerr.Error {
	return pgerr.New("42712", "variable \"%s\" shadows a previously defined variable", s.Name)
}

// extraCheck applies check to the problem err: it returns err when
// extra_errors names the check, sends it as a WARNING when only
// extra_warnings does, and returns nil otherwise.
func (f *frame) extraCheck(check string, err *pgerr.Error, which func(setting string) *pgerr.Error) error {
	if ExtraCheck(f.rt.Setting("plpgsql.extra_errors"), check) {
		if which != nil {
			return which("extra_errors")
		}
		return err
	}
	if ExtraCheck(f.rt.Setting("plpgsql.extra_warnings"), check) {
		if which != nil {
			err = which("extra_warnings")
		}
		f.rt.Notice(Notice{Severity: "WARNING", Code: err.Code, Message: err.Message, Detail: err.Detail, Hint: err.Hint})
	}
	return nil
}

// checkMultiAssignment is strict_multi_assignment for assigning a row of
// got columns to a target of want fields.
func (f *frame) checkMultiAssignment(want, got int) error {
	if want == got {
		return nil
	}
	return f.extraCheck(CheckStrictMultiAssignment, nil, func(setting string) *pgerr.Error {
		return pgerr.New(pgerr.DatatypeMismatch, "number of source and target fields in assignment does not match").
			WithDetail("strict_multi_assignment check of " + setting + " is active.").
			WithHint("Make sure the query returns the exact list of columns.")
	})
}

// checkTooManyRows is too_many_rows for a SELECT INTO that found n rows.
func (f *frame) checkTooManyRows(n int) error {
	if n <= 1 {
		return nil
	}
	return f.extraCheck(CheckTooManyRows, pgerr.New("P0003", "query returned more than one row").
		WithHint("Make sure the query returns a single row, or use LIMIT 1."), nil)
}
