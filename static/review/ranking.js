// The ranking form of an overlap group: order the siblings' finals best first, ties
// allowed. Plain DOM: drag to reorder, or focus an item and press Alt+ArrowUp/Down, or
// use its buttons. The hidden `order` inputs follow the list's order, so the form posts
// what is shown; "Tied" puts a final level with the one above it.

const list = document.getElementById('ranking-list')
const status = document.getElementById('ranking-status')

function items () {
  return [...list.querySelectorAll('.ranking-item')]
}

function name (item) {
  return item.querySelector('.ranking-name b').textContent
}

/** Number the places (tied finals share theirs) and disable "Tied" on the first. */
function renumber () {
  let place = 0
  items().forEach((item, index) => {
    const tie = item.querySelector('.ranking-tie input')
    tie.disabled = index === 0
    if (index === 0) tie.checked = false
    const tied = index > 0 && tie.checked
    if (!tied) place = index + 1
    item.classList.toggle('tied', tied)
    item.querySelector('.ranking-place').textContent = `${place}.`
  })
}

function announce (item) {
  const position = items().indexOf(item) + 1
  status.textContent = `${name(item)} moved to position ${position} of ${items().length}.`
}

function move (item, step) {
  const all = items()
  const target = all[all.indexOf(item) + step]
  if (!target) return
  if (step < 0) target.before(item)
  else target.after(item)
  renumber()
  announce(item)
}

function setup () {
  if (!list) return
  let dragged = null
  const clearMarks = () => items().forEach(i => i.classList.remove('drop-before'))
  list.addEventListener('dragstart', event => {
    dragged = event.target.closest('.ranking-item')
    if (!dragged) return
    dragged.classList.add('dragging')
    event.dataTransfer.effectAllowed = 'move'
    event.dataTransfer.setData('text/plain', dragged.dataset.task)
  })
  list.addEventListener('dragover', event => {
    const over = event.target.closest('.ranking-item')
    if (!dragged || !over) return
    event.preventDefault()
    clearMarks()
    if (over !== dragged) over.classList.add('drop-before')
  })
  list.addEventListener('drop', event => {
    const over = event.target.closest('.ranking-item')
    event.preventDefault()
    if (dragged && over && over !== dragged) {
      // Dropped on the lower half of an item: after it; else before it.
      const box = over.getBoundingClientRect()
      if (event.clientY > box.top + box.height / 2) over.after(dragged)
      else over.before(dragged)
      renumber()
      announce(dragged)
    }
  })
  list.addEventListener('dragend', () => {
    if (dragged) dragged.classList.remove('dragging')
    dragged = null
    clearMarks()
  })
  list.addEventListener('click', event => {
    const button = event.target.closest('button[data-move]')
    if (!button) return
    const item = button.closest('.ranking-item')
    move(item, Number(button.dataset.move))
    button.focus()
  })
  list.addEventListener('keydown', event => {
    const item = event.target.closest('.ranking-item')
    if (!item || event.target !== item || !event.altKey) return
    if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return
    event.preventDefault()
    move(item, event.key === 'ArrowUp' ? -1 : 1)
    item.focus()
  })
  list.addEventListener('change', renumber)
  renumber()
}

setup()
