-- The regression and covariance aggregates and their transition functions.
CREATE TABLE rg (x float8, y float8, g int);
INSERT INTO rg VALUES (10, 150, 1), (20, 250, 1), (30, 350, 1), (80, 540, 2), (100, 200, 2), (NULL, 7, 2), (5, NULL, 2);
SELECT regr_count(y, x), regr_sxx(y, x), regr_syy(y, x), regr_sxy(y, x) FROM rg;
SELECT regr_avgx(y, x), regr_avgy(y, x), regr_r2(y, x), regr_slope(y, x), regr_intercept(y, x) FROM rg;
SELECT covar_pop(y, x), covar_samp(y, x), corr(y, x) FROM rg;
SELECT g, regr_count(y, x), regr_slope(y, x), covar_samp(y, x), corr(y, x) FROM rg GROUP BY g ORDER BY g;
SELECT regr_count(y, x), regr_sxx(y, x), covar_pop(y, x), covar_samp(y, x), corr(y, x) FROM rg WHERE false;
SELECT covar_pop(1::float8, 2::float8), covar_samp(3::float8, 4::float8);
SELECT covar_pop(1::float8, 'inf'::float8), covar_samp(3::float8, 'inf'::float8);
SELECT covar_pop(1::float8, 'nan'::float8), corr(1::float8, 'nan'::float8);
-- Integer and numeric arguments are cast to double precision.
SELECT regr_count(g, g), regr_avgx(g, 1.5), corr(g, x::int) FROM rg;
-- A horizontal or vertical line has no correlation; r2 of a horizontal one is 1.
SELECT corr(1, x), regr_r2(1, x), regr_slope(x, 1) FROM rg;
SELECT regr_count(y, x) FILTER (WHERE g = 1), regr_count(DISTINCT y, x) FROM rg;
SELECT x, regr_count(y, x) OVER (ORDER BY x), regr_sxx(y, x) OVER (ORDER BY x) FROM rg ORDER BY x;
SELECT regr_count('a'::text, 'b'::text);
SELECT float8_accum('{4,140,2900}'::float8[], 100);
SELECT float8_regr_accum('{4,140,2900,1290,83075,15050}'::float8[], 200, 100);
SELECT float8_combine('{3,60,200}'::float8[], '{0,0,0}'::float8[]);
SELECT float8_combine('{3,60,200}'::float8[], '{2,180,200}'::float8[]);
SELECT float8_regr_combine('{3,60,200,750,20000,2000}'::float8[], '{2,180,200,740,57800,-3400}'::float8[]);
SELECT float8_regr_combine('{0,0,0,0,0,0}'::float8[], '{2,180,200,740,57800,-3400}'::float8[]);
