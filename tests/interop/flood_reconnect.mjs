#!/usr/bin/env node
// A STOCK y-websocket client writes faster than the server's per-connection rate
// limit, is closed for flooding, reconnects by itself and its later edits land.
//
//   node flood_reconnect.mjs --url ws://127.0.0.1:PORT/ws/docs --room DOC_ID --token KEY
//        --observer-token KEY2 [--timeout 60]
//
// The writer appends one character per Yjs transaction (one update message each)
// until the server closes its socket, then keeps typing while disconnected, then,
// once y-websocket has reconnected on its own, types a final marker. The observer
// must end with the writer's text. Prints one JSON line
// {ok, close_codes, sent_before_close, final_len[, error]}; exit code 0 iff ok.
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
    timeout: { type: 'string', default: '60' }
  }
})
const timeoutMs = parseFloat(args.timeout) * 1000
const MAX_FLOOD = 200000
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

function connect (token) {
  const doc = new Y.Doc()
  // Stock options: the default shouldReconnect gives up on 4400-4499 and emits 'closed'.
  const provider = new WebsocketProvider(args.url, args.room, doc, { WebSocketPolyfill: WebSocket, disableBc: true, params: { token } })
  const client = { doc, provider, text: doc.getText('codemirror'), closes: [], gaveUp: null }
  provider.on('connection-close', (event) => { if (event) client.closes.push(event.code) })
  provider.on('closed', ({ code, reason }) => { client.gaveUp = `gave up after close ${code} ${reason || ''}`.trim() })
  return client
}

async function waitFor (cond, what, clients) {
  const end = performance.now() + timeoutMs
  while (!cond()) {
    const stopped = clients.find((c) => c.gaveUp)
    if (stopped) throw new Error(stopped.gaveUp)
    if (performance.now() > end) throw new Error('timeout waiting for ' + what)
    await sleep(5)
  }
}

const w = connect(args.token)
const o = connect(args['observer-token'])
const result = { ok: false, close_codes: [], sent_before_close: 0, final_len: null }
try {
  await waitFor(() => w.provider.synced && o.provider.synced, 'initial sync', [w, o])
  // Type as fast as the socket takes it (no more than 64 KiB queued, so the server's
  // close frame and the closing handshake are not stuck behind megabytes of backlog).
  const open = () => w.provider.ws && w.provider.ws.readyState === WebSocket.OPEN
  while (open() && result.sent_before_close < MAX_FLOOD) {
    if (w.provider.ws.bufferedAmount < 65536) {
      for (let i = 0; i < 50; i++) w.text.insert(w.text.length, 'f')
      result.sent_before_close += 50
    }
    await sleep(1)
  }
  await waitFor(() => w.closes.length > 0, 'the flood close', [w, o])
  if (w.closes.length === 0) throw new Error(`no flood close after ${MAX_FLOOD} messages`)
  w.text.insert(w.text.length, ' offline')
  await waitFor(() => w.provider.wsconnected && w.provider.synced, 'the writer to reconnect', [w, o])
  w.text.insert(w.text.length, ' after')
  const expected = w.text.toString()
  await waitFor(() => o.text.toString() === expected, 'the observer to hold the writer\'s text', [w, o])
  result.ok = expected.endsWith(' offline after')
} catch (err) {
  result.error = err.message
} finally {
  result.close_codes = w.closes
  result.final_len = o.text.length
  w.provider.destroy()
  o.provider.destroy()
}
console.log(JSON.stringify(result))
process.exit(result.ok ? 0 : 1)
