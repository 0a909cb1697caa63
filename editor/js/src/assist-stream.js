// Read a server-sent event stream from a fetch() response: POST /api/tasks/<id>/assists/.
//
// EventSource cannot POST, so the body is read here: blocks "event: NAME\ndata: JSON"
// separated by a blank line, handed to `onEvent(name, data)` as they arrive.

/** Parse complete SSE blocks off the front of `buffer`; return [events, rest]. */
export function parseBlocks (buffer) {
  const events = []
  let at
  while ((at = buffer.indexOf('\n\n')) !== -1) {
    const block = buffer.slice(0, at)
    buffer = buffer.slice(at + 2)
    let name = 'message'
    const data = []
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) name = line.slice(7)
      else if (line.startsWith('data: ')) data.push(line.slice(6))
    }
    if (data.length) events.push([name, JSON.parse(data.join('\n'))])
  }
  return [events, buffer]
}

/** Feed each event of `response`'s stream to `onEvent`; resolves when the stream ends. */
export async function readEvents (response, onEvent) {
  const reader = response.body.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  for (;;) {
    const { value, done } = await reader.read()
    if (done) break
    const [events, rest] = parseBlocks(buffer + decoder.decode(value, { stream: true }))
    buffer = rest
    for (const [name, data] of events) onEvent(name, data)
  }
}
