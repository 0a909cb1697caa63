// Oversight's extra message type on the y-websocket socket.
//
// Frame: varUint(100) · varString(JSON), lib0 encoding. The stock y-websocket
// protocol uses types 0 (sync), 1 (awareness), 2 (auth) and 3 (query awareness);
// stock peers ignore (or log) anything else.
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'

export const MESSAGE_OVERSIGHT = 100
export const PROTOCOL_VERSION = 1

/** Encode one Oversight message as a binary frame. */
export function encodeOversight (payload) {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_OVERSIGHT)
  encoding.writeVarString(encoder, JSON.stringify(payload))
  return encoding.toUint8Array(encoder)
}

/** Decode a whole frame; null unless it is a well-formed Oversight message. */
export function decodeOversight (frame) {
  try {
    const decoder = decoding.createDecoder(frame)
    if (decoding.readVarUint(decoder) !== MESSAGE_OVERSIGHT) return null
    return parsePayload(decoding.readVarString(decoder))
  } catch (_err) {
    return null
  }
}

function parsePayload (text) {
  const msg = JSON.parse(text)
  return msg && typeof msg === 'object' && typeof msg.t === 'string' ? msg : null
}

/**
 * Whether a frame sent now would leave on the socket. Mirrors y-websocket's own
 * broadcast condition, so a meta is sent exactly when its update is.
 */
export function canSend (provider) {
  const ws = provider.ws
  return Boolean(provider.wsconnected && ws && ws.readyState === ws.OPEN)
}

/** Send one Oversight message on the provider's socket; false if not connected. */
export function sendOversight (provider, payload) {
  if (!canSend(provider)) return false
  provider.ws.send(encodeOversight(payload))
  return true
}

/**
 * Handle incoming type-100 messages and announce ourselves after every (re)connect.
 * @param {import('y-websocket').WebsocketProvider} provider
 * @param {(msg: object) => void} onMessage
 */
export function installOversightProtocol (provider, onMessage) {
  // y-websocket copies its handler table per provider; an unknown type would only log.
  provider.messageHandlers[MESSAGE_OVERSIGHT] = (_encoder, decoder) => {
    let msg = null
    try {
      msg = parsePayload(decoding.readVarString(decoder))
    } catch (err) {
      console.warn('[oversight] undecodable type-100 message', err)
    }
    if (msg) onMessage(msg)
  }
  // 'connected' is emitted in onopen before sync step 1 goes out, so the server
  // learns that we speak type 100 before it sees any update from us.
  provider.on('status', ({ status }) => {
    if (status === 'connected') sendOversight(provider, { t: 'hello', v: PROTOCOL_VERSION })
  })
}
