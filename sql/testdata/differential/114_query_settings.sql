-- force_parallel_mode, a PostgreSQL 15 planner setting scripts set.
SET force_parallel_mode = on;
SHOW force_parallel_mode;
SET force_parallel_mode = regress;
SHOW force_parallel_mode;
SET force_parallel_mode = false;
SHOW force_parallel_mode;
SET force_parallel_mode = bogus;
RESET force_parallel_mode;
SHOW force_parallel_mode;
