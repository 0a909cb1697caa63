// The list of people in the document (#presence-list), from Yjs awareness.

/** A translucent variant of a #rrggbb colour, for remote selection backgrounds. */
export function lightColor (color) {
  return /^#[0-9a-f]{6}$/i.test(color) ? color + '33' : color
}

/** Publish our name and colour so others see a labelled caret. */
export function announceUser (awareness, user) {
  awareness.setLocalStateField('user', {
    name: user.name,
    color: user.color,
    colorLight: lightColor(user.color)
  })
}

/**
 * Render one <li> per user present (several tabs of one user count once).
 * @param {import('y-protocols/awareness').Awareness} awareness
 * @param {Document} doc
 */
export function trackPresence (awareness, doc = document) {
  const list = doc.getElementById('presence-list')
  if (!list) return () => {}

  const render = () => {
    const users = new Map()
    for (const [clientId, state] of awareness.getStates()) {
      const user = state && state.user
      if (!user || !user.name) continue
      const self = clientId === awareness.clientID
      const seen = users.get(user.name)
      users.set(user.name, { ...user, self: self || Boolean(seen && seen.self) })
    }
    const items = [...users.values()].sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name))
    list.replaceChildren(...items.map((u) => userItem(doc, u)))
  }

  awareness.on('change', render)
  render()
  return render
}

function userItem (doc, user) {
  const li = doc.createElement('li')
  li.dataset.user = user.name
  if (user.self) li.dataset.self = 'true'
  li.title = user.self ? `${user.name} (you)` : user.name
  const swatch = doc.createElement('span')
  swatch.className = 'presence-swatch'
  swatch.style.backgroundColor = user.color || '#888'
  const name = doc.createElement('span')
  name.className = 'presence-name'
  name.textContent = user.name
  li.append(swatch, name)
  return li
}
