import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, posix, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { packTarball } from '../helpers/pack'

// Tests what users install: `npm pack`, unpacked into a fresh project's node_modules beside real
// redux and Redux Toolkit, used only through the names in DESIGN.md, with import and require.
const root = resolve(__dirname, '../..')
let project: string
let tarball: string
let tarballFiles: string[]

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'rfr-packed-'))
  const packed = packTarball(project)
  tarball = packed.tarball
  tarballFiles = packed.files
  const pkgDir = join(project, 'node_modules/redux-flight-recorder')
  mkdirSync(pkgDir, { recursive: true })
  execFileSync('tar', ['-xzf', tarball, '-C', pkgDir, '--strip-components=1'])
  // fast-check too, for the fast-check entry (test/property/optionalPeer.spec.ts covers a project without it).
  for (const dep of ['redux', '@reduxjs/toolkit', 'immer', 'reselect', 'redux-thunk', 'fast-check']) {
    const target = join(project, 'node_modules', dep)
    mkdirSync(join(target, '..'), { recursive: true })
    symlinkSync(join(root, 'node_modules', dep), target, 'dir')
  }
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }))
}, 120_000)

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true })
})

function run(file: string, source: string) {
  writeFileSync(join(project, file), source)
  const out = spawnSync(process.execPath, [file], { cwd: project, encoding: 'utf8' })
  if (out.status !== 0) throw new Error(`${file} failed:\n${out.stderr}`)
  return JSON.parse(out.stdout.trim().split('\n').pop()!)
}

