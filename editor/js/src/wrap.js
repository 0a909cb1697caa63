// Line wrapping: prose always wraps; code has a "Wrap lines" toggle (#wrap-lines),
// remembered per user. Off by default for code, where indentation carries meaning.
import { Compartment } from '@codemirror/state'
import { EditorView } from '@codemirror/view'

const key = (user) => `oversight.wrap.v1.${user || 'anonymous'}`

function remembered (user, storage) {
  try {
    return storage.getItem(key(user)) === '1'
  } catch (err) {
    return false
  }
}

/** The wrapping extension for `kind`, plus connect(view) to wire the toggle. */
export function lineWrapping (kind, user, { doc = document, storage = window.localStorage } = {}) {
  if (kind !== 'code') return { extension: EditorView.lineWrapping, connect: () => {} }
  const compartment = new Compartment()
  const initial = remembered(user, storage)
  return {
    extension: compartment.of(initial ? EditorView.lineWrapping : []),
    connect (view) {
      const box = doc.getElementById('wrap-lines')
      if (!box) return
      box.checked = initial
      box.addEventListener('change', () => {
        view.dispatch({ effects: compartment.reconfigure(box.checked ? EditorView.lineWrapping : []) })
        try {
          storage.setItem(key(user), box.checked ? '1' : '0')
        } catch (err) { /* not remembered */ }
      })
    }
  }
}
