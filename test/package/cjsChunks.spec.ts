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
  ['index', 'state-json'],
])('dist/%s.cjs requires ./%s.cjs in a promise; dist/%s.js imports ./%s.js', (entry, chunk) => {
  const cjs = read(`${entry}.cjs`)
  expect(cjs).toContain(`Promise.resolve().then(() => require("./${chunk}.cjs"))`)
  expect(cjs).not.toMatch(/\bimport\(/)
  const esm = read(`${entry}.js`)
  expect(esm).toMatch(new RegExp(`\\bimport\\(['"]\\./${chunk}\\.js['"]\\)`))
  expect(esm).not.toMatch(/\brequire\(/)
})
