// A FeathersJS 5 instance in a feathers-sync cluster, for the mixed-cluster test:
// Koa REST and Socket.io, the same services as the Rust fixtures (`messages`,
// `batch` with a client-safe dispatch, `todos` with the custom event `shouted`), and
// feathers-sync 3 on REDIS_URL with the channel SYNC_KEY. Every connection joins
// `everybody`, which receives every event. Prints `listening <url>` once it serves.
import { once } from 'node:events'
import { feathers } from '@feathersjs/feathers'
import { koa, rest, bodyParser, errorHandler } from '@feathersjs/koa'
import socketio from '@feathersjs/socketio'
import { MemoryService } from '@feathersjs/memory'
import sync from 'feathers-sync'

const { REDIS_URL, SYNC_KEY } = process.env
if (!REDIS_URL || !SYNC_KEY) {
  throw new Error('REDIS_URL and SYNC_KEY must be set: the Rust interop test sets them')
}

class Todos {
  async find () {
    return [{ id: 0, text: 'some todo', complete: false }]
  }

  async shout (data, params) {
    this.emit('shouted', data)
    return { data, provider: params.provider, type: 'shout', query: params.query }
  }
}

const app = koa(feathers())
app.use(errorHandler())
app.use(bodyParser())
app.configure(rest())
app.configure(socketio())
app.configure(sync({ uri: REDIS_URL, key: SYNC_KEY }))

app.use('messages', new MemoryService())
app.use('batch', new MemoryService({ multi: true }))
app.service('batch').hooks({
  after: {
    create: [(context) => {
      const strip = ({ secret, ...rest }) => rest
      context.dispatch = Array.isArray(context.result) ? context.result.map(strip) : strip(context.result)
    }]
  }
})
app.use('todos', new Todos(), { methods: ['find', 'shout'], events: ['shouted'] })

app.on('connection', (connection) => app.channel('everybody').join(connection))
app.publish(() => app.channel('everybody'))

await app.sync.ready
const server = await app.listen(0, '127.0.0.1')
if (!server.listening) await once(server, 'listening')
console.log(`listening http://127.0.0.1:${server.address().port}`)
