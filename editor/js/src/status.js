// The connection indicator (#connection-status) and the close-code policy.

// Close codes the Oversight server uses, with what the writer should read.
export const CLOSE_MESSAGES = {
  4400: 'The server could not read a message from this editor.',
  4401: 'You are signed out. Reload the page to sign in again.',
  4403: 'You do not have access to this document.',
  4404: 'This document does not exist.',
  4409: 'This task is no longer editable.',
  4413: 'An edit was too large to save; it was not stored. Reload the page to continue.',
  4500: 'The document restarted on the server; reconnecting…',
  4503: 'The server asked this editor to wait a moment.'
}

// Reconnecting cannot fix these: stop and keep the message on screen. An
// oversized edit would be re-sent by every resync, so 4413 stops too.
// (y-websocket 3 would by default give up on every 44xx code; the others are
// transient for Oversight, so we keep retrying those. A flood gets 4503, which
// stock clients retry too.)
export const TERMINAL_CLOSE_CODES = new Set([4401, 4403, 4404, 4413])

/** y-websocket `shouldReconnect` option implementing the policy above. */
export const shouldReconnect = (event) => !TERMINAL_CLOSE_CODES.has(event.code)

/**
 * Keep #connection-status in step with the provider.
 * @param {import('y-websocket').WebsocketProvider} provider
 * @param {Document} doc
 */
export function trackConnection (provider, doc = document) {
  const el = doc.getElementById('connection-status')
  let lastClose = null // {code, message} of the latest known server close
  let everSynced = false

  const show = (state, text) => {
    if (!el) return
    el.dataset.state = state
    el.textContent = text
  }

  const render = () => {
    if (lastClose && TERMINAL_CLOSE_CODES.has(lastClose.code)) {
      show('error', lastClose.message)
    } else if (typeof navigator !== 'undefined' && navigator.onLine === false) {
      // The browser knows before the socket does (a dead socket can take ~30 s to notice).
      show('offline', 'offline')
    } else if (provider.wsconnected && provider.synced) {
      show('connected', 'connected')
    } else if (lastClose) {
      show('error', lastClose.message + ' Reconnecting…')
    } else if (provider.wsconnected) {
      show('connecting', 'syncing…')
    } else {
      show('connecting', everSynced ? 'reconnecting…' : 'connecting…')
    }
  }

  provider.on('connection-close', (event) => {
    const code = event && event.code
    lastClose = CLOSE_MESSAGES[code] ? { code, message: `${CLOSE_MESSAGES[code]} (${code})` } : null
    render()
  })
  provider.on('status', render)
  provider.on('sync', (synced) => {
    if (synced) {
      everSynced = true
      lastClose = null
    }
    render()
  })
  if (typeof window !== 'undefined') {
    window.addEventListener('online', render)
    window.addEventListener('offline', render)
  }
  render()
  return { render, lastClose: () => lastClose }
}
