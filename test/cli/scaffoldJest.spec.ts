// `flight-recorder scaffold-test` for Jest: the generated file runs under real Jest 30 (the built
// package, installed by a symlink as a user's node_modules holds it), passes on the store module and
// fails with the divergence report on a regression — written as CommonJS, as an ES module, and as
// TypeScript (compiled to CommonJS as ts-jest does), as the project's store module is.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createStore, type Reducer } from 'redux'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder } from 'redux-flight-recorder'
import { fileSink } from 'redux-flight-recorder/node'
import { CLI, ROOT, runNode, tempDir, type Exit } from '../node/helpers'

// The app's reducer; `BUGGY=1` in the environment loads a regressed toggle.
const REDUCER = `
const buggy = process.env.BUGGY === '1'
function reducer(state = { todos: [], filter: 'all' }, action) {
  switch (action.type) {
    case 'todos/added':
      return { ...state, todos: [...state.todos, { id: action.payload, done: false }] }
    case 'todos/toggled':
      return { ...state, todos: state.todos.map((t) => (t.id === action.payload && !buggy ? { ...t, done: !t.done } : t)) }
    case 'filter/set':
      return { ...state, filter: action.payload }
    default:
      return state
  }
}
`

/** A project of its own: package.json (Jest in devDependencies), the store module, node_modules by symlink. */
function project(pkg: Record<string, unknown>, storeFile: string, storeText: string): string {
  const dir = tempDir('fr-scaffold-jest-')
  mkdirSync(join(dir, 'src'))
  mkdirSync(join(dir, 'test/sessions'), { recursive: true })
  mkdirSync(join(dir, 'node_modules'))
  symlinkSync(ROOT, join(dir, 'node_modules/redux-flight-recorder'))
  symlinkSync(join(ROOT, 'node_modules/redux'), join(dir, 'node_modules/redux'))
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true, devDependencies: { jest: '^30.0.0' }, ...pkg }))
  writeFileSync(join(dir, 'src', storeFile), storeText)
  return dir
}

/** Records a real session of the reducer (added, toggled, filter) into the project's log. */
async function recordInto(dir: string): Promise<void> {
  const { reducer } = (await import(pathToFileURL(join(dir, 'esm-store.mjs')).href)) as { reducer: Reducer }
  const recorder = createFlightRecorder({ sinks: [fileSink(join(dir, 'test/sessions/checkout.jsonl'), { processLifecycle: false })] })
  const store = createStore(reducer, recorder.enhancer)
  for (let i = 0; i < 6; i++) store.dispatch({ type: 'todos/added', payload: i })
  store.dispatch({ type: 'todos/toggled', payload: 2 })
  store.dispatch({ type: 'filter/set', payload: 'done' })
  store.dispatch({ type: 'todos/toggled', payload: 4 })
  await recorder.close()
}

const jest = (dir: string, env: Record<string, string> = {}): Exit =>
  runNode(join(ROOT, 'node_modules/jest/bin/jest.js'), ['--rootDir', dir, '--no-watchman', '--ci', '--config', JSON.stringify({ testEnvironment: 'node', transform: {} })], { cwd: dir, env })

async function setUp(pkg: Record<string, unknown>, storeFile: string, storeText: string): Promise<string> {
  const dir = project(pkg, storeFile, storeText)
  writeFileSync(join(dir, 'esm-store.mjs'), REDUCER + 'export { reducer }\n')
  await recordInto(dir)
  return dir
}

function expectPassesThenCatches(dir: string, env: Record<string, string> = {}): void {
  const pass = jest(dir, env)
  expect(pass.code, pass.stdout + pass.stderr).toBe(0)
  expect(pass.stderr).toMatch(/✓ replays checkout\.jsonl \(9 actions, recorded \d{4}-\d\d-\d\d\)/)
  const fail = jest(dir, { ...env, BUGGY: '1' })
  expect(fail.code, fail.stdout + fail.stderr).toBe(1)
  expect(fail.stderr).toMatch(/Replay diverged at seq 7 \(turn t\d+\), action 'todos\/toggled'/)
}

const STORE_TS = REDUCER.replace('function reducer(state = ', 'export function reducer(state: { todos: { id: number; done: boolean }[]; filter: string } = ').replace('action) {', 'action: { type: string; payload?: any }) {')

/**
 * What ts-jest does with the store module and the generated test: each compiled (to CommonJS, or to
 * an ES module as its ESM preset does) — here beside it, as .js — then Jest runs the compiled test:
 * it passes, and fails with the divergence report on the regressed reducer.
 */
