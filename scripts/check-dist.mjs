#!/usr/bin/env node
/**
 * `prepack`: refuses to pack a dist/ that is missing files (not built, or being rebuilt: tsup
 * empties dist/ first). Every file package.json points at (`exports`, `main`, `module`, `types`,
 * `bin`) must exist and not be empty, and so must every file a built module imports by a relative
 * path (the lazily loaded chunks, shared type files).
 *
 *   node scripts/check-dist.mjs              checks this package
 *   node scripts/check-dist.mjs --root <dir> checks the package in <dir>
 *   … --verbose                              says how many files it checked (silent otherwise)
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, normalize, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const at = process.argv.indexOf('--root')
const root = at > 0 ? process.argv[at + 1] : join(dirname(fileURLToPath(import.meta.url)), '..')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))

/** Every string in a package.json field (`exports` conditions nest). */
function paths(value, out = []) {
  if (typeof value === 'string') out.push(value)
  else if (value && typeof value === 'object') for (const v of Object.values(value)) paths(v, out)
  return out
}

const wanted = new Set(paths([pkg.exports, pkg.main, pkg.module, pkg.types, pkg.bin]).map((p) => normalize(join(root, p))))
const problems = []
const seen = new Set()
const queue = [...wanted]
while (queue.length > 0) {
  const file = queue.pop()
  if (seen.has(file)) continue
  seen.add(file)
  const name = relative(root, file)
  if (!existsSync(file)) {
    problems.push(`${name} is missing`)
    continue
  }
  if (statSync(file).size === 0) {
    problems.push(`${name} is empty`)
    continue
  }
  // Relative imports of built modules and type files: `from './x.js'`, `import('./x.js')`, `require('./x.cjs')`.
  const text = readFileSync(file, 'utf8')
  // In a type file, `./x.js` names `./x.d.ts` (and `.cjs` `.d.cts`).
  const declaration = /\.d\.[cm]?ts$/.test(file)
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["'](\.\.?\/[^"']+)["']/g)) {
    const target = declaration ? m[1].replace(/\.([cm]?)js$/, '.d.$1ts') : m[1]
    queue.push(normalize(join(dirname(file), target)))
  }
}

if (problems.length > 0) {
  console.error(`[redux-flight-recorder] dist/ is incomplete, so it cannot be packed: ${problems.join('; ')}. Run \`npm run build\` and let it finish first.`)
  process.exit(1)
}
// Silent when all is well: `npm pack --json` prints this script's output on its own stdout.
if (process.argv.includes('--verbose')) console.log(`dist/ is complete: ${seen.size} files checked.`)
