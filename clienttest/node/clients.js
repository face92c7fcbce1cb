// Runs node-postgres (pg and pg-cursor) against the server at
// process.argv[2] and prints a transcript: what each call returned, or
// the SQLSTATE and message of its error. clienttest compares the
// transcripts of PostgreSQL 15 and cairn line by line.
'use strict'

const { Client, Pool } = require('pg')
const Cursor = require('pg-cursor')

const url = process.argv[2]

function show(v) {
  return JSON.stringify(v, (k, x) => {
    if (x && x.type === 'Buffer' && Array.isArray(x.data)) return 'bytes:' + Buffer.from(x.data).toString('hex')
    return x
  })
}

function out(...args) {
  console.log(args.map((a) => (typeof a === 'string' ? a : show(a))).join(' '))
}

async function attempt(what, f) {
  try {
    const r = await f()
    return r
  } catch (e) {
    out(`${what}: ERROR ${e.code} ${e.message}`)
  }
}

function fields(res) {
  return res.fields.map((f) => `${f.name}:${f.dataTypeID}`).join(' ')
}

async function main() {
  const c = new Client({ connectionString: url })
  await c.connect()
  c.on('notice', (n) => out(`notice: ${n.severity} ${n.code} ${n.message}`))

  // Simple protocol: no values.
  await c.query(`create table nd (i4 int4 primary key, i8 int8, t text, b bool, f8 float8, n numeric(12,4),
    ts timestamptz, d date, by bytea, u uuid, j jsonb, ta text[])`)
  let res = await c.query('select 1 as one, $$x$$::text as two, null::int as three')
  out('simple:', res.command, res.rowCount, fields(res), res.rows)
  res = await c.query('select 1 as a; select 2 as b, 3 as c')
  out('multi:', res.map((r) => [r.command, r.rows]))

  // Parameters, text except Buffers.
  const ts = new Date(Date.UTC(2024, 1, 29, 13, 14, 15, 123))
  res = await c.query('insert into nd values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)',
    [42, '1099511627776', "héllo 'q' \\", true, 3.14159, '12345.6789', ts, '2024-03-01', Buffer.from([0, 1, 255]),
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', { k: [1, 2] }, ['a', 'b c', 'q"t']])
  out('insert:', res.command, res.rowCount)
  await c.query('insert into nd (i4, t, b) values ($1, $2, $3)', [43, null, false])
  res = await c.query('select i4, i8, t, b, f8, n, ts, d::text, by, u, j, ta from nd where i4 = $1', [42])
  out('fields:', fields(res))
  out('row:', res.rows[0])
  res = await c.query({ text: 'select i4, t, b from nd order by i4', rowMode: 'array' })
  out('array rows:', res.rows)
  res = await c.query('select $1::int + 1 as n, $2 || $3 as s, $4::bool as b', [41, 'a', 'b', 'yes'])
  out('params:', res.rows)
  await attempt('bad param', () => c.query('select $1::int', ['x']))
  await attempt('too few params', () => c.query('select $1::int, $2::int', [1]))
  await attempt('syntax', () => c.query('selec 1'))
  await attempt('duplicate', () => c.query('insert into nd (i4) values ($1)', [42]))

  // Named prepared statements: parsed on first use only.
  for (const i of [100, 101, 102]) {
    await c.query({ name: 'ins-nd', text: 'insert into nd (i4, t) values ($1, $2)', values: [i, 'p' + i] })
  }
  for (const from of [101, 102]) {
    res = await c.query({ name: 'sel-nd', text: 'select t from nd where i4 >= $1 order by i4', values: [from] })
    out(`prepared from ${from}:`, res.rows)
  }
  await attempt('prepared duplicate', () => c.query({ name: 'ins-nd', text: 'insert into nd (i4, t) values ($1, $2)', values: [100, 'x'] }))
  res = await c.query({ name: 'sel-nd', text: 'select t from nd where i4 >= $1 order by i4', values: [102] })
  out('prepared after an error:', res.rows)

  // Transactions.
  await c.query('BEGIN')
  await c.query('insert into nd (i4) values (200)')
  await c.query('SAVEPOINT s')
  await attempt('in savepoint', () => c.query('insert into nd (i4) values (200)'))
  await attempt('aborted', () => c.query('select 1'))
  await c.query('ROLLBACK TO SAVEPOINT s')
  await c.query('insert into nd (i4) values (201)')
  await c.query('COMMIT')
  await c.query('BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY')
  res = await c.query('show transaction_isolation')
  out('isolation:', res.rows)
  await attempt('read only', () => c.query('insert into nd (i4) values (202)'))
  await c.query('ROLLBACK')
  res = await c.query('select array_agg(i4 order by i4) from nd where i4 >= 200')
  out('after the transactions:', res.rows)
  res = await c.query('COMMIT')
  out('commit outside:', res.command)

  // pg-cursor: an unnamed portal read a few rows at a time.
  await c.query('BEGIN')
  const cur = c.query(new Cursor('select g, g * $1 as twice from generate_series(1, 7) g', [2]))
  const read = (n) => new Promise((resolve, reject) => cur.read(n, (err, rows) => (err ? reject(err) : resolve(rows))))
  out('cursor 3:', await read(3))
  out('cursor 3:', await read(3))
  out('cursor 3:', await read(3))
  out('cursor after the end:', await read(3))
  await new Promise((resolve) => cur.close(resolve))
  const cur2 = c.query(new Cursor('select t from nd where i4 >= 100 order by i4'))
  out('cursor 2:', await new Promise((resolve, reject) => cur2.read(2, (err, rows) => (err ? reject(err) : resolve(rows)))))
  await new Promise((resolve) => cur2.close(resolve))
  const bad = c.query(new Cursor('select 1/(g - 3) from generate_series(1, 5) g'))
  await attempt('cursor error', () => new Promise((resolve, reject) => bad.read(10, (err, rows) => (err ? reject(err) : resolve(rows)))))
  await c.query('ROLLBACK')
  res = await c.query('select 1 as alive')
  out('after the cursors:', res.rows)
  // Outside a transaction the portal lives until the cursor's Sync.
  const cur3 = c.query(new Cursor('select g from generate_series(1, 4) g'))
  out('cursor outside a transaction:', await new Promise((resolve, reject) => cur3.read(3, (err, rows) => (err ? reject(err) : resolve(rows)))))
  await new Promise((resolve) => cur3.close(resolve))
  res = await c.query('select 2 as alive')
  out('after it:', res.rows)

  // LISTEN/NOTIFY between two clients.
  const got = []
  let done
  const all = new Promise((resolve) => { done = resolve })
  c.on('notification', (m) => {
    got.push([m.channel, m.payload])
    if (got.length === 3) done()
  })
  await c.query('LISTEN nd_ch')
  await c.query('LISTEN "Other Ch"')
  const o = new Client({ connectionString: url })
  await o.connect()
  await o.query("NOTIFY nd_ch, 'one'")
  await o.query('BEGIN')
  await o.query("NOTIFY nd_ch, 'rolled back'")
  await o.query('ROLLBACK')
  await o.query('select pg_notify($1, $2)', ['nd_ch', 'two'])
  await o.query(`NOTIFY "Other Ch", 'three'`)
  const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), 10000).unref())
  out('notifications:', await Promise.race([all.then(() => got), timeout]))
  res = await c.query('select pg_listening_channels() as ch order by 1')
  out('listening:', res.rows)
  await c.query('UNLISTEN *')
  await o.end()

  // A pool.
  const pool = new Pool({ connectionString: url, max: 2 })
  const rs = await Promise.all([1, 2, 3].map((i) => pool.query('select $1::int * 10 as v', [i])))
  out('pool:', rs.map((r) => r.rows[0].v))
  await pool.end()

  await c.end()
}

main().catch((e) => {
  out('FAILED:', e.code, e.message)
  process.exit(1)
})
