// CodeMirror and Yjs count UTF-16 code units; the server counts code points (Python
// str indices). Every offset sent to or read from the notes API goes through here,
// or a note after an emoji would point one character off per astral character.

const isHigh = (c) => c >= 0xd800 && c <= 0xdbff
const isLow = (c) => c >= 0xdc00 && c <= 0xdfff

/** Number of code points in text.slice(0, utf16Index). */
export function toCodePoints (text, utf16Index) {
  let count = 0
  for (let i = 0; i < utf16Index; i++) {
    // A surrogate pair is one code point; a pair cut by the index counts its half once.
    if (isHigh(text.charCodeAt(i)) && i + 1 < utf16Index && isLow(text.charCodeAt(i + 1))) i++
    count++
  }
  return count
}

/** The UTF-16 index of code point `codePoints` in text (clamped to its length). */
export function toUtf16 (text, codePoints) {
  let i = 0
  for (let n = 0; n < codePoints && i < text.length; n++) {
    i += isHigh(text.charCodeAt(i)) && isLow(text.charCodeAt(i + 1)) ? 2 : 1
  }
  return i
}
