import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { beforeAll, expect, it } from 'vitest'
import { waitForDist } from '../browser/harness'

// The CommonJS files of dist/ load their lazy chunks with `require` (in a promise), the ESM files
// with `import()` (so bundlers split them off). `import()` in dist/panel.cjs made the panel fail to
// open under Jest ("A dynamic import callback was invoked without --experimental-vm-modules"):
// the panel under Jest's jsdom environment is test/jest/jsdom/panel.jsdom.cjs (it needs
// jest-environment-jsdom); this checks the built files wherever Jest's jsdom is not installed.
const root = resolve(__dirname, '../..')
const read = (file: string) => readFileSync(join(root, 'dist', file), 'utf8')

beforeAll(() => waitForDist(), 70_000)

it.each([
  ['panel', 'panel-ui'],
  ['recorder-core', 'state-json'],
])('dist/%s.cjs requires ./%s.cjs in a promise, and the .js file imports it', (entry, chunk) => {
  const cjs = read(`${entry}.cjs`)
  expect(cjs).toContain(`Promise.resolve().then(() => require("./${chunk}.cjs"))`)
  expect(cjs).not.toMatch(/\bimport\(/)
  const esm = read(`${entry}.js`)
  expect(esm).toMatch(new RegExp(`\\bimport\\(['"]\\./${chunk}\\.js['"]\\)`))
  expect(esm).not.toMatch(/\brequire\(/)
})

it('dist/lazy.cjs requires the recorder core synchronously (a recorder complete at creation in Jest and require); dist/lazy.js imports it', () => {
  const cjs = read('lazy.cjs')
  expect(cjs).toMatch(/[^.]\brequire\("\.\/recorder-core\.cjs"\)/)
  expect(cjs).not.toContain('Promise.resolve().then(() => require("./recorder-core.cjs"))')
  expect(cjs).not.toMatch(/\bimport\(/)
  expect(read('lazy.js')).toMatch(/\bimport\(['"]\.\/recorder-core\.js['"]\)/)
  // The core takes the error classes from the root entry: one copy of each.
  for (const file of ['recorder-core.js', 'lazy.js']) {
    expect(read(file), file).toMatch(/from ['"]redux-flight-recorder['"]/)
    expect(read(file), file).not.toMatch(/class \w* extends Error/)
  }
})

it("the recorder's core imports neither the clock nor the turns: each recorder is given them (a page's bundler would otherwise make a chunk of them shared by the page and the core, a file more at start)", () => {
  for (const file of ['recorder-core.js', 'recorder-core.cjs']) {
    expect(read(file), file).not.toMatch(/recorder-(clock|turns)\.c?js/)
  }
  // The shell (the page's) and the root entry's createFlightRecorder make them.
  for (const file of ['lazy.js', 'index.js']) {
    expect(read(file), file).toMatch(/from ['"]\.\/recorder-clock\.js['"]/)
    expect(read(file), file).toMatch(/from ['"]\.\/recorder-turns\.js['"]/)
  }
})
