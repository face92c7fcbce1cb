-- Moving-aggregate mode: CREATE AGGREGATE with MSFUNC/MINVFUNC, used by
-- windows whose frame head moves; logging functions show every call.
CREATE FUNCTION mlog_sfunc(text, anyelement) RETURNS text AS $$ SELECT COALESCE($1, '') || '*' || quote_nullable($2) $$ LANGUAGE SQL IMMUTABLE;
CREATE FUNCTION mlog_msfunc(text, anyelement) RETURNS text AS $$ SELECT COALESCE($1, '') || '+' || quote_nullable($2) $$ LANGUAGE SQL IMMUTABLE;
CREATE FUNCTION mlog_minvfunc(text, anyelement) RETURNS text AS $$ SELECT $1 || '-' || quote_nullable($2) $$ LANGUAGE SQL IMMUTABLE;
CREATE FUNCTION mlog_sfunc_strict(text, anyelement) RETURNS text AS $$ SELECT $1 || '*' || quote_nullable($2) $$ LANGUAGE SQL STRICT IMMUTABLE;
CREATE FUNCTION mlog_msfunc_strict(text, anyelement) RETURNS text AS $$ SELECT $1 || '+' || quote_nullable($2) $$ LANGUAGE SQL STRICT IMMUTABLE;
CREATE FUNCTION mlog_minvfunc_strict(text, anyelement) RETURNS text AS $$ SELECT $1 || '-' || quote_nullable($2) $$ LANGUAGE SQL STRICT IMMUTABLE;
CREATE FUNCTION mlog_final(text) RETURNS text AS $$ SELECT '[' || $1 || ']' $$ LANGUAGE SQL IMMUTABLE;
CREATE FUNCTION mlog_final_int(text) RETURNS int AS $$ SELECT length($1) $$ LANGUAGE SQL IMMUTABLE;
CREATE FUNCTION mnull_inv(int4, int4) RETURNS int4 AS $$ SELECT CASE WHEN $2 = 3 THEN NULL ELSE $1 - $2 END $$ LANGUAGE SQL STRICT IMMUTABLE;
CREATE AGGREGATE mlog_nonstrict (anyelement) (stype = text, sfunc = mlog_sfunc, mstype = text, msfunc = mlog_msfunc, minvfunc = mlog_minvfunc);
CREATE AGGREGATE mlog_init (anyelement) (stype = text, sfunc = mlog_sfunc, mstype = text, msfunc = mlog_msfunc, minvfunc = mlog_minvfunc, initcond = 'I', minitcond = 'MI');
CREATE AGGREGATE mlog_strict (text) (stype = text, sfunc = mlog_sfunc_strict, mstype = text, msfunc = mlog_msfunc_strict, minvfunc = mlog_minvfunc_strict);
CREATE AGGREGATE mlog_fagg (anyelement) (stype = text, sfunc = mlog_sfunc, finalfunc = mlog_final, mstype = text, msfunc = mlog_msfunc, minvfunc = mlog_minvfunc, mfinalfunc = mlog_final);
CREATE AGGREGATE msum_restart (int4) (stype = int4, sfunc = int4pl, mstype = int4, msfunc = int4pl, minvfunc = mnull_inv);
SELECT i, v, mlog_nonstrict(v) OVER w, mlog_init(v) OVER w, mlog_strict(v) OVER w, mlog_fagg(v) OVER w
FROM (VALUES (1, 'a'), (2, NULL), (3, 'b'), (4, 'c'), (5, NULL), (6, NULL), (7, 'd')) t(i, v)
WINDOW w AS (ORDER BY i ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) ORDER BY i;
-- the frame head never moves: the plain implementation
SELECT i, mlog_nonstrict(v) OVER (ORDER BY i) FROM (VALUES (1, 'a'), (2, 'b'), (3, 'c')) t(i, v) ORDER BY i;
-- a volatile argument or filter: restarts with the moving functions' plain twin
SELECT i, mlog_strict(v || CASE WHEN random() < 0 THEN '?' ELSE '' END) OVER w, mlog_strict(v) FILTER (WHERE random() >= 0) OVER w
FROM (VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd')) t(i, v)
WINDOW w AS (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) ORDER BY i;
-- a filter, GROUPS and RANGE frames, an exclusion
SELECT i, mlog_nonstrict(v) FILTER (WHERE i <> 3) OVER (ORDER BY i ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)
FROM (VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd'), (5, 'e')) t(i, v) ORDER BY i;
SELECT i, mlog_nonstrict(v) OVER (ORDER BY i GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW)
FROM (VALUES (1, 'a'), (1, 'b'), (2, 'c'), (3, 'd'), (3, 'e')) t(i, v) ORDER BY i, v;
SELECT i, mlog_nonstrict(v) OVER (ORDER BY i RANGE BETWEEN 1 PRECEDING AND CURRENT ROW)
FROM (VALUES (1, 'a'), (2, 'b'), (2, 'c'), (4, 'd'), (5, 'e')) t(i, v) ORDER BY i, v;
SELECT i, mlog_nonstrict(v) OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE CURRENT ROW)
FROM (VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd')) t(i, v) ORDER BY i;
-- an inverse returning NULL starts the aggregation over
SELECT i, msum_restart(i) OVER (ORDER BY i ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) FROM generate_series(1, 7) i ORDER BY i;
-- partitions
SELECT p, i, mlog_nonstrict(i::text) OVER (PARTITION BY p ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
FROM (VALUES (1, 1), (1, 2), (1, 3), (2, 1), (2, 2)) t(p, i) ORDER BY p, i;
-- definition errors
CREATE AGGREGATE mbad1 (int4) (stype = int4, sfunc = int4pl, mstype = int4, msfunc = int4pl);
CREATE AGGREGATE mbad2 (int4) (stype = int4, sfunc = int4pl, mstype = int4, minvfunc = int4mi);
CREATE AGGREGATE mbad3 (int4) (stype = int4, sfunc = int4pl, msfunc = int4pl);
CREATE AGGREGATE mbad4 (int4) (stype = int4, sfunc = int4pl, minitcond = '0');
CREATE AGGREGATE mbad5 (int4) (stype = int4, sfunc = int4pl, mstype = int4, msfunc = int4pl, minvfunc = mnull_inv);
CREATE AGGREGATE mbad6 (int4) (stype = int4, sfunc = int4pl, mstype = int8, msfunc = int4pl, minvfunc = int4mi);
CREATE AGGREGATE mbad7 (anyelement) (stype = text, sfunc = mlog_sfunc, mstype = text, msfunc = mlog_msfunc, minvfunc = mlog_minvfunc_strict);
CREATE AGGREGATE mbad8 (anyelement) (stype = text, sfunc = mlog_sfunc, finalfunc = mlog_final, mstype = text, msfunc = mlog_msfunc, minvfunc = mlog_minvfunc, mfinalfunc = mlog_final_int);
CREATE AGGREGATE mgood (int4) (stype = int4, sfunc = int4pl, mstype = int4, msfunc = int4pl, minvfunc = int4mi, msspace = 4);
SELECT aggfnoid::regprocedure, aggmtransfn, aggminvtransfn, aggmfinalfn, aggmtranstype::regtype, aggminitval, aggmfinalmodify
FROM pg_aggregate WHERE aggfnoid::text LIKE 'mlog%' OR aggfnoid::text = 'mgood' ORDER BY 1::text;
SELECT i, mgood(i) OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM generate_series(1, 4) i ORDER BY i;
DROP FUNCTION mlog_minvfunc(text, anyelement);
DROP FUNCTION mlog_minvfunc(text, anyelement) CASCADE;
SELECT count(*) FROM pg_aggregate WHERE aggfnoid::text LIKE 'mlog%';
