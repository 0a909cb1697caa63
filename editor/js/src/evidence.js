// Evidence from the page about each local change and about the writer's attention
// (oversight/core/evidence.py is the server's side and the definitions' home):
// - untrusted: an input event behind the change was dispatched by a script or an
//   extension (event.isTrusted false), not by the user;
// - silent: the change inserted text with no key, beforeinput, paste, drop, cut,
//   composition or pointer event in the second before it (a script writing into the
//   document, execCommand, a direct Yjs insert);
// - after_refocus: the first insert, and the first paste, within REFOCUS_WINDOW_MS of
//   the window getting focus back (text brought from another application);
// and the intervals the window or tab lost focus, reported as "focus" messages.
import { sendOversight } from './protocol.js'

// 'input' is left out on purpose: execCommand fires it (trusted) with no key behind it.
const INPUT_EVENTS = ['keydown', 'beforeinput', 'paste', 'drop', 'cut', 'compositionstart',
  'compositionupdate', 'compositionend', 'pointerdown', 'mousedown', 'touchstart']
export const SILENT_WINDOW_MS = 1000
export const REFOCUS_WINDOW_MS = 5000
const MAX_QUEUED_FOCUS = 50

/**
 * Watch the window for input events and focus changes.
 * @param {Window} win
 * @param {() => number} clientId the Yjs client id of this tab
 */
export function createEvidence (win, clientId) {
  let lastInputAt = -Infinity
  let untrustedPending = false
  let lostAt = null // Date.now() when the window lost focus, null while it has it
  let refocusedAt = null // performance.now() when it came back, until its first paste
  let insertMarked = false // the first insert since it came back was marked
  let provider = null
  const queued = [] // focus reports waiting for a connection

  const onInput = (event) => {
    lastInputAt = win.performance.now()
    if (!event.isTrusted && !untrustedPending) {
      // Handlers of a script-dispatched event run inside dispatchEvent, before any
      // microtask: the change it causes is seen while the mark is set.
      untrustedPending = true
      queueMicrotask(() => { untrustedPending = false })
    }
  }
  for (const type of INPUT_EVENTS) win.addEventListener(type, onInput, true)

  const lost = () => { if (lostAt === null) lostAt = Date.now() }
  const back = () => {
    if (lostAt === null) return
    const now = Date.now()
    queued.push({ t: 'focus', lost_ms: lostAt, back_ms: Math.max(now, lostAt), client: clientId() })
    if (queued.length > MAX_QUEUED_FOCUS) queued.shift()
    lostAt = null
    refocusedAt = win.performance.now()
    insertMarked = false
    flush()
  }
  const flush = () => {
    while (provider && queued.length) {
      if (!sendOversight(provider, { ...queued[0], sent_ms: Date.now() })) return
      queued.shift()
    }
  }
  win.addEventListener('blur', lost)
  win.addEventListener('focus', back)
  win.document.addEventListener('visibilitychange', () => {
    if (win.document.visibilityState === 'hidden') lost(); else back()
  })

  return {
    /** Start sending focus reports on the provider's socket (queued ones after each connect). */
    attach (p) {
      provider = p
      p.on('status', ({ status }) => { if (status === 'connected') queueMicrotask(flush) })
      flush()
    },
    /**
     * The true marks of one local Yjs transaction: `inserted`, it added text;
     * `userEvent`, what CodeMirror said it was (null: unknown).
     */
    marksFor (inserted, userEvent) {
      const marks = {}
      const now = win.performance.now()
      if (untrustedPending) marks.untrusted = true
      if (inserted && now - lastInputAt > SILENT_WINDOW_MS) marks.silent = true
      if (inserted && refocusedAt !== null) {
        if (now - refocusedAt > REFOCUS_WINDOW_MS) {
          refocusedAt = null
        } else {
          const pasted = marks.silent || /^(input\.paste|input\.drop|move\.drop)/.test(userEvent || '')
          if (pasted || !insertMarked) marks.after_refocus = true
          insertMarked = true
          if (pasted) refocusedAt = null // the text brought back has arrived
        }
      }
      return marks
    }
  }
}
