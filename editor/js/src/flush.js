// "Has the server stored my edits?" before a note or a submission.
//
// Notes and submissions go over HTTP, edits over the socket: without this, a writer who
// types and clicks Submit at once could freeze a final without their last keystrokes.
// The server handles a connection's frames in order, and answers a sync step 1 only
// after committing the updates queued before it. So: send our state vector (step 1)
// and wait for the server's step 2.
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import { canSend } from './protocol.js'

const MESSAGE_SYNC = 0
const SYNC_STEP1 = 0
const SYNC_STEP2 = 1
const NOT_CONNECTED = 'Not connected to the server: your latest edits may not be saved yet. Wait for "connected" and try again.'

/** Return `flush(timeoutMs)`: resolves once the server holds every edit sent so far. */
export function createFlusher (provider, ydoc) {
  // One entry per step 1 sent, oldest first: the server answers them in order. An entry
  // that timed out stays queued (settled) so that its late answer is not taken for a newer one's.
  let waiting = []
  const settle = (entry, error) => {
    if (entry.settled) return
    entry.settled = true
    clearTimeout(entry.timer)
    error ? entry.reject(error) : entry.resolve()
  }

  // Wrap y-websocket's sync handler (its table is per provider) to notice step 2.
  const original = provider.messageHandlers[MESSAGE_SYNC]
  provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, ...rest) => {
    const step = decoding.peekVarUint(decoder)
    original(encoder, decoder, ...rest)
    if (step === SYNC_STEP2 && waiting.length) settle(waiting.shift(), null)
  }
  provider.on('status', ({ status }) => {
    if (status === 'connected') return
    const lost = waiting
    waiting = []
    for (const entry of lost) settle(entry, new Error(NOT_CONNECTED))
  })

  return function flush (timeoutMs = 8000) {
    if (!canSend(provider) || !provider.synced) return Promise.reject(new Error(NOT_CONNECTED))
    return new Promise((resolve, reject) => {
      const entry = { resolve, reject, settled: false, timer: null }
      entry.timer = setTimeout(() => settle(entry, new Error(
        'The server did not confirm your latest edits in time; try again.')), timeoutMs)
      waiting.push(entry)
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, MESSAGE_SYNC)
      encoding.writeVarUint(encoder, SYNC_STEP1)
      encoding.writeVarUint8Array(encoder, Y.encodeStateVector(ydoc))
      provider.ws.send(encoding.toUint8Array(encoder))
    })
  }
}
