// Reasoning notes: the live list (notes-ui.js renders it; it listens for `oversight:notes`).

/**
 * Fetch the task's notes and announce them as a `oversight:notes` DOM event.
 * A missing endpoint (404) or a network error yields an empty list, not a crash.
 */
export function createNotesFeed ({ apiBase, taskId }, doc = document) {
  const feed = { notes: [], refresh }
  let running = null
  let again = false

  // A "notes changed" message during a fetch triggers one more fetch afterwards,
  // so the last change is never missed and bursts cost at most two requests.
  function refresh () {
    if (taskId == null) return Promise.resolve(feed.notes)
    if (running) {
      again = true
      return running
    }
    running = (async () => {
      do {
        again = false
        await load()
      } while (again)
      running = null
      return feed.notes
    })()
    return running
  }

  async function load () {
    try {
      const res = await fetch(`${apiBase}/tasks/${taskId}/notes/`, {
        credentials: 'same-origin',
        headers: { Accept: 'application/json' }
      })
      if (!res.ok) return feed.notes // 404 until the notes API exists
      const body = await res.json()
      feed.notes = Array.isArray(body) ? body : (body.results || body.notes || [])
    } catch (err) {
      console.warn('[oversight] could not load notes', err)
      return feed.notes
    }
    doc.dispatchEvent(new CustomEvent('oversight:notes', { detail: { notes: feed.notes } }))
    return feed.notes
  }

  return feed
}
