-- The network address types: inet, cidr, macaddr, macaddr8.
CREATE TABLE hosts (id int PRIMARY KEY, addr inet UNIQUE, net cidr, mac macaddr, mac8 macaddr8);
INSERT INTO hosts VALUES
  (1, '192.168.1.226/24', '192.168.1.0/24', '08:00:2b:01:02:03', '08:00:2b:01:02:03:04:05'),
  (2, '10.1.2.3/8', '10', '08-00-2b-01-02-04', '08:00:2b:01:02:03'),
  (3, '::ffff:1.2.3.4', '::ffff:1.2.3.4', '0800.2b01.0205', '0800.2b01.0203.0406'),
  (4, '10:23::f1/64', '10:23::8000/113', '08002b010200', '08002b0102030407'),
  (5, NULL, NULL, NULL, NULL);
SELECT * FROM hosts ORDER BY id;
SELECT id, addr FROM hosts ORDER BY addr;
SELECT id, net FROM hosts ORDER BY net DESC;
SELECT id, mac, mac8 FROM hosts ORDER BY mac;
SELECT addr::text, net::text, addr::cidr, net::inet, text(addr), host(addr), abbrev(addr), abbrev(net) FROM hosts ORDER BY id;
SELECT masklen(addr), family(addr), netmask(addr), hostmask(addr), network(addr), broadcast(addr) FROM hosts ORDER BY id;
SELECT set_masklen(addr, 16), set_masklen(net, -1), set_masklen(addr, -1) FROM hosts WHERE family(addr) = 4 ORDER BY id;
-- Containment, overlap and comparison between inet and cidr.
SELECT a.id, b.id, a.addr << b.net, a.addr <<= b.net, b.net >> a.addr, b.net >>= a.addr, a.addr && b.net,
  a.addr < b.net, a.addr = b.net, a.addr > b.net
  FROM hosts a, hosts b WHERE a.id < 5 AND b.id < 5 ORDER BY 1, 2;
