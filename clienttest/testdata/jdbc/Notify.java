import java.sql.*;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

// Notify prints what pgJDBC's LISTEN/NOTIFY support receives: one
// connection LISTENs, another NOTIFYs (with NOTIFY and with pg_notify from
// a PreparedStatement, in autocommit and in a transaction, one rolled
// back), and the first reads them with PGConnection.getNotifications,
// which waits on the socket while the connection is idle. Argument: a JDBC
// URL.
public class Notify {
    public static void main(String[] args) throws Exception {
        try (Connection l = DriverManager.getConnection(args[0]); Connection n = DriverManager.getConnection(args[0])) {
            try (Statement s = l.createStatement()) {
                s.execute("LISTEN jdbc_ch");
            }
            PGConnection pl = l.unwrap(PGConnection.class);
            int pid = n.unwrap(PGConnection.class).getBackendPID();
            try (Statement s = n.createStatement()) {
                s.execute("NOTIFY jdbc_ch, 'one'");
            }
            try (PreparedStatement ps = n.prepareStatement("SELECT pg_notify(?, ?)")) {
                for (String p : new String[] {"two", "three"}) {
                    ps.setString(1, "jdbc_ch");
                    ps.setString(2, p);
                    ps.executeQuery().close();
                }
            }
            n.setAutoCommit(false);
            try (Statement s = n.createStatement()) {
                s.execute("NOTIFY jdbc_ch, 'rolled back'");
                n.rollback();
                s.execute("NOTIFY jdbc_ch, 'four'");
                s.execute("NOTIFY jdbc_ch, 'four'");
                n.commit();
            }
            int got = 0;
            while (got < 4) {
                PGNotification[] ns = pl.getNotifications(10000);
                if (ns == null || ns.length == 0) {
                    System.out.println("no notification within 10s");
                    break;
                }
                for (PGNotification x : ns) {
                    System.out.println("notification " + x.getName() + " " + x.getParameter() + " from the notifier: " + (x.getPID() == pid));
                    got++;
                }
            }
            try (Statement s = l.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_listening_channels()")) {
                while (rs.next()) {
                    System.out.println("listening " + rs.getString(1));
                }
            }
        }
    }
}
