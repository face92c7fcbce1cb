CREATE TABLE it_a (id int PRIMARY KEY, v text);
CREATE VIEW it_v AS SELECT id FROM it_a;
CREATE SEQUENCE it_s;
SELECT table_catalog = current_database(), table_schema, table_name, table_type, self_referencing_column_name, reference_generation, user_defined_type_catalog, user_defined_type_schema, user_defined_type_name, is_typed, commit_action FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE 'it\_%' ORDER BY table_name;
SELECT COUNT(1) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'it_a' LIMIT 1;
SELECT count(*) FROM information_schema.tables WHERE table_schema = CURRENT_SCHEMA() AND table_name = 'it_a' AND table_type = 'BASE TABLE';
SELECT t.table_name FROM information_schema.tables t WHERE t.table_name LIKE 'it_%' ORDER BY 1;
SELECT catalog_name = current_database(), schema_name, schema_owner FROM information_schema.schemata WHERE schema_name IN ('public', 'pg_catalog') ORDER BY 2;
SELECT * FROM information_schema.nosuch;
