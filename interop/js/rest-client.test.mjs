// The chat example and the interop fixtures, driven by @feathersjs/rest-client 5.x.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BadRequest, FeathersError, MethodNotAllowed, NotFound } from '@feathersjs/errors'
import { restApp } from './client.mjs'

const app = restApp()
const messages = app.service('messages')

test('every standard method of the messages service', async () => {
  const created = await messages.create({ text: 'Hello from Node' })
  assert.equal(created.text, 'Hello from Node')
  assert.equal(typeof created.id, 'number')

  assert.deepEqual(await messages.get(created.id), created)
  const all = await messages.find()
  assert.ok(Array.isArray(all))
  assert.ok(all.some(m => m.id === created.id))

  const updated = await messages.update(created.id, { text: 'replaced' })
  assert.deepEqual(updated, { ...created, text: 'replaced' })
  const patched = await messages.patch(created.id, { text: 'patched' })
  assert.deepEqual(patched, { ...created, text: 'patched' })
  const removed = await messages.remove(created.id)
  assert.deepEqual(removed, { ...created, text: 'patched' })

  await assert.rejects(messages.get(created.id), (error) => {
    assert.ok(error instanceof NotFound)
    assert.equal(error.code, 404)
    assert.equal(error.className, 'not-found')
    assert.equal(error.message, `No record found for id '${created.id}'`)
    return true
  })
})

test('the client emits its local events after each call', async () => {
  const seen = new Promise(resolve => messages.once('created', resolve))
  const created = await messages.create({ text: 'evented' })
  assert.deepEqual(await seen, created)
})

test('schema errors arrive as Feathers 5 sends them: BadRequest with Ajv\'s list in data', async () => {
  await assert.rejects(messages.create({ text: '   ' }), (error) => {
    assert.ok(error instanceof BadRequest)
    assert.equal(error.message, 'validation failed')
    assert.deepEqual(error.data, [{
      instancePath: '/text',
      schemaPath: '#/properties/text/pattern',
      keyword: 'pattern',
      params: { pattern: '\\S' },
      message: 'must match pattern "\\S"'
    }])
    return true
  })
  await assert.rejects(messages.create({ nope: 1 }), (error) => {
    assert.ok(error instanceof BadRequest)
    assert.deepEqual(error.data.map(problem => [problem.keyword, problem.params]), [
      ['additionalProperties', { additionalProperty: 'nope' }],
      ['required', { missingProperty: 'text' }]
    ])
    return true
  })
  await assert.rejects(messages.get('not-a-number'), NotFound)
  await assert.rejects(messages.remove(null), (error) => {
    assert.ok(error instanceof MethodNotAllowed)
    assert.equal(error.message, 'Can not remove multiple entries')
    return true
  })
  await assert.rejects(messages.create({ text: 'x'.repeat(1001) }), (error) => {
    assert.ok(error instanceof BadRequest)
    assert.deepEqual(error.data.map(problem => problem.message), ['must NOT have more than 1000 characters'])
    return true
  })
})

test('the messages service answers Feathers queries', async () => {
  const tag = `q${Date.now()}`
  const made = []
  for (const n of [3, 1, 2]) made.push(await messages.create({ text: `${tag} ${n}` }))
  const texts = made.map(m => m.text)
  const sorted = await messages.find({ query: { text: { $in: texts }, $sort: { text: -1 } } })
  assert.deepEqual(sorted.map(m => m.text), [`${tag} 3`, `${tag} 2`, `${tag} 1`])
  const limited = await messages.find({ query: { text: { $in: texts }, $limit: 1, $select: ['text'] } })
  assert.equal(limited.length, 1)
  assert.deepEqual(Object.keys(limited[0]).sort(), ['id', 'text'])
  const one = await messages.find({ query: { id: made[1].id } })
  assert.deepEqual(one, [made[1]])
  await assert.rejects(messages.find({ query: { $nope: 1 } }), BadRequest)
})

test('query strings reach params.query as qs would parse them', async () => {
  const todos = app.service('todos')
  const query = { some: 'thing', other: ['one', 'two'], nested: { a: { b: 'object' } } }
  const todo = await todos.get(0, { query })
  assert.deepEqual(todo, { id: '0', text: 'some todo', complete: false, query })

  const echo = app.service('echo')
  const ids = Array.from({ length: 25 }, (_, i) => i)
  const result = await echo.find({
    query: { $limit: 10, name: { $in: ['a', 'b'] }, $sort: { n: -1 }, flag: true, nil: null, ids: { $in: ids } }
  })
  assert.deepEqual(result.query, {
    $limit: '10',
    name: { $in: ['a', 'b'] },
    $sort: { n: '-1' },
    flag: 'true',
    nil: '',
    ids: { $in: ids.map(String) }
  })
  assert.equal(result.provider, 'rest')
})

test('a plain error thrown by a service arrives as a GeneralError', async () => {
  await assert.rejects(app.service('todos').get(0, { query: { error: true } }), (error) => {
    assert.ok(error instanceof FeathersError)
    assert.equal(error.code, 500)
    assert.equal(error.message, 'Something went wrong')
    return true
  })
})

test('custom methods go through X-Service-Method', async () => {
  const result = await app.service('todos').shout({ text: 'hi' }, { query: { loud: 'yes' } })
  assert.deepEqual(result, { data: { text: 'hi' }, provider: 'rest', type: 'shout', query: { loud: 'yes' } })
})

test('route placeholders fill params.route', async () => {
  const result = await app.service('users/:userId/messages').find({ route: { userId: 7 } })
  assert.deepEqual(result, { route: { userId: '7' } })
})

test('a null result is a 204, which the client resolves to null', async () => {
  assert.equal(await app.service('nothing').get(1), null)
  assert.equal(await app.service('nothing').create({}), null)
})

test('errors keep their data, and missing methods and services are refused', async () => {
  await assert.rejects(app.service('errors').get('NotAcceptable'), (error) => {
    assert.equal(error.name, 'NotAcceptable')
    assert.equal(error.code, 406)
    assert.deepEqual(error.data, { data: true })
    return true
  })
  await assert.rejects(app.service('nothing').update(1, {}), (error) => {
    assert.ok(error instanceof MethodNotAllowed)
    assert.equal(error.message, 'Method `update` is not supported by this endpoint.')
    return true
  })
  await assert.rejects(app.service('no-such-service').find(), NotFound)
})
