// The player's controls: buttons, speed, idle skipping, the note picker and the keys.
// J / L jump to the previous / next note (not ±10%): notes are where the reasoning is.

const $ = (id) => document.getElementById(id)

/** Show each author of the trajectory in their colour, as the document marks their edits. */
export function showAuthors (host, timeline, colours) {
  host.replaceChildren(...timeline.authors.map((name) => {
    const chip = document.createElement('span')
    chip.className = 'recent'
    chip.style.setProperty('--author', colours[name] || '#888')
    chip.textContent = name
    return chip
  }))
}

/** Wire the buttons, selects and keys (Space, ←/→, J/L notes, Home/End) to the player. */
export function bindControls (player) {
  const actions = {
    start: () => { player.pause(); player.seek(0) },
    back: () => player.step(-1),
    play: () => player.toggle(),
    forward: () => player.step(1),
    end: () => { player.pause(); player.seek(player.timeline.last) }
  }
  document.querySelectorAll('#player [data-action]').forEach((button) => {
    button.addEventListener('click', () => actions[button.dataset.action]())
  })
  $('speed').addEventListener('change', (e) => { player.speed = Number(e.target.value) })
  $('skip-idle').addEventListener('change', (e) => { player.skipIdle = e.target.checked })
  $('note-jump').addEventListener('change', (e) => {
    if (e.target.value !== '') player.jumpTo(player.timeline.notes[Number(e.target.value)])
    e.target.value = ''
  })
  const keys = {
    ' ': () => player.toggle(),
    ArrowLeft: () => player.step(-1),
    ArrowRight: () => player.step(1),
    j: () => player.jumpNote(-1),
    l: () => player.jumpNote(1),
    Home: actions.start,
    End: actions.end
  }
  const typing = (el) => !(el instanceof Element) || el.closest('input, textarea, select, [contenteditable=true]')
  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return
    const handler = keys[event.key.length === 1 ? event.key.toLowerCase() : event.key]
    if (!handler) return
    event.preventDefault() // no page scroll on Space or the arrows
    handler()
  })
  // A focused button would also "click" on Space's keyup: the keydown already acted.
  document.addEventListener('keyup', (event) => {
    if (event.key === ' ' && event.target instanceof Element && event.target.closest('button')) event.preventDefault()
  })
}
