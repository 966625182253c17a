import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { encodeRecording, isActionEntry, parseRecording, replay } from 'redux-flight-recorder/replay'
import { fixtureReducer } from '../fixtures/v1/reducer'

// These logs were written once by format v1 and are never regenerated: if this spec fails, the
// change broke old logs (or fr64), not the fixtures.
const read = (name: string) => readFileSync(fileURLToPath(new URL(`../fixtures/v1/${name}`, import.meta.url)), 'utf8')

describe('v1 fixtures', () => {
  it.each(['basic', 'trimmed', 'redacted'])('%s.jsonl replays ok with every hash verified', (name) => {
    const rec = parseRecording(read(`${name}.jsonl`))
    const result = replay(rec, { reducer: fixtureReducer as never })
    expect(result).toMatchObject({ ok: true, verified: true })
    expect(result.finalHash).toBe(rec.end?.hash)
    expect(result.checked).toBeGreaterThan(rec.entries.filter(isActionEntry).length - 1)
  })

  it('basic.jsonl holds marks, lifecycle entries, checkpoints, an @@ action type and @@end', () => {
    const rec = parseRecording(read('basic.jsonl'))
    const kinds = rec.entries.map((e) => e.kind)
    expect(kinds).toEqual(expect.arrayContaining(['@@mark', '@@lifecycle', '@@checkpoint', '@@redux-undo/UNDO']))
    expect(rec.end?.count).toBe(6)
    expect(encodeRecording(rec)).toBe(read('basic.jsonl'))
  })

  it('trimmed.jsonl starts after the trimmed entries and says how many', () => {
    const rec = parseRecording(read('trimmed.jsonl'))
    expect(rec.header.from_seq).toBeGreaterThan(1)
    expect(rec.header.trimmed).toBe(rec.header.from_seq - 1)
  })

  it('redacted.jsonl carries no secret and its header lists the paths', () => {
    const text = read('redacted.jsonl')
    expect(text).not.toContain('hunter2')
    expect(parseRecording(text).header.redact).toEqual({ state: ['auth.token'], actions: ['payload.token'] })
  })

  it('nonrecordable.jsonl marks the omitted callback and still replays (the reducer never read it)', () => {
    const rec = parseRecording(read('nonrecordable.jsonl'))
    const first = rec.entries.filter(isActionEntry)[0]
    expect(first).toMatchObject({ recordable: false, omitted: [{ path: 'meta.callback', kind: 'function' }] })
    expect(replay(rec, { reducer: fixtureReducer as never }).ok).toBe(true)
  })

  it('truncated.jsonl (a crash mid-line) loads in tolerant mode and replays what is there', () => {
    const text = read('truncated.jsonl')
    expect(() => parseRecording(text)).toThrow(/Line 4/)
    const rec = parseRecording(text, { strict: false })
    expect(rec.warnings).toHaveLength(1)
    expect(rec.end).toBeUndefined()
    expect(replay(rec, { reducer: fixtureReducer as never })).toMatchObject({ ok: true, steps: 2 })
  })

  it('minimal.jsonl (hand-written from the spec, with unknown keys and kinds, no hashes) replays unverified', () => {
    const result = replay(read('minimal.jsonl'), { reducer: fixtureReducer as never })
    expect(result).toMatchObject({ ok: true, verified: false, steps: 2 })
    expect((result.state as { todos: { entities: { a: { done: boolean } } } }).todos.entities.a.done).toBe(true)
  })
})
