package sql

import "testing"

// TestPartitionedForeignKeys checks that a partitioned table's foreign
// key holds for its partitions, whatever their column order, and acts on
// their rows, moving a row whose partition no longer admits it, with
// PostgreSQL 15's answers.
func TestPartitionedForeignKeys(t *testing.T) {
	runScript(t, newTestSession(t, newTestEngine(t)), []scriptStep{
		{"CREATE TABLE pk (a int, b int, PRIMARY KEY (a, b))", ""},
		{"CREATE TABLE fk (a int, b int) PARTITION BY LIST (a)", ""},
		{"CREATE TABLE fk_1 PARTITION OF fk FOR VALUES IN (NULL, 500, 501)", ""},
		{"CREATE TABLE fk_2 (b int, x int, a int)", ""},
		{"ALTER TABLE fk_2 DROP COLUMN x", ""},
		{"ALTER TABLE fk ATTACH PARTITION fk_2 FOR VALUES IN (2500, 2501, 2502)", ""},
		{"ALTER TABLE ONLY fk ADD FOREIGN KEY (a, b) REFERENCES pk", "42809: cannot use ONLY for foreign key on partitioned table \"fk\" referencing relation \"pk\""},
		{"ALTER TABLE fk ADD FOREIGN KEY (a, b) REFERENCES pk NOT VALID", "42809: cannot add NOT VALID foreign key on partitioned table \"fk\" referencing relation \"pk\""},
		{"INSERT INTO fk_2 VALUES (1, 2500)", ""},
		{"ALTER TABLE fk ADD FOREIGN KEY (a, b) REFERENCES pk ON DELETE SET NULL ON UPDATE CASCADE", "23503"},
		{"DELETE FROM fk", ""},
		{"ALTER TABLE fk ADD FOREIGN KEY (a, b) REFERENCES pk ON DELETE SET NULL ON UPDATE CASCADE", ""},
		{"INSERT INTO fk VALUES (500, 501)", "23503: insert or update on table \"fk_1\" violates foreign key constraint \"fk_a_b_fkey\""},
		{"INSERT INTO fk_2 (a, b) VALUES (2500, 1)", "23503"},
		{"INSERT INTO pk VALUES (500, 501), (2500, 1)", ""},
		{"INSERT INTO fk VALUES (500, 501), (2500, 1)", ""},
		{"DELETE FROM pk WHERE a = 2500", ""},
		{"SELECT tableoid::regclass::text, a, b FROM fk ORDER BY b", "[fk_1 500 501][fk_1 <nil> <nil>]"},
		{"UPDATE pk SET a = 501 WHERE a = 500", ""},
		{"SELECT tableoid::regclass::text, a, b FROM fk WHERE b = 501", "[fk_1 501 501]"},
		{"UPDATE pk SET a = 2502 WHERE a = 501", ""},
		{"SELECT tableoid::regclass::text, a, b FROM fk WHERE b = 501", "[fk_2 2502 501]"},
	})
}

// TestPartitionedForeignKeyAttach checks that an attached table's rows
// must satisfy the foreign keys it comes to enforce, and that a
// partition cannot drop one of them.
func TestPartitionedForeignKeyAttach(t *testing.T) {
	runScript(t, newTestSession(t, newTestEngine(t)), []scriptStep{
		{"CREATE TABLE pk (a int PRIMARY KEY)", ""},
		{"CREATE TABLE fk (a int REFERENCES pk) PARTITION BY LIST (a)", ""},
		{"CREATE TABLE fk_1 PARTITION OF fk FOR VALUES IN (1) PARTITION BY LIST (a)", ""},
		{"CREATE TABLE fk_1_1 PARTITION OF fk_1 FOR VALUES IN (1)", ""},
		{"CREATE TABLE fk_2 (a int)", ""},
		{"INSERT INTO fk_2 VALUES (2)", ""},
		{"ALTER TABLE fk ATTACH PARTITION fk_2 FOR VALUES IN (2)", "23503: insert or update on table \"fk_2\" violates foreign key constraint \"fk_a_fkey\""},
		{"INSERT INTO pk VALUES (2)", ""},
		{"ALTER TABLE fk ATTACH PARTITION fk_2 FOR VALUES IN (2)", ""},
		{"DELETE FROM pk WHERE a = 2", "23503"},
		{"ALTER TABLE fk_1_1 DROP CONSTRAINT fk_a_fkey", "42P16: cannot drop inherited constraint \"fk_a_fkey\" of relation \"fk_1_1\""},
		{"ALTER TABLE fk_1 DROP CONSTRAINT fk_a_fkey", "42P16"},
		{"ALTER TABLE fk DROP CONSTRAINT fk_a_fkey", ""},
		{"DELETE FROM pk WHERE a = 2", ""},
	})
}

