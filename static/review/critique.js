// The model's critique beside the verdict form: adopt its score, assess its critique,
// see its quotes highlighted in the final (CSS Custom Highlights: no DOM changes, so the
// anchored comments' marks and selection offsets are untouched).

function rangesOf (root, spans) {
  // Code-point offsets -> DOM ranges over root's text nodes.
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
  const nodes = []
  let points = 0
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const chars = Array.from(node.data)
    nodes.push({ node, start: points, chars })
    points += chars.length
  }
  function locate (point) {
    for (const n of nodes) {
      if (point <= n.start + n.chars.length) {
        return [n.node, n.chars.slice(0, point - n.start).join('').length]
      }
    }
    return null
  }
  return spans.map(({ start, end }) => {
    const from = locate(start)
    const to = locate(end)
    if (!from || !to) return null
    const range = document.createRange()
    range.setStart(...from)
    range.setEnd(...to)
    return range
  }).filter(Boolean)
}

function paintQuotes (finalEl, spans, focusKey) {
  if (!window.CSS?.highlights || !finalEl) return
  CSS.highlights.set('model-quote', new Highlight(...rangesOf(finalEl, spans)))
  const focused = rangesOf(finalEl, spans.filter((s) => s.key === focusKey))
  CSS.highlights.set('model-quote-focus', new Highlight(...focused))
  if (focused[0]) focused[0].startContainer.parentElement?.scrollIntoView({ block: 'nearest' })
}

/** Wire the model-critique blocks of the verdict form. */
export function setupCritique ({ api, taskId, form, finalEl, spans, rerunButton }) {
  paintQuotes(finalEl, spans, null)
  // The anchored comments repaint the final's text nodes: highlight the new ones.
  if (finalEl) new MutationObserver(() => paintQuotes(finalEl, spans, null)).observe(finalEl, { childList: true })
  form?.querySelectorAll('.quote-link').forEach((button) => {
    button.addEventListener('click', () => paintQuotes(finalEl, spans, button.dataset.key))
  })
  form?.querySelectorAll('button.adopt').forEach((button) => {
    const key = button.dataset.key
    const adopted = form.elements[`adopted-${key}`]
    button.addEventListener('click', () => {
      const radio = form.querySelector(`input[name="score-${key}"][value="${button.dataset.score}"]`)
      radio.checked = true
      adopted.value = '1'
      form.elements[`assess-${key}`].value = 'agree'
      button.setAttribute('aria-pressed', 'true')
    })
    // Another score than the model's is the reviewer's own: no longer adopted.
    form.querySelectorAll(`input[name="score-${key}"]`).forEach((radio) => {
      radio.addEventListener('change', () => {
        if (radio.value !== button.dataset.score) {
          adopted.value = ''
          button.setAttribute('aria-pressed', 'false')
        }
      })
    })
  })
  rerunButton?.addEventListener('click', async () => {
    rerunButton.disabled = true
    try {
      await api.post(`/tasks/${taskId}/critiques/rerun/`)
      rerunButton.textContent = 'Queued: reload in a moment'
    } catch (error) {
      rerunButton.textContent = error.message
    }
  })
}

/** Return {principle key: {assessment, reason, adopted}} for what the reviewer assessed. */
export function collectAssessments (form) {
  const assessments = {}
  form.querySelectorAll('.model-critique').forEach((block) => {
    const key = block.closest('fieldset.principle').dataset.key
    const adopted = form.elements[`adopted-${key}`].value === '1'
    const assessment = form.elements[`assess-${key}`].value
    const reason = form.elements[`assess-reason-${key}`].value.trim()
    if (adopted || assessment || reason) {
      assessments[key] = { adopted, reason, ...(assessment ? { assessment } : {}) }
    }
  })
  return assessments
}
