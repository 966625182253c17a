import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { ReplayDivergenceError } from 'redux-flight-recorder'
import { encodeRecording } from 'redux-flight-recorder/replay'
import { expectReplay, expectReplayFile, flightRecorderMatchers, replaySuite } from 'redux-flight-recorder/testing'
import { rootReducer } from '../helpers/todoApp'
import { session } from './shared'

// Issue 15, case 4: the helpers do not pass what they could not check.
const dir = mkdtempSync(join(tmpdir(), 'fr-strict-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const good = encodeRecording(await session()).trimEnd().split('\n')
/** The session with its two action lines removed: a seq gap before @@end. */
const gap = [good[0], ...good.slice(3)].join('\n') + '\n'
/** The session cut mid-line by a crash. */
const truncated = good.slice(0, 2).join('\n') + '\n' + good[2].slice(0, 20)
const unverified = encodeRecording(await session({ hash: false }))
vi.spyOn(console, 'warn').mockImplementation(() => {})
const withDate = encodeRecording(
  await (async () => {
    const { recordSession } = await import('redux-flight-recorder/testing')
    const { makeStore, added } = await import('../helpers/todoApp')
    return recordSession(makeStore, (store) => {
      store.dispatch({ ...added({ id: 'a', title: 'milk', done: false }), meta: { at: new Date(0) } } as never)
    })
  })(),
)
const file = (name: string, text: string) => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

describe('strict test helpers', () => {
  it('expectReplayFile fails on a seq gap and names it; allowIncomplete accepts it', async () => {
    const path = file('gap.jsonl', gap)
    const error = await expectReplayFile(path, { reducer: rootReducer }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ReplayDivergenceError)
    expect((error as ReplayDivergenceError).code).toBe('incomplete')
    expect((error as Error).message).toMatch(/Entries 1–2 are missing/)
    await expect(expectReplayFile(path, { reducer: rootReducer, allowIncomplete: true })).resolves.toMatchObject({ ok: true })
  })

  it('an action too large to log: the unverified report says so and what to change, not to record with the default hash', async () => {
    const { recordSession } = await import('redux-flight-recorder/testing')
    const { makeStore, added, renamed } = await import('../helpers/todoApp')
    const big = encodeRecording(
      await recordSession(
        makeStore,
        (store) => {
          store.dispatch(added({ id: 'a', title: 'milk', done: false }))
          store.dispatch(renamed({ id: 'a', title: 'x'.repeat(5000) }))
          store.dispatch(added({ id: 'b', title: 'eggs', done: false }))
        },
        { maxEntryBytes: 1000 },
      ),
    )
    expect(JSON.parse(big.split('\n')[0]).hash_alg).toBe('fr64')
    const error = (() => {
      try {
        expectReplay(big, { reducer: rootReducer })
      } catch (e) {
        return e as ReplayDivergenceError
      }
    })()
    expect(error).toBeInstanceOf(ReplayDivergenceError)
    expect(error!.code).toBe('unverified')
    // (The step after it is checked: the state after the large action was written before it.)
    expect(error!.message).toMatch(/replayed 2 steps but not every step was hash-checked \(3 checks\)\. An action too large to log \(see the warnings\).*raise `maxEntryBytes` when recording/)
    expect(error!.message).not.toMatch(/Record with the default `hash`/)
    expect(error!.message).toMatch(/Seq 2's action \('todos\/renamed', over 1000 bytes\) was larger than `maxEntryBytes`/)
    expect(() => expectReplay(big, { reducer: rootReducer, allowUnverified: true })).not.toThrow()
  })

  it('expectReplay fails on a truncated end, on unverified steps and on lossy values, each unless allowed', () => {
    expect(() => expectReplay(truncated, { reducer: rootReducer })).toThrow(/cut short/)
    expect(() => expectReplay(truncated, { reducer: rootReducer, allowIncomplete: true })).not.toThrow()
    expect(() => expectReplay(unverified, { reducer: rootReducer })).toThrow(/not every step was hash-checked.*`hash: false`/s)
    expect(() => expectReplay(unverified, { reducer: rootReducer, allowUnverified: true })).not.toThrow()
    expect(() => expectReplay(withDate, { reducer: rootReducer })).toThrow(/meta\.at was a Date, logged as its ISO string/)
    // Each replayed as recorded: the message does not say it did not replay.
    for (const log of [truncated, unverified, withDate]) expect(() => expectReplay(log, { reducer: rootReducer })).toThrow(/^\[redux-flight-recorder\] The recording replayed, but is not accepted as it is:\n/)
    expect(() => expectReplay(withDate, { reducer: rootReducer, allowLossy: ['meta.at'] })).not.toThrow()
    expect(() => expectReplay(withDate, { reducer: rootReducer, allowLossy: true })).not.toThrow()
    // As lossy.ignoredPaths reads paths: a path covers what is below it, `*` any one key.
    expect(() => expectReplay(withDate, { reducer: rootReducer, allowLossy: ['meta'] })).not.toThrow()
    expect(() => expectReplay(withDate, { reducer: rootReducer, allowLossy: ['*.at'] })).not.toThrow()
    expect(() => expectReplay(withDate, { reducer: rootReducer, allowLossy: ['payload.*'] })).toThrow(/meta\.at was a Date/)
  })

  it('names the allowLossy paths to pass, as allowLossy reads them (state paths with `state.`, indexes as `*`), and those pass', async () => {
    const { configureStore } = await import('@reduxjs/toolkit')
    const { recordSession } = await import('redux-flight-recorder/testing')
    type S = { items: { at: unknown }[]; seen: unknown }
    const reducer = (s: S = { items: [], seen: null }, a: { type: string; at?: unknown }): S =>
      a.type === 'add' ? { ...s, items: [...s.items, { at: new Date(0) }] } : a.type === 'see' ? { ...s, seen: new Map() } : s
    const log = await recordSession(
      (rec) => configureStore({ reducer, middleware: (g) => g({ serializableCheck: false }).prepend(rec.middleware), enhancers: (g) => g().concat(rec.enhancer) }),
      (store) => {
        store.dispatch({ type: 'add' })
        store.dispatch({ type: 'add' })
        store.dispatch({ type: 'see', at: new Date(1) })
      },
      { lossy: { warn: false } },
    )
    const message = (() => {
      try {
        expectReplay(log, { reducer: reducer as never })
      } catch (e) {
        return (e as Error).message
      }
    })()
    const named = /`allowLossy: \[(.*)\]`/.exec(message ?? '')
    expect(named, message).not.toBeNull()
    const paths = named![1].split(', ').map((p) => p.replace(/^'|'$/g, ''))
    expect(paths.sort()).toEqual(['at', 'state.items.*.at', 'state.seen'])
    expect(() => expectReplay(log, { reducer: reducer as never, allowLossy: paths })).not.toThrow()
    expect(() => expectReplay(log, { reducer: reducer as never, allowLossy: paths.slice(1) })).toThrow(/allowLossy: \['at'\]/)
  })

  it('expectReplay fails on a log with no actions (it would pass any reducer), unless allowUnverified', () => {
    const headerOnly = good[0] + '\n'
    // A reducer that ignores every action keeps the starting state (replay's INIT step included).
    const wrong = (state: unknown) => state
    expect(() => expectReplay(headerOnly, { reducer: wrong as never })).toThrow('The log has no actions to replay, so it checks nothing about the reducer.')
    expect(flightRecorderMatchers.toReplayOn(headerOnly, rootReducer).pass).toBe(false)
    expect(() => expectReplay(headerOnly, { reducer: rootReducer, allowUnverified: true })).not.toThrow()
  })

  it('toReplayOn and replaySuite fail the same way', async () => {
    const r = flightRecorderMatchers.toReplayOn(gap, rootReducer)
    expect(r.pass).toBe(false)
    expect(r.message()).toMatch(/Entries 1–2 are missing/)
    expect(flightRecorderMatchers.toReplayOn(gap, { reducer: rootReducer, allowIncomplete: true }).pass).toBe(true)
    const declared: (() => Promise<unknown>)[] = []
    replaySuite([file('suite-gap.jsonl', gap)], { reducer: rootReducer, test: (_n: string, fn: () => Promise<unknown>) => declared.push(fn) })
    await expect(declared[0]()).rejects.toThrow(/incomplete/)
  })
})
