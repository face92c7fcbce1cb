package sql

import "testing"

// TestResetToStartupValue: RESET, SET ... TO DEFAULT, RESET ALL and
// DISCARD ALL give a setting back the value the startup message gave it
// (application_name, options=-c ...), as PostgreSQL does, and DISCARD ALL
// ends the session's listening.
func TestResetToStartupValue(t *testing.T) {
	e := newTestEngine(t)
	s, err := e.NewSession("postgres", "postgres", map[string]string{"application_name": "myapp", "options": "-c search_path=foo -c work_mem=8MB"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	show := func(what string) string {
		t.Helper()
		return rowsText(mustRun(t, s, "SELECT current_setting('application_name'), current_setting('search_path'), current_setting('work_mem')")) + " " + what
	}
	const startup = "[myapp foo 8MB]"
	for _, tc := range []struct{ change, reset string }{
		{"SET application_name = x", "RESET application_name"},
		{"SET search_path = bar", "SET search_path TO DEFAULT"},
		{"SET work_mem = '1MB'", "RESET work_mem"},
		{"SET application_name = x; SET search_path = bar; SET work_mem = '1MB'", "RESET ALL"},
		{"SET application_name = x; SET search_path = bar; SET work_mem = '1MB'", "DISCARD ALL"},
	} {
		mustRun(t, s, tc.change)
		mustRun(t, s, tc.reset)
		if got := show(tc.reset); got != startup+" "+tc.reset {
			t.Errorf("got %s, want %s", got, startup)
		}
	}
	mustRun(t, s, "LISTEN a")
	mustRun(t, s, "DISCARD ALL")
	if got := s.ListeningChannels(); len(got) != 0 {
		t.Errorf("listening after DISCARD ALL: %v", got)
	}
}
