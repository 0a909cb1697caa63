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

/** Editor chrome for `kind` ('prose' wraps lines; 'code' numbers them). */
export function basicSetup (kind) {
  const code = kind === 'code'
  return [
    code ? [lineNumbers(), foldGutter(), highlightActiveLineGutter()] : EditorView.lineWrapping,
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
