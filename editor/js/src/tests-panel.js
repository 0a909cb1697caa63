// The Tests panel: "Run tests" (and Ctrl/Cmd-Enter) runs the task's verifier on the
// text the server holds now; results arrive through the room, for everyone in it.
// Runs finish in a worker process: with REDIS_URL its announcement reaches the room;
// with the embedded in-memory channel layer it cannot, so every page that heard of a
// queued run also polls it until it ends.
import { apiRequest } from './api.js'

const OUTCOME_MARK = { passed: '✓', failed: '✗', error: '!', skipped: '–' }
const POLL_MS = 500
const POLL_LIMIT = 240 // two minutes: longer than any run's timeout plus a queue

const ENDED = {
  passed: 'all tests passed',
  failed: 'some tests failed',
  error: 'the tests could not run',
  timeout: 'stopped: time limit',
  memory: 'stopped: memory limit',
  output_limit: 'stopped: output limit',
  refused: 'refused: no sandbox on the server'
}

function summaryOf (run) {
  if (run.status === 'queued') return `Run ${run.id} queued…`
  if (run.status === 'running') return `Run ${run.id} running…`
  const counts = run.total ? `${run.passed} of ${run.total} passed · ` : ''
  const who = run.started_by ? ` · by ${run.started_by}` : ''
  return `${counts}${ENDED[run.status] || run.status} (at change ${run.seq}${who})`
}

function testItem (doc, test) {
  const item = doc.createElement('li')
  item.className = `test test-${test.outcome}`
  item.dataset.outcome = test.outcome
  const head = doc.createElement('div')
  head.className = 'test-head'
  const mark = doc.createElement('span')
  mark.className = 'test-mark'
  mark.setAttribute('aria-label', test.outcome)
  mark.textContent = OUTCOME_MARK[test.outcome] || '?'
  const name = doc.createElement('span')
  name.className = 'test-name'
  name.textContent = test.name
  const time = doc.createElement('span')
  time.className = 'test-time muted'
  time.textContent = `${test.duration_ms} ms`
  head.append(mark, name, time)
  item.append(head)
  if (test.message) {
    const message = doc.createElement('pre')
    message.className = 'test-message'
    message.textContent = test.message
    item.append(message)
  }
  return item
}

/** Wire #tests-panel (absent when the task has no tests); returns { show(run) }. */
export function mountTests ({ config, flush, doc = document }) {
  const panel = doc.getElementById('tests-panel')
  if (!panel) return { show () {} }
  const button = doc.getElementById('run-tests')
  const summary = doc.getElementById('tests-summary')
  const list = doc.getElementById('tests-list')
  const output = doc.getElementById('tests-output')
  let shown = 0 // the id of the newest run on display: older news never replaces it
  let busy = false
  const polling = new Set()

  function follow (run, tries = 0) {
    if (polling.has(run.id) && tries === 0) return
    polling.add(run.id)
    setTimeout(async () => {
      try {
        const now = await apiRequest(config, 'GET', `/verifier-runs/${run.id}/`)
        show(now)
        if ((now.status === 'queued' || now.status === 'running') && tries < POLL_LIMIT) {
          follow(now, tries + 1)
          return
        }
      } catch (_err) { /* the room's announcement may still come */ }
      polling.delete(run.id)
    }, POLL_MS)
  }

  function show (run) {
    if (!run || run.task_id !== config.taskId || run.id < shown) return
    if (run.status === 'queued' || run.status === 'running') follow(run)
    shown = run.id
    panel.dataset.status = run.status
    summary.dataset.status = run.status
    summary.textContent = summaryOf(run)
    list.replaceChildren(...(run.tests || []).map((test) => testItem(doc, test)))
    output.hidden = !run.output
    output.querySelector('pre').textContent = run.output || ''
  }

  async function run () {
    if (busy) return
    busy = true
    button.disabled = true
    summary.textContent = 'Starting a run…'
    try {
      await flush() // run on what we typed, not on what the server had a moment ago
      show(await apiRequest(config, 'POST', `/tasks/${config.taskId}/verify/`, {}))
    } catch (err) {
      summary.dataset.status = 'error'
      summary.textContent = err.message || String(err)
    } finally {
      busy = false
      button.disabled = false
    }
  }

  button.addEventListener('click', run)
  // Capture phase: CodeMirror binds Mod-Enter to "insert blank line".
  doc.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.altKey) {
      event.preventDefault()
      event.stopPropagation()
      run()
    }
  }, true)
  apiRequest(config, 'GET', `/tasks/${config.taskId}/verifier-runs/`)
    .then((runs) => { if (runs.length) show(runs[runs.length - 1]) })
    .catch(() => {})
  return { show, run }
}
