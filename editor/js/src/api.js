// JSON requests to the Oversight API with the page's session and CSRF token.

/** A refused request; `message` is the server's explanation, meant for the user. */
export class ApiError extends Error {
  constructor (status, message, body) {
    super(message)
    this.status = status
    this.body = body
  }
}

// The API's one error shape is {"error": {"code", "message", "detail"}}; anything else
// (a proxy's HTML page, a dropped connection) still yields a sentence.
function messageOf (status, body) {
  const error = body && body.error
  if (error && typeof error.message === 'string' && error.message) return error.message
  if (status === 404) return 'Not found: the task may no longer be visible to you.'
  return `The server answered ${status}.`
}

/** `method` `path` (relative to config.apiBase) with an optional JSON body; resolves to the JSON answer. */
export async function apiRequest (config, method, path, body) {
  let res
  try {
    res = await fetch(`${config.apiBase}${path}`, {
      method,
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/json',
        // Session-authenticated writes need Django's CSRF token.
        'X-CSRFToken': config.csrfToken || ''
      },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
  } catch (err) {
    throw new ApiError(0, 'Could not reach the server; check your connection and try again.', null)
  }
  let data = null
  try {
    data = await res.json()
  } catch (_err) {
    data = null // e.g. 204 or a non-JSON error page
  }
  if (!res.ok) throw new ApiError(res.status, messageOf(res.status, data), data)
  return data
}
