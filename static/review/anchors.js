// Anchored comments: select a passage of the final text, write a comment on it.
// Offsets are code points of the final text, like every offset in a trajectory.
import { codePointLength } from './text.js'

/** Return the UTF-16 offset of (node, offset) within `root`'s text. */
function unitsBefore (root, node, offset) {
  const range = document.createRange()
  range.selectNodeContents(root)
  range.setEnd(node, offset)
  return range.toString().length
}

/** Paint the commented ranges of `text` into `host` as <mark>s. */
function paint (host, text, comments) {
  const chars = Array.from(text)
  const covered = new Array(chars.length + 1).fill(0)
  for (const c of comments) for (let i = c.start; i < c.end; i++) covered[i]++
  const parts = []
  let start = 0
  for (let i = 1; i <= chars.length; i++) {
    if (i === chars.length || Boolean(covered[i]) !== Boolean(covered[start])) {
      const piece = chars.slice(start, i).join('')
      if (covered[start]) {
        const mark = document.createElement('mark')
        mark.textContent = piece
        parts.push(mark)
      } else {
        parts.push(document.createTextNode(piece))
      }
      start = i
    }
  }
  host.replaceChildren(...parts)
}

/** Wire selection-to-comment on the final text; return {comments()} for the verdict form. */
export function setupAnchors ({ finalEl, pop, quoteEl, bodyEl, addButton, cancelButton, list }) {
  const text = finalEl.textContent
  const comments = []
  let pending = null

  function renderList () {
    list.replaceChildren(...comments.map((c, i) => {
      const li = document.createElement('li')
      const quote = document.createElement('blockquote')
      quote.textContent = c.quote
      const body = document.createElement('p')
      body.textContent = c.body
      const remove = document.createElement('button')
      remove.type = 'button'
      remove.className = 'small'
      remove.textContent = 'Remove'
      remove.addEventListener('click', () => { comments.splice(i, 1); refresh() })
      li.append(quote, body, remove)
      return li
    }))
  }
  function refresh () {
    paint(finalEl, text, comments)
    renderList()
  }
  function hide () {
    pop.hidden = true
    pending = null
  }

  finalEl.addEventListener('mouseup', () => {
    const selection = window.getSelection()
    if (!selection.rangeCount || selection.isCollapsed) return
    const range = selection.getRangeAt(0)
    if (!finalEl.contains(range.startContainer) || !finalEl.contains(range.endContainer)) return
    const startUnits = unitsBefore(finalEl, range.startContainer, range.startOffset)
    const endUnits = unitsBefore(finalEl, range.endContainer, range.endOffset)
    const quote = text.slice(startUnits, endUnits)
    if (!quote.trim()) return
    const start = codePointLength(text.slice(0, startUnits))
    pending = { start, end: start + codePointLength(quote), quote }
    quoteEl.textContent = quote
    bodyEl.value = ''
    pop.hidden = false
    bodyEl.focus()
  })
  addButton.addEventListener('click', () => {
    if (!pending || !bodyEl.value.trim()) return
    comments.push({ ...pending, body: bodyEl.value.trim() })
    comments.sort((a, b) => a.start - b.start)
    hide()
    window.getSelection().removeAllRanges()
    refresh()
  })
  cancelButton.addEventListener('click', hide)
  return { comments: () => comments.map((c) => ({ ...c })) }
}
