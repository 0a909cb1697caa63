// Entry point: mount the collaborative editor described by #editor-config into #editor.
import './editor.css'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { yCollab } from 'y-codemirror.next'
import { EditorState, Compartment } from '@codemirror/state'
import { EditorView } from '@codemirror/view'
import { readConfig } from './config.js'
import { createMetaReporter, lastUserEvent } from './meta.js'
import { installOversightProtocol } from './protocol.js'
import { trackConnection, shouldReconnect, CLOSE_MESSAGES, TERMINAL_CLOSE_CODES } from './status.js'
import { announceUser, trackPresence } from './presence.js'
import { createBanner } from './banner.js'
import { createNotesFeed } from './notes.js'
import { createNotesBridge, mountNotes, notesExtensions } from './notes-ui.js'
import { createFlusher } from './flush.js'
import { mountSubmit } from './submit.js'
import { mountAssist } from './assist.js'
import { mountProvenance } from './provenance-view.js'
import { apiRequest } from './api.js'
import { mountTests } from './tests-panel.js'
import { languageSupport } from './language.js'
import { basicSetup } from './setup.js'

const TEXT_NAME = 'codemirror' // the shared Y.Text; the server and the recorder use this name

function readOnlyExtensions (flag) {
  return [EditorState.readOnly.of(flag), EditorView.editable.of(!flag)]
}

// The status badge the server rendered into the page follows the room's news.
function showStatus (status) {
  const badge = document.getElementById('task-status')
  if (!badge || !status) return
  badge.textContent = status.replace('_', ' ').replace(/^./, (c) => c.toUpperCase())
  badge.className = `status status-${status}`
}

function mount () {
  const config = readConfig()
  const host = document.getElementById('editor')
  if (!config || !host || !config.docId) {
    console.error('[oversight] no #editor element or no usable #editor-config; editor not started')
    return null
  }

  const ydoc = new Y.Doc()
  const ytext = ydoc.getText(TEXT_NAME)
  // Registered before the provider exists so its 'update' handler runs first (see meta.js).
  const meta = createMetaReporter(ydoc)
  const provider = new WebsocketProvider(config.wsUrl, config.docId, ydoc, {
    // The server is the only path between clients: every edit it stores comes from
    // the socket of its author, never relayed through another tab.
    disableBc: true,
    shouldReconnect
  })
  const undoManager = new Y.UndoManager(ytext)
  announceUser(provider.awareness, config.user)

  const readOnly = new Compartment()
  const noteBridge = createNotesBridge()
  const view = new EditorView({
    parent: host,
    state: EditorState.create({
      doc: ytext.toString(),
      extensions: [
        lastUserEvent,
        basicSetup(config.kind),
        languageSupport(config.language),
        readOnly.of(readOnlyExtensions(Boolean(config.readOnly))),
        yCollab(ytext, provider.awareness, { undoManager }),
        notesExtensions(noteBridge)
      ]
    })
  })
  meta.attach(provider, undoManager, () => view.state)

  const banner = createBanner(host)
  const notes = createNotesFeed(config)
  const flush = createFlusher(provider, ydoc)
  const notesUi = mountNotes({ config, view, ydoc, ytext, provider, feed: notes, flush, bridge: noteBridge })
  const assist = mountAssist({ config, view, flush })
  const provenance = mountProvenance({
    view,
    load: async () => {
      // Origins of what the server holds: our latest edits first (read-only viewers hold none).
      if (!config.readOnly) await flush(5000)
      return apiRequest(config, 'GET', `/tasks/${config.taskId}/provenance/`)
    }
  })
  // Notes and Submit follow the editor: usable exactly while the text is editable.
  const setReadOnly = (flag) => {
    view.dispatch({ effects: readOnly.reconfigure(readOnlyExtensions(flag)) })
    notesUi.setEditable(!flag)
    submitUi.setEditable(!flag)
  }
  const submitUi = mountSubmit({
    config,
    ytext,
    flush,
    onSubmitted: (submission) => {
      setReadOnly(true)
      banner('readonly', `Submitted (round ${submission.round}); the text is read-only.`)
    }
  })

  const testsUi = mountTests({ config, flush })

  // The socket opens asynchronously, so handlers registered in this tick still see
  // its first 'connected' status and every incoming message.
  installOversightProtocol(provider, (msg) => {
    if (msg.t === 'notes') {
      notes.refresh()
    } else if (msg.t === 'status') {
      showStatus(msg.status)
      if (msg.readonly) {
        setReadOnly(true)
        banner('readonly', `This task is ${(msg.status || 'closed').replace('_', ' ')}; the text is read-only.`)
      } else if (msg.readonly === false && config.canEdit) {
        // Sent back for changes: a new round opens for those who may edit.
        setReadOnly(false)
        banner(null)
      }
    } else if (msg.t === 'verifier') {
      testsUi.show(msg.run)
    } else if (msg.t === 'error') {
      if (msg.code === 'read_only') setReadOnly(true)
      banner('error', msg.message || `The server refused an edit (${msg.code}).`)
    }
  })
  trackConnection(provider)
  // Edits typed now could never reach the server: stop accepting them.
  provider.on('connection-close', (event) => {
    const code = event && event.code
    if (code === 4409 || TERMINAL_CLOSE_CODES.has(code)) {
      setReadOnly(true)
      banner(code === 4409 ? 'readonly' : 'error', CLOSE_MESSAGES[code])
    }
  })
  trackPresence(provider.awareness)
  // On every (re)connect, publish our state with a new awareness clock. y-websocket
  // re-sends it with the clock peers already know, and y-protocols ignores a state
  // that is not newer: after a server restart, peers would look absent (no presence,
  // no caret) until the next periodic renewal, up to 15 s later.
  provider.on('status', ({ status }) => {
    if (status === 'connected' && provider.awareness.getLocalState() !== null) {
      announceUser(provider.awareness, config.user)
    }
  })
  notes.refresh()

  // Leave the presence list promptly when the tab goes away; come back from bfcache.
  window.addEventListener('pagehide', () => provider.awareness.setLocalState(null))
  window.addEventListener('pageshow', (e) => { if (e.persisted) announceUser(provider.awareness, config.user) })

  return { view, ydoc, ytext, provider, undoManager, notes, setReadOnly, config, assist, provenance }
}

window.oversightEditor = mount()
