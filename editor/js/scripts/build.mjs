// Bundle src/main.js into <outdir>/editor.js (+ editor.css).
// Output must be byte-for-byte reproducible: check-bundle compares it with the committed file.
//   node scripts/build.mjs <outdir>
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

export async function build (outdir) {
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: ['src/main.js'],
    bundle: true,
    format: 'esm',
    target: 'es2020',
    platform: 'browser',
    minify: true,
    legalComments: 'none', // licences stay in node_modules; nothing path- or time-dependent in the output
    sourcemap: false,
    charset: 'utf8',
    entryNames: 'editor', // editor.js, and editor.css from the CSS import
    outdir,
    logLevel: 'warning'
  })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outdir = path.resolve(process.argv[2] || path.join(root, '..', '..', 'static', 'editor'))
  await build(outdir)
  console.log(`built ${path.relative(process.cwd(), outdir) || '.'}/editor.js`)
}
