import java.sql.*;

// Meta prints what pgJDBC's DatabaseMetaData answers, one line per row,
// for a test to compare between servers: getTables, then for each table
// named on the command line getColumns, getPrimaryKeys, getImportedKeys,
// getExportedKeys and getIndexInfo (all indexes, then unique ones only).
// Arguments: a JDBC URL, then table names.
public class Meta {
    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection(args[0])) {
            DatabaseMetaData md = c.getMetaData();
            print("getTables", md.getTables(null, "public", "%", new String[] {"TABLE", "VIEW", "SEQUENCE", "INDEX"}));
            for (int i = 1; i < args.length; i++) {
                String t = args[i];
                print("getColumns " + t, md.getColumns(null, "public", t, "%"));
                print("getPrimaryKeys " + t, md.getPrimaryKeys(null, "public", t));
                print("getImportedKeys " + t, md.getImportedKeys(null, "public", t));
                print("getExportedKeys " + t, md.getExportedKeys(null, "public", t));
                print("getIndexInfo " + t, md.getIndexInfo(null, "public", t, false, false));
                print("getIndexInfo unique " + t, md.getIndexInfo(null, "public", t, true, false));
            }
        }
    }

    static void print(String what, ResultSet rs) throws SQLException {
        System.out.println("== " + what);
        ResultSetMetaData m = rs.getMetaData();
        while (rs.next()) {
            StringBuilder b = new StringBuilder();
            for (int i = 1; i <= m.getColumnCount(); i++) {
                String label = m.getColumnLabel(i);
                if (label.equalsIgnoreCase("TABLE_CAT") || label.equalsIgnoreCase("PKTABLE_CAT") || label.equalsIgnoreCase("FKTABLE_CAT")) {
                    continue; // the database's name
                }
                if (i > 1) b.append(" | ");
                b.append(label).append('=').append(rs.getString(i));
            }
            System.out.println(b);
        }
        rs.close();
    }
}
