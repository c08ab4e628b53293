// What the client library never sends: bad bodies, odd verbs and oversized requests.
// Each must get a clear Feathers error, and the server must keep serving.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { raw } from './client.mjs'

const json = { 'Content-Type': 'application/json' }

test('malformed JSON is a 400 BadRequest, not a 500', async () => {
  const res = await raw('POST', '/messages', { body: '{"text": ', headers: json })
  assert.equal(res.status, 400)
  assert.equal(res.json.name, 'BadRequest')
  assert.equal(res.json.className, 'bad-request')
  assert.match(res.headers.get('content-type'), /application\/json/)
})

test('a body over the limit is a 413', async () => {
  const body = JSON.stringify({ text: 'x'.repeat(2 * 1024 * 1024) })
  const res = await raw('POST', '/messages', { body, headers: json })
  assert.equal(res.status, 413)
  assert.equal(res.json.code, 413)
})

test('unknown paths are a 404 and unknown verbs a 405', async () => {
  const missing = await raw('GET', '/messages/1/2/3')
  assert.equal(missing.status, 404)
  assert.equal(missing.json.name, 'NotFound')
  const verb = await raw('OPTIONS', '/messages')
  assert.equal(verb.status, 405)
  assert.equal(verb.json.name, 'MethodNotAllowed')
})

test('an X-Service-Method naming a standard method is a 405', async () => {
  const res = await raw('POST', '/todos', { body: '{}', headers: { ...json, 'X-Service-Method': 'create' } })
  assert.equal(res.status, 405)
})

test('create answers 201 and the server still serves after bad input', async () => {
  const res = await raw('POST', '/messages', { body: '{"text":"still here"}', headers: json })
  assert.equal(res.status, 201)
  assert.equal(res.json.text, 'still here')
})
