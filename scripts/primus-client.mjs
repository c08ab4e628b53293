// Generates the browser client library `primus.js` for a feathers-rs server, with the
// options the server speaks: the websockets transformer, the JSON parser, the
// primus-emitter plugin, pathname /primus. Run it where `primus`, `primus-emitter` and
// `ws` are installed (npm install primus@8 primus-emitter@3 ws@8):
//
//   node scripts/primus-client.mjs public/primus.js
//
// then serve it with `.configure(|primus: &mut PrimusSettings| primus.client = Some("public/primus.js".into()))`.
import http from 'node:http'
import { createRequire } from 'node:module'

const require = createRequire(`${process.cwd()}/`)
const Primus = require('primus')
const Emitter = require('primus-emitter')

const out = process.argv[2] ?? 'primus.js'
const server = http.createServer()
const primus = new Primus(server, {
  transformer: 'websockets',
  parser: 'json',
  pathname: '/primus',
  pingInterval: 30000
})
primus.plugin('emitter', Emitter)
primus.save(out)
console.log(`wrote ${out}`)
primus.destroy({ close: false, timeout: 0 })
