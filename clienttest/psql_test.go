package clienttest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cairndb/cairn/internal/pgtest"
)

// psqlHBA are the client authentication rules both servers get in
// TestPsql: trust over the Unix socket, for postgres and for bob over
// TCP; SCRAM for every other role.
const psqlHBA = `local all all trust
host all postgres 127.0.0.1/32 trust
host all bob 127.0.0.1/32 trust
host all all 127.0.0.1/32 scram-sha-256
`

// TestPsql runs psql 15 against cairn's binary and PostgreSQL 15, both
// with the same authentication rules, a TLS certificate the test's own CA
// signed for localhost and 127.0.0.1, and a Unix socket in the same kind
// of directory, and compares the transcripts line by line (after putting
// PORT and SOCKDIR for what differs by server, and leaving out the TLS
// cipher, which OpenSSL and Go choose differently among TLS 1.3's): \du,
// \dp, \password (psql computes a SCRAM verifier and sends it with ALTER
// ROLE; the role then logs in with the new password by SCRAM, and not with
// the old one), \c to another database and user (alice by SCRAM, psql
// asking for her password), \conninfo, a connection
// over the Unix socket, and TLS with sslmode=require and verify-full
// (accepted with the CA, refused with another CA and for another host
// name), SCRAM with channel binding over it.
func TestPsql(t *testing.T) {
	psql, err := exec.LookPath("psql")
	if err != nil {
		t.Skip("psql is not installed")
	}
	dir := newSharedDir(t)
	pki := newTestPKI(t, dir)
	hba := filepath.Join(dir, "pg_hba.conf")
	if err := os.WriteFile(hba, []byte(psqlHBA), 0o644); err != nil {
		t.Fatal(err)
	}
	giveToPostgres(t, pki.keyFile)
	out := map[string]string{}
	for _, name := range []string{"PostgreSQL", "cairn"} {
		sock := filepath.Join(dir, "sock-"+name)
		if err := os.Mkdir(sock, 0o777); err != nil {
			t.Fatal(err)
		}
		os.Chmod(sock, 0o777)
		var port int
		if name == "PostgreSQL" {
			pg := pgtest.Start(t, "hba_file="+hba, "ssl=on", "ssl_cert_file="+pki.certFile, "ssl_key_file="+pki.keyFile,
				"unix_socket_directories="+sock)
			port = pg.Port
			// cairn has a second database of its own, named cairn.
			c, err := pgx.Connect(context.Background(), pg.URL())
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Exec(context.Background(), "CREATE DATABASE cairn")
			c.Close(context.Background())
			if err != nil {
				t.Fatal(err)
			}
		} else {
			port = startCairnPort(t, "--hba-file", hba, "--tls-cert", pki.certFile, "--tls-key", pki.keyFile, "--socket-dir", sock)
		}
		out[name] = psqlTranscript(t, psql, port, sock, pki)
	}
	compareLines(t, out["PostgreSQL"], out["cairn"])
}

// psqlTranscript runs the psql steps against the server on port and
// returns what psql printed, normalized.
func psqlTranscript(t *testing.T, psql string, port int, sock string, pki *testPKI) string {
	var b strings.Builder
	tcp := func(user, extra string) string {
		return fmt.Sprintf("host=127.0.0.1 port=%d user=%s dbname=postgres %s", port, user, extra)
	}
	script := filepath.Join(t.TempDir(), "script.sql")
	run := func(title, conninfo, stdin, password string, args ...string) {
		fmt.Fprintf(&b, "== %s\n", title)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, psql, append([]string{"-X", "-v", "VERBOSITY=default", conninfo}, args...)...)
		cmd.Env = append(os.Environ(), "PGCONNECT_TIMEOUT=10", "PGTZ=UTC", "LC_ALL=C.UTF-8", "PAGER=", "PSQL_PAGER=")
		cmd.Env = append(cmd.Env, "PGPASSWORD="+password) // empty: none
		// No controlling terminal: psql asks for passwords on stdin.
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		cmd.Stdin = strings.NewReader(stdin)
		got, err := cmd.CombinedOutput()
		b.Write(got)
		if err != nil {
			fmt.Fprintf(&b, "(psql: %v)\n", err)
		}
	}
	writeScript := func(text string) {
		if err := os.WriteFile(script, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	writeScript(`CREATE ROLE alice LOGIN PASSWORD 'old';
CREATE ROLE bob LOGIN CREATEDB;
CREATE ROLE carol NOLOGIN CREATEROLE;
GRANT carol TO bob;
CREATE TABLE t (a int, b text);
GRANT SELECT ON t TO alice;
GRANT INSERT, UPDATE ON t TO bob WITH GRANT OPTION;
GRANT SELECT ON t TO PUBLIC;
\du
\du bob
\dp t
\dp nothing_here
\password alice
SELECT rolname, substr(rolpassword, 1, 19) AS verifier FROM pg_authid WHERE rolname = 'alice';
\c cairn bob
SELECT current_user, current_database();
\conninfo
\c - postgres
SELECT current_user, current_database();
\c postgres alice
SELECT current_user, current_database();
`)
	run("as postgres: \\du, \\dp, \\password, \\c", tcp("postgres", "sslmode=disable"), "n3w pw\nn3w pw\nn3w pw\n", "", "-f", script)
	run("alice with the new password", tcp("alice", "sslmode=disable"), "", "n3w pw",
		"-c", "SELECT current_user, session_user", "-c", `\conninfo`)
	run("alice with the old password", tcp("alice", "sslmode=disable"), "", "old", "-c", "SELECT 1")
	run("Unix socket", fmt.Sprintf("host=%s port=%d user=postgres dbname=postgres", sock, port), "", "",
		"-c", `\conninfo`, "-c", "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
	run("TLS, sslmode=require", tcp("postgres", "sslmode=require"), "", "",
		"-c", `\conninfo`, "-c", "SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()", "-c", "SHOW ssl")
	verifyFull := func(host, ca string) string {
		return fmt.Sprintf("host=%s hostaddr=127.0.0.1 port=%d dbname=postgres sslmode=verify-full sslrootcert=%s", host, port, ca)
	}
	run("TLS, verify-full for localhost", verifyFull("localhost", pki.caFile)+" user=postgres", "", "",
		"-c", `\conninfo`, "-c", "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
	run("TLS, verify-full for 127.0.0.1", fmt.Sprintf("host=127.0.0.1 port=%d dbname=postgres user=postgres sslmode=verify-full sslrootcert=%s", port, pki.caFile), "", "",
		"-c", "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
	run("TLS, verify-full with another CA", verifyFull("localhost", pki.otherCAFile)+" user=postgres", "", "", "-c", "SELECT 1")
	run("TLS, verify-full for another host name", verifyFull("db.example", pki.caFile)+" user=postgres", "", "", "-c", "SELECT 1")
	run("SCRAM over TLS with channel binding", verifyFull("localhost", pki.caFile)+" user=alice channel_binding=require", "", "n3w pw",
		"-c", "SELECT current_user, ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
	run("channel binding required without TLS", tcp("alice", "sslmode=disable channel_binding=require"), "", "n3w pw", "-c", "SELECT 1")

	text := b.String()
	text = strings.ReplaceAll(text, sock, "SOCKDIR")
	text = strings.ReplaceAll(text, strconv.Itoa(port), "PORT")
	text = strings.ReplaceAll(text, filepath.Dir(script), "SCRIPTDIR")
	text = cipherRE.ReplaceAllString(text, "cipher: *,")
	return text
}

var cipherRE = regexp.MustCompile(`cipher: [A-Z0-9_-]+,`)
