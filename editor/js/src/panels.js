// Side panels of the task page: collapsible, resizable, remembered per user.
//
// Convention (docs/editor-panels.md): the page has docks, `<div class="dock"
// data-dock="left|right">`, holding panels, `<section class="panel" data-panel="NAME"
// data-title="Title">…content…</section>`. This module gives each panel a header with
// a collapse button, gives each dock a resize handle on its editor-side edge, and
// stores {collapsed} per panel and {width} per dock in localStorage under the user's
// name. A dock whose panels are all collapsed shrinks to a rail of its panel titles.
// Narrow windows (< NARROW_PX) show open panels over the editor instead of beside it,
// and start with every panel collapsed, so the document is always in sight.
//
// Events, for code that owns a panel: 'panel:toggle' is dispatched on the section with
// detail {name, open} whenever it opens or closes (a panel may load lazily on open).

export const NARROW_PX = 1000
const MIN_WIDTH = 220
const KEY_STEP = 16

function storageKey (user) {
  return `oversight.panels.v1.${user || 'anonymous'}`
}

function load (user, storage) {
  try {
    const raw = storage && storage.getItem(storageKey(user))
    const parsed = raw ? JSON.parse(raw) : null
    return parsed && typeof parsed === 'object' ? { panels: {}, docks: {}, ...parsed } : { panels: {}, docks: {} }
  } catch (err) {
    return { panels: {}, docks: {} }
  }
}

function save (user, storage, state) {
  try {
    if (storage) storage.setItem(storageKey(user), JSON.stringify(state))
  } catch (err) { /* private mode or full storage: the layout simply is not remembered */ }
}

const maxWidth = (win) => Math.max(MIN_WIDTH, Math.round(win.innerWidth * 0.45))
const clampWidth = (w, win) => Math.min(maxWidth(win), Math.max(MIN_WIDTH, Math.round(w)))

/**
 * Set up every dock and panel under `root` (normally the .task-layout element).
 * Returns {open(name, flag), isOpen(name)} for other modules and tests.
 */
