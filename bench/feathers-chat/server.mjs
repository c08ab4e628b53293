// The FeathersJS 5 twin of the chat example, in the shape `npm create feathers` gives
// it (Koa, @feathersjs/knex on SQLite, local and jwt authentication): `users` (sign-up
// open, passwords hashed with bcrypt and never sent), `messages` behind a login, each
// with its `userId` and `createdAt` set by data resolvers and its `user` by a result
// resolver (the chat guide's `virtual`), a page of 25 by default (at most 100), events
// to the `authenticated` channel.
//
// The tables are made at startup when missing, with the indexes the chat has (by
// author, by time) and its journal mode (WAL), which a generated app would not have:
// the comparison is of the frameworks, not of their SQLite settings. As in the chat guide, the populated `user` is
// read by an internal call, so it carries the password hash (Feathers applies the
// users service's external resolver to users' own answers only).
//
// DATABASE_URL (`sqlite:<path>`), FEATHERS_AUTH_SECRET and PORT (default 3030) on
// 127.0.0.1; `npm ci` first.
import { feathers } from '@feathersjs/feathers'
import { koa, rest, bodyParser, errorHandler } from '@feathersjs/koa'
import socketio from '@feathersjs/socketio'
import { KnexService } from '@feathersjs/knex'
import { AuthenticationService, JWTStrategy, authenticate } from '@feathersjs/authentication'
import { LocalStrategy, passwordHash } from '@feathersjs/authentication-local'
import { resolve, virtual, hooks as schemaHooks } from '@feathersjs/schema'
import knex from 'knex'

const port = Number(process.env.PORT || 3030)
const url = process.env.DATABASE_URL
if (!url) throw new Error('DATABASE_URL is not set')
const db = knex({
  client: 'better-sqlite3',
  connection: { filename: url.replace(/^sqlite:(\/\/)?/, '') },
  useNullAsDefault: true
})
// The chat's journal mode (knex leaves SQLite's default, which syncs more per commit).
await db.raw('PRAGMA journal_mode = WAL')
if (!(await db.schema.hasTable('users'))) {
  await db.schema.createTable('users', (table) => {
    table.increments('id')
    table.string('email').notNullable().unique()
    table.string('password').notNullable()
  })
  await db.schema.createTable('messages', (table) => {
    table.increments('id')
    table.string('text').notNullable()
    table.bigint('createdAt').index()
    table.integer('userId').references('id').inTable('users').index()
  })
}

const app = koa(feathers())
app.set('authentication', {
  entity: 'user',
  service: 'users',
  secret: process.env.FEATHERS_AUTH_SECRET || 'a secret for the benchmark only, long enough',
  authStrategies: ['jwt', 'local'],
  jwtOptions: { header: { typ: 'access' }, audience: 'https://yourdomain.com', algorithm: 'HS256', expiresIn: '1d' },
  local: { usernameField: 'email', passwordField: 'password' }
})
app.use(errorHandler())
// What the benchmark polls to know the server is up (everything else needs a login).
app.use(async (ctx, next) => {
  if (ctx.path === '/health') {
    ctx.body = { ok: true }
    return
  }
  await next()
})
app.use(bodyParser())
app.configure(rest())
app.configure(socketio())

const authentication = new AuthenticationService(app)
authentication.register('jwt', new JWTStrategy())
authentication.register('local', new LocalStrategy())
app.use('authentication', authentication)

const paginate = { default: 25, max: 100 }
app.use('users', new KnexService({ Model: db, name: 'users', paginate }))
app.service('users').hooks({
  around: {
    all: [schemaHooks.resolveExternal(resolve({ password: async () => undefined }))],
    find: [authenticate('jwt')],
    get: [authenticate('jwt')],
    update: [authenticate('jwt')],
    patch: [authenticate('jwt')],
    remove: [authenticate('jwt')]
  },
  before: {
    create: [schemaHooks.resolveData(resolve({ password: passwordHash({ strategy: 'local' }) }))],
    patch: [schemaHooks.resolveData(resolve({ password: passwordHash({ strategy: 'local' }) }))]
  }
})

app.use('messages', new KnexService({ Model: db, name: 'messages', paginate }))
app.service('messages').hooks({
  around: {
    all: [
      authenticate('jwt'),
      schemaHooks.resolveResult(
        resolve({
          user: virtual(async (message, context) => context.app.service('users').get(message.userId))
        })
      )
    ]
  },
  before: {
    create: [
      schemaHooks.resolveData(
        resolve({
          userId: async (_value, _message, context) => context.params.user.id,
          createdAt: async () => Date.now()
        })
      )
    ]
  }
})

app.on('login', (_result, { connection }) => {
  if (connection) app.channel('authenticated').join(connection)
})
app.publish(() => app.channel('authenticated'))

await app.listen(port, '127.0.0.1')
console.log(`feathers listening on http://127.0.0.1:${port}`)
