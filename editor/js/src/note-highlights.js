// Highlight each live note's text in the editor (Decoration.mark, class cm-note-highlight).
//
// Ranges come from the notes' Yjs anchors (see anchors.js). Between two resolutions the
// decorations are mapped through CodeMirror's changes, so they never lag a keystroke;
// the resolution itself is deferred to after the current update, because a local edit
// reaches the Y.Text from inside CodeMirror's update cycle, where no new dispatch is allowed.
import { StateEffect, StateField } from '@codemirror/state'
import { Decoration, EditorView } from '@codemirror/view'
import { locateNote } from './anchors.js'

const setHighlights = StateEffect.define()

export const noteHighlightField = StateField.define({
  create: () => Decoration.none,
  update (deco, tr) {
    for (const effect of tr.effects) if (effect.is(setHighlights)) return effect.value
    return tr.docChanged ? deco.map(tr.changes) : deco
  },
  provide: (field) => EditorView.decorations.from(field)
})

function decorationsFor (notes, located, length) {
  const marks = []
  for (const note of notes) {
    const where = located.get(note.id)
    if (note.withdrawn || !where || where.orphaned) continue
    const from = Math.min(where.from, length)
    const to = Math.min(where.to, length)
    if (to <= from) continue // a mark must cover at least one character
    marks.push(Decoration.mark({
      class: 'cm-note-highlight',
      attributes: { 'data-note-id': String(note.id) }
    }).range(from, to))
  }
  return Decoration.set(marks, true)
}

/**
 * Keep the highlights (and each note's current range) up to date as notes or text change.
 * `onLocated(map)` receives Map<noteId, {from, to, orphaned}> after every resolution.
 */
export function trackNoteRanges ({ view, ydoc, ytext, provider, getNotes, onLocated }) {
  let located = new Map()
  let scheduled = false

  function resolveNow () {
    scheduled = false
    // Before the first sync the text is not there yet: every note would look deleted.
    if (provider && !provider.synced) return
    const notes = getNotes()
    located = new Map(notes.map((note) => [note.id, locateNote(note, { ydoc, ytext })]))
    // Yjs and CodeMirror agree after the deferral; if not (mid-sync), the next change re-runs this.
    view.dispatch({ effects: setHighlights.of(decorationsFor(notes, located, view.state.doc.length)) })
    if (onLocated) onLocated(located)
  }

  function schedule () {
    if (scheduled) return
    scheduled = true
    setTimeout(resolveNow, 0)
  }

  ytext.observe(schedule)
  if (provider) provider.on('sync', (synced) => { if (synced) schedule() })
  return {
    refresh: schedule,
    /** The note's current range, resolved afresh (for selecting it). */
    rangeOf: (note) => locateNote(note, { ydoc, ytext }),
    located: () => located
  }
}
