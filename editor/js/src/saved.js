// "All changes saved" / "Saving…" / "Offline — N changes waiting" (#save-status).
//
// Saved means stored: after committing a batch the server sends this socket
// {"t": "stored", "updates": n} (editor/saved.py), n counting the update frames of
// this socket that are in the database. We count the update frames we send on each
// socket, remembering how many local changes each one carried, so n tells exactly
// which of our changes are stored. After a reconnect, y-websocket sends everything
// the server lacks in one sync step 2, which the count covers too.
const MESSAGE_SYNC = 0
const SYNC_STEP2 = 1
const SYNC_UPDATE = 2

// A sync step 2 or update frame with a non-empty update (the server ignores empty ones).
function isUpdateFrame (data) {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data)
  if (bytes[0] !== MESSAGE_SYNC || (bytes[1] !== SYNC_STEP2 && bytes[1] !== SYNC_UPDATE)) return false
  return !(bytes.length === 5 && bytes[2] === 2 && bytes[3] === 0 && bytes[4] === 0)
}

/**
 * Create before the provider (so a local change is counted before y-websocket sends
 * it); then attach(provider). onStored(msg) takes the server's `stored` messages.
 */
export function createSavedTracker (ydoc, doc = document) {
  const el = doc.getElementById('save-status')
  let provider = null
  let local = 0 // local changes made so far
  let stored = 0 // of which the server has confirmed storing this many
  let marks = [] // per update frame sent on the current socket: `local` when sent

  const render = () => {
    if (!el) return
    const waiting = local - stored
    let state, text
    if (waiting <= 0) {
      state = 'saved'; text = 'All changes saved'
    } else if (provider && provider.wsconnected) {
      state = 'saving'; text = 'Saving…'
    } else {
      state = 'offline'; text = `Offline — ${waiting} ${waiting === 1 ? 'change' : 'changes'} waiting`
    }
    if (el.dataset.state !== state || el.textContent !== text) {
      el.dataset.state = state
      el.textContent = text
    }
  }

  ydoc.on('update', (_update, origin) => {
    if (provider && origin === provider) return // the server's, not ours
    local += 1
    render()
  })

  let hooked = null
  function hook (ws) {
    if (ws === hooked) return
    hooked = ws
    marks = []
    const send = ws.send.bind(ws)
    ws.send = (data) => {
      if (isUpdateFrame(data)) marks.push(local)
      send(data)
    }
  }

  return {
    attach (p) {
      provider = p
      // 'connected' is emitted in onopen, before y-websocket sends anything on the socket.
      provider.on('status', ({ status }) => {
        if (status === 'connected' && provider.ws) hook(provider.ws)
        render()
      })
      if (provider.ws) hook(provider.ws)
      render()
    },
    onStored (msg) {
      const n = Number(msg.updates)
      if (Number.isInteger(n) && n >= 1 && n <= marks.length) stored = Math.max(stored, marks[n - 1])
      render()
    },
    pending: () => local - stored,
    render
  }
}
