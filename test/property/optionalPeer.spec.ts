import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// fast-check is an optional peer dependency, imported statically by the `redux-flight-recorder/fast-check`
// entry only: a project without it must still be able to use every other entry, and type-check
// against them. The built package (dist/ and package.json) is copied into a fresh project whose
// node_modules hold redux and Redux Toolkit but no fast-check; fast-check is linked in later.
const root = resolve(__dirname, '../..')
let project: string

beforeAll(async () => {
  for (let waited = 0; !(existsSync(join(root, 'dist/fast-check.js')) && existsSync(join(root, 'dist/fast-check.cjs'))); waited += 250) {
    if (waited >= 60_000) throw new Error('dist/ is missing: run `npm run build` first (npm test does).')
    await new Promise((r) => setTimeout(r, 250))
  }
  project = mkdtempSync(join(tmpdir(), 'rfr-no-fast-check-'))
  const pkg = join(project, 'node_modules/redux-flight-recorder')
  mkdirSync(pkg, { recursive: true })
  cpSync(join(root, 'package.json'), join(pkg, 'package.json'))
  cpSync(join(root, 'dist'), join(pkg, 'dist'), { recursive: true })
  for (const dep of ['redux', '@reduxjs/toolkit', 'immer', 'reselect', 'redux-thunk']) {
    mkdirSync(join(project, 'node_modules', dep, '..'), { recursive: true })
    symlinkSync(join(root, 'node_modules', dep), join(project, 'node_modules', dep), 'dir')
  }
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'no-fast-check', version: '1.0.0', private: true }))
}, 60_000)

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true })
})

function node(file: string, source: string): Record<string, unknown> {
  writeFileSync(join(project, file), source)
  const out = spawnSync(process.execPath, [file], { cwd: project, encoding: 'utf8' })
  if (out.status !== 0) throw new Error(`${file} failed (${out.status}):\n${out.stderr}`)
  return JSON.parse(out.stdout.trim().split('\n').pop()!)
}

const body = (imp: string) => `
${imp}
const slice = createSlice({ name: 'n', initialState: { n: 0 }, reducers: { inc: (s) => { s.n++ } } })
const run = async () => {
  const log = await testing.recordSession(
    (rec) => configureStore({ reducer: slice.reducer, middleware: (g) => g().prepend(rec.middleware), enhancers: (g) => g().concat(rec.enhancer) }),
    (store) => { store.dispatch(slice.actions.inc()); store.dispatch(slice.actions.inc()) },
  )
  const replayed = testing.expectReplay(replay.encodeRecording(log), { reducer: slice.reducer })
  const failing = (s, a) => { if (a.type === 'n/inc' && s.n >= 1) throw new Error('boom'); return slice.reducer(s, a) }
  const min = replay.shrinkRecording(log, { reducer: failing })
  console.log(JSON.stringify({ steps: replayed.steps, verified: replayed.verified, shrunk: min.shrink.to }))
}
run()
`

const esm = body(`import * as core from 'redux-flight-recorder'
import * as replay from 'redux-flight-recorder/replay'
import * as testing from 'redux-flight-recorder/testing'
import { configureStore, createSlice } from '@reduxjs/toolkit'`)
const cjs = body(`const core = require('redux-flight-recorder')
const replay = require('redux-flight-recorder/replay')
const testing = require('redux-flight-recorder/testing')
const { configureStore, createSlice } = require('@reduxjs/toolkit')`)

// The fast-check entry used as its docs show: `fc.property(actionsFrom(logs), …)` with the arbitrary
// returned synchronously, and `checkInvariants` finding a counterexample.
const property = (imp: string) => `
${imp}
const slice = createSlice({ name: 'n', initialState: { n: 0 }, reducers: { inc: (s) => { s.n++ }, dec: (s) => { s.n-- } } })
const run = async () => {
  const log = await testing.recordSession(
    (rec) => configureStore({ reducer: slice.reducer, middleware: (g) => g().prepend(rec.middleware), enhancers: (g) => g().concat(rec.enhancer) }),
    (store) => { store.dispatch(slice.actions.inc()); store.dispatch(slice.actions.dec()) },
  )
  const arbitrary = property.actionsFrom(log, { maxLength: 5 })
  let runs = 0
  fc.assert(fc.property(arbitrary, (actions) => { runs++; return actions.every((a) => a.type === 'n/inc' || a.type === 'n/dec') }), { numRuns: 20 })
  let caught = null
  try {
    await property.checkInvariants(slice.reducer, { nonNegative: (s) => s.n >= 0 }, { from: log, seed: 1 })
  } catch (e) {
    caught = { name: e.name, code: e.code, invariant: e.violation.invariant, same: e instanceof core.FlightRecorderError }
  }
  console.log(JSON.stringify({ thenable: typeof arbitrary.then, runs, caught }))
}
run()
`
const propertyEsm = property(`import * as core from 'redux-flight-recorder'
import * as testing from 'redux-flight-recorder/testing'
import * as property from 'redux-flight-recorder/fast-check'
import fc from 'fast-check'
import { configureStore, createSlice } from '@reduxjs/toolkit'`)
const propertyCjs = property(`const core = require('redux-flight-recorder')
const testing = require('redux-flight-recorder/testing')
const property = require('redux-flight-recorder/fast-check')
const fc = require('fast-check')
const { configureStore, createSlice } = require('@reduxjs/toolkit')`)

