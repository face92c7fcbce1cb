-- UPDATE ... FROM, DELETE ... USING and MERGE enforce CHECK and FOREIGN KEY constraints.
CREATE TABLE dp (id int PRIMARY KEY, budget int CHECK (budget >= 0));
CREATE TABLE dc (id int PRIMARY KEY, pid int REFERENCES dp ON DELETE CASCADE, qty int CHECK (qty < 10));
CREATE TABLE src (id int, pid int, qty int);
INSERT INTO dp VALUES (1, 10), (2, 20);
INSERT INTO dc VALUES (1, 1, 1), (2, 2, 2);
INSERT INTO src VALUES (1, 1, 5), (3, 9, 1), (4, 2, 50);
UPDATE dp SET budget = budget - s.qty * 10 FROM src s WHERE s.pid = dp.id;
UPDATE dp SET budget = budget - s.qty FROM src s WHERE s.pid = dp.id AND s.id = 1;
SELECT * FROM dp ORDER BY id;
UPDATE dc SET pid = s.pid FROM src s WHERE s.id = 3 AND dc.id = 1;
MERGE INTO dc USING src s ON dc.id = s.id WHEN MATCHED THEN UPDATE SET qty = s.qty WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.pid, s.qty);
MERGE INTO dc USING (SELECT * FROM src WHERE id <> 4) s ON dc.id = s.id WHEN MATCHED THEN UPDATE SET qty = s.qty WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.pid, s.qty);
MERGE INTO dc USING (SELECT * FROM src WHERE id = 1) s ON dc.id = s.id WHEN MATCHED THEN UPDATE SET qty = s.qty WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.pid, s.qty);
SELECT * FROM dc ORDER BY id;
MERGE INTO dp USING (VALUES (2)) v(id) ON dp.id = v.id WHEN MATCHED THEN DELETE;
SELECT * FROM dc ORDER BY id;
DELETE FROM dp USING src WHERE src.pid = dp.id;
SELECT count(*) FROM dc;
