"""Runs psycopg2 and psycopg 3 against the server at sys.argv[1] (a libpq
URL) and prints a transcript: what each call returned, or the SQLSTATE and
message of its error. clienttest compares the transcripts of PostgreSQL 15
and cairn line by line."""

import datetime
import decimal
import io
import logging
import sys
import uuid

import psycopg
import psycopg2
import psycopg2.extensions
import psycopg2.extras

DSN = sys.argv[1]
# psycopg logs "error ignored terminating <Pipeline>" when a failed
# pipeline's error reaches the client before the block ends rather than at
# its end, which depends on timing alone.
logging.getLogger("psycopg").setLevel(logging.ERROR)
TS = datetime.datetime(2024, 2, 29, 13, 14, 15, 123456, tzinfo=datetime.timezone.utc)
D = datetime.date(2024, 3, 1)
U = uuid.UUID("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")


def out(*args):
    print(*args, flush=True)


def err(what, e):
    code = getattr(e, "pgcode", None) or getattr(getattr(e, "diag", None), "sqlstate", None)
    msg = str(e).splitlines()[0] if str(e) else type(e).__name__
    out(f"{what}: {type(e).__name__} {code} {msg}")


def show(v):
    """A value and its Python type, the same for both servers."""
    if isinstance(v, datetime.datetime) and v.tzinfo is not None:
        v = v.astimezone(datetime.timezone.utc)
    if isinstance(v, (bytes, memoryview)):
        v = bytes(v).hex()
    return f"{type(v).__name__}:{v!r}"


def psycopg2_part():
    out("== psycopg2", psycopg2.__version__.split()[0])
    # libpq's default sslmode (prefer) asks for TLS and goes on without.
    for mode in ("prefer", "allow"):
        c = psycopg2.connect(DSN.replace("sslmode=disable", "sslmode=" + mode))
        cu = c.cursor()
        cu.execute("select 1")
        out(f"sslmode={mode}:", cu.fetchone(), c.get_parameter_status("server_encoding"))
        c.close()
    try:
        psycopg2.connect(DSN.replace("sslmode=disable", "sslmode=require"))
    except psycopg2.Error as e:
        out("sslmode=require:", type(e).__name__, str(e).strip().splitlines()[-1].split(" failed: ")[-1])
    psycopg2.extras.register_uuid()
    conn = psycopg2.connect(DSN)
    cur = conn.cursor()
    cur.execute("""create table py2 (i4 int4 primary key, i8 int8, t text, b bool, f8 float8,
        n numeric(12,4), ts timestamptz, d date, by bytea, u uuid, j jsonb, ta text[])""")
    cur.execute("insert into py2 values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (42, 2**40, "héllo 'q' \\ %", True, 3.14159, decimal.Decimal("12345.6789"), TS, D,
                 psycopg2.Binary(b"\x00\x01\xff"), U, psycopg2.extras.Json({"k": [1, 2]}), ["a", "b c", 'q"t']))
    out("insert:", cur.rowcount, cur.statusmessage)
    cur.executemany("insert into py2 (i4, t) values (%(i)s, %(t)s)", [{"i": i, "t": f"m{i}"} for i in range(100, 105)])
    out("executemany:", cur.rowcount)
    conn.commit()
    cur.execute("select * from py2 where i4 = %s", (42,))
    out("columns:", [(c.name, c.type_code) for c in cur.description])
    out("row:", [show(v) for v in cur.fetchone()])
    cur.execute("select null::int, %s::text, %s, %s", (None, None, [1, 2]))
    out("nulls:", [show(v) for v in cur.fetchone()])
    conn.rollback()

    # Errors: the transaction is aborted until rollback.
    try:
        cur.execute("insert into py2 (i4) values (42)")
    except psycopg2.Error as e:
        err("duplicate", e)
    try:
        cur.execute("select 1")
    except psycopg2.Error as e:
        err("aborted", e)
    conn.rollback()
    out("status after rollback:", conn.get_transaction_status())

    # Named (server-side) cursors: DECLARE ... WITHOUT HOLD, FETCH FORWARD n.
    sc = conn.cursor("srvcur")
    sc.itersize = 2
    sc.execute("select i4, t from py2 where i4 >= %s order by i4", (100,))
    out("fetchmany:", sc.fetchmany(3))
    out("fetchone:", sc.fetchone())
    out("rest:", [r for r in sc])
    sc.close()
    wh = conn.cursor("holdcur", withhold=True)
    wh.execute("select g from generate_series(1, 5) g")
    out("withhold first:", wh.fetchone())
    conn.commit()
    out("withhold after commit:", wh.fetchall())
    wh.close()
    sc = conn.cursor("scrollcur", scrollable=True)
    sc.execute("select g from generate_series(1, 10) g")
    sc.scroll(5, mode="absolute")
    out("scroll:", sc.fetchone())
    sc.close()
    conn.rollback()

    # COPY.
    buf = io.StringIO()
    cur.copy_expert("COPY (select i4, t, ta from py2 where i4 >= 100 order by i4) TO STDOUT", buf)
    out("copy to:", repr(buf.getvalue()))
    cur.copy_expert("COPY py2 (i4, t, n) FROM STDIN WITH (FORMAT csv, HEADER)",
                    io.StringIO('i4,t,n\n200,"a,b",1.5\n201,,\n'))
    out("copy from:", cur.rowcount)
    cur.copy_from(io.StringIO("300\tx\\ty\n301\t\\N\n"), "py2", columns=("i4", "t"))
    out("copy_from:", cur.rowcount)
    try:
        cur.copy_expert("COPY py2 (i4) FROM STDIN", io.StringIO("nope\n"))
    except psycopg2.Error as e:
        err("bad copy", e)
    conn.rollback()

    # Transactions and their modes.
    conn.set_session(isolation_level="SERIALIZABLE", readonly=True)
    cur.execute("show transaction_isolation")
    out("isolation:", cur.fetchone())
    try:
        cur.execute("insert into py2 (i4) values (7)")
    except psycopg2.Error as e:
        err("read only", e)
    conn.rollback()
    conn.set_session(isolation_level="DEFAULT", readonly="DEFAULT")
    conn.autocommit = True
    cur.execute("insert into py2 (i4) values (8)")
    conn.autocommit = False
    cur.execute("select count(*) from py2 where i4 = 8")
    out("autocommitted:", cur.fetchone())
    conn.rollback()

    # Notifications, read with poll().
    conn.autocommit = True
    cur.execute("LISTEN py_ch")
    other = psycopg2.connect(DSN)
    oc = other.cursor()
    oc.execute("NOTIFY py_ch, 'from psycopg2'")
    oc.execute("select pg_notify('py_ch', %s)", ("second",))
    other.commit()
    import select
    got = []
    while len(got) < 2:
        if select.select([conn], [], [], 10) == ([], [], []):
            break
        conn.poll()
        while conn.notifies:
            n = conn.notifies.pop(0)
            got.append((n.channel, n.payload, n.pid == other.get_backend_pid()))
    out("notifies:", got)
    other.close()
    conn.close()


