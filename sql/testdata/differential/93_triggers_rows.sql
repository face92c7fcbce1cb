-- Row triggers of PL/pgSQL functions: an updated_at trigger, an audit
-- trigger writing a history table, BEFORE triggers changing NEW or
-- skipping the row, firing order by name, WHEN and UPDATE OF, the TG_
-- variables, INSERT ... ON CONFLICT, COPY-free nesting and the recursion
-- limit. Effects are recorded in tables, which the SELECTs compare.
CREATE TABLE acct (id int PRIMARY KEY, owner text NOT NULL, balance numeric NOT NULL DEFAULT 0, created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz);
CREATE TABLE acct_history (n serial PRIMARY KEY, op text, id int, old_balance numeric, new_balance numeric, trig text);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_OP = 'DELETE' THEN INSERT INTO acct_history (op, id, old_balance, trig) VALUES (TG_OP, OLD.id, OLD.balance, TG_NAME); RETURN OLD; ELSIF TG_OP = 'UPDATE' THEN INSERT INTO acct_history (op, id, old_balance, new_balance, trig) VALUES (TG_OP, NEW.id, OLD.balance, NEW.balance, TG_NAME); ELSE INSERT INTO acct_history (op, id, new_balance, trig) VALUES (TG_OP, NEW.id, NEW.balance, TG_NAME); END IF; RETURN NEW; END $$;
CREATE TRIGGER acct_touch BEFORE INSERT OR UPDATE ON acct FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER acct_audit AFTER INSERT OR UPDATE OR DELETE ON acct FOR EACH ROW EXECUTE FUNCTION audit();
INSERT INTO acct (id, owner, balance) VALUES (1, 'ann', 100), (2, 'bob', 50) RETURNING id, owner, balance, updated_at IS NOT NULL AS touched;
UPDATE acct SET balance = balance + 10 WHERE id = 1 RETURNING id, balance, updated_at >= created_at AS later;
DELETE FROM acct WHERE id = 2 RETURNING id, owner;
SELECT op, id, old_balance, new_balance, trig FROM acct_history ORDER BY n;
-- A BEFORE trigger's changes are what is stored and what RETURNING shows;
-- NULL skips the row (and its AFTER triggers).
CREATE FUNCTION normalize() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.balance < 0 THEN RETURN NULL; END IF; NEW.owner := upper(NEW.owner); NEW.balance := round(NEW.balance, 1); RETURN NEW; END $$;
CREATE TRIGGER acct_normalize BEFORE INSERT OR UPDATE ON acct FOR EACH ROW EXECUTE FUNCTION normalize();
INSERT INTO acct (id, owner, balance) VALUES (3, 'cy', 12.345), (4, 'dee', -1) RETURNING id, owner, balance;
UPDATE acct SET balance = -5 WHERE id = 3 RETURNING id;
UPDATE acct SET owner = 'eve' WHERE id = 3 RETURNING id, owner;
SELECT id, owner, balance FROM acct ORDER BY id;
SELECT op, id, new_balance FROM acct_history WHERE n > 3 ORDER BY n;
-- Triggers of one event and timing fire in name order; each sees what the
-- one before it returned.
CREATE TABLE ord (id int PRIMARY KEY, trail text NOT NULL DEFAULT '');
CREATE FUNCTION mark() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.trail := NEW.trail || TG_ARGV[0]; RETURN NEW; END $$;
CREATE TRIGGER zz BEFORE INSERT ON ord FOR EACH ROW EXECUTE FUNCTION mark('z');
CREATE TRIGGER aa BEFORE INSERT ON ord FOR EACH ROW EXECUTE FUNCTION mark('a');
CREATE TRIGGER mm BEFORE INSERT ON ord FOR EACH ROW EXECUTE FUNCTION mark('m');
INSERT INTO ord (id) VALUES (1) RETURNING trail;
-- The TG_ variables.
CREATE TABLE tg_seen (n serial PRIMARY KEY, name text, tg_when text, lvl text, op text, relname text, tbl text, sch text, nargs int, argv text, relid_ok bool);
CREATE FUNCTION seen() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO tg_seen (name, tg_when, lvl, op, relname, tbl, sch, nargs, argv, relid_ok) VALUES (TG_NAME, TG_WHEN, TG_LEVEL, TG_OP, TG_RELNAME, TG_TABLE_NAME, TG_TABLE_SCHEMA, TG_NARGS, array_to_string(TG_ARGV, ','), TG_RELID = 'ord'::regclass); RETURN NULL; END $$;
CREATE TRIGGER s1 AFTER UPDATE ON ord FOR EACH ROW EXECUTE FUNCTION seen('x', 'y');
CREATE TRIGGER s2 BEFORE DELETE ON ord FOR EACH STATEMENT EXECUTE FUNCTION seen();
UPDATE ord SET trail = 'q';
DELETE FROM ord WHERE false;
SELECT name, tg_when, lvl, op, relname, tbl, sch, nargs, argv, relid_ok FROM tg_seen ORDER BY n;
-- WHEN and UPDATE OF.
CREATE TABLE watched (id int PRIMARY KEY, a int, b int);
CREATE TABLE watch_log (n serial PRIMARY KEY, what text);
CREATE FUNCTION watch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO watch_log (what) VALUES (TG_NAME || ':' || NEW.id); RETURN NEW; END $$;
CREATE TRIGGER w_a_changed AFTER UPDATE ON watched FOR EACH ROW WHEN (OLD.a IS DISTINCT FROM NEW.a) EXECUTE FUNCTION watch();
CREATE TRIGGER w_of_b BEFORE UPDATE OF b ON watched FOR EACH ROW EXECUTE FUNCTION watch();
CREATE TRIGGER w_any AFTER UPDATE ON watched FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION watch();
INSERT INTO watched VALUES (1, 1, 1), (2, 2, 2);
UPDATE watched SET a = a WHERE id = 1;
UPDATE watched SET a = 5 WHERE id = 1;
UPDATE watched SET b = b WHERE id = 2;
SELECT what FROM watch_log ORDER BY n;
-- INSERT ... ON CONFLICT fires BEFORE INSERT for each proposed row, then
-- BEFORE UPDATE for a conflicting one; AFTER triggers for what was done.
CREATE TABLE ups (k int PRIMARY KEY, v text);
CREATE TABLE ups_log (n serial PRIMARY KEY, what text);
CREATE FUNCTION ups_trace() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO ups_log (what) VALUES (TG_WHEN || ' ' || TG_OP || ' ' || NEW.k || ' ' || NEW.v); IF TG_WHEN = 'BEFORE' AND TG_OP = 'UPDATE' THEN NEW.v := NEW.v || '!'; END IF; RETURN NEW; END $$;
CREATE TRIGGER ups_b BEFORE INSERT OR UPDATE ON ups FOR EACH ROW EXECUTE FUNCTION ups_trace();
CREATE TRIGGER ups_a AFTER INSERT OR UPDATE ON ups FOR EACH ROW EXECUTE FUNCTION ups_trace();
INSERT INTO ups VALUES (1, 'one') ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v || ' again';
INSERT INTO ups VALUES (1, 'uno'), (2, 'two') ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v RETURNING k, v;
INSERT INTO ups VALUES (2, 'dos') ON CONFLICT (k) DO NOTHING;
SELECT what FROM ups_log ORDER BY n;
-- Nesting: a trigger's statements fire other triggers; runaway recursion
-- ends with 54001.
CREATE TABLE chain_a (x int);
CREATE TABLE chain_b (x int);
CREATE FUNCTION to_b() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO chain_b VALUES (NEW.x * 10); RETURN NULL; END $$;
CREATE FUNCTION from_b() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE chain_a SET x = x + 1 WHERE x = NEW.x / 10; RETURN NULL; END $$;
CREATE TRIGGER a_to_b AFTER INSERT ON chain_a FOR EACH ROW EXECUTE FUNCTION to_b();
CREATE TRIGGER b_back BEFORE INSERT ON chain_b FOR EACH ROW EXECUTE FUNCTION from_b();
INSERT INTO chain_a VALUES (1), (2);
SELECT x FROM chain_a ORDER BY x;
SELECT count(*) FROM chain_b;
CREATE TABLE forever (x int);
CREATE FUNCTION again() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO forever VALUES (NEW.x + 1); RETURN NEW; END $$;
CREATE TRIGGER forever_again BEFORE INSERT ON forever FOR EACH ROW EXECUTE FUNCTION again();
INSERT INTO forever VALUES (1);
SELECT count(*) FROM forever;
-- A trigger function is not called as a function.
SELECT touch();
-- Errors in a trigger abort the statement.
CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused %', NEW.id USING ERRCODE = 'check_violation'; END $$;
CREATE TRIGGER acct_refuse BEFORE DELETE ON acct FOR EACH ROW WHEN (OLD.balance > 100) EXECUTE FUNCTION refuse();
DELETE FROM acct WHERE id = 1;
CREATE FUNCTION no_return() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NULL; END $$;
CREATE TRIGGER acct_no_return BEFORE UPDATE ON acct FOR EACH ROW EXECUTE FUNCTION no_return();
UPDATE acct SET balance = 0;
SELECT id, balance FROM acct ORDER BY id;