// TestSetConstraintsSearchPath checks that SET CONSTRAINTS finds a bare
// name in the first schema of the search path that has it, and a
// qualified one in its schema.
func TestSetConstraintsSearchPath(t *testing.T) {
	runScript(t, newTestSession(t, newTestEngine(t)), []scriptStep{
		{"CREATE TABLE pk (a int PRIMARY KEY)", ""},
		{"CREATE TABLE fk (a int CONSTRAINT fkey REFERENCES pk)", ""},
		{"CREATE SCHEMA s3", ""},
		{"CREATE TABLE s3.pk (a int PRIMARY KEY)", ""},
		{"CREATE TABLE s3.fk (a int CONSTRAINT fkey REFERENCES s3.pk DEFERRABLE)", ""},
		{"BEGIN", ""},
		{"SET CONSTRAINTS fkey DEFERRED", "42809: constraint \"fkey\" is not deferrable"},
		{"ROLLBACK", ""},
		{"BEGIN", ""},
		{"SET CONSTRAINTS s3.fkey DEFERRED", ""},
		{"INSERT INTO s3.fk VALUES (1)", ""},
		{"INSERT INTO s3.pk VALUES (1)", ""},
		{"COMMIT", ""},
		{"SET search_path TO s3", ""},
		{"BEGIN", ""},
		{"SET CONSTRAINTS fkey DEFERRED", ""},
		{"INSERT INTO fk VALUES (2)", ""},
		{"COMMIT", "23503"},
		{"BEGIN", ""},
		{"SET CONSTRAINTS nosuch DEFERRED", "42704: constraint \"nosuch\" does not exist"},
		{"ROLLBACK", ""},
	})
}

// TestForeignKeyToPartitionedTable checks a foreign key referencing a
// partitioned table: the key is found in the leaf it routes to, through
// sub-partitions, and the leaves' deletes and updates are checked.
func TestForeignKeyToPartitionedTable(t *testing.T) {
	runScript(t, newTestSession(t, newTestEngine(t)), []scriptStep{
		{"CREATE TABLE pk (a int PRIMARY KEY) PARTITION BY RANGE (a)", ""},
		{"CREATE TABLE pk1 PARTITION OF pk FOR VALUES FROM (1) TO (1000)", ""},
		{"CREATE TABLE pk2 (b int, a int NOT NULL)", ""},
		{"ALTER TABLE pk2 DROP COLUMN b", ""},
		{"ALTER TABLE pk ATTACH PARTITION pk2 FOR VALUES FROM (1000) TO (2000)", ""},
		{"CREATE TABLE pk3 PARTITION OF pk FOR VALUES FROM (2000) TO (3000) PARTITION BY RANGE (a)", ""},
		{"CREATE TABLE pk31 PARTITION OF pk3 FOR VALUES FROM (2000) TO (2500)", ""},
		{"CREATE TABLE fk (a int REFERENCES pk)", ""},
		{"CREATE TABLE pfk (a int) PARTITION BY RANGE (a)", ""},
		{"CREATE TABLE pfk1 PARTITION OF pfk FOR VALUES FROM (0) TO (5000)", ""},
		{"ALTER TABLE pfk ADD FOREIGN KEY (a) REFERENCES pk", ""},
		{"INSERT INTO fk VALUES (1)", "23503"},
		{"INSERT INTO pfk VALUES (2000)", "23503"},
		{"INSERT INTO fk VALUES (4000)", "23503"},
		{"INSERT INTO pk VALUES (1), (1000), (2000)", ""},
		{"INSERT INTO fk VALUES (1), (1000), (2000)", ""},
		{"INSERT INTO pfk VALUES (1000), (2000)", ""},
		{"DELETE FROM pk WHERE a = 1", "23503"},
		{"DELETE FROM pk WHERE a = 2000", "23503"},
		{"UPDATE pk SET a = 1001 WHERE a = 1000", "23503"},
		{"DELETE FROM fk", ""},
		{"DELETE FROM pk WHERE a = 1", ""},
		{"DELETE FROM pk WHERE a = 2000", "23503"},
		{"DELETE FROM pfk", ""},
		{"DELETE FROM pk", ""},
	})
}
