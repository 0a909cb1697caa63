#!/usr/bin/env node
// Replay an editing trace through the server with two STOCK y-websocket clients
// (a writer and an observer) and check the observer converges to the trace's text.
//
//   node replay_sample.mjs --url ws://127.0.0.1:PORT/ws/docs --room DOC_ID --token KEY
//        [--observer-token KEY2] [--trace ../data/sveltecomponent-sample.json]
//        [--timeout 60] [--window 1000] [--allow-empty-start]
//
// The room must already hold the trace's startContent (the server seeds it from the
// task draft). --allow-empty-start accepts an empty room instead and has the writer
// insert startContent first: only for servers without seeding (the stock one).
//
// Prints one JSON line {ok, ops, final_len, seconds[, error]}; exit code 0 iff ok.
import fs from 'node:fs'
import zlib from 'node:zlib'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'

const TEXT_NAME = 'codemirror'

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    room: { type: 'string' },
    token: { type: 'string' },
    'observer-token': { type: 'string' },
    trace: { type: 'string', default: new URL('../data/sveltecomponent-sample.json', import.meta.url).pathname },
    timeout: { type: 'string', default: '60' },
    window: { type: 'string', default: '1000' },
    'allow-empty-start': { type: 'boolean', default: false }
  }
})
if (!args.url || !args.room) {
  console.error('usage: node replay_sample.mjs --url ws://HOST/ws/docs --room DOC_ID --token KEY [--observer-token KEY2] [--trace FILE] [--timeout S] [--window N] [--allow-empty-start]')
  process.exit(2)
}
const timeoutMs = parseFloat(args.timeout) * 1000
const windowSize = parseInt(args.window, 10)

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

function loadTrace (file) {
  let raw = fs.readFileSync(file)
  if (file.endsWith('.gz')) raw = zlib.gunzipSync(raw)
  return JSON.parse(raw.toString('utf8'))
}

// Trace positions count Unicode code points; JS strings and Y.Text count UTF-16 units.
// They differ only when the text holds characters above U+FFFF.
const ASTRAL = /[\u{10000}-\u{10FFFF}]/u

function utf16Offset (text, codePoints) {
  let units = 0
  for (let i = 0; i < codePoints; i++) units += text.codePointAt(units) > 0xffff ? 2 : 1
  return units
}

/** Apply one patch to a JS string the way the trace means it (code points). */
function applyPatch (text, [pos, del, ins], astral) {
  const from = astral ? utf16Offset(text, pos) : pos
  const to = astral ? from + utf16Offset(text.slice(from), del) : pos + del
  return { from, to, text: text.slice(0, from) + ins + text.slice(to) }
}

function connect (token) {
  const doc = new Y.Doc()
  const params = token ? { token } : {}
  const provider = new WebsocketProvider(args.url, args.room, doc, { WebSocketPolyfill: WebSocket, disableBc: true, params })
  const client = { doc, provider, text: doc.getText(TEXT_NAME), closed: null }
  // y-websocket 3 stops reconnecting on a 44xx close and emits 'closed': fail fast on it.
  provider.on('closed', ({ code, reason }) => { client.closed = `server closed the connection: ${code} ${reason || ''}`.trim() })
  return client
}

async function waitFor (cond, ms, what, clients) {
  const end = performance.now() + ms
  while (!cond()) {
    const closed = clients.find((c) => c.closed)
    if (closed) throw new Error(closed.closed)
    if (performance.now() > end) throw new Error('timeout waiting for ' + what)
    await sleep(5)
  }
}

async function replay (trace) {
  const txns = trace.txns
  const start = trace.startContent || ''
  const astral = ASTRAL.test(start) || txns.some((t) => t.patches.some((p) => ASTRAL.test(p[2])))
  const expected = txns.reduce((s, t) => t.patches.reduce((acc, p) => applyPatch(acc, p, astral).text, s), start)
  if (typeof trace.endContent === 'string' && expected !== trace.endContent) {
    throw new Error("the trace's txns do not replay to its endContent")
  }

  const w = connect(args.token)
  const o = connect(args['observer-token'] || args.token)
  const clients = [w, o]
  const result = { ok: false, ops: 0, final_len: null, seconds: null }
  let applied = 0
  try {
    await waitFor(() => w.provider.synced && o.provider.synced, Math.min(20000, timeoutMs), 'initial sync', clients)
    const initial = w.text.toString()
    if (initial !== start) {
      if (!(args['allow-empty-start'] && initial === '')) {
        throw new Error(`room holds ${initial.length} chars, not the trace's startContent (${start.length})`)
      }
      w.doc.transact(() => w.text.insert(0, start))
    }
    await waitFor(() => o.text.toString() === start, Math.min(20000, timeoutMs), 'startContent on the observer', clients)

    // Flow control as in the shared bench: stay at most `windowSize` txns ahead of the
    // observer, measured by the writer's Yjs clock (delete-only txns do not advance it).
    const writerId = w.doc.clientID
    const clockAfter = new Float64Array(txns.length)
    let seen = 0
    let wake = null
    o.doc.on('update', (_u, origin) => {
      if (origin !== o.provider) return
      const known = Y.getState(o.doc.store, writerId)
      while (seen < applied && clockAfter[seen] <= known) seen++
      if (wake) { const f = wake; wake = null; f() }
    })

    const t0 = performance.now()
    let mirror = w.text.toString()
    while (applied < txns.length) {
      if (applied - seen >= windowSize) {
        await Promise.race([new Promise((resolve) => { wake = resolve }), sleep(100)])
        if (w.closed || o.closed) throw new Error(w.closed || o.closed)
        if (performance.now() - t0 > timeoutMs) throw new Error('timeout: the observer stopped receiving updates')
        continue
      }
      w.doc.transact(() => { // one Yjs transaction (= one update message) per trace txn
        for (const patch of txns[applied].patches) {
          const { from, to, text } = applyPatch(mirror, patch, astral)
          if (to > from) w.text.delete(from, to - from)
          if (patch[2].length > 0) w.text.insert(from, patch[2])
          mirror = text
        }
      })
      clockAfter[applied] = Y.getState(w.doc.store, writerId)
      applied++
      if ((applied & 63) === 0) await new Promise((resolve) => setImmediate(resolve))
    }

    const deadline = t0 + timeoutMs
    while (!(o.text.length === expected.length && o.text.toString() === expected)) {
      if (w.closed || o.closed) throw new Error(w.closed || o.closed)
      if (performance.now() > deadline) throw new Error('timeout: the observer did not converge to the expected text')
      await sleep(10)
    }
    result.seconds = Math.round(performance.now() - t0) / 1000
    result.ok = w.text.toString() === expected
    if (!result.ok) result.error = "the writer's own text differs from the expected text"
  } catch (err) {
    result.error = err.message
  } finally {
    result.ops = applied
    result.final_len = o.text.length
    w.provider.destroy()
    o.provider.destroy()
  }
  return result
}

const result = await replay(loadTrace(args.trace))
  .catch((err) => ({ ok: false, ops: 0, final_len: null, seconds: null, error: err.message }))
console.log(JSON.stringify(result))
process.exit(result.ok ? 0 : 1)
