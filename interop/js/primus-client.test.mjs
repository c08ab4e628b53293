// @feathersjs/primus-client 4.x over primus 8 and primus-emitter, against the chat
// example and the fixtures; events cross between Primus and Socket.io clients.
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import Primus from 'primus'
import Emitter from 'primus-emitter'
import feathers4 from 'feathers4'
import primusClient from '@feathersjs/primus-client'
import { closeAll, nextEvent, socketApp } from './socket-client.mjs'

const url = process.env.FEATHERS_URL
const Socket = Primus.createSocket({ transformer: 'websockets', parser: 'json', plugin: { emitter: Emitter } })
const primus = new Socket(url, { strategy: false })
const app = feathers4().configure(primusClient(primus, { timeout: 5000 }))
after(() => {
  primus.end()
  closeAll()
})

const options = { timeout: 15000 }

// The Primus client decodes JSON inside its own VM context, so its objects come from
// another realm: compare them as plain JSON.
const plain = (value) => JSON.parse(JSON.stringify(value))
const same = (actual, expected) => assert.deepEqual(plain(actual), plain(expected))

test('every standard method of the messages service over Primus', options, async () => {
  const messages = app.service('messages')
  const created = await messages.create({ text: 'over primus' })
  assert.equal(created.text, 'over primus')
  same(await messages.get(created.id), created)
  assert.ok((await messages.find()).some(m => m.id === created.id))
  same(await messages.update(created.id, { text: 'u' }), { ...created, text: 'u' })
  same(await messages.patch(created.id, { text: 'p' }), { ...created, text: 'p' })
  same(await messages.remove(created.id), { ...created, text: 'p' })
})

test('errors arrive as Feathers errors over Primus', options, async () => {
  await assert.rejects(app.service('messages').get(987654), (error) => {
    assert.equal(error.name, 'NotFound')
    assert.equal(error.code, 404)
    assert.equal(error.message, "No record found for id '987654'")
    return true
  })
  await assert.rejects(app.service('nope').find(), (error) => {
    assert.equal(error.name, 'NotFound')
    assert.equal(error.message, "Service 'nope' not found")
    return true
  })
  await assert.rejects(app.service('nothing').update(1, {}), (error) => {
    assert.equal(error.name, 'MethodNotAllowed')
    return true
  })
  await assert.rejects(app.service('messages').create({ text: '' }), (error) => {
    assert.equal(error.name, 'BadRequest')
    assert.equal(error.message, 'validation failed')
    same(error.data.map(problem => [problem.instancePath, problem.keyword]), [['/text', 'minLength'], ['/text', 'pattern']])
    return true
  })
})

test('params carry provider primus and the query with its JSON types', options, async () => {
  const echo = await app.service('echo').find({ query: { n: 1, flag: true } })
  same(echo.query, { n: 1, flag: true })
  assert.equal(echo.provider, 'primus')
})

test('a change from a Socket.io client reaches the Primus client', options, async () => {
  const { app: socketClient } = socketApp()
  const seen = nextEvent(app.service('messages'), 'created', m => m.text === 'from socket.io')
  const created = await socketClient.service('messages').create({ text: 'from socket.io' })
  same(await seen, created)
})

test('a change from the Primus client reaches a Socket.io client', options, async () => {
  const { app: socketClient } = socketApp()
  await socketClient.service('messages').find()
  const seen = nextEvent(socketClient.service('messages'), 'patched', m => m.text === 'patched by primus')
  const created = await app.service('messages').create({ text: 'from primus' })
  const patched = await app.service('messages').patch(created.id, { text: 'patched by primus' })
  same(await seen, patched)
})
