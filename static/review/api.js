// Fetch helpers for the review pages: JSON in and out, the CSRF header, API error messages.

/** Return get/post/del bound to the API base and the page's CSRF token. */
export function makeApi ({ apiBase, csrfToken }) {
  async function request (method, path, body) {
    const headers = { Accept: 'application/json' }
    const init = { method, credentials: 'same-origin', headers }
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json'
      init.body = JSON.stringify(body)
    }
    if (method !== 'GET') headers['X-CSRFToken'] = csrfToken
    const response = await fetch(apiBase + path, init)
    if (response.status === 204) return null
    const data = await response.json().catch(() => null)
    if (!response.ok) {
      // Every API error carries {"error": {"message"}}: show the server's words.
      const error = new Error(data?.error?.message || `HTTP ${response.status}`)
      error.status = response.status
      throw error
    }
    return data
  }
  return {
    get: (path) => request('GET', path),
    post: (path, body) => request('POST', path, body ?? {}),
    del: (path) => request('DELETE', path)
  }
}
