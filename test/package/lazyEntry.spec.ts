import { execFileSync } from 'node:child_process'
import { beforeAll, expect, it } from 'vitest'
import { repoRoot, waitForDist } from '../browser/harness'

// redux-flight-recorder/lazy from the built package in plain Node: CommonJS requires the core at
// once (the recorder is complete at creation), ESM loads it with import() (ready() first).

beforeAll(() => waitForDist(), 70_000)

const script = (load: string) => `
${load}
const { configureStore } = require('@reduxjs/toolkit')
const { FlightRecorderError } = root
const recorder = lazy.createFlightRecorder()
const store = configureStore({ reducer: (s = 0, a) => (a.type === 'inc' ? s + 1 : s), middleware: (g) => g().prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
store.dispatch({ type: 'inc' })
const read = () => { try { return recorder.snapshot().entries.length } catch (e) { return (e instanceof FlightRecorderError) + ':' + e.code } }
const first = read()
Promise.resolve(recorder.ready()).then(() => console.log(JSON.stringify({ first, after: read(), hash: recorder.snapshot({ finalState: true }).entries.at(-1).hash ?? null })))
`

it('CommonJS: the recorder is complete at creation (snapshot right after dispatch)', () => {
  const out = execFileSync(process.execPath, ['-e', script("const lazy = require('redux-flight-recorder/lazy'); const root = require('redux-flight-recorder')")], { cwd: repoRoot, encoding: 'utf8' })
  expect(JSON.parse(out)).toEqual({ first: 1, after: 1, hash: expect.stringMatching(/^[0-9a-f]{16}$/) })
})

it('ESM: snapshot() says not-ready (a FlightRecorderError of the root entry) until ready() has resolved', () => {
  const load = "const { createRequire } = await import('node:module'); const require = createRequire(process.cwd() + '/x.js'); const lazy = await import('redux-flight-recorder/lazy'); const root = await import('redux-flight-recorder')"
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script(load)], { cwd: repoRoot, encoding: 'utf8' })
  expect(JSON.parse(out)).toEqual({ first: 'true:not-ready', after: 1, hash: expect.stringMatching(/^[0-9a-f]{16}$/) })
})
