import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// package.json says `sideEffects: false`: importing an entry must run nothing observable. Each entry
// of the built package (through its `exports`, as `import` and as `require`) is loaded in a fresh
// Node process whose timers, listeners, clocks, randomness, console and browser globals count
// every use, and whose global object and built-in prototypes are compared before and after.
const root = resolve(__dirname, '../..')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const entries = Object.keys(pkg.exports)
  .filter((k) => k !== './package.json')
  .map((k) => (k === '.' ? pkg.name : `${pkg.name}/${k.slice(2)}`))
let dir: string

// Runs before the import (fr64 used to hash a few objects at import to warm V8's feedback: the
// Object/Array/JSON counters see that kind of work). Externals the entries import (redux, fast-check) are loaded first, so only
// our own code is observed.
const PROBE = `
const json = JSON.stringify.bind(JSON)
const keysOf = Object.keys
const uses = {}
const count = (name) => { uses[name] = (uses[name] ?? 0) + 1 }
const wrap = (owner, key, label) => {
  const original = owner[key]
  if (typeof original !== 'function') return
  owner[key] = function (...args) { count(label); return original.apply(this, args) }
}
for (const key of ['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'structuredClone', 'fetch']) wrap(globalThis, key, key)
for (const key of ['on', 'once', 'addListener', 'prependListener', 'prependOnceListener', 'nextTick', 'emitWarning']) wrap(process, key, 'process.' + key)
for (const key of ['log', 'warn', 'error', 'info', 'debug']) wrap(console, key, 'console.' + key)
wrap(EventTarget.prototype, 'addEventListener', 'addEventListener')
// Work on data (hashing, serialising, walking objects) goes through these. (Building a constant,
// e.g. \`Object.assign(fn, { algorithm })\` marked pure for bundlers, is not counted.)
for (const key of ['keys', 'entries', 'getPrototypeOf']) wrap(Object, key, 'Object.' + key)
wrap(Array, 'isArray', 'Array.isArray')
wrap(JSON, 'stringify', 'JSON.stringify')
wrap(JSON, 'parse', 'JSON.parse')
wrap(Date, 'now', 'Date.now')
wrap(Math, 'random', 'Math.random')
wrap(performance, 'now', 'performance.now')
for (const key of ['window', 'document', 'navigator', 'location', 'indexedDB', 'localStorage', 'sessionStorage', 'MessageChannel', 'requestIdleCallback']) {
  const own = Object.getOwnPropertyDescriptor(globalThis, key)
  const value = own && 'value' in own ? own.value : undefined
  Object.defineProperty(globalThis, key, { configurable: true, get() { count('read ' + key); return own && own.get ? own.get.call(this) : value } })
}
const shape = () => json([globalThis, Object.prototype, Array.prototype, Function.prototype, String.prototype, Promise.prototype, Error.prototype].map((o) => Reflect.ownKeys(o).map(String).sort()))
`

function probe(file: string, source: string): { uses: Record<string, number>; sameShape: boolean; loaded: number } {
  writeFileSync(join(dir, file), source)
  const out = spawnSync(process.execPath, [join(dir, file)], { cwd: root, encoding: 'utf8' })
  if (out.status !== 0) throw new Error(`${file} failed (${out.status}):\n${out.stderr}`)
  return JSON.parse(out.stdout.trim().split('\n').pop()!)
}

const esm = (specifiers: string[]) => `
import 'redux'
import 'fast-check'
${PROBE}
const before = shape()
const modules = []
for (const s of ${JSON.stringify(specifiers)}) modules.push(await import(s))
const sameShape = shape() === before
process.stdout.write('\\n' + json({ uses, sameShape, loaded: modules.filter((m) => keysOf(m).length > 0).length }) + '\\n')
`

const cjs = (specifiers: string[]) => `
require('redux')
require('fast-check')
${PROBE}
const before = shape()
const modules = ${JSON.stringify(specifiers)}.map((s) => require(s))
const sameShape = shape() === before
process.stdout.write('\\n' + json({ uses, sameShape, loaded: modules.filter((m) => keysOf(m).length > 0).length }) + '\\n')
`

beforeAll(() => {
  if (!existsSync(join(root, 'dist/index.js'))) throw new Error('dist/ is missing: run `npm run build` first (`npm test` does).')
  // Inside the repository (test-results/ is ignored by git), so that the package resolves itself by
  // name through its exports map, and redux and fast-check from node_modules.
  mkdirSync(join(root, 'test-results'), { recursive: true })
  dir = mkdtempSync(join(root, 'test-results', 'import-'))
})

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('importing an entry', () => {
  it('the probe sees a module that does something at import (control)', () => {
    const noisy = join(dir, 'noisy.mjs')
    writeFileSync(noisy, "setTimeout(() => {}, 1).unref(); globalThis.__noisy = 1; Date.now(); void globalThis.window\nexport const x = 1\n")
    const result = probe('control.mjs', esm([pathToFileURL(noisy).href]))
    expect(result.uses).toEqual({ setTimeout: 1, 'Date.now': 1, 'read window': 1 })
    expect(result.sameShape).toBe(false)
  })

  it.each(entries)('%s runs nothing (import)', (specifier) => {
    const result = probe(`esm-${specifier.replace(/\W/g, '-')}.mjs`, esm([specifier]))
    expect(result).toEqual({ uses: {}, sameShape: true, loaded: 1 })
  })

  it.each(entries)('%s runs nothing (require)', (specifier) => {
    const result = probe(`cjs-${specifier.replace(/\W/g, '-')}.cjs`, cjs([specifier]))
    expect(result).toEqual({ uses: {}, sameShape: true, loaded: 1 })
  })

  it('lists every entry of package.json', () => {
    expect(entries).toEqual(expect.arrayContaining(['redux-flight-recorder', 'redux-flight-recorder/replay', 'redux-flight-recorder/devtools', 'redux-flight-recorder/fast-check']))
  })
})
