// A mixed cluster sharing events through Redis with feathers-sync's format: two
// feathers-rs instances and one FeathersJS 5 instance with feathers-sync 3
// (FEATHERS_URLS, in that order). Each instance has a @feathersjs/socketio-client
// client; a change made through any instance, over REST or a socket, must reach every
// client exactly once, in the order it was made, with the client-safe data.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { feathers } from '@feathersjs/feathers'
import socketio from '@feathersjs/socketio-client'
import rest from '@feathersjs/rest-client'
import { io } from 'socket.io-client'

const urls = (process.env.FEATHERS_URLS ?? '').split(',').filter(Boolean)
if (urls.length !== 3) throw new Error('FEATHERS_URLS must list three instances: the Rust test sets it')
const names = ['rust-1', 'rust-2', 'feathers-js']
const options = { timeout: 30000 }
const services = ['messages', 'batch', 'todos']
const events = ['created', 'updated', 'patched', 'removed', 'shouted']

function clientApp (connection) {
  const app = feathers().configure(connection)
  app.use('todos', connection.service('todos'), { methods: ['find', 'shout'] })
  return app
}

// One socket client per instance, recording every event it receives, in order.
const sockets = urls.map(url => io(url, { transports: ['websocket'], forceNew: true, reconnection: false }))
const clients = sockets.map((socket, index) => {
  const app = clientApp(socketio(socket))
  const log = []
  for (const service of services) {
    for (const event of events) {
      app.service(service).on(event, data => log.push({ service, event, data }))
    }
  }
  return { name: names[index], app, log }
})
const restApps = urls.map(url => clientApp(rest(url).fetch(fetch)))

before(() => Promise.all(sockets.map(socket => socket.connected
  ? undefined
  : new Promise((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('connect_error', reject)
  }))))
after(() => sockets.forEach(socket => socket.close()))

// Resolves once every client's log satisfies `done`, or fails after `ms` showing them.
async function everyClient (what, done, ms = 15000) {
  const deadline = Date.now() + ms
  while (!clients.every(client => done(client.log))) {
    if (Date.now() > deadline) {
      const state = clients.map(c => `${c.name}: ${JSON.stringify(c.log.slice(-10))}`).join('\n')
      throw new Error(`not every client got ${what} within ${ms} ms\n${state}`)
    }
    await new Promise(resolve => setTimeout(resolve, 10))
  }
}

const matching = (log, service, event, test) => log.filter(e => e.service === service && e.event === event && test(e.data))

// Waits until each client has the sentinel of every instance: events from one instance
// arrive in order, so everything an instance did before its sentinel has arrived too.
async function settle (label) {
  const texts = names.map(name => `sentinel ${label} ${name}`)
  await Promise.all(clients.map(client => client.app.service('messages').create({ text: texts[clients.indexOf(client)] })))
  await everyClient(`the sentinels ${label}`, log => texts.every(text => matching(log, 'messages', 'created', d => d.text === text).length === 1))
}

test('a change made through any instance, over REST or a socket, reaches every client once and in order', options, async () => {
  const made = []
  for (const [index, name] of names.entries()) {
    for (const [transport, app] of [['socket', clients[index].app], ['rest', restApps[index]]]) {
      const messages = app.service('messages')
      const text = `${name} over ${transport}`
      const created = await messages.create({ text })
      const patched = await messages.patch(created.id, { text: `${text}, patched` })
      const removed = await messages.remove(created.id)
      made.push({ text, created, patched, removed })
    }
  }
  await settle('messages')
  for (const client of clients) {
    for (const { text, created, patched, removed } of made) {
      const ours = client.log.filter(e => e.service === 'messages' && e.data && e.data.text?.startsWith(text))
      assert.deepEqual(ours.map(e => e.event), ['created', 'patched', 'removed'], `${client.name} for '${text}': ${JSON.stringify(ours)}`)
      assert.deepEqual(ours.map(e => e.data), [created, patched, removed], `${client.name} for '${text}'`)
    }
  }
})

test('every client gets the client-safe data (dispatch) of each instance\'s events', options, async () => {
  for (const [index, name] of names.entries()) {
    await clients[index].app.service('batch').create({ name: `${name} single`, secret: 'kept home' })
  }
  // Multi creates on the Rust instances (FeathersJS sends its own clients `null` for
  // a multi create whose dispatch differs from its result, with or without sync).
  for (const index of [0, 1]) {
    await restApps[index].service('batch').create([{ name: `${names[index]} a` }, { name: `${names[index]} b` }])
  }
  await settle('batch')
  const expected = [...names.map(name => `${name} single`), 'rust-1 a', 'rust-1 b', 'rust-2 a', 'rust-2 b']
  for (const client of clients) {
    for (const name of expected) {
      const got = matching(client.log, 'batch', 'created', d => d?.name === name)
      assert.equal(got.length, 1, `${client.name} gets '${name}' once: ${JSON.stringify(client.log.filter(e => e.service === 'batch'))}`)
      assert.ok(!('secret' in got[0].data), `${client.name} got a secret: ${JSON.stringify(got[0].data)}`)
    }
  }
})

test('custom events from any instance reach every client once', options, async () => {
  for (const [index, name] of names.entries()) {
    const result = await clients[index].app.service('todos').shout({ from: name })
    assert.deepEqual(result.data, { from: name })
  }
  await settle('custom')
  for (const client of clients) {
    for (const name of names) {
      const got = matching(client.log, 'todos', 'shouted', d => d?.from === name)
      assert.equal(got.length, 1, `${client.name} gets ${name}'s shout once: ${JSON.stringify(got)}`)
    }
  }
})
