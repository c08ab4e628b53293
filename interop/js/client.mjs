// A Feathers client app talking REST to the server under test (FEATHERS_URL).
import { feathers } from '@feathersjs/feathers'
import rest from '@feathersjs/rest-client'

export const url = process.env.FEATHERS_URL
if (!url) {
  throw new Error('FEATHERS_URL is not set: the Rust interop tests start the server and set it')
}

export function restApp () {
  const app = feathers()
  const connection = rest(url).fetch(fetch)
  app.configure(connection)
  app.use('todos', connection.service('todos'), {
    methods: ['find', 'get', 'create', 'update', 'patch', 'remove', 'shout']
  })
  return app
}

// A raw request, for what the client library never sends (malformed bodies, odd verbs).
export async function raw (method, path, { body, headers } = {}) {
  const response = await fetch(url + path, { method, body, headers })
  const text = await response.text()
  let json
  try { json = text ? JSON.parse(text) : undefined } catch { json = undefined }
  return { status: response.status, headers: response.headers, text, json }
}
