import { configureStore } from '@reduxjs/toolkit'
import { describe, expect, it } from 'vitest'
import { formatDivergence, replay } from 'redux-flight-recorder/replay'
import { recordSession } from 'redux-flight-recorder/testing'

// An action nested deeper than the writer follows (`too-deep`): its path is thousands of
// characters of `d.d.d…`, which the report printed whole.
describe('a value omitted thousands of levels deep', () => {
  it('is named in the report by the two ends of its path', async () => {
    let deep: Record<string, unknown> = { leaf: 1 }
    for (let i = 0; i < 1500; i++) deep = { d: deep }
    const depth = (v: unknown): number => (typeof v === 'object' && v !== null && 'd' in v ? 1 + depth((v as { d: unknown }).d) : 0)
    const reducer = (s = { n: 0 }, a: { type: string; payload?: unknown }) => {
      if (a.type !== 'deep') return s
      if (depth(a.payload) < 1500) throw new Error('the payload lost its depth')
      return { n: s.n + 1 }
    }
    const log = await recordSession(
      (rec) => configureStore({ reducer, middleware: (g) => g({ serializableCheck: false, immutableCheck: false }).prepend(rec.middleware), enhancers: (g) => g().concat(rec.enhancer) }),
      (store) => {
        store.dispatch({ type: 'deep', payload: deep })
      },
    )
    const entry = log.entries.find((e) => e.kind === 'deep') as { omitted?: { path: string; kind: string }[] }
    const omitted = entry.omitted!.find((o) => o.kind === 'too-deep')!
    expect(omitted.path.length).toBeGreaterThan(900)
    const report = formatDivergence(replay(log, { reducer }))
    const line = report.split('\n').find((l) => l.includes(': too-deep'))!
    expect(line.length).toBeLessThan(200)
    expect(line).toMatch(/^\s+payload\.d\.d\.d.*…\(\d+ characters\)….*\.d: too-deep$/)
    expect(report).not.toContain('d.'.repeat(100))
  })
})