function compileAndRunLikeTsJest(dir: string, module: ts.ModuleKind, env: Record<string, string> = {}): void {
  for (const [from, to] of [
    ['src/store.ts', 'src/store.js'],
    ['test/sessions/checkout.replay.test.ts', 'test/sessions/checkout.replay.test.js'],
  ]) {
    const out = ts.transpileModule(readFileSync(join(dir, from), 'utf8'), { compilerOptions: { module, target: ts.ScriptTarget.ES2022, esModuleInterop: true } })
    writeFileSync(join(dir, to), out.outputText)
  }
  writeFileSync(join(dir, 'test/sessions/checkout.replay.test.ts'), '')
  const run = (more: Record<string, string> = {}) =>
    runNode(join(ROOT, 'node_modules/jest/bin/jest.js'), ['--rootDir', dir, '--no-watchman', '--ci', '--config', JSON.stringify({ testEnvironment: 'node', transform: {}, testMatch: ['**/*.test.js'] })], { cwd: dir, env: { ...env, ...more } })
  const pass = run()
  expect(pass.code, pass.stdout + pass.stderr).toBe(0)
  const fail = run({ BUGGY: '1' })
  expect(fail.code).toBe(1)
  expect(fail.stderr).toMatch(/Replay diverged at seq 7/)
}