/** Type-checks `files` in the project as a user's TypeScript would, library declarations included. */
function typecheck(files: Record<string, string>): { status: number | null; output: string } {
  for (const [name, source] of Object.entries(files)) writeFileSync(join(project, name), source)
  const tsc = join(root, 'node_modules/typescript/bin/tsc')
  const args = [tsc, '--noEmit', '--strict', '--module', 'node16', '--moduleResolution', 'node16', '--skipLibCheck', 'false', '--types', 'node', '--typeRoots', join(root, 'node_modules/@types'), ...Object.keys(files)]
  const out = spawnSync(process.execPath, args, { cwd: project, encoding: 'utf8' })
  return { status: out.status, output: out.stdout + out.stderr }
}

const consumerTypes = {
  'consumer.mts': [
    "import { expectReplay, recordSession, replaySuite } from 'redux-flight-recorder/testing'",
    "import { replay, shrinkRecording } from 'redux-flight-recorder/replay'",
    "import { toDevToolsExport } from 'redux-flight-recorder/devtools'",
    "import { createFlightRecorder } from 'redux-flight-recorder'",
    'export const used = [expectReplay, recordSession, replaySuite, replay, shrinkRecording, toDevToolsExport, createFlightRecorder]',
    '',
  ].join('\n'),
  'consumer.cts': "import testing = require('redux-flight-recorder/testing')\nexport const used = [testing.expectReplay, testing.recordSession]\n",
}

describe('without fast-check installed', () => {
  it('is really missing from the project', () => {
    const probe = spawnSync(process.execPath, ['-e', "require.resolve('fast-check')"], { cwd: project, encoding: 'utf8' })
    expect(probe.status).not.toBe(0)
    expect(probe.stderr).toContain("Cannot find module 'fast-check'")
  })

  it('only the fast-check entry refers to fast-check, in code and in types', () => {
    for (const file of readdirSync(join(root, 'dist'))) {
      if (file.startsWith('fast-check.') || file === 'cli.js') continue
      expect([file, readFileSync(join(root, 'dist', file), 'utf8').includes('fast-check')]).toEqual([file, false])
    }
    expect(readFileSync(join(root, 'dist/fast-check.js'), 'utf8')).toMatch(/^import \* as fc from ['"]fast-check['"]/m)
  })

  for (const [format, file, source] of [
    ['ESM', 'esm.mjs', esm],
    ['CJS', 'cjs.cjs', cjs],
  ] as const) {
    it(`the universal, replay and testing entries work (${format})`, () => {
      expect(node(file, source)).toEqual({ steps: 2, verified: true, shrunk: 2 })
    })
  }

  it('importing the fast-check entry fails naming the missing package (ESM and CJS)', () => {
    for (const args of [
      ['--input-type=module', '-e', "await import('redux-flight-recorder/fast-check')"],
      ['-e', "require('redux-flight-recorder/fast-check')"],
    ]) {
      const out = spawnSync(process.execPath, args, { cwd: project, encoding: 'utf8' })
      expect(out.status).not.toBe(0)
      expect(out.stderr).toMatch(/Cannot find (package|module) 'fast-check'/)
    }
  })

  it('a TypeScript project that checks library declarations (skipLibCheck: false) compiles against the other entries', () => {
    const { status, output } = typecheck(consumerTypes)
    expect(output).toBe('')
    expect(status).toBe(0)
  }, 120_000)
})

describe('with fast-check installed', () => {
  const withFastCheck = <T>(run: () => T): T => {
    const link = join(project, 'node_modules/fast-check')
    symlinkSync(join(root, 'node_modules/fast-check'), link, 'dir')
    try {
      return run()
    } finally {
      rmSync(link)
    }
  }

  it('actionsFrom returns the arbitrary itself for fc.property, and checkInvariants reports a violation (ESM and CJS)', () => {
    withFastCheck(() => {
      for (const [file, source] of [
        ['property.mjs', propertyEsm],
        ['property.cjs', propertyCjs],
      ]) {
        expect(node(file, source)).toEqual({ thenable: 'undefined', runs: 20, caught: { name: 'InvariantViolationError', code: 'invariant-violated', invariant: 'nonNegative', same: true } })
      }
    })
  })

  it('the fast-check entry has its types (not any)', () => {
    withFastCheck(() => {
      const { status, output } = typecheck({
        ...consumerTypes,
        'typed.mts': [
          "import { actionsFrom, checkInvariants, type CheckInvariantsReport } from 'redux-flight-recorder/fast-check'",
          "import fc, { type Arbitrary } from 'fast-check'",
          "import type { Action } from 'redux'",
          'export const arb: Arbitrary<Action[]> = actionsFrom([])',
          'export const prop = fc.property(actionsFrom([]), (actions) => actions.every((a) => typeof a.type === "string"))',
          "export const report: Promise<CheckInvariantsReport> = checkInvariants((s: number = 0) => s, () => true, { from: [] })",
          '// @ts-expect-error: an Arbitrary is not a number (this line errs only if the type is real)',
          'export const n: number = arb',
          '',
        ].join('\n'),
      })
      expect(output).toBe('')
      expect(status).toBe(0)
    })
  }, 120_000)
})