def psycopg3_part():
    out("== psycopg", psycopg.__version__)
    conn = psycopg.connect(DSN)
    cur = conn.cursor()
    cur.execute("""create table py3 (i4 int4 primary key, i8 int8, t text, b bool, f8 float8,
        n numeric(12,4), ts timestamptz, d date, by bytea, u uuid, j jsonb, ta text[])""")
    row = (42, 2**40, "héllo 'q' \\", True, 3.14159, decimal.Decimal("12345.6789"), TS, D, b"\x00\x01\xff", U,
           psycopg.types.json.Jsonb({"k": [1, 2]}), ["a", "b c", 'q"t'])
    cur.execute("insert into py3 values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", row)
    out("insert:", cur.rowcount, cur.statusmessage)
    cur.execute("insert into py3 (i4, t, b) values (%(i)s, %(t)s, %(b)s)", {"i": 43, "t": None, "b": False})
    cur.executemany("insert into py3 (i4, t) values (%s, %s)", [(i, f"m{i}") for i in range(100, 105)])
    out("executemany:", cur.rowcount)
    conn.commit()
    for binary in (False, True):
        c = conn.cursor(binary=binary)
        c.execute("select * from py3 where i4 = %s", (42,))
        out("binary" if binary else "text", "columns:", [(d.name, d.type_code) for d in c.description])
        out("binary" if binary else "text", "row:", [show(v) for v in c.fetchone()])
    cur.execute("select %s + 1, %s || 'x', %s::int8 * 2, %s, %s", (41, "a", 2**40, 2**70, -1.5))
    out("params:", [show(v) for v in cur.fetchone()])
    cur.execute("select %b, %t", (b"\x01\x02", "text"))
    out("binary param:", [show(v) for v in cur.fetchone()])
    conn.rollback()

    # Prepared statements: the fifth execution (prepare_threshold) prepares.
    for i in range(6):
        cur.execute("select i4 from py3 where i4 = %s", (42,))
        cur.fetchone()
    cur.execute("select t from py3 where i4 = %s", (100,), prepare=True)
    out("prepared:", cur.fetchone())
    # Beyond prepared_max statements psycopg evicts the oldest with
    # DEALLOCATE.
    conn.prepared_max, conn.prepare_threshold = 2, 0
    out("evicted:", [conn.execute(f"select {i} + %s", (1,)).fetchone()[0] for i in range(5)])
    conn.prepared_max, conn.prepare_threshold = 100, 5
    conn.rollback()

    # Errors.
    try:
        cur.execute("insert into py3 (i4) values (%s)", (42,))
    except psycopg.Error as e:
        err("duplicate", e)
    conn.rollback()
    try:
        cur.execute("select 1/%s", (0,))
    except psycopg.Error as e:
        err("division", e)
    conn.rollback()

    # Server-side cursors.
    with conn.cursor(name="ssc") as sc:
        sc.itersize = 2
        sc.execute("select i4, t from py3 where i4 >= %s order by i4", (100,))
        out("ssc fetchmany:", sc.fetchmany(2))
        out("ssc rest:", sc.fetchall())
    with conn.cursor(name="sscs", scrollable=True) as sc:
        sc.execute("select g from generate_series(1, 10) g")
        sc.scroll(7, mode="absolute")
        out("ssc scroll:", sc.fetchone())
    conn.rollback()

    # COPY.
    with cur.copy("COPY py3 (i4, t, ta, ts) FROM STDIN") as cp:
        cp.write_row((200, "tab\there", ["x", "y z"], TS))
        cp.write_row((201, None, None, None))
    out("copy rows:", cur.rowcount)
    with cur.copy("COPY (select i4, t, ta from py3 where i4 >= 200 order by i4) TO STDOUT") as cp:
        out("copy to:", [r for r in cp.rows()])
    with cur.copy("COPY py3 (i4, t) FROM STDIN (FORMAT BINARY)") as cp:
        cp.set_types(["int4", "text"])
        cp.write_row((210, "binary"))
    with cur.copy("COPY (select i4, t from py3 where i4 = 210) TO STDOUT (FORMAT BINARY)") as cp:
        cp.set_types(["int4", "text"])
        out("binary copy:", [r for r in cp.rows()])
    conn.commit()

    # Transactions: nested blocks use savepoints.
    conn.autocommit = True
    with conn.transaction():
        cur.execute("insert into py3 (i4) values (300)")
        try:
            with conn.transaction():
                cur.execute("insert into py3 (i4) values (301)")
                cur.execute("insert into py3 (i4) values (300)")
        except psycopg.Error as e:
            err("inner block", e)
        cur.execute("insert into py3 (i4) values (302)")
    cur.execute("select array_agg(i4 order by i4) from py3 where i4 between 300 and 309")
    out("after the blocks:", cur.fetchone())
    try:
        with conn.transaction():
            cur.execute("insert into py3 (i4) values (303)")
            raise ValueError("roll back")
    except ValueError:
        pass
    cur.execute("select count(*) from py3 where i4 = 303")
    out("rolled back:", cur.fetchone())

    # Pipeline mode.
    with conn.pipeline():
        c1 = conn.cursor()
        c1.execute("insert into py3 (i4, t) values (%s, %s)", (400, "p"))
        c2 = conn.cursor()
        c2.execute("select t from py3 where i4 = %s", (400,))
        c3 = conn.cursor()
        c3.execute("select %s::int * 2", (21,))
        c1.executemany("insert into py3 (i4) values (%s)", [(i,) for i in range(401, 405)])
    out("pipeline:", c2.fetchone(), c3.fetchone())
    try:
        with conn.pipeline():
            conn.execute("insert into py3 (i4) values (500)")
            conn.execute("insert into py3 (i4) values (500)")
            conn.execute("insert into py3 (i4) values (501)")
    except psycopg.Error as e:
        err("pipeline error", e)
    out("after the failed pipeline:", conn.execute("select count(*) from py3 where i4 >= 500").fetchone())
    with conn.transaction():
        with conn.pipeline():
            conn.execute("insert into py3 (i4) values (600)")
            conn.execute("insert into py3 (i4) values (601)")
    out("pipeline in a transaction:", conn.execute("select count(*) from py3 where i4 >= 600").fetchone())

    # Notifications.
    conn.execute("LISTEN py3_ch")
    with psycopg.connect(DSN, autocommit=True) as other:
        other.execute("NOTIFY py3_ch, 'hello'")
        other.execute("select pg_notify('py3_ch', %s)", ("again",))
        pid = other.info.backend_pid
    got = []
    gen = conn.notifies()
    for n in gen:
        got.append((n.channel, n.payload, n.pid == pid))
        if len(got) == 2:
            gen.close()
    out("notifies:", got)
    conn.close()


