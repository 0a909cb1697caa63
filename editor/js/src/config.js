// Read the page's editor configuration (rendered by Django's json_script).

const DEFAULTS = {
  wsUrl: null,
  docId: null,
  taskId: null,
  user: { name: 'anonymous', color: '#6b6b70' },
  readOnly: false,
  language: 'markdown',
  kind: 'prose',
  apiBase: '/api',
  csrfToken: '',
  rubric: [], // [{key, name}]: the principles a note may cite
  notesPerChangedChars: 0 // the project's note requirement before submission (0: none)
}

/**
 * Parse `<script id="editor-config" type="application/json">`; null if absent or invalid.
 * @param {Document} doc
 */
export function readConfig (doc = document) {
  const el = doc.getElementById('editor-config')
  if (!el) return null
  let raw
  try {
    raw = JSON.parse(el.textContent || '')
  } catch (err) {
    console.error('[oversight] editor-config is not valid JSON', err)
    return null
  }
  if (!raw || typeof raw !== 'object') return null
  const config = { ...DEFAULTS, ...raw, user: { ...DEFAULTS.user, ...(raw.user || {}) } }
  if (!config.wsUrl) config.wsUrl = defaultWsUrl(doc.location)
  return config
}

// The page normally sets wsUrl; derive it from the page's own origin as a fallback.
function defaultWsUrl (location) {
  if (!location || !/^https?:$/.test(location.protocol)) return 'ws://127.0.0.1/ws/docs'
  return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws/docs'
}
