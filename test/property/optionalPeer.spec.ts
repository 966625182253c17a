import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// fast-check is an optional peer dependency: a project without it must still be able to use the
// universal entry and the rest of the testing entry. The built package (dist/ and package.json) is
// copied into a fresh project whose node_modules hold redux and Redux Toolkit but no fast-check.
const root = resolve(__dirname, '../..')
let project: string

beforeAll(async () => {
  for (let waited = 0; !(existsSync(join(root, 'dist/testing.js')) && existsSync(join(root, 'dist/testing.cjs'))); waited += 250) {
    if (waited >= 60_000) throw new Error('dist/ is missing: run `npm run build` first (npm test does).')
    await new Promise((r) => setTimeout(r, 250))
  }
  if (!readFileSync(join(root, 'dist/testing.js'), 'utf8').includes('actionsFrom')) throw new Error('dist/ predates actionsFrom: run `npm run build`.')
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
  const replayed = testing.expectReplay(core.encodeRecording(log), { reducer: slice.reducer })
  const failing = (s, a) => { if (a.type === 'n/inc' && s.n >= 1) throw new Error('boom'); return slice.reducer(s, a) }
  const min = core.shrinkRecording(log, { reducer: failing })
  const caught = {}
  for (const [name, call] of [['actionsFrom', () => testing.actionsFrom(log)], ['checkInvariants', () => testing.checkInvariants(slice.reducer, { ok: () => true }, { from: log, numRuns: 5 })]]) {
    try { const r = await call(); caught[name] = { resolved: typeof r } } catch (e) { caught[name] = { code: e.code, name: e.name, message: e.message, flightRecorderError: e instanceof core.FlightRecorderError } }
  }
  console.log(JSON.stringify({ steps: replayed.steps, verified: replayed.verified, shrunk: min.shrink.to, caught }))
}
run()
`

const esm = body(`import * as core from 'redux-flight-recorder'
import * as testing from 'redux-flight-recorder/testing'
import { configureStore, createSlice } from '@reduxjs/toolkit'`)
const cjs = body(`const core = require('redux-flight-recorder')
const testing = require('redux-flight-recorder/testing')
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
  'consumer.mts': "import { expectReplay, actionsFrom, checkInvariants } from 'redux-flight-recorder/testing'\nimport { createFlightRecorder } from 'redux-flight-recorder'\nexport const used = [expectReplay, actionsFrom, checkInvariants, createFlightRecorder]\n",
  'consumer.cts': "import testing = require('redux-flight-recorder/testing')\nexport const used = [testing.expectReplay, testing.actionsFrom]\n",
}

describe('without fast-check installed', () => {
  it('is really missing from the project', () => {
    const probe = spawnSync(process.execPath, ['-e', "require.resolve('fast-check')"], { cwd: project, encoding: 'utf8' })
    expect(probe.status).not.toBe(0)
    expect(probe.stderr).toContain("Cannot find module 'fast-check'")
  })

  for (const [format, file, source] of [
    ['ESM', 'esm.mjs', esm],
    ['CJS', 'cjs.cjs', cjs],
  ] as const) {
    it(`the universal and testing entries work, and the property helpers name the missing peer (${format})`, () => {
      const result = node(file, source)
      expect(result).toMatchObject({ steps: 2, verified: true, shrunk: 2 })
      for (const name of ['actionsFrom', 'checkInvariants']) {
        const caught = (result.caught as Record<string, Record<string, unknown>>)[name]
        expect(caught).toMatchObject({ code: 'missing-peer', name: 'FlightRecorderError', flightRecorderError: true })
        expect(caught.message).toContain(`\`${name}\` needs fast-check, an optional peer dependency of redux-flight-recorder`)
        expect(caught.message).toContain('npm install --save-dev fast-check')
      }
    })
  }

  it('a TypeScript project that checks library declarations (skipLibCheck: false) compiles against the testing entry', () => {
    const { status, output } = typecheck(consumerTypes)
    expect(output).toBe('')
    expect(status).toBe(0)
  })

  it('once fast-check is installed, the property helpers have its types (not any)', () => {
    const link = join(project, 'node_modules/fast-check')
    symlinkSync(join(root, 'node_modules/fast-check'), link, 'dir')
    try {
      const { status, output } = typecheck({
        ...consumerTypes,
        'typed.mts': [
          "import { actionsFrom } from 'redux-flight-recorder/testing'",
          "import type { Arbitrary } from 'fast-check'",
          'export async function f(): Promise<void> {',
          '  const arb: Arbitrary<unknown[]> = await actionsFrom([])',
          '  // @ts-expect-error: an Arbitrary is not a number (this line errs only if the type is real)',
          '  const n: number = arb',
          '  void n',
          '}',
          '',
        ].join('\n'),
      })
      expect(output).toBe('')
      expect(status).toBe(0)
    } finally {
      rmSync(link)
    }
  })

  it('the same build finds fast-check once it is installed (ESM and CJS)', () => {
    const link = join(project, 'node_modules/fast-check')
    symlinkSync(join(root, 'node_modules/fast-check'), link, 'dir')
    try {
      for (const [file, source] of [
        ['esm-with.mjs', esm],
        ['cjs-with.cjs', cjs],
      ]) {
        const result = node(file, source)
        expect(result.caught).toEqual({ actionsFrom: { resolved: 'object' }, checkInvariants: { resolved: 'object' } })
      }
    } finally {
      rmSync(link)
    }
  })
})
