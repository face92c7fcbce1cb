-- random() and setseed(): after setseed the session draws PostgreSQL's own sequence.
select setseed(0.5);
select random(), random();
select setseed(-1);
select random();
select setseed(0);
select random();
select setseed(1.5);
select setseed('nan');
select setseed(null);
select random(1);
select count(distinct random()) from generate_series(1,100);
select random() < 1 and random() >= 0;
create table rnd (id int, r float8 default random());
insert into rnd (id) select g from generate_series(1,50) g;
select count(distinct r) = 50, min(r) >= 0, max(r) < 1 from rnd;
create table rndg (a int, b float8 generated always as (random()) stored);
