// The published @feathersjs/adapter-tests, run through @feathersjs/rest-client against
// the MemoryService of a feathers-rs server (FEATHERS_URL), with the tests that can run
// through a remote client (docs/protocol.md, "Adapter tests", lists them as remote). Over REST every
// query value arrives as a string, so these pass only because the server compares a
// query-string value with a stored number or boolean as that type.
//
// Run by interop/tests/adapter_tests.rs with mocha:
//   node node_modules/mocha/bin/mocha.js adapter-tests.mjs
import { feathers } from '@feathersjs/feathers'
import rest from '@feathersjs/rest-client'
import errors from '@feathersjs/errors'
import { adapterTests } from '@feathersjs/adapter-tests'

const url = process.env.FEATHERS_URL
if (!url) {
  throw new Error('FEATHERS_URL is not set: interop/tests/adapter_tests.rs starts the server and sets it')
}

const methods = [
  '.get',
  '.get + $select',
  '.get + id + query',
  '.get + NotFound',
  '.get + NotFound (integer)',
  '.get + id + query id',
  '.find',
  '.remove',
  '.remove + $select',
  '.remove + id + query',
  '.remove + NotFound',
  '.remove + NotFound (integer)',
  '.remove + id + query id',
  '.update',
  '.update + $select',
  '.update + id + query',
  '.update + NotFound',
  '.update + NotFound (integer)',
  '.update + query + NotFound',
  '.update + id + query id',
  '.patch',
  '.patch + $select',
  '.patch + id + query',
  '.patch + NotFound',
  '.patch + NotFound (integer)',
  '.patch + query + NotFound',
  '.patch + id + query id',
  '.create',
  '.create ignores query',
  '.create + $select'
]

const syntax = [
  '.find + equal',
  '.find + equal multiple',
  '.find + $sort',
  '.find + $sort + string',
  '.find + $limit',
  '.find + $limit 0',
  '.find + $skip',
  '.find + $select',
  '.find + $or',
  '.find + $in',
  '.find + $nin',
  '.find + $lt',
  '.find + $lte',
  '.find + $gt',
  '.find + $gte',
  '.find + $ne',
  '.find + $gt + $lt + $sort',
  '.find + $or nested + $sort',
  '.find + $and',
  '.find + $and + $or'
]

// The paginate tests set `service.options.paginate`, which a remote client cannot send;
// they run against a second service configured with that pagination ({default: 1, max: 2}).
const paginated = [
  '.find + paginate',
  '.find + paginate + query',
  '.find + paginate + $limit + $skip',
  '.find + paginate + $limit 0'
]

const connection = rest(url).fetch(fetch)
const app = feathers().configure(connection)
for (const path of ['people', 'people-paginated']) {
  // `.id` is a plain it() that always runs: it reads the id field's name from the local
  // service object, which a remote client learns from its configuration, as here.
  app.use(path, Object.assign(connection.service(path), { id: 'id' }))
}

adapterTests([...methods, ...syntax])(app, errors, 'people', 'id')
adapterTests(paginated)(app, errors, 'people-paginated', 'id')
