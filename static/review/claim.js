// The claim button: take or release the review claim so two people do not review
// the same task unknowingly.

/** Wire the claim button; the server's refusal (e.g. someone else's claim) is shown. */
export function setupClaim ({ api, taskId, user, button, state, claimedBy }) {
  if (!button) return
  let holder = claimedBy
  const show = () => {
    state.replaceChildren()
    if (holder) state.append('Claimed by ', Object.assign(document.createElement('b'), { textContent: holder }))
    else state.append('Unclaimed')
    button.textContent = holder === user ? 'Release' : holder ? 'Claimed' : 'Claim'
    button.disabled = Boolean(holder && holder !== user)
  }
  button.addEventListener('click', async () => {
    try {
      if (holder === user) {
        await api.del(`/tasks/${taskId}/claim/`)
        holder = null
      } else {
        holder = (await api.post(`/tasks/${taskId}/claim/`)).reviewer
      }
    } catch (error) {
      state.textContent = error.message
      return
    }
    show()
  })
  show()
}
