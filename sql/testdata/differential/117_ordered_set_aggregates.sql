-- Ordered-set and hypothetical-set aggregates: WITHIN GROUP (ORDER BY ...).
CREATE TABLE os (g int, x int, f float8, s text);
INSERT INTO os VALUES (1, 1, 1.5, 'fred'), (1, 1, 2.5, 'jim'), (1, 2, NULL, 'fred'), (1, 2, 4, 'jack'),
  (2, 3, 5, 'jill'), (2, 3, 6, 'fred'), (2, 4, 7, NULL), (2, NULL, 8, 'jim'), (2, 5, 9, 'sue');
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x), percentile_disc(0.5) WITHIN GROUP (ORDER BY x) FROM os;
SELECT g, percentile_cont(0.25) WITHIN GROUP (ORDER BY f), percentile_disc(0.75) WITHIN GROUP (ORDER BY f) FROM os GROUP BY g ORDER BY g;
SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY x DESC) FROM os;
SELECT percentile_disc(array[0, 0.1, 0.25, 0.5, 0.75, 0.9, 1]) WITHIN GROUP (ORDER BY x) FROM os;
SELECT percentile_cont(array[0, 0.25, 0.5, 0.75, 1]) WITHIN GROUP (ORDER BY f) FROM os;
SELECT percentile_disc(array[[NULL, 1, 0.5], [0.75, 0.25, NULL]]) WITHIN GROUP (ORDER BY x) FROM os;
SELECT percentile_disc(array[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY s) FROM os;
SELECT percentile_cont(NULL) WITHIN GROUP (ORDER BY f) FROM os;
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY f) FROM os WHERE false;
SELECT percentile_cont(1.5) WITHIN GROUP (ORDER BY f) FROM os;
SELECT g, mode() WITHIN GROUP (ORDER BY s) FROM os GROUP BY g ORDER BY g;
SELECT mode() WITHIN GROUP (ORDER BY x) FROM os;
SELECT rank(3) WITHIN GROUP (ORDER BY x), dense_rank(3) WITHIN GROUP (ORDER BY x) FROM os;
SELECT percent_rank(3) WITHIN GROUP (ORDER BY x), cume_dist(3) WITHIN GROUP (ORDER BY x) FROM os;
SELECT rank(3) WITHIN GROUP (ORDER BY x DESC NULLS LAST), rank(3) WITHIN GROUP (ORDER BY x NULLS FIRST) FROM os;
SELECT percent_rank(0) WITHIN GROUP (ORDER BY x), cume_dist(0) WITHIN GROUP (ORDER BY x), rank(0) WITHIN GROUP (ORDER BY x) FROM os WHERE false;
SELECT g, rank(g) WITHIN GROUP (ORDER BY x) FROM os GROUP BY g ORDER BY g;
SELECT rank('fred') WITHIN GROUP (ORDER BY s), rank('adam'::varchar) WITHIN GROUP (ORDER BY s), rank('3') WITHIN GROUP (ORDER BY x) FROM os;
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY f) FILTER (WHERE g = 1) FROM os;
SELECT rank(1, 'jim') WITHIN GROUP (ORDER BY g, s), dense_rank(2, NULL) WITHIN GROUP (ORDER BY g, s),
  cume_dist(2, 'fred') WITHIN GROUP (ORDER BY g DESC, s) FROM os;
SELECT g, rank(1, 2, 'jim') WITHIN GROUP (ORDER BY g, x, s) FROM os GROUP BY ROLLUP (g) ORDER BY g;
-- Errors.
SELECT rank(3) WITHIN GROUP (ORDER BY s) FROM os;
SELECT rank('fred') WITHIN GROUP (ORDER BY x) FROM os;
SELECT rank(3) WITHIN GROUP (ORDER BY x, s) FROM os;
SELECT sum(x) WITHIN GROUP (ORDER BY x) FROM os;
SELECT percentile_cont(0.5, 0.5) FROM os;
SELECT percentile_cont(0.5) FROM os;
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY s) FROM os;
-- Aggregate syntax on a function that is missing (42883, found first) or
-- not an aggregate (42809).
SELECT no_such_agg(*) FROM os;
SELECT no_such_agg(DISTINCT x, s ORDER BY s) FROM os;
SELECT no_such_agg(x ORDER BY s USING ~<~) FROM os;
SELECT no_such_agg(x) FILTER (WHERE x > 1) FROM os;
SELECT lower(DISTINCT s) FROM os;
SELECT lower(*) FROM os;
SELECT lower(s ORDER BY s) FROM os;
SELECT lower(s) FILTER (WHERE x > 1) FROM os;
-- Direct arguments are evaluated per group: only grouped columns.
SELECT rank(x) WITHIN GROUP (ORDER BY x) FROM os;
SELECT g, rank(x) WITHIN GROUP (ORDER BY x) FROM os GROUP BY g;
SELECT g, percentile_disc(g / 4.0) WITHIN GROUP (ORDER BY x) FROM os GROUP BY g ORDER BY g;
SELECT g % 2, rank(g % 2) WITHIN GROUP (ORDER BY x) FROM os GROUP BY g % 2 ORDER BY 1;
