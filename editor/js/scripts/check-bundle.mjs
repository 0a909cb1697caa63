// Fail (exit 1) if the committed bundle is not what the sources build to.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from './build.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const committed = path.join(root, '..', '..', 'static', 'editor')
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'oversight-editor-'))

try {
  await build(tmp)
  let stale = false
  for (const name of ['editor.js', 'editor.css']) {
    const fresh = fs.readFileSync(path.join(tmp, name))
    const file = path.join(committed, name)
    const old = fs.existsSync(file) ? fs.readFileSync(file) : null
    if (!old || !fresh.equals(old)) {
      console.error(`static/editor/${name} is stale: run \`npm run build\` in editor/js and commit the result`)
      stale = true
    }
  }
  if (!stale) console.log('static/editor bundle is up to date')
  process.exitCode = stale ? 1 : 0
} finally {
  fs.rmSync(tmp, { recursive: true, force: true })
}
