// The chat page: sign up, log in, history and people, live messages, log out.
import { FeathersSocket } from './socket.js'

const TOKEN = 'feathers-jwt'
const $ = (id) => document.getElementById(id)
const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
const socket = new FeathersSocket(`${scheme}://${location.host}/socket.io/?EIO=4&transport=websocket`)

let me = null
const users = new Map()

// What the server's schemas refuse, in words for people: each problem of a
// "validation failed" error (Feathers 5's list, as Ajv reports it) by field and rule.
const PROBLEMS = {
  '/text minLength': 'A message needs some text',
  '/text pattern': 'A message needs some text',
  '/text maxLength': 'A message is at most 1000 characters',
  '/email format': 'A valid email address is needed',
  '/email maxLength': 'That email address is too long',
  '/password minLength': 'The password needs at least 8 characters',
  '/password maxLength': 'That password is too long',
}

function describe(error) {
  if (!Array.isArray(error.data)) return error.message || String(error)
  const said = error.data.map(problem =>
    PROBLEMS[`${problem.instancePath} ${problem.keyword}`] ||
    `${problem.instancePath.slice(1) || 'The data'} ${problem.message}`)
  return [...new Set(said)].join('. ')
}

function showError(error) {
  $('error').textContent = error ? describe(error) : ''
  $('error').hidden = !error
}

function show(view) {
  $('login').hidden = view !== 'login'
  $('chat').hidden = view !== 'chat'
  $('me').hidden = view !== 'chat'
}

socket.onstatus = (state, seconds) => {
  $('status').textContent = {
    connecting: 'Connecting…',
    reconnecting: 'Reconnecting…',
    connected: 'Connected',
    disconnected: `The server is gone: trying again in ${seconds}s…`,
  }[state]
  if (state === 'disconnected') showError(new Error('Lost the connection to the server. Reconnecting…'))
}

socket.on('connect', async () => {
  showError(null)
  const accessToken = localStorage.getItem(TOKEN)
  if (!accessToken) return show('login')
  try {
    await logIn({ strategy: 'jwt', accessToken })
  } catch (error) {
    localStorage.removeItem(TOKEN)
    show('login')
    if (error.code !== 401) showError(error)
  }
})

async function logIn(data) {
  const result = await socket.call('create', 'authentication', data, {})
  localStorage.setItem(TOKEN, result.accessToken)
  me = result.user
  $('me-email').textContent = me.email
  $('password').value = ''
  show('chat')
  await loadHistory()
}

async function loadHistory() {
  const [people, messages] = await Promise.all([
    socket.call('find', 'users', { $sort: { email: 1 }, $limit: 100 }),
    socket.call('find', 'messages', { $sort: { id: -1 }, $limit: 100 }),
  ])
  users.clear()
  $('users').replaceChildren()
  for (const user of list(people)) addUser(user)
  $('messages').replaceChildren()
  for (const message of list(messages).reverse()) addMessage(message)
}

const list = (result) => (Array.isArray(result) ? result : result.data)

function addUser(user) {
  if (users.has(user.id)) return
  users.set(user.id, user)
  const item = document.createElement('li')
  item.textContent = user.email
  $('users').append(item)
  $('user-count').textContent = `(${users.size})`
}

function addMessage(message) {
  const item = document.createElement('li')
  item.dataset.id = message.id
  if (me && message.userId === me.id) item.classList.add('mine')
  const meta = document.createElement('div')
  meta.className = 'meta'
  // The server sends each message with its author (`user`, resolved for the page).
  const author = message.user
  const time = message.createdAt ? new Date(message.createdAt).toLocaleTimeString() : ''
  meta.textContent = `${author ? author.email : 'someone'}${time ? ' · ' + time : ''}`
  const text = document.createElement('div')
  text.className = 'text'
  text.textContent = message.text
  item.append(meta, text)
  $('messages').append(item)
  item.scrollIntoView({ block: 'end' })
}

socket.on('messages created', (message) => { if (me) addMessage(message) })
socket.on('users created', (user) => { if (me) addUser(user) })

function credentials() {
  return { email: $('email').value.trim().toLowerCase(), password: $('password').value }
}

async function attempt(action) {
  showError(null)
  try { await action() } catch (error) { showError(error) }
}

$('login-form').addEventListener('submit', (event) => {
  event.preventDefault()
  attempt(() => logIn({ strategy: 'local', ...credentials() }))
})

$('signup-button').addEventListener('click', () => attempt(async () => {
  const data = credentials()
  await socket.call('create', 'users', data, {})
  await logIn({ strategy: 'local', ...data })
}))

$('message-form').addEventListener('submit', (event) => {
  event.preventDefault()
  const input = $('text')
  attempt(async () => {
    await socket.call('create', 'messages', { text: input.value }, {})
    input.value = ''
    input.focus()
  })
})

$('logout').addEventListener('click', () => attempt(async () => {
  localStorage.removeItem(TOKEN)
  me = null
  show('login')
  await socket.call('remove', 'authentication', null, {})
}))
