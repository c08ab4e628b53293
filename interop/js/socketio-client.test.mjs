// The chat example and the interop fixtures, driven by @feathersjs/socketio-client 5.x
// over socket.io-client 4.x, with the transports SOCKET_TRANSPORTS selects.
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { BadRequest, MethodNotAllowed, NotFound } from '@feathersjs/errors'
import { closeAll, collectEvents, emitRaw, nextEvent, socketApp, transports } from './socket-client.mjs'

const options = { timeout: 15000 }
const first = socketApp()
const second = socketApp()
after(closeAll)

test(`[${transports ?? 'polling+upgrade'}] every standard method of the messages service`, options, async () => {
  const messages = first.app.service('messages')
  const created = await messages.create({ text: 'over a socket' })
  assert.equal(created.text, 'over a socket')
  assert.deepEqual(await messages.get(created.id), created)
  assert.ok((await messages.find()).some(m => m.id === created.id))
  assert.deepEqual(await messages.update(created.id, { text: 'replaced' }), { ...created, text: 'replaced' })
  assert.deepEqual(await messages.patch(created.id, { text: 'patched' }), { ...created, text: 'patched' })
  assert.deepEqual(await messages.remove(created.id), { ...created, text: 'patched' })
  await assert.rejects(messages.get(created.id), NotFound)
})

test('a second client sees the first client\'s changes as events', options, async () => {
  const mine = first.app.service('messages')
  const theirs = second.app.service('messages')
  const text = `hello other client ${Date.now()}`
  const created = nextEvent(theirs, 'created', m => m.text === text)
  const message = await mine.create({ text })
  const ours = m => m.id === message.id
  const updated = nextEvent(theirs, 'updated', ours)
  const patched = nextEvent(theirs, 'patched', ours)
  const removed = nextEvent(theirs, 'removed', ours)
  assert.deepEqual(await created, message)
  await mine.update(message.id, { text: 'u' })
  assert.deepEqual(await updated, { ...message, text: 'u' })
  await mine.patch(message.id, { text: 'p' })
  assert.deepEqual(await patched, { ...message, text: 'p' })
  await mine.remove(message.id)
  assert.deepEqual(await removed, { ...message, text: 'p' })
})

test('custom methods run with provider socketio and custom events arrive', options, async () => {
  const shouted = nextEvent(second.app.service('todos'), 'shouted')
  const result = await first.app.service('todos').shout({ text: 'hi' }, { query: { loud: true } })
  assert.deepEqual(result, { data: { text: 'hi' }, provider: 'socketio', type: 'shout', query: { loud: true } })
  assert.deepEqual(await shouted, { text: 'hi' })
})

test('a multi create sends one event per item, with the protected item', options, async () => {
  const batch = second.app.service('batch')
  const events = collectEvents(batch, 'created', 3)
  const created = await first.app.service('batch').create([{ name: 'a' }, { name: 'b' }, { name: 'c' }])
  assert.deepEqual(created.map(item => item.name), ['a', 'b', 'c'])
  assert.ok(created.every(item => !('secret' in item)), 'the ack is protected too')
  const received = await events
  assert.deepEqual(received.map(item => item.name), ['a', 'b', 'c'])
  assert.ok(received.every(item => item !== null && !('secret' in item)), JSON.stringify(received))
})

test('queries keep their JSON types and route placeholders work', options, async () => {
  const echo = await first.app.service('echo').find({ query: { n: 1, flag: true, list: [1, 'a'] } })
  assert.deepEqual(echo.query, { n: 1, flag: true, list: [1, 'a'] })
  assert.equal(echo.provider, 'socketio')
  const routed = await first.app.service('users/:userId/messages').find({ route: { userId: 7 } })
  assert.deepEqual(routed, { route: { userId: '7' } })
})

test('errors arrive as Feathers errors', options, async () => {
  await assert.rejects(first.app.service('nope').find(), (error) => {
    assert.ok(error instanceof NotFound)
    assert.equal(error.message, "Service 'nope' not found")
    return true
  })
  await assert.rejects(first.app.service('nothing').update(1, {}), MethodNotAllowed)
  await assert.rejects(first.app.service('messages').create({ text: ' ' }), BadRequest)
  await assert.rejects(first.app.service('todos').get(0, { query: { error: true } }), (error) => {
    assert.equal(error.message, 'Something went wrong')
    return true
  })
})

test('bad frames get error acks and the connection stays usable', options, async () => {
  const { socket } = first
  const [tooMany] = await emitRaw(socket, 'find', 'todos', 1, {})
  assert.equal(tooMany.name, 'BadRequest')
  assert.equal(tooMany.message, "Too many arguments for 'find' method")
  const [badPath] = await emitRaw(socket, 'find', { not: 'a path' }, {})
  assert.equal(badPath.name, 'NotFound')
  const [badQuery] = await emitRaw(socket, 'find', 'todos', 'not an object')
  assert.equal(badQuery.name, 'BadRequest')
  const [badId] = await emitRaw(socket, 'get', 'messages', { id: 1 }, {})
  assert.equal(badId.name, 'BadRequest')
  const [arrayId] = await emitRaw(socket, 'remove', 'messages', [1], {})
  assert.equal(arrayId.name, 'BadRequest')
  const [unknown] = await emitRaw(socket, 'frobnicate', 'todos', {}, {})
  assert.equal(unknown.name, 'MethodNotAllowed')
  const [error, todos] = await emitRaw(socket, 'find', 'todos', {})
  assert.equal(error, null)
  assert.equal(todos.length, 1)
})

test('the connection runs on the transport asked for', options, async () => {
  const engine = first.socket.io.engine
  if (transports) {
    assert.equal(engine.transport.name, transports[0])
    return
  }
  if (engine.transport.name !== 'websocket') {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the client never upgraded to websocket')), 5000)
      engine.once('upgrade', () => {
        clearTimeout(timer)
        resolve()
      })
    })
  }
  assert.equal(engine.transport.name, 'websocket', 'polling upgraded to websocket')
})

test('a change made over REST reaches Socket.io listeners', options, async () => {
  const text = `from rest ${Date.now()}`
  const seen = nextEvent(first.app.service('messages'), 'created', m => m.text === text)
  const response = await fetch(process.env.FEATHERS_URL + '/messages', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ text })
  })
  assert.equal(response.status, 201)
  assert.deepEqual(await seen, await response.json())
})
