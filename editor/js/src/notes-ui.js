// Reasoning notes in the editor: the "Add note" button and shortcut, the form, the side
// panel and the highlights, kept live by the notes feed (refetched on {"t":"notes"}).
import { EditorView, keymap } from '@codemirror/view'
import { apiRequest } from './api.js'
import { encodeAnchor, resolveAnchor } from './anchors.js'
import { noteHighlightField, trackNoteRanges } from './note-highlights.js'
import { createNoteForm } from './note-form.js'
import { createNotesPanel } from './notes-panel.js'
import { toCodePoints } from './offsets.js'

export const ADD_NOTE_KEY = 'Mod-Alt-m'

/**
 * The editor extensions notes need. They exist before the notes UI does (the view is
 * built first), so they call through `bridge`, which mountNotes fills in.
 */
export function notesExtensions (bridge) {
  return [
    noteHighlightField,
    keymap.of([{ key: ADD_NOTE_KEY, preventDefault: true, run: () => bridge.addNote() }]),
    EditorView.updateListener.of((update) => {
      if (update.selectionSet || update.docChanged) bridge.selectionChanged(update.state)
    })
  ]
}

export function createNotesBridge () {
  return { addNote: () => false, selectionChanged: () => {} }
}

export function mountNotes ({ config, view, ydoc, ytext, provider, feed, flush, bridge, doc = document }) {
  const addButton = doc.getElementById('add-note')
  const root = doc.getElementById('notes-panel') || doc.createElement('aside')
  const notesPath = `/tasks/${config.taskId}/notes/`
  let editable = !config.readOnly

  const per = Number(config.notesPerChangedChars) || 0
  const panel = createNotesPanel(root, {
    user: config.user.name,
    rubric: config.rubric,
    hint: per ? `This project asks for one note per ${per} changed characters before submission.` : '',
    onSelect: selectNote,
    onEdit: (note) => form.open({ mode: 'edit', note }),
    onWithdraw: (note) => change(() => apiRequest(config, 'DELETE', `/notes/${note.id}/`))
  }, doc)
  // Saved or cancelled, the writer goes back to the text (not to <body>).
  const form = createNoteForm(panel.formHost, { rubric: config.rubric, onSave: save, onClose: () => view.focus() }, doc)
  const ranges = trackNoteRanges({ view, ydoc, ytext, provider, getNotes: () => feed.notes, onLocated: panel.setLocated })

  async function save (request, { body, principle }) {
    if (request.mode === 'edit') {
      await apiRequest(config, 'PATCH', `/notes/${request.note.id}/`, { body, principle })
    } else {
      // Make sure the server holds the text we quote (and its offsets) first.
      await flush()
      const range = resolveAnchor(request.anchor, ydoc, ytext)
      if (!range || range.to <= range.from) throw new Error('The selected text was deleted meanwhile; select it again.')
      const text = ytext.toString()
      const quote = text.slice(range.from, range.to)
      const start = toCodePoints(text, range.from)
      const end = start + toCodePoints(quote, quote.length)
      await apiRequest(config, 'POST', notesPath, { body, principle, start, end, quote, anchor: request.anchor })
    }
    feed.refresh() // the server's {"t":"notes"} will also arrive; the feed coalesces both
  }

  async function change (request) {
    try {
      await request()
      panel.say('')
      feed.refresh()
    } catch (err) {
      panel.say(err.message, 'error')
    }
  }

  function selectNote (note) {
    const where = ranges.rangeOf(note)
    if (where.orphaned || where.to <= where.from) {
      panel.say(where.orphaned ? 'The text of this note has been deleted.' : 'This note has no text range.')
      return
    }
    view.dispatch({ selection: { anchor: where.from, head: where.to }, effects: EditorView.scrollIntoView(where.from, { y: 'center' }) })
    view.focus()
  }

  function addNote () {
    if (!editable) return false
    const selection = view.state.selection.main
    if (selection.empty) {
      panel.say('Select the text the note is about first.')
      return true
    }
    panel.say('')
    form.open({
      mode: 'create',
      quote: view.state.sliceDoc(selection.from, selection.to),
      // Taken now: the range follows any edit made while the note is being written.
      anchor: encodeAnchor(ytext, selection.from, selection.to)
    })
    return true
  }

  function updateButton (state = view.state) {
    if (!addButton) return
    addButton.hidden = !editable
    addButton.disabled = !editable || state.selection.main.empty
  }

  bridge.addNote = addNote
  bridge.selectionChanged = updateButton
  if (addButton) {
    // mousedown would move focus out of the editor first; keep the selection visible.
    addButton.addEventListener('mousedown', (event) => event.preventDefault())
    addButton.addEventListener('click', addNote)
  }
  doc.addEventListener('oversight:notes', () => {
    panel.setNotes(feed.notes)
    ranges.refresh()
  })
  panel.setNotes(feed.notes)
  panel.setEditable(editable)
  updateButton()

  return {
    addNote,
    setEditable (flag) {
      editable = flag
      if (!flag) form.close()
      panel.setEditable(flag)
      updateButton()
    }
  }
}
