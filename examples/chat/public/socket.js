// A small Socket.io client for Feathers: Engine.IO 4 over a WebSocket.
//   server → "0{...}" open, "2" ping (answered "3"), "40{...}" connected,
//            "42[event, data]" an event, "43<id>[error, result]" the answer to a call,
//            "41" disconnected by the server.
//   client → "40" connect, "42<id>[method, path, ...args]" a call (Feathers' layout).
// It reconnects by itself with a growing, jittered delay.

export class FeathersSocket {
  constructor(url) {
    this.url = url
    this.nextId = 0
    this.pending = new Map()
    this.listeners = new Map()
    this.connected = false
    this.attempt = 0
    this.onstatus = () => {}
    this.open()
  }

  open() {
    this.onstatus(this.attempt === 0 ? 'connecting' : 'reconnecting')
    const ws = new WebSocket(this.url)
    this.ws = ws
    ws.onmessage = (event) => this.receive(String(event.data))
    ws.onclose = () => this.closed(ws)
    ws.onerror = () => ws.close()
  }

  receive(frame) {
    const type = frame[0]
    if (type === '0') {
      this.send('40')
    } else if (type === '2') {
      this.send('3')
    } else if (type === '4') {
      this.packet(frame.slice(1))
    }
  }

  packet(packet) {
    const type = packet[0]
    if (type === '0') {
      this.connected = true
      this.attempt = 0
      this.onstatus('connected')
      this.emitLocal('connect')
    } else if (type === '1') {
      this.ws.close()
    } else if (type === '2' || type === '3') {
      const match = /^(\d*)(.*)$/s.exec(packet.slice(1))
      let args
      try { args = JSON.parse(match[2]) } catch { return }
      if (!Array.isArray(args)) return
      if (type === '2') {
        this.emitLocal(args[0], args[1])
      } else {
        const call = this.pending.get(Number(match[1]))
        if (!call) return
        this.pending.delete(Number(match[1]))
        if (args[0]) call.reject(toError(args[0]))
        else call.resolve(args[1])
      }
    }
  }

  closed(ws) {
    if (ws !== this.ws) return
    const wasConnected = this.connected
    this.connected = false
    for (const call of this.pending.values()) call.reject(new Error('The connection to the server was lost'))
    this.pending.clear()
    if (wasConnected) this.emitLocal('disconnect')
    const delay = Math.min(10000, 500 * 2 ** this.attempt) * (0.75 + Math.random() * 0.5)
    this.attempt += 1
    this.onstatus('disconnected', Math.round(delay / 1000))
    setTimeout(() => this.open(), delay)
  }

  send(frame) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(frame)
  }

  // Calls `method` on the service at `path`: resolves with the result, rejects with the
  // Feathers error (its `message`, `name`, `code`, `data`, `errors`).
  call(method, path, ...args) {
    if (!this.connected) return Promise.reject(new Error('Not connected to the server'))
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.send(`42${id}${JSON.stringify([method, path, ...args])}`)
    })
  }

  on(event, handler) {
    if (!this.listeners.has(event)) this.listeners.set(event, [])
    this.listeners.get(event).push(handler)
  }

  emitLocal(event, data) {
    for (const handler of this.listeners.get(event) || []) handler(data)
  }
}

function toError(data) {
  const error = new Error(typeof data === 'object' && data.message ? data.message : String(data))
  if (typeof data === 'object') Object.assign(error, { name: data.name, code: data.code, data: data.data, errors: data.errors })
  return error
}
