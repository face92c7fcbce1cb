-- Advisory locks in one session: results, types, counting, levels,
-- pg_locks, and the unlock WARNING.
SELECT pg_advisory_lock(1);
SELECT pg_typeof(pg_advisory_lock(1)), pg_typeof(pg_try_advisory_lock(1)), pg_typeof(pg_advisory_unlock_all());
SELECT pg_advisory_lock(1) IS NULL, pg_try_advisory_lock(2), pg_try_advisory_lock_shared(3);
SELECT pg_advisory_lock(-1), pg_advisory_lock(1, 2), pg_advisory_lock_shared(5), pg_advisory_lock(4294967296);
SELECT locktype, classid, objid, objsubid, mode, granted, pid = pg_backend_pid(), fastpath
  FROM pg_locks WHERE locktype = 'advisory' ORDER BY classid, objid, objsubid, mode;
-- Locked twice, it takes two unlocks; a third unlocks nothing and warns.
SELECT pg_advisory_lock(10);
SELECT pg_advisory_lock(10);
SELECT pg_advisory_unlock(10);
SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 10;
SELECT pg_advisory_unlock(10);
SELECT pg_advisory_unlock(10);
SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 10;
-- The mode must match: a shared unlock of an exclusive lock warns.
SELECT pg_advisory_unlock_shared(1, 2);
SELECT pg_advisory_unlock(5);
SELECT pg_advisory_unlock_shared(5), pg_advisory_unlock(1, 2);
SELECT pg_advisory_unlock(999), pg_advisory_unlock_shared(999);
SELECT pg_advisory_unlock_all();
SELECT count(*) FROM pg_locks WHERE locktype = 'advisory';
-- NULL keys take nothing.
SELECT pg_advisory_lock(NULL), pg_try_advisory_lock(NULL, 1), pg_advisory_unlock(NULL);
SELECT count(*) FROM pg_locks WHERE locktype = 'advisory';
-- Session locks outlive a rollback.
BEGIN;
SELECT pg_advisory_lock(20);
ROLLBACK;
SELECT objid, mode FROM pg_locks WHERE locktype = 'advisory';
SELECT pg_advisory_unlock(20);
-- Transaction locks go at commit and rollback, and with a savepoint.
BEGIN;
SELECT pg_advisory_xact_lock(30), pg_advisory_xact_lock_shared(31), pg_try_advisory_xact_lock(32), pg_try_advisory_xact_lock_shared(33, 34);
SELECT objid, objsubid, mode FROM pg_locks WHERE locktype = 'advisory' ORDER BY objid;
SELECT pg_advisory_unlock(30);
COMMIT;
SELECT count(*) FROM pg_locks WHERE locktype = 'advisory';
BEGIN;
SELECT pg_advisory_xact_lock(40);
SAVEPOINT s;
SELECT pg_advisory_xact_lock(41);
SELECT pg_advisory_lock(42);
ROLLBACK TO s;
SELECT objid FROM pg_locks WHERE locktype = 'advisory' ORDER BY objid;
ROLLBACK;
SELECT objid FROM pg_locks WHERE locktype = 'advisory' ORDER BY objid;
SELECT pg_advisory_unlock_all();
-- A session lock and a transaction lock on one key are both held.
BEGIN;
SELECT pg_advisory_lock(50), pg_advisory_xact_lock(50);
SELECT pg_advisory_unlock(50), pg_advisory_unlock(50);
SELECT count(*) FROM pg_locks WHERE locktype = 'advisory';
COMMIT;
SELECT count(*) FROM pg_locks WHERE locktype = 'advisory';
-- Overloads: bigint, or two integers.
SELECT pg_advisory_lock('60');
SELECT pg_advisory_unlock(60::int2);
SELECT pg_advisory_lock(1.5);
SELECT pg_advisory_lock(1, 2147483648);
SELECT pg_advisory_lock('a');
SELECT pg_advisory_lock();
SELECT pg_advisory_unlock_all(1);
SELECT pg_try_advisory_xact_unlock(1);
