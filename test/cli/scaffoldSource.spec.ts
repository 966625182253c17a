/**
 * The generated test file (scaffold-test and the panel's "Copy as test") holds text taken from the
 * log (warnings, lossy paths, the log's name): it must stay text. Before the fix a checkpoint's
 * `unwritable` reason holding U+2028 or `\r` ended the `//` comment it was put in, and what followed
 * ran as code when the tests ran; a `\r` in a quoted name made the file unparsable.
 */
import { transformSync } from 'esbuild'
import { describe, expect, it } from 'vitest'
import { scaffoldSource } from '../../src/internal/scaffoldSource'

const TERMINATORS = ['\r', '\u2028', '\u2029', '\r\n', '\n']

/** Runs the generated file with stand-ins for its imports: what `it` was called with, and whether injected code ran. */
function run(source: string): { titles: string[]; options: unknown[]; ran: boolean; timeouts: unknown[] } {
  const { code } = transformSync(source, { format: 'cjs', define: { 'import.meta.url': '"file:///project/test/t.test.js"' }, logLevel: 'silent' })
  const titles: string[] = []
  const options: unknown[] = []
  const timeouts: unknown[] = []
  const probe = globalThis as { INJECTED?: boolean }
  delete probe.INJECTED
  const modules: Record<string, unknown> = {
    'node:url': { fileURLToPath: (u: URL) => u.pathname },
    vitest: { it: (title: string, fn: () => Promise<void>, timeout?: number) => (titles.push(title), timeouts.push(timeout), fn()) },
    'redux-flight-recorder/testing': { expectReplayFile: (_log: string, o: unknown) => options.push(o) },
  }
  new Function('require', 'module', 'exports', code)((id: string) => modules[id] ?? { reducer: () => null }, { exports: {} }, {})
  const ran = probe.INJECTED === true
  delete probe.INJECTED
  return { titles, options, ran, timeouts }
}

describe('scaffoldSource keeps text from the log as text', () => {
  for (const t of TERMINATORS) {
    it(`${[...t].map((c) => 'U+' + c.charCodeAt(0).toString(16).padStart(4, '0')).join(' ')} in warnings, lossy paths, names and the shown command line runs nothing`, () => {
      const evil = `x${t}globalThis.INJECTED = true;${t}//`
      const source = scaffoldSource({
        logName: `s${t}'.jsonl`,
        logUrl: `./s${t}.jsonl`,
        storeSpecifier: './store.js',
        names: ['reducer'],
        viaDefault: false,
        shownLog: `logs/${evil}`,
        shownStore: `store${evil}`,
        actions: 3,
        recordedAt: '2026-12-04T00:00:00.000Z',
        allowIncomplete: [`checkpoint could not be written (${evil})`],
        allowLossy: [`payload.${evil}'`],
        allowUnverified: `no hashes ${evil}`,
      })
      const { titles, options, ran } = run(source)
      expect(ran).toBe(false)
      expect(titles).toEqual([`replays s${t}'.jsonl (3 actions, recorded 2026-12-04)`])
      expect(options).toEqual([{ reducer: expect.any(Function), allowIncomplete: true, allowUnverified: true, allowLossy: [`payload.${evil}'`] }])
    })
  }
})

describe('scaffoldSource for a long session (acceptance, session 39)', () => {
  // A generated test of a 4,070-action session timed out under the runners' 5 s default (Vitest
  // and Jest): the app's reducer alone took 3.5-4 s for it on a loaded 2-core machine.
  const source = (actions: number) =>
    scaffoldSource({ logName: 's.jsonl', logUrl: './s.jsonl', storeSpecifier: './store.js', names: ['reducer'], viaDefault: false, shownLog: 's.jsonl', shownStore: 'store.js', actions })
  it('gives the test a timeout that grows with the actions, past 500 of them', () => {
    expect(run(source(499)).timeouts).toEqual([undefined])
    expect(run(source(500)).timeouts).toEqual([30_000])
    expect(run(source(4070)).timeouts).toEqual([75_000])
    expect(source(4070)).toContain("}, 75_000 /* ms: 4070 actions replayed through the app's reducer */)")
  })
})
