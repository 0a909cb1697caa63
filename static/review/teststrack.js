// The test timeline under the activity strip: one mark per finished verifier run, at the
// moment of the text it ran on, green when every test passed, red otherwise; the band
// between marks keeps the colour of the last result. Clicking a mark seeks to its run.
const FINISHED = new Set(['passed', 'failed', 'error', 'timeout', 'memory', 'output_limit', 'refused'])

function label (run) {
  const counts = run.total ? `${run.passed}/${run.total} passed` : run.status
  return `Tests at change ${run.seq}: ${counts} (${run.status}${run.started_by ? `, by ${run.started_by}` : ''})`
}

/** Draw the runs into `host` (hidden when there are none); `onSeek(seq)` on a click. */
export function createTestsTrack (host, timeline, runs, onSeek) {
  if (!host) return
  const finished = runs.filter((run) => FINISHED.has(run.status) && run.seq <= timeline.last)
  host.hidden = finished.length === 0
  if (!finished.length) return
  // Where the strip puts the moment of `seq`; by position when all events share a moment.
  const span = timeline.timeOf(timeline.last)
  const share = (seq) => (span
    ? timeline.timeOf(seq) / timeline.duration
    : (timeline.last ? seq / timeline.last : 0))
  // One mark per point of the trace: its latest run speaks for it.
  const latest = new Map()
  for (const run of [...finished].sort((a, b) => a.id - b.id)) latest.set(run.seq, run)
  const ordered = [...latest.values()].sort((a, b) => a.seq - b.seq)
  const nodes = []
  ordered.forEach((run, i) => {
    const next = ordered[i + 1]
    const band = document.createElement('span')
    band.className = `tests-band ${run.status === 'passed' ? 'green' : 'red'}`
    band.style.left = `${share(run.seq) * 100}%`
    band.style.width = `${((next ? share(next.seq) : 1) - share(run.seq)) * 100}%`
    nodes.push(band)
  })
  for (const run of ordered) {
    const mark = document.createElement('button')
    mark.type = 'button'
    mark.className = `tests-mark ${run.status === 'passed' ? 'green' : 'red'}`
    mark.style.left = `${share(run.seq) * 100}%`
    mark.dataset.seq = String(run.seq)
    mark.dataset.status = run.status
    mark.title = label(run)
    mark.setAttribute('aria-label', label(run))
    mark.addEventListener('click', () => onSeek(run.seq))
    nodes.push(mark)
  }
  host.replaceChildren(...nodes)
}
