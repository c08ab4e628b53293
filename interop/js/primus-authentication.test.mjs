// A Feathers 4 client (@feathersjs/primus-client 4 with @feathersjs/authentication-client 4)
// logging in over Primus to the feathers-rs authentication test server.
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import Primus from 'primus'
import Emitter from 'primus-emitter'
import feathers4 from 'feathers4'
import primusClient from '@feathersjs/primus-client'
import authClient4 from 'authentication-client4'
import { memoryStorage } from './auth-support.mjs'

const url = process.env.FEATHERS_URL
const Socket = Primus.createSocket({ transformer: 'websockets', parser: 'json', plugin: { emitter: Emitter } })
const sparks = []
function client () {
  const primus = new Socket(url, { strategy: false })
  sparks.push(primus)
  const app = feathers4().configure(primusClient(primus, { timeout: 5000 }))
  const auth = authClient4.default || authClient4
  app.configure(auth({ storage: memoryStorage() }))
  return app
}
after(() => sparks.forEach((primus) => primus.end()))

const options = { timeout: 20000 }
// The Primus client decodes JSON in another realm: compare as plain JSON.
const plain = (value) => JSON.parse(JSON.stringify(value))

test('a Feathers 4 client signs up, logs in, calls, and logs out over Primus', options, async () => {
  const app = client()
  const email = `primus-${process.pid}@example.com`
  const created = plain(await app.service('users').create({ email, password: 'pw-primus' }))
  assert.equal(created.password, undefined)

  await assert.rejects(app.service('messages').find(), (error) => error.code === 401)
  const result = plain(await app.authenticate({ strategy: 'local', email, password: 'pw-primus' }))
  assert.equal(typeof result.accessToken, 'string')
  assert.deepEqual(result.user, { email, id: created.id })

  const message = plain(await app.service('messages').create({ text: 'from Feathers 4' }))
  assert.equal(message.userId, created.id)

  const again = client()
  await again.authentication.setAccessToken(result.accessToken)
  assert.equal(plain(await again.reAuthenticate()).user.id, created.id)

  await app.logout()
  await assert.rejects(app.service('messages').find(), (error) => error.code === 401)
})

test('a wrong password is refused over Primus', options, async () => {
  const app = client()
  await assert.rejects(
    app.authenticate({ strategy: 'local', email: 'nobody@example.com', password: 'x' }),
    (error) => error.code === 401 && error.message === 'Invalid login'
  )
})
