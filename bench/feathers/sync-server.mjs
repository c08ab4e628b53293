// `server.mjs` with feathers-sync 3 on: the FeathersJS side of `bench/sync.sh`.
// Shares its events through the Redis at REDIS_URL on the channel SYNC_KEY; listens
// on 127.0.0.1:PORT once subscribed.
import { feathers } from '@feathersjs/feathers'
import { koa, rest, bodyParser, errorHandler } from '@feathersjs/koa'
import socketio from '@feathersjs/socketio'
import { MemoryService } from '@feathersjs/memory'
import sync from 'feathers-sync'

const port = Number(process.env.PORT || 3030)
const { REDIS_URL, SYNC_KEY } = process.env
if (!REDIS_URL) throw new Error('REDIS_URL must be set for the sync benchmark')

const app = koa(feathers())
app.use(errorHandler())
app.use(bodyParser())
app.configure(rest())
app.configure(socketio())
app.configure(sync({ uri: REDIS_URL, key: SYNC_KEY || 'feathers-sync' }))
app.use('messages', new MemoryService())

app.on('connection', (connection) => app.channel('everybody').join(connection))
app.publish(() => app.channel('everybody'))

await app.sync.ready
await app.listen(port, '127.0.0.1')
console.log(`feathers with feathers-sync listening on http://127.0.0.1:${port}`)
