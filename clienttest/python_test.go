package clienttest

import (
	"os"
	"os/exec"
	"testing"
)

// python is the interpreter whose Debian packages python3-psycopg2 and
// python3-psycopg provide the two drivers (no virtualenv, no PyPI).
const python = "/usr/bin/python3"

// TestPython runs testdata/python/clients.py, which drives psycopg2 and
// psycopg 3 (client-side and server-side parameters, text and binary
// results, named cursors, COPY both ways, transactions and savepoints,
// psycopg 3's pipeline mode, LISTEN/NOTIFY), against PostgreSQL 15 and
// cairn, and compares the transcripts line by line.
func TestPython(t *testing.T) {
	if _, err := os.Stat(python); err != nil {
		t.Skip("no /usr/bin/python3")
	}
	if err := exec.Command(python, "-c", "import psycopg2, psycopg").Run(); err != nil {
		t.Skip("psycopg2 or psycopg missing: install python3-psycopg2 python3-psycopg")
	}
	out := make(map[string]string)
	for name, u := range servers(t) {
		cmd := exec.Command(python, "testdata/python/clients.py", u)
		b, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("%s: %v\n%s", name, err, b)
		}
		out[name] = string(b)
	}
	compareLines(t, out["PostgreSQL"], out["cairn"])
}
