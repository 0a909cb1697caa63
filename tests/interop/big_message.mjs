#!/usr/bin/env node
// STOCK y-websocket clients and the server's WebSocket message limit.
//
//   node big_message.mjs --url ws://127.0.0.1:PORT/ws/docs --room DOC_ID --token KEY
//        --observer-token KEY2 (--paste CHARS | --offline CHARS) [--timeout 30]
//
// --paste: once synced, the writer pastes CHARS characters in one update; the observer
//   must receive them (a message under the server's limit is not cut, whatever size).
// --offline: the writer typed CHARS characters before connecting, so its first sync
//   message carries them all; over the limit, the server must refuse it with a close
//   the stock client treats as final: it gives up ('closed') and does not retry.
// Prints one JSON line {ok, close_codes, reason, connects[, error]}; exit code 0 iff ok.
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    room: { type: 'string' },
    token: { type: 'string' },
    'observer-token': { type: 'string' },
    paste: { type: 'string' },
    offline: { type: 'string' },
    timeout: { type: 'string', default: '30' }
  }
})
const timeoutMs = parseFloat(args.timeout) * 1000
const QUIET_AFTER_GIVING_UP_MS = 3000
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

function connect (token, before) {
  const doc = new Y.Doc()
  const text = doc.getText('codemirror')
  if (before) text.insert(0, before)
  const provider = new WebsocketProvider(args.url, args.room, doc, { WebSocketPolyfill: WebSocket, disableBc: true, params: { token } })
  const client = { doc, provider, text, closes: [], reason: null, gaveUp: false, connects: 0 }
  provider.on('connection-close', (event) => { if (event) { client.closes.push(event.code); client.reason = event.reason } })
  provider.on('closed', () => { client.gaveUp = true })
  provider.on('status', ({ status }) => { if (status === 'connecting') client.connects++ })
  return client
}

async function waitFor (cond, what) {
  const end = performance.now() + timeoutMs
  while (!cond()) {
    if (performance.now() > end) throw new Error('timeout waiting for ' + what)
    await sleep(10)
  }
}

const result = { ok: false, close_codes: [], reason: null, connects: 0 }
const clients = []
try {
  if (args.paste) {
    const w = connect(args.token)
    const o = connect(args['observer-token'])
    clients.push(w, o)
    await waitFor(() => w.provider.synced && o.provider.synced, 'initial sync')
    w.text.insert(w.text.length, 'p'.repeat(parseInt(args.paste, 10)))
    const expected = w.text.toString()
    await waitFor(() => o.text.length === expected.length, 'the observer to receive the paste')
    result.ok = o.text.toString() === expected && w.closes.length === 0
  } else {
    const w = connect(args.token, 'o'.repeat(parseInt(args.offline, 10)))
    clients.push(w)
    await waitFor(() => w.gaveUp, 'the client to give up')
    const connects = w.connects
    await sleep(QUIET_AFTER_GIVING_UP_MS)
    result.ok = w.connects === connects && !w.provider.wsconnected
    if (!result.ok) result.error = 'the client kept reconnecting'
  }
} catch (err) {
  result.error = err.message
} finally {
  if (clients[0]) {
    result.close_codes = clients[0].closes
    result.reason = clients[0].reason
    result.connects = clients[0].connects
  }
  for (const c of clients) c.provider.destroy()
}
console.log(JSON.stringify(result))
process.exit(result.ok ? 0 : 1)
