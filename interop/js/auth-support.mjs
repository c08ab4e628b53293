// Helpers for the authentication interop tests: client apps with
// @feathersjs/authentication-client 5 over REST or Socket.io, and tokens made by hand
// (forged, expired, unsigned) to check that the server refuses them.
import { createHmac, randomUUID } from 'node:crypto'
import { feathers } from '@feathersjs/feathers'
import rest from '@feathersjs/rest-client'
import socketio from '@feathersjs/socketio-client'
import authentication from '@feathersjs/authentication-client'
import { io } from 'socket.io-client'

export const url = process.env.FEATHERS_URL
export const secret = process.env.AUTH_SECRET
export const mode = process.env.AUTH_TRANSPORT || 'rest'
const transports = process.env.SOCKET_TRANSPORTS ? process.env.SOCKET_TRANSPORTS.split(',') : undefined
if (!url || !secret) {
  throw new Error('FEATHERS_URL and AUTH_SECRET are set by the Rust interop test that starts the server')
}

// A storage of its own for each client, so that clients in one process do not share a token.
export function memoryStorage () {
  const store = {}
  return {
    getItem: (key) => store[key],
    setItem: (key, value) => { store[key] = value },
    removeItem: (key) => { delete store[key] }
  }
}

const sockets = []

// A client app over `mode`; `reconnection` for socket clients that must come back.
export function client ({ reconnection = false } = {}) {
  const app = feathers()
  let socket
  if (mode === 'rest') {
    app.configure(rest(url).fetch(fetch))
  } else {
    socket = io(url, { transports, forceNew: true, reconnection, reconnectionDelay: 50, reconnectionDelayMax: 100 })
    sockets.push(socket)
    app.configure(socketio(socket))
  }
  app.configure(authentication({ storage: memoryStorage() }))
  return { app, socket }
}

export function closeAll () {
  for (const socket of sockets) socket.close()
}

const b64 = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')

// A JWT signed with HS256 and `key`, header typ `access` unless `header` says otherwise.
export function token (claims, { key = secret, header = {} } = {}) {
  const head = b64({ alg: 'HS256', typ: 'access', ...header })
  const body = b64(claims)
  const signature = createHmac('sha256', key).update(`${head}.${body}`).digest('base64url')
  return `${head}.${body}.${signature}`
}

export function unsigned (claims) {
  return `${b64({ alg: 'none', typ: 'access' })}.${b64(claims)}.`
}

// Claims as the server writes them for user `sub`, with `change` applied.
export function claims (sub, change = {}) {
  const now = Math.floor(Date.now() / 1000)
  return { iat: now, exp: now + 3600, aud: 'https://yourdomain.com', iss: 'feathers', sub: String(sub), jti: randomUUID(), ...change }
}

let counter = 0
// A new user (public create) with a unique email; returns [email, password, user].
export async function newUser (app) {
  counter += 1
  const email = `user${counter}-${process.pid}-${mode}@example.com`
  const password = `pw-${counter}-${randomUUID()}`
  const user = await app.service('users').create({ email, password })
  return [email, password, user]
}

// Collects `event` of `service` into an array.
export function collect (service, event) {
  const seen = []
  service.on(event, (data) => seen.push(data))
  return seen
}

// Waits until `condition()` holds, or fails after `ms`.
export async function until (what, condition, ms = 5000) {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
