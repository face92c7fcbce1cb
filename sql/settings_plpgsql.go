package sql

import (
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/plpgsql"
)

// PL/pgSQL's run-time parameters: plpgsql.extra_warnings and
// plpgsql.extra_errors (the extra checks, package plpgsql's
// extrachecks.go), plpgsql.check_asserts (ASSERT runs only when on) and
// plpgsql.print_strict_params, accepted and shown; plpgsql.variable_conflict
// (how a name that is both a variable and a column resolves).
func init() {
	for _, s := range []setting{
		{name: "plpgsql.extra_warnings", def: "none", check: checkExtraChecks("plpgsql.extra_warnings")},
		{name: "plpgsql.extra_errors", def: "none", check: checkExtraChecks("plpgsql.extra_errors")},
		{name: "plpgsql.check_asserts", def: "on", check: checkBool},
		{name: "plpgsql.print_strict_params", def: "off", check: checkBool},
		{name: "plpgsql.variable_conflict", def: "error", check: checkVariableConflict},
	} {
		settingsTable[s.name] = s
	}
}

// checkExtraChecks validates a list of extra checks: "all", "none", or
// check names, as PostgreSQL's plpgsql_extra_checks_check_hook does.
func checkExtraChecks(name string) func(string) (string, error) {
	return func(v string) (string, error) {
		words := strings.Split(v, ",")
		var out []string
		for _, w := range words {
			w = strings.ToLower(strings.TrimSpace(w))
			switch w {
			case "all", "none":
				if len(words) > 1 {
					return "", pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter \"%s\": \"%s\"", name, v).
						WithDetail("Key word \"" + w + "\" cannot be combined with other key words.")
				}
			case plpgsql.CheckShadowedVariables, plpgsql.CheckTooManyRows, plpgsql.CheckStrictMultiAssignment:
			default:
				return "", pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter \"%s\": \"%s\"", name, v).
					WithDetail("Unrecognized key word: \"" + w + "\".")
			}
			out = append(out, w)
		}
		return strings.Join(out, ", "), nil
	}
}

func (r *plRuntime) Setting(name string) string { return r.s.settings[name] }

// reportShadows applies plpgsql.extra_errors and extra_warnings'
// shadowed_variables to a body just compiled: the first shadowing
// declaration is the error, or each is a WARNING. injected are the
// names the engine declared itself (cursorParamDecls), which shadow
// nothing the author wrote.
func reportShadows(s *Session, fn *plpgsql.Function, injected []string, notice func(Notice)) error {
	asError := plpgsql.ExtraCheck(s.settings["plpgsql.extra_errors"], plpgsql.CheckShadowedVariables)
	asWarning := plpgsql.ExtraCheck(s.settings["plpgsql.extra_warnings"], plpgsql.CheckShadowedVariables)
	if !asError && !asWarning {
		return nil
	}
	skipped := map[string]int{}
	for _, n := range injected {
		skipped[n]++
	}
	for _, sh := range fn.Shadowed {
		if skipped[sh.Name] > 0 {
			skipped[sh.Name]--
			continue
		}
		e := plpgsql.ShadowError(sh)
		if asError {
			return e
		}
		notice(Notice{Severity: "WARNING", Code: e.Code, Message: e.Message})
	}
	return nil
}

func checkVariableConflict(v string) (string, error) {
	switch w := strings.ToLower(strings.TrimSpace(v)); w {
	case "error", "use_variable", "use_column":
		return w, nil
	}
	return "", pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter \"plpgsql.variable_conflict\": \"%s\"", v).
		WithHint("Available values: error, use_variable, use_column.")
}