describe('scaffold-test --runner jest', () => {
  it('writes a CommonJS test for a CommonJS store module, found by the package.json naming Jest', async () => {
    const dir = await setUp({}, 'store.js', REDUCER + 'module.exports = { reducer }\n')
    const r = runNode(CLI, ['scaffold-test', 'test/sessions/checkout.jsonl', '--store', 'src/store.js', '--json'], { cwd: dir })
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, output: 'test/sessions/checkout.replay.test.js', runner: 'jest', actions: 9 })
    const source = readFileSync(join(dir, 'test/sessions/checkout.replay.test.js'), 'utf8')
    expect(source).toContain("const { reducer } = require('../../src/store.js')")
    expect(source).toContain("const log = join(__dirname, './checkout.jsonl')")
    expect(source).not.toContain('vitest')
    expectPassesThenCatches(dir)
  }, 120_000)

  it('writes a .cjs test in a "type": "module" package whose store module is CommonJS, and an ES module test (.mjs) for an .mjs store', async () => {
    const dir = await setUp({ type: 'module' }, 'store.cjs', REDUCER + 'module.exports = { reducer }\n')
    const r = runNode(CLI, ['scaffold-test', 'test/sessions/checkout.jsonl', '--store', 'src/store.cjs', '--runner', 'jest'], { cwd: dir })
    expect(r.stdout).toBe('wrote test/sessions/checkout.replay.test.cjs\n')
    expectPassesThenCatches(dir)

    const esm = await setUp({}, 'store.mjs', REDUCER + 'export { reducer }\n')
    const e = runNode(CLI, ['scaffold-test', 'test/sessions/checkout.jsonl', '--store', 'src/store.mjs'], { cwd: esm })
    expect(e.stdout).toBe('wrote test/sessions/checkout.replay.test.mjs\n')
    const source = readFileSync(join(esm, 'test/sessions/checkout.replay.test.mjs'), 'utf8')
    expect(source).toContain('--experimental-vm-modules')
    expect(source).toContain("const log = fileURLToPath(new URL('./checkout.jsonl', import.meta.url))")
    expectPassesThenCatches(esm, { NODE_OPTIONS: '--experimental-vm-modules --no-warnings' })
  }, 180_000)

  it('writes a TypeScript test that imports the store module by its name without extension (as ts-jest compiles it)', async () => {
    const dir = await setUp({}, 'store.ts', STORE_TS)
    const r = runNode(CLI, ['scaffold-test', 'test/sessions/checkout.jsonl', '--store', 'src/store.ts'], { cwd: dir })
    expect(r.stdout).toBe('wrote test/sessions/checkout.replay.test.ts\n')
    const source = readFileSync(join(dir, 'test/sessions/checkout.replay.test.ts'), 'utf8')
    expect(source).toContain("import { reducer } from '../../src/store'")
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true, devDependencies: { jest: '^30.0.0' } }))
    compileAndRunLikeTsJest(dir, ts.ModuleKind.CommonJS)
  }, 120_000)

  it('writes a TypeScript test for an ES module package as ts-jest\'s ESM preset runs it (.js import, the log found from testPath)', async () => {
    const dir = await setUp({ type: 'module' }, 'store.ts', STORE_TS)
    const r = runNode(CLI, ['scaffold-test', 'test/sessions/checkout.jsonl', '--store', 'src/store.ts'], { cwd: dir })
    expect(r.stdout).toBe('wrote test/sessions/checkout.replay.test.ts\n')
    expect(r.stderr).toMatch(/^note: a Jest test, as package\.json depends on jest; --runner chooses\.\n/)
    const source = readFileSync(join(dir, 'test/sessions/checkout.replay.test.ts'), 'utf8')
    expect(source).toContain("import { reducer } from '../../src/store.js'")
    expect(source).toContain("const log = join(dirname(expect.getState().testPath!), './checkout.jsonl')")
    expect(source).not.toContain('__dirname')
    compileAndRunLikeTsJest(dir, ts.ModuleKind.ESNext, { NODE_OPTIONS: '--experimental-vm-modules --no-warnings' })
  }, 120_000)

  it('finds Jest where a monorepo\'s root names it, and refuses a CommonJS test of an ES module store', async () => {
    const dir = await setUp({}, 'store.mjs', REDUCER + 'export { reducer }\n')
    mkdirSync(join(dir, 'packages/app/logs'), { recursive: true })
    writeFileSync(join(dir, 'packages/app/package.json'), JSON.stringify({ name: 'app', private: true }))
    writeFileSync(join(dir, 'packages/app/logs/s.jsonl'), readFileSync(join(dir, 'test/sessions/checkout.jsonl')))
    const r = runNode(CLI, ['scaffold-test', 'packages/app/logs/s.jsonl', '--store', 'src/store.mjs', '--json'], { cwd: dir })
    expect(JSON.parse(r.stdout)).toMatchObject({ output: 'packages/app/logs/s.replay.test.mjs', runner: 'jest' })
    const cjs = runNode(CLI, ['scaffold-test', 'test/sessions/checkout.jsonl', '--store', 'src/store.mjs', '-o', 'test/s.test.js'], { cwd: dir })
    expect(cjs.code).toBe(2)
    expect(cjs.stderr).toBe('flight-recorder: src/store.mjs is an ES module, which a CommonJS test (test/s.test.js) cannot require: name the test .mjs instead, and Jest runs it with NODE_OPTIONS=--experimental-vm-modules.\n')
    // Jest cuts an ES module's import path at '#' (review, session 31): said, not written to fail.
    writeFileSync(join(dir, 'src/store #1.mjs'), REDUCER + 'export { reducer }\n')
    const hash = runNode(CLI, ['scaffold-test', 'test/sessions/checkout.jsonl', '--store', 'src/store #1.mjs', '-o', 'test/h.test.mjs'], { cwd: dir })
    expect(hash.code).toBe(2)
    expect(hash.stderr).toMatch(/^flight-recorder: Jest cannot import src\/store #1\.mjs from an ES module test: it cuts an import path at '#' or '\?'/)
  }, 60_000)

  it('keeps Vitest where the package names Vitest (or neither), and refuses an unknown runner', async () => {
    const dir = await setUp({ devDependencies: { jest: '^30.0.0', vitest: '^4.1.0' } }, 'store.mjs', REDUCER + 'export { reducer }\n')
    const r = runNode(CLI, ['scaffold-test', 'test/sessions/checkout.jsonl', '--store', 'src/store.mjs', '--json'], { cwd: dir })
    expect(JSON.parse(r.stdout)).toMatchObject({ output: 'test/sessions/checkout.replay.test.js', runner: 'vitest' })
    expect(readFileSync(join(dir, 'test/sessions/checkout.replay.test.js'), 'utf8')).toContain("import { it } from 'vitest'")
    expect(r.stderr).toMatch(/note: a Vitest test, as package\.json depends on vitest; --runner chooses\./)
    // A package that names no runner: Vitest, without a note.
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }))
    const plain = runNode(CLI, ['scaffold-test', 'test/sessions/checkout.jsonl', '--store', 'src/store.mjs', '-o', 'test/plain.test.js', '--json'], { cwd: dir })
    expect(JSON.parse(plain.stdout)).toMatchObject({ output: 'test/plain.test.js', runner: 'vitest' })
    expect(plain.stderr).not.toContain('note: a ')
    const bad = runNode(CLI, ['scaffold-test', 'test/sessions/checkout.jsonl', '--store', 'src/store.mjs', '--runner', 'mocha', '--force'], { cwd: dir })
    expect(bad.code).toBe(2)
    expect(bad.stderr).toBe('flight-recorder: --runner takes vitest or jest, not "mocha".\n')
  }, 60_000)
})
