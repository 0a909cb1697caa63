// CodeMirror's basicSetup, minus its history (undo is per user, via Y.UndoManager)
// and autocompletion, with prose/code differences.
import { EditorState } from '@codemirror/state'
import {
  EditorView, keymap, lineNumbers, highlightActiveLineGutter, highlightSpecialChars,
  drawSelection, dropCursor, rectangularSelection, crosshairCursor, highlightActiveLine
} from '@codemirror/view'
import { defaultKeymap, indentWithTab } from '@codemirror/commands'
import {
  indentOnInput, syntaxHighlighting, defaultHighlightStyle, bracketMatching,
  foldGutter, foldKeymap
} from '@codemirror/language'
import { searchKeymap, highlightSelectionMatches } from '@codemirror/search'
import { closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete'
import { yUndoManagerKeymap } from 'y-codemirror.next'

/** Editor chrome for `kind` ('code' numbers its lines; wrapping is wrap.js's). */
export function basicSetup (kind) {
  const code = kind === 'code'
  return [
    code ? [lineNumbers(), foldGutter(), highlightActiveLineGutter()] : [],
    // The text box's accessible name; the hint says how to leave it where Tab indents.
    EditorView.contentAttributes.of({
      // Focusable even when read-only, so readers can scroll the text by keyboard.
      tabindex: '0',
      'aria-label': code ? 'Document text (code). Press Escape, then Tab, to leave the editor.' : 'Document text'
    }),
    highlightSpecialChars(),
    drawSelection(),
    dropCursor(),
    EditorState.allowMultipleSelections.of(true),
    indentOnInput(),
    syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
    bracketMatching(),
    code ? closeBrackets() : [],
    rectangularSelection(),
    crosshairCursor(),
    highlightActiveLine(),
    highlightSelectionMatches(),
    keymap.of([
      // Mod-z / Mod-y / Mod-Shift-z: undo only this writer's own edits.
      ...yUndoManagerKeymap,
      ...(code ? closeBracketsKeymap : []),
      ...defaultKeymap,
      ...searchKeymap,
      ...foldKeymap,
      // Tab indents in code; in prose it keeps moving focus (accessibility).
      ...(code ? [indentWithTab] : [])
    ])
  ]
}
