-- Tables of every supported column type, constraints and defaults.
CREATE TABLE t_types (
  id int4 PRIMARY KEY,
  a int2,
  b int8 NOT NULL DEFAULT 42,
  c float8,
  d text DEFAULT 'none',
  e varchar(5),
  f bool,
  g numeric(8,2),
  h date,
  i timestamp,
  j timestamptz
);
INSERT INTO t_types VALUES (1, 1, 10, 1.5, 'one', 'abc', true, 12.345, '2024-01-15', '2024-01-15 10:20:30', '2024-01-15 10:20:30+00');
INSERT INTO t_types (id, a, c, e, f, g, h, i, j) VALUES
  (2, -32768, -0.25, 'xy', false, -1.005, '1999-12-31', '1999-12-31 23:59:59.123456', '1999-12-31 23:59:59+02'),
  (3, 32767, 1e100, '', NULL, 999999.99, '2000-02-29', '2000-02-29 00:00:00', '2000-02-29 12:00:00-05:30'),
  (4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
SELECT * FROM t_types ORDER BY id;
SELECT id, b, d FROM t_types ORDER BY id;
INSERT INTO t_types (id, b) VALUES (5, NULL);
INSERT INTO t_types (id, e) VALUES (6, 'toolong');
INSERT INTO t_types (id, a) VALUES (7, 32768);
INSERT INTO t_types (id, g) VALUES (8, 1000000);
INSERT INTO t_types (id, h) VALUES (9, 'not a date');
INSERT INTO t_types (id, f) VALUES (10, 'yes');
INSERT INTO t_types (id, f) VALUES (11, 'maybe');
INSERT INTO t_types (id) VALUES (1);
INSERT INTO t_types (id) VALUES (NULL);
SELECT id, f FROM t_types WHERE id >= 10 ORDER BY id;
CREATE TABLE t_types (x int);
CREATE TABLE IF NOT EXISTS t_types (x int);
DROP TABLE t_types;
SELECT * FROM t_types;
DROP TABLE t_types;
DROP TABLE IF EXISTS t_types;
CREATE TABLE t2 (a int, b text, PRIMARY KEY (a));
INSERT INTO t2 VALUES (1, 'x'), (2, 'y');
INSERT INTO t2 VALUES (3, 'z'), (1, 'dup');
SELECT * FROM t2 ORDER BY a;
CREATE TABLE t3 (k int8 PRIMARY KEY, v varchar(3) NOT NULL);
INSERT INTO t3 VALUES (9223372036854775807, 'max'), (-9223372036854775808, 'min');
SELECT * FROM t3 ORDER BY k;
INSERT INTO t3 VALUES (9223372036854775808, 'big');
INSERT INTO t3 (k) VALUES (1);
INSERT INTO t3 VALUES (2, 'ab  ');
SELECT k, v, length(v) FROM t3 WHERE k = 2;
CREATE TABLE t4 (n numeric, r float8, s text);
INSERT INTO t4 VALUES (1.50, 0.1, 'a'), (-0.000, 1e-7, 'b'), (123456789012345678901234567890.123, 123456789.125, 'c');
SELECT * FROM t4 ORDER BY s;
INSERT INTO t4 VALUES ('abc', 1, 'd');
INSERT INTO t4 VALUES (1, 'abc', 'd');
INSERT INTO t4 VALUES ('NaN', 'Infinity', 'e'), (2, '-Infinity', 'f'), (3, 'NaN', 'g');
SELECT * FROM t4 WHERE s >= 'e' ORDER BY s;
CREATE TABLE t5 (a int, a text);
CREATE TABLE t6 (a nosuchtype);