def more_part():
    out("== more")
    import psycopg2.extras as ex
    from psycopg.rows import dict_row
    conn = psycopg2.connect(DSN)
    cur = conn.cursor(cursor_factory=ex.RealDictCursor)
    cur.execute("create table more2 (id serial primary key, v int, t text, at timestamptz default '2024-01-01 00:00:00+00')")
    ex.execute_values(cur, "insert into more2 (v, t) values %s returning id, v", [(i, f"v{i}") for i in range(5)], page_size=2)
    out("execute_values:", [dict(r) for r in cur.fetchall()])
    ex.execute_batch(cur, "update more2 set t = %s where v = %s", [("b0", 0), ("b1", 1)], page_size=1)
    cur.execute("select id, v, t, at from more2 order by id")
    out("dict rows:", [show(r["at"]) for r in cur.fetchall()][:1])
    cur.execute("select %s::interval, %s::numeric, %s::int2, %s::real, %s::time, %s::timestamp",
                (datetime.timedelta(days=1, seconds=5), decimal.Decimal("-0.0001"), 7, 1.5, datetime.time(13, 14, 15),
                 datetime.datetime(2024, 2, 29, 13, 14, 15)))
    out("psycopg2 types:", [show(v) for v in cur.fetchone()])
    cur.execute("select 'NaN'::float8, 'Infinity'::float8, 'NaN'::numeric, '-infinity'::timestamptz is not null")
    out("specials:", [show(v) for v in cur.fetchone()])
    conn.commit()
    out("server_version:", conn.server_version >= 150000, conn.encoding)
    conn.close()

    conn = psycopg.connect(DSN, row_factory=dict_row, autocommit=True)
    out("parameter status:", conn.info.parameter_status("client_encoding"), conn.info.parameter_status("DateStyle"),
        conn.info.parameter_status("integer_datetimes"), conn.info.parameter_status("standard_conforming_strings"))
    cur = conn.cursor()
    cur.executemany("insert into more2 (v, t) values (%s, %s) returning id, v", [(10, "a"), (11, "b")], returning=True)
    got = []
    while True:
        got.append(cur.fetchone())
        if not cur.nextset():
            break
    out("executemany returning:", got)
    out("stream:", [r["g"] for r in cur.stream("select g from generate_series(1, 5) g")])
    for binary in (False, True):
        cur = conn.cursor(binary=binary)
        cur.execute("select %s::interval as i, %s::numeric as n, %s::int2 as s, %s::real as r, %s::time as t, %s::timestamp as ts, "
                    "%s::int8[] as a, %s::jsonb as j, %s::float8 as nan, %s::numeric as bign",
                    (datetime.timedelta(days=1, seconds=5), decimal.Decimal("-0.0001"), 7, 1.5, datetime.time(13, 14, 15),
                     datetime.datetime(2024, 2, 29, 13, 14, 15), [1, None, 3], psycopg.types.json.Jsonb([1, "x"]),
                     float("nan"), decimal.Decimal("123456789012345678901234567890.123456789")))
        out("binary" if binary else "text", "psycopg types:", {k: show(v) for k, v in cur.fetchone().items()})
    cur = conn.cursor()
    with cur.copy("COPY more2 (v, t, at) FROM STDIN (FORMAT BINARY)") as cp:
        cp.set_types(["int4", "text", "timestamptz"])
        cp.write_row((20, "bin", TS))
        cp.write_row((21, None, None))
    cur.execute("select v, t, at from more2 where v >= 20 order by v")
    out("binary copy in:", [{k: show(v) for k, v in r.items()} for r in cur.fetchall()])
    with cur.copy("COPY (select v, t, at from more2 where v >= 20 order by v) TO STDOUT (FORMAT BINARY)") as cp:
        cp.set_types(["int4", "text", "timestamptz"])
        out("binary copy out:", [tuple(show(v) for v in r) for r in cp.rows()])
    # Cancel a running statement from another thread.
    import threading
    t = threading.Timer(0.5, conn.cancel)
    t.start()
    try:
        cur.execute("select pg_sleep(10)")
    except psycopg.Error as e:
        err("cancel", e)
    t.join()
    out("after cancel:", conn.execute("select 1 as one").fetchone())
    try:
        conn.execute("set statement_timeout = 100")
        conn.execute("select pg_sleep(5)")
    except psycopg.Error as e:
        err("statement_timeout", e)
    conn.execute("reset statement_timeout")
    conn.close()


psycopg2_part()
psycopg3_part()
more_part()
