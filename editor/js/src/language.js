// Language support per project setting; unknown languages edit as plain text.
import { markdown } from '@codemirror/lang-markdown'
import { python } from '@codemirror/lang-python'
import { javascript } from '@codemirror/lang-javascript'

const LANGUAGES = {
  markdown: () => markdown(),
  md: () => markdown(),
  python: () => python(),
  py: () => python(),
  javascript: () => javascript(),
  js: () => javascript(),
  jsx: () => javascript({ jsx: true }),
  typescript: () => javascript({ typescript: true }),
  ts: () => javascript({ typescript: true }),
  tsx: () => javascript({ typescript: true, jsx: true })
}

/** The CodeMirror extension for a language name, or [] for plain text. */
export function languageSupport (name) {
  const make = LANGUAGES[String(name || '').toLowerCase()]
  return make ? make() : []
}
