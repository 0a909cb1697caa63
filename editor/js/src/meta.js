// Describe each local Yjs transaction to the server (a "meta" message sent just
// before the sync update it describes), so the trajectory records what the writer
// did (typed, pasted, deleted, undid) rather than a kind inferred from the delta.
import { StateField, Transaction } from '@codemirror/state'
import { YSyncConfig } from 'y-codemirror.next'
import { createEvidence } from './evidence.js'
import { sendOversight } from './protocol.js'

/**
 * The userEvent of the latest document-changing CodeMirror transaction.
 *
 * A state field rather than a view plugin: EditorView sets the new state before
 * any plugin updates, and y-codemirror.next's sync plugin writes to Yjs from its
 * plugin update, so when the Yjs 'update' event fires, view.state already holds
 * this value whatever the order of the extensions.
 */
export const lastUserEvent = StateField.define({
  create: () => null,
  update (value, tr) {
    if (!tr.docChanged) return value
    return tr.annotation(Transaction.userEvent) ?? null
  }
})

/**
 * Start watching `ydoc` for local transactions.
 *
 * Must be called BEFORE the WebsocketProvider is constructed: lib0 observers fire
 * in registration order, so our handler runs (and sends the meta) before the
 * provider's handler sends the update.
 * @param {import('yjs').Doc} ydoc
 */
export function createMetaReporter (ydoc, win = window) {
  let provider = null
  let undoManager = null
  let getState = () => null
  const evidence = createEvidence(win, () => ydoc.clientID)

  ydoc.on('update', (_update, origin, _doc, transaction) => {
    if (!provider || !transaction.local) return
    const userEvent = userEventFor(origin, undoManager, getState)
    const before = transaction.beforeState.get(ydoc.clientID) ?? 0
    // New structs under our id: the transaction inserted text (deletions add none).
    const inserted = (transaction.afterState.get(ydoc.clientID) ?? 0) > before
    // An accepted model suggestion is inserted by a click on the app's own button.
    const marks = userEvent === 'model.assist' ? {} : evidence.marksFor(inserted, userEvent)
    // Unknown cause and nothing seen (e.g. a deletion by a script): send nothing, the
    // server infers the kind.
    if (!userEvent && !Object.keys(marks).length) return
    sendOversight(provider, {
      t: 'meta',
      client: ydoc.clientID,
      clock: before,
      userEvent: userEvent ?? null,
      ...marks
    })
  })

  return {
    /** Connect the reporter once the provider, undo manager and view exist. */
    attach (p, um, stateGetter) {
      provider = p
      undoManager = um
      getState = stateGetter
      evidence.attach(p)
    }
  }
}

function userEventFor (origin, undoManager, getState) {
  if (undoManager && origin === undoManager) {
    if (undoManager.undoing) return 'undo'
    if (undoManager.redoing) return 'redo'
    return null
  }
  if (origin instanceof YSyncConfig) {
    const state = getState()
    return state ? state.field(lastUserEvent, false) ?? null : null
  }
  return null
}
