// The chat page in a real browser (Debian's Chromium through playwright-core), and a
// page from another origin using the real @feathersjs/client and socket.io-client
// browser bundles, allowed or refused by CORS.
//
// FEATHERS_URL: the chat (CORS allows OTHER_ORIGIN); CHAT_CLOSED_URL: a chat without
// CORS origins; OTHER_ORIGIN: a static server with cross-origin.html and the bundles;
// CHROMIUM_PATH: the browser; SCREENSHOT: where the side-by-side picture goes.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { chromium } from 'playwright-core'

const CHAT = process.env.FEATHERS_URL
const CLOSED = process.env.CHAT_CLOSED_URL
const OTHER = process.env.OTHER_ORIGIN
const SHOT = process.env.SCREENSHOT
const PASSWORD = 'correct horse battery'

let browser
let alice
let bob

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    // playwright gives every launch a fresh temporary profile (user-data-dir).
    args: [
      '--no-sandbox', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--disable-quic', '--disable-gpu', '--no-first-run',
    ],
  })
})

after(async () => {
  await browser?.close()
})

async function openChat() {
  const context = await browser.newContext({ viewport: { width: 760, height: 560 } })
  const page = await context.newPage()
  await page.goto(CHAT)
  await page.locator('#login').waitFor({ state: 'visible' })
  return page
}

async function signUp(page, email) {
  await page.fill('#email', email)
  await page.fill('#password', PASSWORD)
  await page.click('#signup-button')
  await page.locator('#chat').waitFor({ state: 'visible' })
  assert.equal(await page.textContent('#me-email'), email)
}

test('two people sign up; one posts and the other sees it within a second', async () => {
  alice = await openChat()
  bob = await openChat()
  await signUp(alice, 'alice@example.com')
  await signUp(bob, 'bob@example.com')
  // Alice sees Bob join, live.
  await alice.locator('#users li', { hasText: 'bob@example.com' }).waitFor({ timeout: 1000 })

  await alice.fill('#text', 'Hello Bob, this is live!')
  await alice.click('#message-form button')
  await alice.locator('#messages li', { hasText: 'Hello Bob, this is live!' }).waitFor()
  const seen = bob.locator('#messages li', { hasText: 'Hello Bob, this is live!' })
  await seen.waitFor({ timeout: 1000 })
  assert.match(await seen.textContent(), /alice@example\.com/)

  await bob.fill('#text', 'Hi Alice! Loud and clear.')
  await bob.click('#message-form button')
  await alice.locator('#messages li', { hasText: 'Loud and clear' }).waitFor({ timeout: 1000 })

  if (SHOT) {
    const left = (await alice.screenshot()).toString('base64')
    const right = (await bob.screenshot()).toString('base64')
    const board = await browser.newPage({ viewport: { width: 1560, height: 600 } })
    await board.setContent(`<body style="margin:0;background:#c9ced8;display:flex;gap:20px;padding:20px">
      <img src="data:image/png;base64,${left}"><img src="data:image/png;base64,${right}"></body>`)
    await board.screenshot({ path: SHOT })
    await board.close()
  }
})

test('an empty message shows an error', async () => {
  await alice.fill('#text', '   ')
  await alice.click('#message-form button')
  await alice.locator('#error', { hasText: 'A message needs some text' }).waitFor()
})

test('a reload keeps the login', async () => {
  await bob.reload()
  await bob.locator('#chat').waitFor({ state: 'visible' })
  assert.equal(await bob.textContent('#me-email'), 'bob@example.com')
  await bob.locator('#messages li', { hasText: 'Hello Bob' }).waitFor()
})

test('a wrong password shows an error', async () => {
  const page = await openChat()
  await page.fill('#email', 'alice@example.com')
  await page.fill('#password', 'not the password')
  await page.click('#login-button')
  await page.locator('#error', { hasText: 'Invalid login' }).waitFor()
  assert.equal(await page.isVisible('#chat'), false)
  await page.context().close()
})

