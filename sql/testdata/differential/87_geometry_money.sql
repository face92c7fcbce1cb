-- The geometric types and money.
CREATE TABLE shapes (id int PRIMARY KEY, p point, s lseg, l line, b box, o path, c path, g polygon, r circle);
INSERT INTO shapes VALUES
  (1, '(1,2)', '[(1,2),(3,4)]', '{1,-1,1}', '(2,2),(0,0)', '[(0,0),(3,0),(4,5)]', '((1,2),(3,4))', '((0,0),(0,3),(3,3),(3,0))', '<(5,1),3>'),
  (2, '-3, 4', '(0,0),(6,6)', '[(1,3),(2,3)]', '(1,1,3,3)', '[1,2,3, 4]', '1,2 ,3,4', '(2.0,0.0),(2.0,4.0),(0.0,0.0)', '1,3,5'),
  (3, ' ( Nan , NaN ) ', '[-1e6,2e2,3e5, -4e1]', '(0,0),(6,6)', '((-8, 2), (-2, -10))', '[(1,2)]', '((10,20))', '(0.0,1.0),(0.0,1.0)', '((1,2),3)'),
  (4, '(1e-300,-1e-300)', '[(NaN,1),(NaN,90)]', '{3,NaN,5}', '(3.0, 3.0,3.0,3.0)', '[ 11,12,13,14 ]', '( 11,12,13,14) ', '(1,1)', '<(3,5),0>'),
  (5, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
SELECT * FROM shapes ORDER BY id;
SET extra_float_digits = 0;
SELECT id, p, p[0], p[1], p[2], s[0], s[1], b[0], b[1], l[2] FROM shapes ORDER BY id;
SET extra_float_digits = -3;
SELECT id, p <-> point '(0,0)', p <-> s, p <-> l, p <-> b, p <-> o, p <-> g, p <-> r FROM shapes ORDER BY id;
SELECT id, s <-> l, s <-> b, s <-> s, b <-> b, o <-> c, g <-> g, r <-> r, r <-> g FROM shapes ORDER BY id;
SELECT id, p ## s, p ## l, p ## b, s ## b, l ## s, s # s, l # l FROM shapes ORDER BY id;
RESET extra_float_digits;
SELECT id, p + point '(1,1)', p - point '(1,1)', p * point '(0,1)', p / point '(2,0)' FROM shapes WHERE id < 4 ORDER BY id;
SELECT id, b + p, b - p, b * point '(2,1)', b / point '(2,0)', r + p, r * point '(0,2)', o + point '(1,1)' FROM shapes WHERE id < 4 ORDER BY id;
SELECT id, p << point '(0,0)', p >> point '(0,0)', p <^ point '(0,0)', p >^ point '(0,0)', p ~= point '(1,2)', p <> point '(1,2)', p ?- point '(0,2)', p ?| point '(1,0)' FROM shapes ORDER BY id;
SELECT id, p <@ b, b @> p, p <@ g, g @> p, p <@ r, r @> p, p <@ o, p <@ s, p <@ l FROM shapes ORDER BY id;
SELECT a.id, x.id, a.b && x.b, a.b << x.b, a.b >> x.b, a.b &< x.b, a.b &> x.b, a.b <<| x.b, a.b |>> x.b, a.b &<| x.b, a.b |&> x.b, a.b @> x.b, a.b <@ x.b, a.b ~= x.b
  FROM shapes a, shapes x WHERE a.id < 5 AND x.id < 5 ORDER BY 1, 2;
SELECT a.id, x.id, a.b = x.b, a.b < x.b, a.b <= x.b, a.b > x.b, a.b >= x.b, a.b <^ x.b, a.b >^ x.b, a.b # x.b
  FROM shapes a, shapes x WHERE a.id < 5 AND x.id < 5 ORDER BY 1, 2;
SELECT a.id, x.id, a.g && x.g, a.g @> x.g, a.g <@ x.g, a.g ~= x.g, a.g << x.g, a.g &> x.g, a.r && x.r, a.r @> x.r, a.r = x.r, a.r < x.r, a.r ~= x.r
  FROM shapes a, shapes x WHERE a.id < 5 AND x.id < 5 ORDER BY 1, 2;
SELECT a.id, x.id, a.s = x.s, a.s < x.s, a.s ?# x.s, a.s ?|| x.s, a.s ?-| x.s, a.l = x.l, a.l ?|| x.l, a.l ?-| x.l, a.l ?# x.l, a.o = x.o, a.o < x.o, a.o ?# x.c
  FROM shapes a, shapes x WHERE a.id < 5 AND x.id < 5 ORDER BY 1, 2;
SELECT id, ?- s, ?| s, ?- l, ?| l, @-@ s, @-@ o, @@ s, @@ b, @@ g, @@ r, # o, # g FROM shapes ORDER BY id;
SELECT id, area(b), area(c), area(o), area(r), center(b), center(r), diameter(r), radius(r), height(b), width(b), length(s), length(o) FROM shapes ORDER BY id;
SELECT id, npoints(o), npoints(g), isclosed(o), isopen(c), pclose(o), popen(c), diagonal(b), bound_box(b, box '(10,10),(9,9)') FROM shapes ORDER BY id;
SELECT id, box(p), box(g), box(r), circle(b), circle(g), circle(p, 2), polygon(b), polygon(c), path(g), point(s), point(b), point(g), point(r), lseg(b) FROM shapes WHERE id < 4 ORDER BY id;
SELECT polygon(4, circle '<(0,0),1>'), circle '<(1,1),2>'::polygon, box(point '(1,2)', point '(0,0)'), lseg(point '(1,2)', point '(3,4)'), line(point '(1,2)', point '(3,4)'), point(1.5, 2);
SELECT slope(point '(0,0)', point '(1,2)'), slope(point '(0,0)', point '(0,2)'), isvertical(point '(1,0)', point '(1,5)'), ishorizontal(lseg '[(0,0),(1,0)]'), isparallel(line '{1,1,0}', line '{2,2,5}'), isperp(lseg '[(0,0),(1,0)]', lseg '[(0,0),(0,1)]');
-- Casts between the geometric types, as pg_cast lists them.
SELECT p::box, s::point, b::point, b::lseg, b::polygon, b::circle, g::point, g::path, g::box, g::circle, r::point, r::box, c::polygon FROM shapes WHERE id = 1;
SELECT '(1,2)'::point::text, point '(1,2)'::text, '[(1,2),(3,4)]'::lseg::varchar;
-- Arrays; box arrays use ';' between elements.
SELECT ARRAY[p, point '(0,0)'], ARRAY[b, box '(1,1),(0,0)'], ARRAY[r] FROM shapes WHERE id = 1;
SELECT '{"(1,2)","(3,4)"}'::point[], '{(1,1),(0,0);(2,2),(1,1)}'::box[], ('{(1,1),(0,0);(2,2),(1,1)}'::box[])[2];
-- Bad input: 22P02 with PostgreSQL's messages, 22003 out of range.
SELECT 'asdfasdf'::point;
SELECT '(10.0 10.0)'::point;
SELECT '(10.0, 10.0) x'::point;
SELECT '(10.0, 1e+500)'::point;
SELECT '[(1,2),(3,4)'::lseg;
SELECT '(2.3, 4.5)'::box;
SELECT '[1, 2, 3, 4)'::box;
SELECT '[]'::path;
SELECT '(1,2),(3,4)]'::path;
SELECT '(0,1,2)'::polygon;
SELECT '{0,0,1}'::line;
SELECT '[(1,2),(1,2)]'::line;
SELECT '<(-100,0),-100>'::circle;
SELECT '<(100,200),10> x'::circle;
-- Errors of the operators and functions.
SELECT point '(1,2)' / point '(0,0)';
SELECT point '(1e-300,1)' * point '(1e-300,1)';
SELECT path '[(1,2),(3,4)]'::polygon;
SELECT polygon(1, circle '<(0,0),1>');
SELECT polygon(4, circle '<(0,0),0>');
SELECT line(point '(1,1)', point '(1,1)');
SELECT point '(1,2)' = point '(1,2)';
SELECT point '(1,2)' < point '(1,2)';
SELECT p::lseg FROM shapes;
SELECT s::box FROM shapes;
-- No btree operator class: no ORDER BY, DISTINCT or btree index on them.
SELECT p FROM shapes ORDER BY p;
SELECT DISTINCT p FROM shapes;
SELECT b FROM shapes ORDER BY b;
CREATE INDEX ON shapes (p);
CREATE INDEX ON shapes USING hash (b);
SELECT min(p) FROM shapes;
-- money in the C locale.
CREATE TABLE wallet (id int PRIMARY KEY, m money);
INSERT INTO wallet VALUES (1, '123'), (2, '$1,000.00'), (3, '-1'), (4, '($123,456.78)'), (5, '$123.455'), (6, NULL), (7, 12.345), (8, 42);
SELECT * FROM wallet ORDER BY id;
SELECT * FROM wallet ORDER BY m, id;
SELECT sum(m), min(m), max(m), count(m) FROM wallet;
SELECT id, m + '1.23', m - '$0.50', m * 2, 2 * m, m * 2.5::float8, m / 3, m / 3::float8, m / '2'::money, m * 3::int2, m / 3::int8 FROM wallet ORDER BY id;
SELECT id, m = '$123.00', m <> '$123.00', m < '$124.00', m >= '$1,000', cashlarger(m, '$124.00'), cashsmaller(m, '$124.00') FROM wallet ORDER BY id;
SELECT id, cash_words(m) FROM wallet ORDER BY id;
SELECT id, m::numeric, m::numeric(10,1) FROM wallet ORDER BY id;
SELECT 1234567890::money, (-12345678901234567)::int8::money, 12.345::numeric::money, money(5), money(12.5), '-92233720368547758.08'::money, '92233720368547758.07'::money;
SELECT DISTINCT m FROM wallet WHERE m > '$0' ORDER BY m;
CREATE INDEX wallet_m ON wallet (m);
SELECT id FROM wallet WHERE m = '$123.00';
SELECT '1e300'::money;
SELECT '12x'::money;
SELECT '92233720368547758.08'::money;
SELECT '-92233720368547758.09'::money;
SELECT '9223372036854775807'::money;
SELECT '92233720368547758.07'::money + '0.01';
SELECT '90000000000000000'::money * 1000;
SELECT '92233720368547758.07'::money * 2.0::float8;
SELECT '1'::money / 0;
SELECT '1'::money / 0::float8;
SELECT '1'::money / '0'::money;
SELECT 92233720368547758::int8::money;
SELECT m + 1 FROM wallet;
SELECT m::int4 FROM wallet;
SELECT avg(m) FROM wallet;
-- INSERT ... SELECT *, 'literal': the literal goes to the column after the expanded ones.
CREATE TABLE roads (name text, thepath path);
INSERT INTO roads VALUES ('Main St', '[(-122.0265,37.049),(-122.0271,37.045)]'), ('Oak Ave', '((0,0),(1,1))');
CREATE TABLE sroads (name text, thepath path, surface text);
INSERT INTO sroads SELECT *, 'asphalt' FROM roads;
SELECT name, thepath, surface, thepath <-> point '(0,0)' FROM sroads ORDER BY name;
SELECT p FROM shapes GROUP BY p;
SELECT p FROM shapes UNION SELECT point '(1,2)';
SELECT p FROM shapes UNION ALL SELECT point '(1,2)' ORDER BY 1;
SELECT count(*) FROM (SELECT p FROM shapes UNION ALL SELECT point '(1,2)') s;
SELECT m FROM wallet GROUP BY m ORDER BY m;
SELECT m FROM wallet UNION SELECT '$5' ORDER BY 1;