export function mountPanels (root, { doc = document, win = window, storage = win.localStorage } = {}) {
  if (!root) return null
  const user = root.dataset.panelsUser
  const state = load(user, storage)
  const narrow = () => win.innerWidth < NARROW_PX
  const panels = new Map() // name -> {section, button, dock}

  const persist = () => save(user, storage, state)

  function refreshDock (dock) {
    const list = [...dock.querySelectorAll(':scope > .panel')]
    const anyOpen = list.some((s) => !s.classList.contains('panel-collapsed'))
    dock.classList.toggle('dock-collapsed', !anyOpen)
    root.classList.toggle(`dock-${dock.dataset.dock}-open`, anyOpen)
  }

  function setOpen (name, open, { remember = true } = {}) {
    const entry = panels.get(name)
    if (!entry) return
    const { section, button, dock } = entry
    // In a narrow window an open panel covers the editor: show one at a time.
    if (open && narrow()) {
      for (const [other, e] of panels) {
        if (other !== name && !e.section.classList.contains('panel-collapsed')) setOpen(other, false, { remember: false })
      }
    }
    section.classList.toggle('panel-collapsed', !open)
    button.setAttribute('aria-expanded', String(open))
    refreshDock(dock)
    if (remember && !narrow()) {
      state.panels[name] = { collapsed: !open }
      persist()
    }
    section.dispatchEvent(new CustomEvent('panel:toggle', { bubbles: true, detail: { name, open } }))
  }

  function setupPanel (section, dock) {
    const name = section.dataset.panel
    const title = section.dataset.title || name
    const body = doc.createElement('div')
    body.className = 'panel-body'
    body.id = `panel-body-${name}`
    body.tabIndex = 0 // it scrolls: keyboard users must be able to reach and scroll it
    body.append(...section.childNodes)
    const head = doc.createElement('h2')
    head.className = 'panel-head'
    const button = doc.createElement('button')
    button.type = 'button'
    button.className = 'panel-toggle'
    button.setAttribute('aria-controls', body.id)
    button.dataset.panelToggle = name
    const label = doc.createElement('span')
    label.className = 'panel-title'
    label.textContent = title
    // A short live figure beside the title (a count, "3/5 passing"): set its textContent.
    const badge = doc.createElement('span')
    badge.className = 'panel-badge'
    badge.dataset.panelBadge = name
    button.append(label, badge)
    head.append(button)
    section.replaceChildren(head, body)
    section.setAttribute('aria-label', section.getAttribute('aria-label') || title)
    button.addEventListener('click', () => setOpen(name, section.classList.contains('panel-collapsed')))
    panels.set(name, { section, button, dock })
    const remembered = state.panels[name]
    const startOpen = narrow() ? false : !(remembered && remembered.collapsed)
    setOpen(name, startOpen, { remember: false })
  }

  function setupResizer (dock) {
    const side = dock.dataset.dock
    const handle = doc.createElement('div')
    handle.className = 'dock-resizer'
    handle.tabIndex = 0
    handle.setAttribute('role', 'separator')
    handle.setAttribute('aria-orientation', 'vertical')
    handle.setAttribute('aria-label', `Resize the ${side} panels (arrow keys)`)
    handle.setAttribute('aria-valuemin', String(MIN_WIDTH))
    dock.append(handle)
    const apply = (width, remember) => {
      if (width == null) { // no stored width: the stylesheet's default, which follows the window
        handle.setAttribute('aria-valuenow', String(Math.round(dock.getBoundingClientRect().width)))
        return null
      }
      const w = clampWidth(width, win)
      root.style.setProperty(`--dock-${side}-width`, `${w}px`)
      handle.setAttribute('aria-valuenow', String(w))
      handle.setAttribute('aria-valuemax', String(maxWidth(win)))
      if (remember) {
        state.docks[side] = { width: w }
        persist()
      }
      return w
    }
    let width = apply((state.docks[side] && state.docks[side].width) || null, false)
    // The handle sits on the editor-side edge: dragging towards the editor widens the dock.
    const sign = side === 'left' ? 1 : -1
    handle.addEventListener('pointerdown', (event) => {
      event.preventDefault()
      const startX = event.clientX
      const startWidth = dock.getBoundingClientRect().width
      handle.setPointerCapture(event.pointerId)
      root.classList.add('resizing')
      const move = (e) => { width = apply(startWidth + sign * (e.clientX - startX), false) }
      const up = () => {
        handle.removeEventListener('pointermove', move)
        root.classList.remove('resizing')
        if (width != null) width = apply(width, true)
      }
      handle.addEventListener('pointermove', move)
      handle.addEventListener('pointerup', up, { once: true })
      handle.addEventListener('pointercancel', up, { once: true })
    })
    handle.addEventListener('keydown', (event) => {
      const delta = { ArrowLeft: -KEY_STEP, ArrowRight: KEY_STEP }[event.key]
      if (!delta) return
      event.preventDefault()
      width = apply((width || dock.getBoundingClientRect().width) + sign * delta, true)
    })
  }

  for (const dock of root.querySelectorAll('.dock[data-dock]')) {
    for (const section of dock.querySelectorAll(':scope > .panel[data-panel]')) setupPanel(section, dock)
    setupResizer(dock)
    refreshDock(dock)
  }
  root.classList.add('panels-ready')
  // Escape closes a panel shown over the editor in a narrow window.
  root.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !narrow()) return
    const section = event.target.closest && event.target.closest('.panel')
    if (section && !section.classList.contains('panel-collapsed')) {
      setOpen(section.dataset.panel, false)
      panels.get(section.dataset.panel).button.focus()
    }
  })

  return {
    /** The header badge of panel `name` (a <span>), or null. */
    badge: (name) => (panels.has(name) ? panels.get(name).button.querySelector('.panel-badge') : null),
    open: (name, flag = true) => setOpen(name, flag),
    isOpen: (name) => panels.has(name) && !panels.get(name).section.classList.contains('panel-collapsed')
  }
}
