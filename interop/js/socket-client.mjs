// Feathers client apps talking Socket.io to the server under test (FEATHERS_URL).
// SOCKET_TRANSPORTS picks socket.io-client's transports: unset for its default
// (long-polling, then the upgrade to websocket), "websocket", or "polling".
import { feathers } from '@feathersjs/feathers'
import socketio from '@feathersjs/socketio-client'
import { io } from 'socket.io-client'

export const url = process.env.FEATHERS_URL
if (!url) {
  throw new Error('FEATHERS_URL is not set: the Rust interop tests start the server and set it')
}

export const transports = process.env.SOCKET_TRANSPORTS
  ? process.env.SOCKET_TRANSPORTS.split(',')
  : undefined

const open = []

export function socketApp () {
  const socket = io(url, { transports, forceNew: true, reconnection: false })
  open.push(socket)
  const app = feathers()
  const connection = socketio(socket)
  app.configure(connection)
  app.use('todos', connection.service('todos'), {
    methods: ['find', 'get', 'create', 'update', 'patch', 'remove', 'shout']
  })
  return { app, socket }
}

export function closeAll () {
  for (const socket of open) socket.close()
}

// Resolves with the next `event` of `service` for which `matches` holds (events of
// earlier tests may still be on their way), or rejects after `ms`.
export function nextEvent (service, event, matches = () => true, ms = 5000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      service.off(event, listener)
      reject(new Error(`no matching '${event}' event within ${ms}ms`))
    }, ms)
    const listener = (data) => {
      if (!matches(data)) return
      clearTimeout(timer)
      service.off(event, listener)
      resolve(data)
    }
    service.on(event, listener)
  })
}

// Collects `count` events of `service`, in arrival order.
export function collectEvents (service, event, count, ms = 5000) {
  return new Promise((resolve, reject) => {
    const seen = []
    const timer = setTimeout(() => reject(new Error(`only ${seen.length} of ${count} '${event}' events`)), ms)
    const listener = (data) => {
      seen.push(data)
      if (seen.length === count) {
        clearTimeout(timer)
        service.off(event, listener)
        resolve(seen)
      }
    }
    service.on(event, listener)
  })
}

// A raw emit with an ack, for frames the Feathers client never sends.
export function emitRaw (socket, ...args) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no ack')), 5000)
    socket.emit(...args, (...ack) => {
      clearTimeout(timer)
      resolve(ack)
    })
  })
}
