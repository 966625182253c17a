/**
 * Issue 8 (1), part one: logs are files people send. Whatever text arrives, `parseRecording` (strict
 * and tolerant), `encodeRecording`, `replay` and `formatDivergence` return, or throw one of the
 * package's own errors (FlightRecorderError and subclasses); tolerant mode turns a cut last line
 * into a warning; nothing hangs; no built-in prototype changes.
 *
 * FUZZ_RUNS is the total of generated cases, shared between the properties of this file and
 * fuzz-replay.spec.ts (see SHARES in fuzz-check.ts). FUZZ_SEED replays a reported failure.
 */
import fc from 'fast-check'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { parseRecording, replay } from 'redux-flight-recorder/replay'
import { check, checkText, count, genericReducer, runsFor } from './fuzz-check'
import { anyLine, entryLine, headerLine, mutate, mutation, PROTO_JSON, WRONG_VALUES } from './fuzz-inputs'
import { fixtureLogs, fuzzParams, ownErrorsOnly, recordedLogs, type CorpusLog } from './helpers'

let corpus: CorpusLog[] = []
beforeAll(async () => {
  // RTK's development checks and the reducers warn about hostile values; that output would drown the report.
  vi.spyOn(console, 'warn').mockImplementation(() => {})
  vi.spyOn(console, 'error').mockImplementation(() => {})
  corpus = [...fixtureLogs(), ...(await recordedLogs())]
})

describe('parseRecording and replay under fuzzing', () => {
  it('starts from a corpus of real logs that parse strictly, and the freshly recorded ones replay ok', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(10)
    for (const log of corpus) {
      if (log.name.endsWith('truncated.jsonl')) continue
      // The frozen v1 fixtures' replay is test/format/fixtures-v1.spec.ts's job.
      if (log.name.startsWith('fixtures/')) {
        expect(() => parseRecording(log.text)).not.toThrow()
        continue
      }
      const result = replay(parseRecording(log.text), { reducer: log.reducer, onReplaceReducer: log.next ? () => log.next : undefined })
      expect({ name: log.name, ok: result.ok, divergence: result.divergence }).toEqual({ name: log.name, ok: true, divergence: undefined })
    }
  })

  it('survives random bytes (decoded as UTF-8, with or without a valid header first)', () => {
    const header = '{"kind":"@@session","v":1,"session":"s","hash_alg":"fr64","from_seq":1,"state":{"n":0,"items":[]},"hash":null}\n'
    fc.assert(
      fc.property(fc.boolean(), fc.uint8Array({ maxLength: 2048 }), (withHeader, bytes) => {
        checkText('random bytes', (withHeader ? header : '') + new TextDecoder().decode(bytes), { reducer: genericReducer })
      }),
      fuzzParams(runsFor('random bytes')),
    )
  })

  it('survives synthetic headers and entries with every field of every type', () => {
    fc.assert(
      fc.property(
        headerLine,
        fc.array(fc.oneof({ weight: 4, arbitrary: entryLine }, { weight: 1, arbitrary: anyLine }), { maxLength: 12 }),
        fc.boolean(),
        (header, lines, trailingNewline) => {
          checkText('synthetic lines', [header, ...lines].join('\n') + (trailingNewline ? '\n' : ''), { reducer: genericReducer })
        },
      ),
      fuzzParams(runsFor('synthetic lines')),
    )
  })

  it('survives real logs truncated, reordered, duplicated, joined, flipped and with fields of the wrong type', () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 6 }), (which, mutations) => {
        const log = corpus[which % corpus.length]
        checkText('mutated real logs', mutate(log.text, mutations), log)
      }),
      fuzzParams(runsFor('mutated real logs')),
    )
  })

  it('survives every field of every line of real logs replaced by every wrong-typed value (exhaustive)', () => {
    const logs = corpus.filter((l) => /basic|nonrecordable|trimmed\.jsonl|replace-pause/.test(l.name))
    expect(logs).toHaveLength(4)
    const mark = '\u0000mark\u0000'
    for (const log of logs) {
      const lines = log.text.split('\n').filter((l) => l !== '')
      for (let i = 0; i < lines.length; i++) {
        const value = JSON.parse(lines[i]) as Record<string, unknown>
        // The line's own keys, keys it lacks that matter, and the keys inside action/body/redact/meta.
        const paths: string[][] = [...Object.keys(value), ...['action', 'state', 'body', 'hash', 'seq', 'kind'].filter((k) => !(k in value))].map((k) => [k])
        for (const k of ['action', 'body', 'redact', 'meta']) {
          const inner = value[k]
          if (inner && typeof inner === 'object') for (const ik of Object.keys(inner)) paths.push([k, ik])
        }
        for (const path of paths) {
          for (const wrong of WRONG_VALUES) {
            const edited = structuredClone(value) as Record<string, any>
            if (path.length === 1) edited[path[0]] = mark
            else edited[path[0]][path[1]] = mark
            const line = JSON.stringify(edited).split(JSON.stringify(mark)).join(wrong)
            checkText('wrong type in every field', [...lines.slice(0, i), line, ...lines.slice(i + 1)].join('\n') + '\n', log)
          }
        }
      }
    }
    expect(count('wrong type in every field').cases).toBeGreaterThan(5_000)
  }, 300_000)

  it('keeps __proto__, constructor and prototype keys anywhere as plain data', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.array(
          fc.record({
            i: fc.nat(),
            path: fc.nat(),
            key: fc.constantFrom('__proto__', 'constructor', 'prototype'),
            value: fc.constantFrom(...PROTO_JSON, '{"polluted":"yes"}', '"yes"', '[]'),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        (which, adds) => {
          const log = corpus[which % corpus.length]
          const text = mutate(log.text, adds.map((a) => ({ op: 'addKey' as const, ...a })))
          checkText('prototype keys', text, log)
          // Every object the parser returns is a plain object or array: a "__proto__" key is an own property.
          const rec = ownErrorsOnly('parseRecording', () => parseRecording(text, { strict: false }))
          if (rec.ok) {
            const stack: unknown[] = [rec.value]
            while (stack.length > 0) {
              const v = stack.pop()
              if (v === null || typeof v !== 'object') continue
              const proto = Object.getPrototypeOf(v)
              check(proto === Object.prototype || proto === Array.prototype, 'a parsed value has a prototype other than Object.prototype or Array.prototype')
              for (const k of Object.keys(v)) stack.push((v as Record<string, unknown>)[k])
            }
          }
        },
      ),
      fuzzParams(runsFor('prototype keys')),
    )
  })
})
