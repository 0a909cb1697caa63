// A tiny markdown renderer for note bodies that builds DOM nodes, never HTML strings:
// a note is untrusted text (any writer's), so nothing in it can become markup.
// Supported: paragraphs, line breaks, "- " lists, `code`, **bold**, *emphasis*.

const INLINE = /`([^`\n]+)`|\*\*([^*\n]+)\*\*|\*([^*\n]+)\*/g

function appendInline (parent, text, doc) {
  let last = 0
  for (const match of text.matchAll(INLINE)) {
    if (match.index > last) parent.append(doc.createTextNode(text.slice(last, match.index)))
    const [, code, strong, em] = match
    const el = doc.createElement(code != null ? 'code' : strong != null ? 'strong' : 'em')
    el.textContent = code ?? strong ?? em
    parent.append(el)
    last = match.index + match[0].length
  }
  if (last < text.length) parent.append(doc.createTextNode(text.slice(last)))
}

const BULLET = /^\s*[-*]\s+/

/** Render `text` as a DocumentFragment of <p> and <ul> elements. */
export function renderMarkdown (text, doc = document) {
  const fragment = doc.createDocumentFragment()
  const blocks = String(text ?? '').replace(/\r\n?/g, '\n').split(/\n\s*\n/)
  for (const block of blocks) {
    const lines = block.split('\n').filter((line) => line.trim() !== '')
    if (!lines.length) continue
    if (lines.every((line) => BULLET.test(line))) {
      const ul = doc.createElement('ul')
      for (const line of lines) {
        const li = doc.createElement('li')
        appendInline(li, line.replace(BULLET, ''), doc)
        ul.append(li)
      }
      fragment.append(ul)
      continue
    }
    const p = doc.createElement('p')
    lines.forEach((line, i) => {
      if (i) p.append(doc.createElement('br'))
      appendInline(p, line, doc)
    })
    fragment.append(p)
  }
  return fragment
}
