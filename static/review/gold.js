// The lead's gold page: selecting text in the draft fills the flaw's start and end,
// in code points (the server's offsets), not the browser's UTF-16 units.

const draft = document.getElementById('gold-draft')
const start = document.getElementById('gold-start')
const end = document.getElementById('gold-end')
const quote = document.getElementById('gold-quote')

/** Code points of the draft before (node, offset), a point inside the draft. */
function codePointsBefore (node, offset) {
  const range = document.createRange()
  range.setStart(draft, 0)
  range.setEnd(node, offset)
  return Array.from(range.toString()).length
}

function onSelect () {
  const selection = document.getSelection()
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return
  const range = selection.getRangeAt(0)
  if (!draft.contains(range.startContainer) || !draft.contains(range.endContainer)) return
  const from = codePointsBefore(range.startContainer, range.startOffset)
  const to = codePointsBefore(range.endContainer, range.endOffset)
  start.value = String(from)
  end.value = String(to)
  const text = range.toString()
  quote.replaceChildren('Selected ', Object.assign(document.createElement('code'),
    { textContent: `${from}–${to}` }), ': “', text.length > 120 ? `${text.slice(0, 120)}…` : text, '”')
}

if (draft && start && end) {
  draft.addEventListener('mouseup', onSelect)
  draft.addEventListener('keyup', onSelect)
}
