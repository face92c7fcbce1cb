import java.math.BigDecimal;
import java.sql.*;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Calendar;
import java.util.TimeZone;
import java.util.UUID;

// Prep prints what pgJDBC's PreparedStatement paths answer, one line per
// result, for a test to compare between servers: typed parameters
// (setDate, setTimestamp with and without a Calendar into timestamp and
// timestamptz, setObject with LocalDateTime, OffsetDateTime and UUID,
// setBigDecimal, setBytes, setNull) through statements executed past
// prepareThreshold, for the thresholds 5 (the default), 1 and -1 (binary
// transfer from the first execution); addBatch and executeBatch with
// reWriteBatchedInserts off and on; a fetch-size cursor in a transaction;
// getGeneratedKeys; and connections over TLS. Arguments: a JDBC URL with
// its parameters (the tables are made there), then JDBC URLs to connect to
// over TLS, each printed without its port and the CA file's directory.
public class Prep {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("create table pt (id int primary key, d date, ts timestamp, tstz timestamptz, n numeric(20,6), b bytea, u uuid, t text, i int8)");
            s.execute("create table pb (id int primary key, v text)");
            s.execute("create table pk (id serial primary key, name text not null, made timestamptz default '2024-01-02 03:04:05+00')");
            s.execute("create table pf (id int primary key, v text)");
            s.execute("insert into pf select g, 'row ' || g from generate_series(1, 23) g");
        }
        for (String th : new String[] {"5", "1", "-1"}) {
            typed(url + "&prepareThreshold=" + th, th);
        }
        for (String rw : new String[] {"false", "true"}) {
            batch(url + "&reWriteBatchedInserts=" + rw, rw);
        }
        fetch(url);
        keys(url);
        for (int i = 1; i < args.length; i++) {
            tls(args[i]);
        }
    }

    static void typed(String url, String th) throws SQLException {
        System.out.println("== typed parameters, prepareThreshold=" + th);
        try (Connection c = DriverManager.getConnection(url)) {
            try (Statement s = c.createStatement()) {
                s.execute("delete from pt");
            }
            Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
            try (PreparedStatement ps = c.prepareStatement("insert into pt (id, d, ts, tstz, n, b, u, t, i) values (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (int k = 1; k <= 8; k++) {
                    ps.setInt(1, k);
                    if (k == 4) {
                        ps.setNull(2, Types.DATE);
                        ps.setNull(3, Types.TIMESTAMP);
                        ps.setNull(4, Types.TIMESTAMP_WITH_TIMEZONE);
                        ps.setNull(5, Types.NUMERIC);
                        ps.setNull(6, Types.BINARY);
                        ps.setNull(7, Types.OTHER);
                        ps.setNull(8, Types.VARCHAR);
                        ps.setNull(9, Types.BIGINT);
                    } else {
                        ps.setDate(2, Date.valueOf("2024-02-" + (20 + k)));
                        Timestamp ts = Timestamp.valueOf("2024-03-3" + (k % 2) + " 0" + k + ":30:15.123456");
                        if (k % 3 == 0) {
                            ps.setTimestamp(3, ts, utc);
                            ps.setTimestamp(4, ts, utc);
                        } else if (k == 5) {
                            ps.setObject(3, LocalDateTime.of(2000, 1, 1, 0, 0, 0, 500000000 + k * 1000));
                            ps.setObject(4, OffsetDateTime.of(1999, 12, 31, 23, 59, 59, 0, ZoneOffset.ofHours(-7)));
                        } else {
                            ps.setTimestamp(3, ts);
                            ps.setTimestamp(4, ts);
                        }
                        ps.setBigDecimal(5, new BigDecimal(k % 2 == 0 ? "-12345678901234.5" : "0.000001").multiply(BigDecimal.valueOf(k)));
                        ps.setBytes(6, new byte[] {(byte) k, 0, (byte) 0xff, '\\', (byte) (k * 31)});
                        ps.setObject(7, new UUID(0x0123456789abcdefL * k, 0xfedcba9876543210L - k));
                        ps.setString(8, "text " + k + " 'q' \\ é");
                        ps.setLong(9, k == 7 ? Long.MIN_VALUE : 1L << (8 * k - 1));
                    }
                    System.out.println("insert " + k + ": " + ps.executeUpdate());
                }
            }
            try (PreparedStatement ps = c.prepareStatement("select id, d, ts, tstz, n, b, u, t, i, d + 1 as next, n * 2 as twice from pt where id = ?")) {
                for (int k = 1; k <= 8; k++) {
                    ps.setInt(1, k);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            System.out.println(String.join(" | ",
                                    "id=" + rs.getInt(1),
                                    "getDate=" + rs.getDate(2),
                                    "getTimestamp=" + rs.getTimestamp(3),
                                    "getTimestamp(utc)=" + str(rs.getTimestamp(3, utc)),
                                    "getTimestamptz=" + rs.getTimestamp(4),
                                    "getTimestamptz(utc)=" + str(rs.getTimestamp(4, utc)),
                                    "getObject(OffsetDateTime)=" + rs.getObject(4, OffsetDateTime.class),
                                    "getObject(LocalDateTime)=" + rs.getObject(3, LocalDateTime.class),
                                    "getBigDecimal=" + rs.getBigDecimal(5),
                                    "getBytes=" + (rs.getBytes(6) == null ? "null" : Arrays.toString(rs.getBytes(6))),
                                    "getObject(uuid)=" + rs.getObject(7),
                                    "uuid class=" + (rs.getObject(7) == null ? "null" : rs.getObject(7).getClass().getName()),
                                    "getString=" + rs.getString(8),
                                    "getLong=" + rs.getLong(9),
                                    "wasNull=" + rs.wasNull(),
                                    "next=" + rs.getDate(10),
                                    "twice=" + rs.getBigDecimal(11)));
                        }
                    }
                }
            }
            // The same statement text with parameters of other types: pgJDBC
            // prepares again under the same threshold.
            try (PreparedStatement ps = c.prepareStatement("select ?::text, ? is null, pg_typeof(?)::text")) {
                for (int k = 1; k <= 7; k++) {
                    switch (k % 4) {
                        case 0: ps.setNull(1, Types.INTEGER); ps.setString(2, "s"); ps.setNull(3, Types.BIGINT); break;
                        case 1: ps.setInt(1, k); ps.setNull(2, Types.VARCHAR); ps.setInt(3, k); break;
                        case 2: ps.setBigDecimal(1, new BigDecimal("1e-3")); ps.setInt(2, k); ps.setBytes(3, new byte[] {1, 2}); break;
                        default: ps.setObject(1, UUID.fromString("00000000-0000-0000-0000-00000000000" + k)); ps.setBytes(2, null); ps.setBigDecimal(3, BigDecimal.TEN); break;
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        System.out.println("mixed " + k + ": " + rs.getString(1) + " | " + rs.getBoolean(2) + " | " + rs.getString(3));
                    }
                }
            } catch (SQLException e) {
                System.out.println("mixed: " + e.getSQLState() + " " + e.getMessage());
            }
            // setDate and setTimestamp send their parameter untyped: where
            // nothing gives it a type, the server refuses the statement.
            for (String q : new String[] {"select ? is null", "select pg_typeof(?)::text", "select ? is not null or ?::date is null", "select ?"}) {
                try (PreparedStatement ps = c.prepareStatement(q)) {
                    for (int k = 1; k <= ps.getParameterMetaData().getParameterCount(); k++) ps.setDate(k, Date.valueOf("2020-01-0" + k));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        System.out.println(q + ": " + rs.getString(1));
                    }
                } catch (SQLException e) {
                    System.out.println(q + ": " + e.getSQLState() + " " + e.getMessage());
                }
            }
        }
    }

    static String str(Timestamp ts) {
        return ts == null ? "null" : ts.toInstant().toString();
    }

    static void batch(String url, String rw) throws SQLException {
        System.out.println("== batch, reWriteBatchedInserts=" + rw);
        try (Connection c = DriverManager.getConnection(url)) {
            try (Statement s = c.createStatement()) {
                s.execute("delete from pb");
            }
            try (PreparedStatement ps = c.prepareStatement("insert into pb (id, v) values (?, ?)")) {
                for (int round = 0; round < 3; round++) {
                    for (int k = 1; k <= 7; k++) {
                        ps.setInt(1, round * 10 + k);
                        if (k == 3) ps.setNull(2, Types.VARCHAR); else ps.setString(2, "v" + round + k);
                        ps.addBatch();
                    }
                    System.out.println("insert batch " + round + ": " + Arrays.toString(ps.executeBatch()));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("update pb set v = ? where id between ? and ?")) {
                int[][] ranges = {{1, 5}, {11, 11}, {100, 200}, {20, 29}};
                for (int[] r : ranges) {
                    ps.setString(1, "u" + r[0]);
                    ps.setInt(2, r[0]);
                    ps.setInt(3, r[1]);
                    ps.addBatch();
                }
                System.out.println("update batch: " + Arrays.toString(ps.executeBatch()));
            }
            try (Statement s = c.createStatement()) {
                s.addBatch("insert into pb values (100, 'a'), (101, 'b')");
                s.addBatch("delete from pb where id > 25");
                s.addBatch("update pb set v = upper(v) where v like 'v1%'");
                System.out.println("statement batch: " + Arrays.toString(s.executeBatch()));
            }
            try (PreparedStatement ps = c.prepareStatement("insert into pb (id, v) values (?, ?)")) {
                ps.setInt(1, 1);
                ps.setString(2, "dup");
                ps.addBatch();
                ps.setInt(1, 200);
                ps.setString(2, "ok");
                ps.addBatch();
                ps.executeBatch();
                System.out.println("failing batch: no error");
            } catch (BatchUpdateException e) {
                System.out.println("failing batch: " + e.getSQLState() + " counts " + Arrays.toString(e.getUpdateCounts()));
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select id, v from pb order by id")) {
                StringBuilder b = new StringBuilder("rows:");
                while (rs.next()) b.append(' ').append(rs.getInt(1)).append('=').append(rs.getString(2));
                System.out.println(b);
            }
        }
    }

    static void fetch(String url) throws SQLException {
        System.out.println("== fetch size");
        try (Connection c = DriverManager.getConnection(url)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.setFetchSize(4);
                try (ResultSet rs = s.executeQuery("select id, v from pf order by id")) {
                    StringBuilder b = new StringBuilder("statement:");
                    int n = 0;
                    while (rs.next()) {
                        b.append(' ').append(rs.getInt(1)).append('=').append(rs.getString(2));
                        n++;
                    }
                    System.out.println(b + " (" + n + " rows, fetch size " + rs.getFetchSize() + ")");
                }
            }
            try (PreparedStatement ps = c.prepareStatement("select id, v from pf where id > ? order by id desc")) {
                ps.setFetchSize(5);
                for (int k = 0; k < 6; k++) {
                    ps.setInt(1, k * 3);
                    try (ResultSet rs = ps.executeQuery()) {
                        int n = 0, sum = 0;
                        while (rs.next()) {
                            n++;
                            sum += rs.getInt(1);
                        }
                        System.out.println("prepared > " + (k * 3) + ": " + n + " rows, sum " + sum);
                    }
                }
                // A result set closed before its end closes its portal.
                ps.setInt(1, 0);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    rs.next();
                    System.out.println("closed early after " + rs.getInt(1));
                }
            }
            // Both cursors open at once, read in turns.
            try (Statement a = c.createStatement(); Statement b = c.createStatement()) {
                a.setFetchSize(3);
                b.setFetchSize(2);
                try (ResultSet ra = a.executeQuery("select id from pf order by id"); ResultSet rb = b.executeQuery("select v from pf where id % 2 = 0 order by id")) {
                    StringBuilder sb = new StringBuilder("interleaved:");
                    boolean ma = true, mb = true;
                    while (ma || mb) {
                        if (ma && (ma = ra.next())) sb.append(' ').append(ra.getInt(1));
                        if (mb && (mb = rb.next())) sb.append(' ').append(rb.getString(1));
                    }
                    System.out.println(sb);
                }
            }
            try (Statement s = c.createStatement()) {
                s.setFetchSize(4);
                s.executeUpdate("update pf set v = v || '!' where id <= 10");
                try (ResultSet rs = s.executeQuery("select count(*) from pf where v like '%!'")) {
                    rs.next();
                    System.out.println("own update seen: " + rs.getInt(1));
                }
            }
            c.rollback();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from pf where v like '%!'")) {
                rs.next();
                System.out.println("after rollback: " + rs.getInt(1));
            }
            c.commit();
        }
    }

    static void keys(String url) throws SQLException {
        System.out.println("== generated keys");
        try (Connection c = DriverManager.getConnection(url)) {
            try (PreparedStatement ps = c.prepareStatement("insert into pk (name) values (?)", Statement.RETURN_GENERATED_KEYS)) {
                for (String n : new String[] {"a", "b", "c"}) {
                    ps.setString(1, n);
                    System.out.println("insert " + n + ": " + ps.executeUpdate() + " " + rows(ps.getGeneratedKeys()));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("insert into pk (name) values (?)", new String[] {"id"})) {
                ps.setString(1, "d");
                System.out.println("insert d: " + ps.executeUpdate() + " " + rows(ps.getGeneratedKeys()));
                ps.setString(1, "e");
                ps.addBatch();
                ps.setString(1, "f");
                ps.addBatch();
                System.out.println("batch e f: " + Arrays.toString(ps.executeBatch()) + " " + rows(ps.getGeneratedKeys()));
            }
            try (Statement s = c.createStatement()) {
                System.out.println("statement: " + s.executeUpdate("insert into pk (name) values ('g'), ('h')", new String[] {"id", "name"}) + " " + rows(s.getGeneratedKeys()));
                System.out.println("update: " + s.executeUpdate("update pk set name = name || '2' where id <= 2", Statement.RETURN_GENERATED_KEYS) + " " + rows(s.getGeneratedKeys()));
            }
        }
    }

    static String rows(ResultSet rs) throws SQLException {
        StringBuilder b = new StringBuilder("keys");
        ResultSetMetaData m = rs.getMetaData();
        while (rs.next()) {
            b.append(" [");
            for (int i = 1; i <= m.getColumnCount(); i++) {
                if (i > 1) b.append(", ");
                b.append(m.getColumnLabel(i)).append('=').append(rs.getString(i));
            }
            b.append(']');
        }
        rs.close();
        return b.toString();
    }

    static void tls(String url) {
        String shown = url.replaceAll(":[0-9]+/", "/").replaceAll("sslrootcert=[^&]*/", "sslrootcert=");
        System.out.println("== " + shown);
        try (Connection c = DriverManager.getConnection(url);
                PreparedStatement ps = c.prepareStatement("select ssl, ? from pg_stat_ssl where pid = pg_backend_pid()")) {
            for (int k = 0; k < 6; k++) {
                ps.setInt(1, k);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) System.out.println("ssl " + rs.getBoolean(1) + " " + rs.getInt(2));
                }
            }
        } catch (SQLException e) {
            Throwable cause = e;
            while (cause.getCause() != null) cause = cause.getCause();
            System.out.println("error " + e.getSQLState() + ": " + cause.getClass().getSimpleName());
        }
    }
}
