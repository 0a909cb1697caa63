// A message strip above the editor: read-only notice, server errors.

/**
 * Return a `show(kind, text)` function; the strip is created next to #editor.
 * kind: 'readonly' | 'error' | null (null hides it).
 */
export function createBanner (host, doc = document) {
  let el = null
  const ensure = () => {
    if (el) return el
    el = doc.createElement('div')
    el.className = 'editor-banner'
    el.setAttribute('role', 'status')
    el.hidden = true
    if (host && host.parentNode) host.parentNode.insertBefore(el, host)
    return el
  }
  return function show (kind, text) {
    const strip = ensure()
    strip.hidden = !kind
    strip.dataset.kind = kind || ''
    strip.setAttribute('role', kind === 'error' ? 'alert' : 'status')
    strip.textContent = text || ''
  }
}
