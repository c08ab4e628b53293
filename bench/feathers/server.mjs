// The FeathersJS 5 server that bench/run.sh measures feathers-rs against: Koa REST,
// Socket.io, and an @feathersjs/memory `messages` service (no pagination); every
// connection joins `everybody`, and every event is published there.
//
// PORT (default 3030) on 127.0.0.1; `npm ci` first.
import { feathers } from '@feathersjs/feathers'
import { koa, rest, bodyParser, errorHandler } from '@feathersjs/koa'
import socketio from '@feathersjs/socketio'
import { MemoryService } from '@feathersjs/memory'

const port = Number(process.env.PORT || 3030)

const app = koa(feathers())
app.use(errorHandler())
app.use(bodyParser())
app.configure(rest())
app.configure(socketio())
app.use('messages', new MemoryService())

app.on('connection', (connection) => app.channel('everybody').join(connection))
app.publish(() => app.channel('everybody'))

await app.listen(port, '127.0.0.1')
console.log(`feathers listening on http://127.0.0.1:${port}`)
