package clienttest

import (
	"os"
	"os/exec"
	"testing"
)

// TestNode runs node/clients.js, which drives node-postgres (pg and
// pg-cursor: simple and extended queries, parameters, named prepared
// statements, errors, transactions and savepoints, cursors read a few rows
// at a time, LISTEN/NOTIFY, a pool), against PostgreSQL 15 and cairn, and
// compares the transcripts line by line. .ci/run installs the packages
// with `npm ci` in node/.
func TestNode(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("no node")
	}
	if _, err := os.Stat("node/node_modules/pg-cursor"); err != nil {
		t.Skip("node packages missing: run npm ci in clienttest/node")
	}
	out := make(map[string]string)
	for name, u := range servers(t) {
		cmd := exec.Command("node", "clients.js", u)
		cmd.Dir = "node"
		b, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("%s: %v\n%s", name, err, b)
		}
		out[name] = string(b)
	}
	compareLines(t, out["PostgreSQL"], out["cairn"])
}
