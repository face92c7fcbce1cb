package clienttest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/cairndb/cairn/internal/pgtest"
)

// jdbcJar is pgJDBC as Debian's libpostgresql-jdbc-java installs it.
const jdbcJar = "/usr/share/java/postgresql.jar"

// jdbcSchema is what TestJDBCMetaData asks pgJDBC's DatabaseMetaData about.
var jdbcSchema = []string{
	`create table jc (id serial primary key, name varchar(40) not null, code char(3) unique,
		price numeric(10,2) default 0, created timestamptz, note text, big bigint generated always as identity)`,
	`create index jc_name on jc (name)`,
	`create table jo (id bigint primary key, jc_id int not null, qty smallint, flag bool default true, ratio float8)`,
	`create index jo_jc on jo (jc_id, qty desc)`,
	`create view jv as select id, name from jc`,
	`create sequence js`,
	`create table jp (a int, b int, label text, primary key (b, a))`,
	`create table jq (id int primary key, pa int, pb int, jc_id int references jc (id) on delete cascade,
		foreign key (pa, pb) references jp (a, b) on update cascade on delete set null deferrable initially deferred)`,
	`create unique index jq_pair on jq (pb, pa)`,
}

// TestJDBCMetaData runs testdata/jdbc/Meta.java, which prints what
// pgJDBC's DatabaseMetaData answers (getTables; getColumns,
// getPrimaryKeys, getImportedKeys, getExportedKeys and getIndexInfo of
// each table, over single- and multi-column keys and indexes), against
// PostgreSQL 15 and against cairn holding the same schema, and compares
// the two outputs line by line. Tools such as DBeaver and every JVM ORM
// read a schema this way.
func TestJDBCMetaData(t *testing.T) {
	if _, err := exec.LookPath("java"); err != nil {
		t.Skip("no java: install default-jdk-headless")
	}
	if _, err := os.Stat(jdbcJar); err != nil {
		t.Skip("no pgJDBC: install libpostgresql-jdbc-java")
	}
	pg := pgtest.Start(t)
	servers := map[string]string{"PostgreSQL": pg.URL(), "cairn": startCairn(t)}
	out := make(map[string]string)
	for name, u := range servers {
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range jdbcSchema {
			if _, err := conn.Exec(ctx, s); err != nil {
				t.Fatalf("%s: %s: %v", name, s, err)
			}
		}
		conn.Close(ctx)
		pu, err := url.Parse(u)
		if err != nil {
			t.Fatal(err)
		}
		jdbcURL := "jdbc:postgresql://" + pu.Host + pu.Path + "?user=" + pu.User.Username()
		cmd := exec.Command("java", "-cp", jdbcJar, "testdata/jdbc/Meta.java", jdbcURL, "jc", "jo", "jv", "jp", "jq")
		b, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, b)
		}
		out[name] = string(b)
	}
	want, got := strings.Split(out["PostgreSQL"], "\n"), strings.Split(out["cairn"], "\n")
	for i := 0; i < max(len(want), len(got)); i++ {
		var w, g string
		if i < len(want) {
			w = want[i]
		}
		if i < len(got) {
			g = got[i]
		}
		if w != g {
			t.Errorf("line %d:\n  cairn:      %s\n  PostgreSQL: %s", i+1, g, w)
		}
	}
}

// TestJDBCNotify runs testdata/jdbc/Notify.java (LISTEN, NOTIFY and
// pg_notify through pgJDBC, read with PGConnection.getNotifications)
// against PostgreSQL 15 and cairn and compares the outputs.
func TestJDBCNotify(t *testing.T) {
	if _, err := exec.LookPath("java"); err != nil {
		t.Skip("no java: install default-jdk-headless")
	}
	if _, err := os.Stat(jdbcJar); err != nil {
		t.Skip("no pgJDBC: install libpostgresql-jdbc-java")
	}
	out := make(map[string]string)
	for name, u := range servers(t) {
		pu, err := url.Parse(u)
		if err != nil {
			t.Fatal(err)
		}
		jdbcURL := "jdbc:postgresql://" + pu.Host + pu.Path + "?user=" + pu.User.Username()
		b, err := exec.Command("java", "-cp", jdbcJar, "testdata/jdbc/Notify.java", jdbcURL).CombinedOutput()
		if err != nil {
			t.Errorf("%s: %v\n%s", name, err, b)
		}
		out[name] = string(b)
	}
	compareLines(t, out["PostgreSQL"], out["cairn"])
}

// TestJDBCPrepared runs testdata/jdbc/Prep.java against PostgreSQL 15 and
// cairn, both serving TLS with a certificate signed by the test's CA, and
// compares the outputs: typed PreparedStatement parameters (dates,
// timestamps with and without time zone, numerics, bytea, uuid, nulls)
// executed past prepareThreshold 5, 1 and -1 (binary transfer); batches
// with reWriteBatchedInserts off and on and their update counts; a
// fetch-size cursor in a transaction; getGeneratedKeys; and connections
// with sslmode=verify-full (by host name and by address), with another
// CA, and with sslmode=require.
func TestJDBCPrepared(t *testing.T) {
	if _, err := exec.LookPath("java"); err != nil {
		t.Skip("no java: install default-jdk-headless")
	}
	if _, err := os.Stat(jdbcJar); err != nil {
		t.Skip("no pgJDBC: install libpostgresql-jdbc-java")
	}
	dir := newSharedDir(t)
	pki := newTestPKI(t, dir)
	giveToPostgres(t, pki.keyFile)
	pg := pgtest.Start(t, "ssl=on", "ssl_cert_file="+pki.certFile, "ssl_key_file="+pki.keyFile)
	ports := map[string]int{
		"PostgreSQL": pg.Port,
		"cairn":      startCairnPort(t, "--tls-cert", pki.certFile, "--tls-key", pki.keyFile),
	}
	out := make(map[string]string)
	for name, port := range ports {
		base := func(host string) string {
			return fmt.Sprintf("jdbc:postgresql://%s:%d/postgres?user=postgres", host, port)
		}
		args := []string{"-cp", jdbcJar, "-Duser.timezone=Europe/Berlin", "testdata/jdbc/Prep.java",
			base("127.0.0.1") + "&sslmode=disable",
			base("localhost") + "&ssl=true&sslmode=verify-full&sslrootcert=" + pki.caFile,
			base("127.0.0.1") + "&ssl=true&sslmode=verify-full&sslrootcert=" + pki.caFile,
			base("localhost") + "&ssl=true&sslmode=verify-full&sslrootcert=" + pki.otherCAFile,
			base("127.0.0.1") + "&sslmode=require",
			base("127.0.0.1") + "&sslmode=require&prepareThreshold=-1",
		}
		b, err := exec.Command("java", args...).CombinedOutput()
		if err != nil {
			t.Errorf("%s: %v\n%s", name, err, b)
		}
		out[name] = string(b)
	}
	compareLines(t, out["PostgreSQL"], out["cairn"])
	if t.Failed() {
		t.Logf("cairn's transcript:\n%s", out["cairn"])
	}
}