SELECT id FROM hosts WHERE addr << '192.168.0.0/16' ORDER BY id;
SELECT id FROM hosts WHERE addr = '10.1.2.3/8' ORDER BY id;
SELECT id FROM hosts WHERE net = '10.0.0.0/8'::cidr;
SELECT '10.0.0.0/8'::cidr = '10.0.0.0/8'::inet, '10.0.0.0/8'::inet >>= '10.1.2.3'::inet;
-- Bitwise operators and arithmetic.
SELECT ~addr, addr & '255.255.0.0', addr | '0.0.0.255' FROM hosts WHERE family(addr) = 4 ORDER BY id;
SELECT '127.0.0.1'::inet + 257, ('127.0.0.1'::inet + 257) - 257, 257 + '127.0.0.1'::inet;
SELECT '127::1'::inet + 10000000000, '127::1'::inet - '127::2'::inet, '10.0.0.5'::inet - '10.0.0.1'::inet;
SELECT inet_merge('192.168.1.5/24', '192.168.2.5/24'), inet_same_family('10.0.0.1', '::1'), inet_same_family('10.0.0.1', '10.0.0.2');
SELECT ~mac, mac & '00:00:00:ff:ff:ff', mac | '01:02:03:04:05:06', trunc(mac), trunc(mac8), macaddr8_set7bit(mac8) FROM hosts ORDER BY id;
SELECT mac::macaddr8, macaddr8(mac), '08:00:2b:ff:fe:01:02:03'::macaddr8::macaddr FROM hosts ORDER BY id;
SELECT max(addr), min(addr), max(net), min(net) FROM hosts;
SELECT min(mac) FROM hosts;
SELECT count(DISTINCT addr), count(DISTINCT mac) FROM hosts;
-- Arrays.
SELECT ARRAY['10.0.0.1', '::1/64']::inet[], ARRAY['10.1'::cidr], '{08:00:2b:01:02:03}'::macaddr[], '{08:00:2b:01:02:03:04:05}'::macaddr8[];
SELECT (ARRAY['10.0.0.1'::inet, '10.0.0.2'])[2];
-- Invalid input: 22P02.
SELECT '10'::inet;
SELECT '1.2.3.4/33'::inet;
SELECT '1234::1234::1234'::inet;
SELECT 'abc'::cidr;
SELECT '08:00:2b:01:02'::macaddr;
SELECT '08:00:2b:01:02:zz'::macaddr8;
-- Bits set right of the mask: 22P02 invalid cidr value.
SELECT '192.168.1.2/24'::cidr;
SELECT cidr('192.168.1.2/30');
INSERT INTO hosts (id, net) VALUES (6, '10.1.2.3/8');
-- Octet out of range: 22003.
SELECT '1ff:0:0:0:0:0'::macaddr;
-- Family mismatch: 22023.
SELECT '10.0.0.1'::inet & '::1'::inet;
SELECT '10.0.0.1'::inet | '::1'::inet;
SELECT '10.0.0.1'::inet - '::1'::inet;
SELECT inet_merge('10.0.0.1', '::1');
-- Out of range: 22023 and 22003.
SELECT set_masklen('10.0.0.1'::inet, 33);
SELECT set_masklen('::1'::cidr, 129);
SELECT '127.0.0.1'::inet + 10000000000;
SELECT '0.0.0.0'::inet - 1;
SELECT '126::1'::inet - '127::2'::inet;
SELECT '08:00:2b:01:02:03:04:05'::macaddr8::macaddr;
-- Casts that do not exist (42846) and operators that do not (42883), ambiguous (42725).
SELECT 1::inet;
SELECT '10.0.0.1'::inet::macaddr;
SELECT '10.0.0.1'::inet + '10.0.0.2'::inet;
SELECT '08:00:2b:01:02:03'::macaddr = '08:00:2b:01:02:03'::macaddr8;
-- Assignment casts: inet to a cidr column keeps the network; text to inet needs a cast.
CREATE TABLE nets (n cidr PRIMARY KEY, i inet);
INSERT INTO nets VALUES ('10.0.0.0/8'::inet, '10.1.2.3'::cidr);
INSERT INTO nets VALUES ('10.1.2.3/16'::inet, NULL);
SELECT * FROM nets ORDER BY n;
INSERT INTO nets VALUES ('10.0.0.0/8', NULL);
INSERT INTO nets (n, i) SELECT '192.168.0.0/16', 'x'::text;
-- Keys: a primary key on (int, inet), a foreign key from cidr to inet.
CREATE TABLE pk (a int, b inet, PRIMARY KEY (a, b));
INSERT INTO pk VALUES (1, '10.0.0.1'), (1, '10.0.0.1/8'), (2, '::1');
INSERT INTO pk VALUES (1, '10.0.0.1/32');
CREATE TABLE fk (a int, b cidr, FOREIGN KEY (a, b) REFERENCES pk);
INSERT INTO fk VALUES (1, '10.0.0.1/32');
INSERT INTO fk VALUES (2, '::1/128');
INSERT INTO fk VALUES (2, '::2/128');
CREATE TABLE fk_bad (a int, b macaddr, FOREIGN KEY (a, b) REFERENCES pk);
DELETE FROM pk WHERE a = 2;
SELECT * FROM pk ORDER BY a, b;
CREATE INDEX ON hosts (mac);
SELECT id FROM hosts WHERE mac = '08:00:2b:01:02:04';
SELECT id FROM hosts WHERE mac > '08:00:2b:01:02:03' ORDER BY mac;
SELECT pg_typeof(addr), pg_typeof(net), pg_typeof(mac), pg_typeof(mac8), pg_typeof(addr + 1), pg_typeof(addr - addr) FROM hosts WHERE id = 1;
SELECT typname, typlen, typarray FROM pg_type WHERE oid IN (869, 650, 829, 774) ORDER BY oid;
-- cidr meets inet as inet in COALESCE, CASE, IN, UNION and GREATEST; macaddr and macaddr8 keep the first.
SELECT coalesce(net, addr), pg_typeof(coalesce(net, addr)) FROM hosts ORDER BY id;
SELECT net FROM hosts WHERE id < 3 UNION SELECT addr FROM hosts WHERE id < 3 ORDER BY 1;
SELECT CASE WHEN id = 1 THEN net ELSE addr END FROM hosts ORDER BY id;
SELECT addr IN ('10.1.2.3/8', '::1'), net IN (addr) FROM hosts ORDER BY id;
SELECT greatest(net, addr), least(net, addr) FROM hosts ORDER BY id;
SELECT coalesce(mac, mac8), pg_typeof(coalesce(mac, mac8)) FROM hosts ORDER BY id;
SELECT coalesce(addr, mac) FROM hosts;
SELECT 'x' || addr, addr || 'y', concat(addr, net), format('%s', net) FROM hosts ORDER BY id;
SELECT addr::varchar, net::varchar(5), addr::text::inet FROM hosts ORDER BY id;
SELECT addr FROM hosts WHERE addr = ANY (ARRAY['10.1.2.3/8'::inet, '::1']) ORDER BY id;
SELECT id FROM hosts WHERE addr << ANY (ARRAY['10.0.0.0/8'::cidr, '192.168.0.0/16']) ORDER BY id;
SELECT cidr(addr), inet(net), inet('10.0.0.1'), cidr('10.0.0.0/8'), macaddr('08:00:2b:01:02:03'), macaddr8('08:00:2b:01:02:03'), text('abc') FROM hosts WHERE id = 1;
SELECT family(net), masklen(net), host(net), text(net), abbrev(net) FROM hosts ORDER BY id;
-- cidr compares as inet: an untyped literal with host bits is no cidr error.
SELECT net = '10.1.2.3/8', net < '10.1.2.3/8', nullif(net, '10.0.0.0/8'), pg_typeof(nullif(net, net)) FROM hosts ORDER BY id;
SELECT id FROM hosts WHERE net = '10.0.0.0/8';
SELECT id FROM hosts WHERE net IS DISTINCT FROM '10.0.0.0/8' ORDER BY id;
