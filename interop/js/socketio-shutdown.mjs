// The real socket.io-client across a graceful shutdown of the server (FEATHERS_URL):
// a call in flight when the shutdown starts is answered, the client is closed in a way
// it reconnects from, and it reconnects to the next server on the same address. Then
// the server closes the connection itself (a Socket.IO DISCONNECT), after which the
// client does not reconnect. Prints what it saw as one JSON line.
import { feathers } from '@feathersjs/feathers'
import socketio from '@feathersjs/socketio-client'
import { io } from 'socket.io-client'

const url = process.env.FEATHERS_URL
const transports = process.env.SOCKET_TRANSPORTS ? process.env.SOCKET_TRANSPORTS.split(',') : undefined
const seen = []
const socket = io(url, {
  transports,
  forceNew: true,
  reconnectionDelay: 50,
  reconnectionDelayMax: 200,
  randomizationFactor: 0,
  timeout: 5000
})
const app = feathers().configure(socketio(socket, { timeout: 20000 }))
socket.on('disconnect', reason => seen.push(`disconnect:${reason}`))
socket.io.on('reconnect', () => seen.push('reconnect'))

function until (condition, what, ms = 20000) {
  return new Promise((resolve, reject) => {
    const started = Date.now()
    const check = () => {
      if (condition()) return resolve()
      if (Date.now() - started > ms) return reject(new Error(`no ${what} within ${ms}ms: ${JSON.stringify(seen)}`))
      setTimeout(check, 20)
    }
    check()
  })
}

await until(() => socket.connected, 'connection')
const first = await app.service('slow').get(1)
seen.push(`ack:${JSON.stringify(first)}`)
await until(() => seen.includes('reconnect') && socket.connected, 'reconnection')
const second = await app.service('slow').get(2)
seen.push(`after:${JSON.stringify(second)}`)
await until(() => seen.filter(s => s.startsWith('disconnect:')).length === 2, 'second disconnect')
// A client told to go away stays away: give it time to (wrongly) come back.
await new Promise(resolve => setTimeout(resolve, 1000))
seen.push(`connected:${socket.connected}`)
console.log(JSON.stringify(seen))
socket.close()
