// The FeathersJS 5 server that bench/sql.sh measures the SQL adapter of feathers-rs
// against: Koa REST and a @feathersjs/knex `messages` service (no pagination, no
// schema) on the database of DATABASE_URL: `sqlite:<path>` through better-sqlite3, or
// `postgres://..` through pg (BENCH_SCHEMA names the schema of its tables).
//
// PORT (default 3030) on 127.0.0.1; `npm ci` first.
import { feathers } from '@feathersjs/feathers'
import { koa, rest, bodyParser, errorHandler } from '@feathersjs/koa'
import { KnexService } from '@feathersjs/knex'
import knex from 'knex'

const port = Number(process.env.PORT || 3030)
const url = process.env.DATABASE_URL
if (!url) {
  throw new Error('DATABASE_URL is not set')
}

const db = url.startsWith('postgres')
  ? knex({
      client: 'pg',
      connection: url,
      searchPath: process.env.BENCH_SCHEMA ? [process.env.BENCH_SCHEMA] : undefined,
      pool: { min: 2, max: 16 }
    })
  : knex({
      client: 'better-sqlite3',
      connection: { filename: url.replace(/^sqlite:(\/\/)?/, '') },
      useNullAsDefault: true
    })

const app = koa(feathers())
app.use(errorHandler())
app.use(bodyParser())
app.configure(rest())
app.use('messages', new KnexService({ Model: db, name: 'messages', id: 'id' }))

await app.listen(port, '127.0.0.1')
console.log(`feathers listening on http://127.0.0.1:${port}`)
