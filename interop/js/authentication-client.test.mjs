// @feathersjs/authentication-client 5 over @feathersjs/rest-client or
// @feathersjs/socketio-client (AUTH_TRANSPORT, SOCKET_TRANSPORTS) against the
// feathers-rs authentication test server.
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { claims, client, closeAll, collect, mode, newUser, token, unsigned, until } from './auth-support.mjs'

after(closeAll)
const options = { timeout: 20000 }

const notAuthenticated = (error) => {
  assert.equal(error.name, 'NotAuthenticated')
  assert.equal(error.code, 401)
  return true
}

test('users sign up, log in with local, and never see a password hash', options, async () => {
  const { app } = client()
  const [email, password, created] = await newUser(app)
  assert.equal(created.email, email)
  assert.equal(created.password, undefined)
  const result = await app.authenticate({ strategy: 'local', email, password })
  assert.equal(typeof result.accessToken, 'string')
  assert.equal(result.authentication.strategy, 'local')
  assert.equal(result.authentication.payload.sub, String(created.id))
  assert.deepEqual(result.user, { email, id: created.id })
  assert.equal(await app.authentication.getAccessToken(), result.accessToken)
})

test('a wrong password and an unknown user are refused alike', options, async () => {
  const { app } = client()
  const [email] = await newUser(app)
  const messages = []
  for (const data of [{ email, password: 'wrong' }, { email: `nobody-${email}`, password: 'wrong' }]) {
    await assert.rejects(app.authenticate({ strategy: 'local', ...data }), (error) => {
      notAuthenticated(error)
      messages.push(error.message)
      return true
    })
  }
  assert.deepEqual(messages, ['Invalid login', 'Invalid login'])
})

test('authenticated calls carry the user; anonymous ones are refused', options, async () => {
  const { app } = client()
  const [email, password, user] = await newUser(app)
  await assert.rejects(app.service('messages').find(), notAuthenticated)
  await app.authenticate({ strategy: 'local', email, password })
  const message = await app.service('messages').create({ text: `hello from ${mode}` })
  assert.equal(message.userId, user.id)
  const found = await app.service('messages').find({ query: { userId: user.id } })
  assert.ok(found.some((m) => m.id === message.id))
  const me = await app.service('users').get(user.id)
  assert.equal(me.password, undefined)
})

test('a message belongs to its author: another user can neither change nor remove it', options, async () => {
  const { app: ada } = client()
  const { app: bob } = client()
  const [adaEmail, adaPassword, adaUser] = await newUser(ada)
  const [bobEmail, bobPassword] = await newUser(bob)
  await ada.authenticate({ strategy: 'local', email: adaEmail, password: adaPassword })
  await bob.authenticate({ strategy: 'local', email: bobEmail, password: bobPassword })
  const message = await ada.service('messages').create({ text: 'mine' })
  const notFound = (error) => {
    assert.equal(error.name, 'NotFound')
    return true
  }
  await assert.rejects(bob.service('messages').patch(message.id, { text: 'hijacked' }), notFound)
  await assert.rejects(bob.service('messages').update(message.id, { text: 'hijacked' }), notFound)
  await assert.rejects(bob.service('messages').remove(message.id), notFound)
  const kept = await ada.service('messages').get(message.id)
  assert.equal(kept.text, 'mine')
  assert.equal(kept.userId, adaUser.id)
})

test('reAuthenticate with a stored token gives the same token and the user', options, async () => {
  const { app: first } = client()
  const [email, password, user] = await newUser(first)
  const { accessToken } = await first.authenticate({ strategy: 'local', email, password })

  const { app: second } = client()
  await second.authentication.setAccessToken(accessToken)
  const result = await second.reAuthenticate()
  assert.equal(result.accessToken, accessToken)
  assert.equal(result.authentication.strategy, 'jwt')
  assert.equal(result.user.id, user.id)
  assert.equal((await second.service('messages').create({ text: 'again' })).userId, user.id)
})

test('logout ends the login', options, async () => {
  const { app } = client()
  const [email, password] = await newUser(app)
  await app.authenticate({ strategy: 'local', email, password })
  await app.service('messages').find()
  const result = await app.logout()
  assert.equal(typeof result.accessToken, 'string')
  assert.equal(await app.authentication.getAccessToken(), null)
  await assert.rejects(app.service('messages').find(), notAuthenticated)
})

test('forged, expired, unsigned and foreign tokens are refused', options, async () => {
  const { app: maker } = client()
  const [, , user] = await newUser(maker)
  const bad = [
    token(claims(user.id), { key: 'not the server secret, but long enough too' }),
    token(claims(user.id, { exp: Math.floor(Date.now() / 1000) - 60 })),
    token(claims(user.id, { nbf: Math.floor(Date.now() / 1000) + 600 })),
    token(claims(user.id, { aud: 'https://elsewhere.example' })),
    token(claims(user.id), { header: { typ: 'refresh' } }),
    unsigned(claims(user.id))
  ]
  for (const accessToken of bad) {
    const { app } = client()
    await app.authentication.setAccessToken(accessToken)
    await assert.rejects(app.reAuthenticate(), notAuthenticated)
    await assert.rejects(app.service('messages').find(), notAuthenticated)
  }
  // The same claims with the right key pass, so the refusals above are real.
  const { app } = client()
  await app.authentication.setAccessToken(token(claims(user.id)))
  assert.equal((await app.reAuthenticate()).user.id, user.id)
})

test('events reach only the connections they are meant for', { ...options, skip: mode === 'rest' && 'events need a socket' }, async () => {
  const { app: a } = client()
  const { app: b } = client()
  const { app: anonymous } = client()
  const [emailA, passwordA, userA] = await newUser(a)
  const [emailB, passwordB] = await newUser(b)
  await a.authenticate({ strategy: 'local', email: emailA, password: passwordA })
  // Logins are events of the authentication service, which carry tokens: no client hears them.
  const logins = collect(a.service('authentication'), 'created')
  await b.authenticate({ strategy: 'local', email: emailB, password: passwordB })
  await newUser(anonymous) // the anonymous connection is up before the events

  const seenA = collect(a.service('messages'), 'created')
  const seenB = collect(b.service('messages'), 'created')
  const seenAnonymous = collect(anonymous.service('messages'), 'created')
  const messages = a.service('messages')
  await messages.create({ text: 'for A only', private: true })
  await messages.create({ text: 'for members' })
  await messages.create({ text: 'for all', public: true })

  await until('every event', () => seenA.length >= 3 && seenB.length >= 2 && seenAnonymous.length >= 1)
  assert.deepEqual(seenA.map((m) => m.text), ['for A only', 'for members', 'for all'])
  assert.deepEqual(seenB.map((m) => m.text), ['for members', 'for all'])
  assert.deepEqual(seenAnonymous.map((m) => m.text), ['for all'])
  assert.ok(seenA.every((m) => m.userId === userA.id))
  assert.deepEqual(logins, [])
})

test('after a reconnect the client re-authenticates by itself', { ...options, skip: mode === 'rest' && 'reconnects need a socket' }, async () => {
  const { app, socket } = client({ reconnection: true })
  const [email, password, user] = await newUser(app)
  await app.authenticate({ strategy: 'local', email, password })
  const reconnected = new Promise((resolve) => socket.io.once('reconnect', resolve))
  socket.io.engine.close()
  await reconnected
  const message = await app.service('messages').create({ text: 'after a reconnect' })
  assert.equal(message.userId, user.id)
})