describe('the packed package', () => {
  it('ships dist, the format doc and the bin, and nothing from src or test', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    expect(files).toContain('package/dist/index.js')
    expect(files).toContain('package/dist/cli.js')
    expect(files).toContain('package/docs/FORMAT.md')
    expect(files).not.toMatch(/package\/(src|test)\//)
    const pkg = JSON.parse(readFileSync(join(project, 'node_modules/redux-flight-recorder/package.json'), 'utf8'))
    expect(pkg.dependencies ?? {}).toEqual({})
  })

  it('ships README.md, BENCHMARKS.md and every page of docs/, so their relative links resolve in node_modules (images aside)', () => {
    const shipped = new Set(tarballFiles)
    const pages = tarballFiles.filter((f) => f.endsWith('.md'))
    expect(pages).toEqual(expect.arrayContaining(['package/README.md', 'package/BENCHMARKS.md', 'package/docs/getting-started.md', 'package/docs/guides/testing.md', 'package/docs/api/README.md']))
    // Every markdown file of docs/ in the repository is in the tarball.
    const walk = (dir: string): string[] => readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(`${dir}/${e.name}`) : e.name.endsWith('.md') ? [`package/${dir}/${e.name}`] : []))
    expect(pages).toEqual(expect.arrayContaining(walk('docs')))
    const dead: string[] = []
    const images: string[] = []
    for (const page of pages) {
      const text = readFileSync(join(project, 'node_modules/redux-flight-recorder', page.slice('package/'.length)), 'utf8').replace(/^ *```[^\n]*\n[\s\S]*?^ *```/gm, '')
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target) || target.startsWith('#')) continue
        const file = posix.normalize(posix.join(posix.dirname(page), target.split('#')[0]))
        if (shipped.has(file)) continue
        // Screenshots are not shipped (they would double the tarball); they are the only exception.
        if (file.endsWith('.png')) images.push(`${page} → ${target}`)
        else dead.push(`${page} → ${target}`)
      }
    }
    expect(dead, 'links in the installed package that go nowhere').toEqual([])
    expect(images.length).toBeGreaterThan(0) // the README's screenshot, at least: the exception is real
    expect(tarballFiles.some((f) => f.endsWith('.png'))).toBe(false)
  })

  it('works through import (ESM), every subpath, one copy of each class', () => {
    const result = run(
      'esm.mjs',
      `
      import { configureStore, createSlice } from '@reduxjs/toolkit'
      import { createFlightRecorder, RecordingFormatError, stateHash } from 'redux-flight-recorder'
      import { replay, parseRecording } from 'redux-flight-recorder/replay'
      import * as node from 'redux-flight-recorder/node'
      import * as browser from 'redux-flight-recorder/browser'
      import * as testing from 'redux-flight-recorder/testing'
      import { toDevToolsExport } from 'redux-flight-recorder/devtools'
      const slice = createSlice({ name: 'n', initialState: { n: 0 }, reducers: { inc: (s) => { s.n++ } } })
      const recorder = createFlightRecorder()
      const store = configureStore({ reducer: slice.reducer, middleware: (g) => g().prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
      store.dispatch(slice.actions.inc()); store.dispatch(slice.actions.inc())
      await recorder.close()
      const result = replay(recorder.toJSONL(), { reducer: slice.reducer })
      let sameClass = false
      try { await testing.expectReplay('{"kind":"@@session","v":9,"session":"x"}', { reducer: slice.reducer }) } catch (e) { sameClass = e instanceof RecordingFormatError }
      let parseSameClass = false
      try { parseRecording('{"kind":"@@session","v":9,"session":"x"}') } catch (e) { parseSameClass = e instanceof RecordingFormatError }
      const devtools = toDevToolsExport(recorder.snapshot())
      console.log(JSON.stringify({ ok: result.ok, verified: result.verified, hash: stateHash({ a: 1 }), node: typeof node.loadRecording, browser: typeof browser.downloadRecording, testing: typeof testing.recordSession, devtools: typeof devtools.payload, sameClass, parseSameClass }))
      `,
    )
    expect(result).toMatchObject({ ok: true, verified: true, node: 'function', browser: 'function', testing: 'function', devtools: 'string', sameClass: true, parseSameClass: true })
    expect(result.hash).toMatch(/^[0-9a-f]{16}$/)
  })

  it('works through require (CJS), every subpath, one copy of each class', () => {
    const result = run(
      'cjs.cjs',
      `
      const { configureStore, createSlice } = require('@reduxjs/toolkit')
      const core = require('redux-flight-recorder')
      const node = require('redux-flight-recorder/node')
      const testing = require('redux-flight-recorder/testing')
      const browser = require('redux-flight-recorder/browser')
      const replay = require('redux-flight-recorder/replay')
      const devtools = require('redux-flight-recorder/devtools')
      const slice = createSlice({ name: 'n', initialState: { n: 0 }, reducers: { inc: (s) => { s.n++ } } })
      const recorder = core.createFlightRecorder()
      const store = configureStore({ reducer: slice.reducer, middleware: (g) => g().prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
      store.dispatch(slice.actions.inc())
      const result = replay.replay(recorder.snapshot(), { reducer: slice.reducer })
      let sameClass = false
      try { testing.expectReplay('{"kind":"@@session","v":9,"session":"x"}', { reducer: slice.reducer }) } catch (e) { sameClass = e instanceof core.RecordingFormatError }
      let devtoolsSameClass = false
      try { devtools.fromDevToolsExport('{}') } catch (e) { devtoolsSameClass = e instanceof core.FlightRecorderError }
      console.log(JSON.stringify({ ok: result.ok, node: typeof node.sha256JsonHash, browser: typeof browser.downloadRecording, sameClass, devtoolsSameClass }))
      `,
    )
    expect(result).toEqual({ ok: true, node: 'function', browser: 'function', sameClass: true, devtoolsSameClass: true })
  })

  it('the root holds recording only; the other names live in their entries, not at the root', () => {
    const result = run(
      'names.mjs',
      `
      const names = {}
      for (const entry of ['', '/replay', '/devtools', '/testing', '/fast-check', '/lazy']) names[entry || '.'] = Object.keys(await import('redux-flight-recorder' + entry)).sort()
      console.log(JSON.stringify(names))
      `,
    )
    expect(result['.']).toEqual(['FORMAT_VERSION', 'FlightRecorderError', 'Fr64Hasher', 'REDACTED', 'RecorderFaultError', 'RecordingFormatError', 'ReplayDivergenceError', 'createFlightRecorder', 'memorySink', 'stateHash', 'subtreeHashes'])
    expect(result['/replay']).toEqual(['LineParser', 'diffStates', 'encodeRecording', 'formatDivergence', 'isActionEntry', 'parseRecording', 'reduxPersist', 'rehashRecording', 'replay', 'replayStream', 'shrinkRecording'])
    expect(result['/devtools']).toEqual(['devToolsInstrument', 'fromDevToolsExport', 'toDevToolsExport'])
    expect(result['/testing']).toEqual(['expectReplay', 'expectReplayFile', 'flightRecorderMatchers', 'recordSession', 'replaySuite'])
    expect(result['/fast-check']).toEqual(['InvariantViolationError', 'actionsFrom', 'checkInvariants'])
    expect(result['/lazy']).toEqual(['createFlightRecorder', 'preloadFlightRecorder'])
  })

  it('declares each class in one file per format (entries import the core by the package name, the format reader by a relative path)', () => {
    const dist = join(project, 'node_modules/redux-flight-recorder/dist')
    for (const ext of ['.js', '.cjs']) {
      const owners = new Map<string, string[]>()
      for (const file of readdirSync(dist).filter((f) => f.endsWith(ext) && f !== 'cli.js')) {
        for (const m of readFileSync(join(dist, file), 'utf8').matchAll(/\b(?:var|let|const) ([A-Za-z_$][\w$]*) = class\b|\bclass ([A-Za-z_$][\w$]*)\s*(?:extends\b|\{)/g)) {
          const name = m[1] ?? m[2]
          owners.set(name, [...(owners.get(name) ?? []), file])
        }
      }
      // Files of their own, which the root entry, the recorder's core (dist/recorder-core.js, which
      // 'redux-flight-recorder/lazy' loads later) and the lazy shell import.
      expect(owners.get('FlightRecorderError')).toEqual([`errors${ext}`])
      expect(owners.get('CompactFr64Hasher')).toEqual([`fr64${ext}`]) // exported as Fr64Hasher
      expect(owners.get('Recorder')).toEqual([`recorder-core${ext}`])
      expect(owners.get('Turns')).toEqual([`recorder-turns${ext}`])
      // dist/format.js: the log reader and encoder, which the replay and browser entries share.
      expect(owners.get('LineParser')).toEqual([`format${ext}`])
      for (const [name, files] of owners) expect([name, files.length]).toEqual([name, 1])
    }
  })

  it('passes publint and are-the-types-wrong (node16 profile)', () => {
    const publint = spawnSync(join(root, 'node_modules/.bin/publint'), ['--strict'], { cwd: root, encoding: 'utf8' })
    expect(publint.stdout + publint.stderr).not.toMatch(/error|warning/i)
    expect(publint.status).toBe(0)
    const attw = spawnSync(join(root, 'node_modules/.bin/attw'), ['--pack', '--profile', 'node16', '--format', 'ascii'], { cwd: root, encoding: 'utf8' })
    for (const entry of ['replay', 'devtools', 'node', 'browser', 'testing', 'fast-check']) expect(attw.stdout).toContain(`"redux-flight-recorder/${entry}"`)
    expect(attw.stdout).not.toMatch(/(node16|bundler)[^\n]*(💀|❌|⚠️|🐛|🥴|👺)/u)
    expect(attw.status).toBe(0)
  }, 120_000)
})
