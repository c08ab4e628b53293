// Calls kept in flight on one socket by the real @feathersjs/socketio-client, as an app
// does when it fires requests without waiting for each answer. Every answer must come
// without waiting on the client's delayed ACK (Nagle's algorithm on the server's
// socket): with it, a third of the calls take 40 ms or more.
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { closeAll, socketApp } from './socket-client.mjs'

after(closeAll)

const CALLS = 300
const IN_FLIGHT = Number(process.env.IN_FLIGHT ?? 2)
const SLOW_MS = 35

test(`${CALLS} calls, ${IN_FLIGHT} in flight on one websocket, none waits on a delayed ACK`, { timeout: 60000 }, async () => {
  const { app, socket } = socketApp()
  await new Promise(resolve => socket.on('connect', resolve))
  const todos = app.service('todos')
  await todos.find({ query: {} })
  const durations = []
  let next = 0
  async function worker () {
    while (next < CALLS) {
      next += 1
      const started = performance.now()
      await todos.find({ query: {} })
      durations.push(performance.now() - started)
    }
  }
  const started = performance.now()
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker))
  const seconds = (performance.now() - started) / 1000
  const slow = durations.filter(ms => ms >= SLOW_MS).length
  console.log(`calls/s ${Math.round(CALLS / seconds)}, slow ${slow} of ${CALLS}`)
  assert.ok(slow < CALLS / 20, `${slow} of ${CALLS} calls took ${SLOW_MS} ms or more`)
})