test('logging out shows the login form and survives a reload', async () => {
  await bob.click('#logout')
  await bob.locator('#login').waitFor({ state: 'visible' })
  await bob.reload()
  await bob.locator('#login').waitFor({ state: 'visible' })
  assert.equal(await bob.isVisible('#chat'), false)
})

test('the page shows that the server is gone and reconnects when it is back', async () => {
  const control = (what) => fetch(`${OTHER}/control/${what}`, { method: 'POST' }).then((r) => r.text())
  assert.equal(await control('stop'), 'stopped')
  await alice.locator('#error', { hasText: 'Lost the connection' }).waitFor()
  await alice.locator('#status', { hasText: 'server is gone' }).waitFor()
  assert.equal(await control('start'), 'started')
  await alice.locator('#status', { hasText: 'Connected' }).waitFor({ timeout: 15000 })
  await alice.locator('#error').waitFor({ state: 'hidden' })
  // Logged in again with the stored token: posting works and the history is back.
  await alice.locator('#messages li', { hasText: 'Hello Bob' }).waitFor()
  await alice.fill('#text', 'Back after the restart')
  await alice.click('#message-form button')
  await alice.locator('#messages li', { hasText: 'Back after the restart' }).waitFor({ timeout: 1000 })
})

async function crossOriginPage() {
  const page = await browser.newPage()
  await page.goto(`${OTHER}/cross-origin.html`)
  assert.equal(await page.evaluate(() => typeof feathers + typeof io), 'functionfunction')
  return page
}

test('a page from an allowed origin logs in with @feathersjs/client and receives events', async () => {
  const page = await crossOriginPage()
  const received = await page.evaluate(async ({ server, password }) => {
    const socket = io(server, { transports: ['polling'] })
    const app = feathers()
    app.configure(feathers.socketio(socket))
    app.configure(feathers.authentication())
    await app.service('users').create({ email: 'carol@example.com', password })
    await app.authenticate({ strategy: 'local', email: 'carol@example.com', password })
    // A connection that has not logged in receives no events.
    const anonymous = io(server, { transports: ['polling'] })
    const overheard = []
    anonymous.onAny((name) => overheard.push(name))
    await new Promise((resolve) => anonymous.on('connect', resolve))
    const event = new Promise((resolve) => app.service('messages').once('created', resolve))
    await app.service('messages').create({ text: 'from another origin' })
    const message = await event
    // The event and a call answered after it have both reached the server's sockets.
    await app.service('messages').find({ query: { $limit: 1 } })
    anonymous.close()
    if (overheard.length) throw new Error(`an anonymous connection received ${overheard}`)
    // REST (fetch) from this origin works too.
    const rest = feathers().configure(feathers.rest(server).fetch(window.fetch.bind(window)))
    const login = await rest.service('authentication').create({ strategy: 'local', email: 'carol@example.com', password })
    return { text: message.text, user: login.user.email }
  }, { server: CHAT, password: PASSWORD })
  assert.deepEqual(received, { text: 'from another origin', user: 'carol@example.com' })
  // Alice, in the chat page, sees it too.
  await alice.locator('#messages li', { hasText: 'from another origin' }).waitFor({ timeout: 1000 })
  await page.close()
})

test('a page from an origin CORS does not allow is refused', async () => {
  const page = await crossOriginPage()
  const outcome = await page.evaluate(async ({ server, password }) => {
    const rest = await fetch(`${server}/users`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'dave@example.com', password }),
    }).then(() => 'answered', (error) => `refused: ${error.name}`)
    const socket = await new Promise((resolve) => {
      const connection = io(server, { transports: ['polling'], reconnection: false })
      connection.on('connect', () => resolve('connected'))
      connection.on('connect_error', () => resolve('refused'))
    })
    return { rest, socket }
  }, { server: CLOSED, password: PASSWORD })
  assert.deepEqual(outcome, { rest: 'refused: TypeError', socket: 'refused' })
  await page.close()
})
