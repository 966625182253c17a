/**
 * Issue 8 (1), part two: replay of hostile content (merging reducers fed `__proto__` payloads,
 * giant lines, nesting hundreds of thousands deep), `replayStream` fed the same logs split
 * anywhere, and `fromDevToolsExport` fed broken exports. Only FlightRecorderErrors come out,
 * nothing hangs, no built-in prototype changes. Counts: see SHARES in fuzz-check.ts.
 */
import fc from 'fast-check'
import { beforeAll, describe, it, vi } from 'vitest'
import { parseRecording, replay, replayStream } from 'redux-flight-recorder/replay'
import { fromDevToolsExport, toDevToolsExport } from 'redux-flight-recorder/devtools'
import { check, checkResult, checkText, count, genericReducer, runsFor, timed } from './fuzz-check'
import { anyLine, chunksOf, deepArray, deepObject, jsonText, KEYS, mutate, mutation, PROTO_JSON } from './fuzz-inputs'
import { expectNoPrototypePollution, fixtureLogs, fuzzParams, ownErrorsOnly, ownErrorsOnlyAsync, recordedLogs, type CorpusLog } from './helpers'

let corpus: CorpusLog[] = []
beforeAll(async () => {
  vi.spyOn(console, 'warn').mockImplementation(() => {})
  vi.spyOn(console, 'error').mockImplementation(() => {})
  corpus = [...fixtureLogs(), ...(await recordedLogs())]
})

describe('replay under fuzzing', () => {
  it('replays __proto__ payloads through a merging reducer, diff and redaction without polluting anything', () => {
    const header =
      '{"kind":"@@session","v":1,"session":"s","hash_alg":"fr64","redact":{"state":["**.password","secret","__proto__"],"actions":["payload.**.password"]},"from_seq":1,"state":{"n":0,"items":[]},"hash":null}'
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PROTO_JSON, '{"a":1}', '{"secret":"s3cr3t","password":"pw"}'), { minLength: 1, maxLength: 6 }), fc.boolean(), (payloads, withEnd) => {
        const lines = [header, ...payloads.map((p, k) => `{"seq":${k + 1},"kind":"merge","action":{"type":"merge","payload":${p}},"hash":"0000000000000000"}`)]
        if (withEnd) lines.push(`{"kind":"@@end","seq":${payloads.length + 1},"count":${payloads.length},"dropped":0,"state":{"__proto__":{"polluted":"end"}},"hash":null}`)
        checkText('merging __proto__ payloads', lines.join('\n') + '\n', { reducer: genericReducer })
      }),
      fuzzParams(runsFor('merging __proto__ payloads')),
    )
  })

  it('survives giant lines and nesting hundreds of thousands deep, in every place a value can go', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.nat(),
        fc.constantFrom('set', 'insert'),
        // Parameters only (the value is built inside), so a failure report stays readable.
        fc.oneof(
          fc.tuple(fc.constant('deep-array' as const), fc.integer({ min: 1_000, max: 400_000 })),
          fc.tuple(fc.constant('deep-object' as const), fc.integer({ min: 1_000, max: 200_000 })),
          fc.tuple(fc.constant('long-string' as const), fc.integer({ min: 100_000, max: 3_000_000 })),
          fc.tuple(fc.constant('long-array' as const), fc.integer({ min: 10_000, max: 300_000 })),
          fc.tuple(fc.constant('many-keys' as const), fc.integer({ min: 1_000, max: 50_000 })),
        ),
        fc.nat(),
        fc.constantFrom(undefined, 1024, 65_536),
        (which, i, how, [shape, n], path, maxLineBytes) => {
          const giant =
            shape === 'deep-array' ? deepArray(n)
            : shape === 'deep-object' ? deepObject(n)
            : shape === 'long-string' ? JSON.stringify('x'.repeat(n))
            : shape === 'long-array' ? '[' + Array.from({ length: n }, (_, k) => k).join(',') + ']'
            : '{' + Array.from({ length: n }, (_, k) => `"k${k}":${k}`).join(',') + '}'
          const log = corpus[which % corpus.length]
          const text =
            how === 'set'
              ? mutate(log.text, [{ op: 'set', i, path, value: giant }])
              : mutate(log.text, [{ op: 'insert', i, line: `{"seq":${1 + (i % 12)},"kind":"inc","action":{"type":"inc","payload":${giant}}}` }])
          checkText('giant and deep lines', text, log)
          if (maxLineBytes !== undefined) {
            const limited = ownErrorsOnly('parseRecording (maxLineBytes)', () => parseRecording(text, { maxLineBytes }))
            const longest = Math.max(...text.split('\n').map((l) => l.length))
            const tooLong = !limited.ok && limited.error.code === 'line-too-long'
            if (tooLong) check(longest > maxLineBytes, 'a line-too-long error although no line is over the limit')
            else if (limited.ok) check(longest <= maxLineBytes, 'a line over `maxLineBytes` was accepted')
          }
        },
      ),
      fuzzParams(runsFor('giant and deep lines')),
    )
  }, 600_000)
})

describe('replayStream under fuzzing', () => {
  it('reads mutated logs split anywhere (strings, or UTF-8 bytes cut inside characters) as replay reads the whole text', async () => {
    const encoder = new TextEncoder()
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.array(mutation, { maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.constantFrom('text', 'bytes', 'lines'),
        async (which, mutations, cuts, mode) => {
          const log = corpus[which % corpus.length]
          const text = mutate(log.text, mutations)
          const t = count('replayStream')
          t.cases++
          const started = performance.now()
          const opts = { reducer: log.reducer, onReplaceReducer: log.next ? () => log.next : undefined }
          let items: (string | Uint8Array)[]
          if (mode === 'lines') items = text.split('\n')
          else if (mode === 'text') items = chunksOf(text, cuts)
          else {
            // Byte chunks cut at arbitrary byte offsets, so multi-byte characters are split too.
            const bytes = encoder.encode(text)
            const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)
            items = []
            let start = 0
            for (const p of [...points, bytes.length]) {
              items.push(bytes.subarray(start, p))
              start = p
            }
          }
          const streamed = await ownErrorsOnlyAsync('replayStream', () => replayStream(items, { ...opts, input: mode === 'lines' ? 'lines' : 'text' }))
          const whole = ownErrorsOnly('replay', () => replay(text, opts))
          if (streamed.ok) checkResult(streamed.value)
          else t.ownErrors++
          if (whole.ok) {
            // The whole text reads: streaming it reads the same lines with the same parser, so it
            // finishes too and agrees.
            check(streamed.ok, () => `replayStream failed where replay read the log: ${!streamed.ok && streamed.error.message}`)
            const a = { ok: streamed.value.ok, steps: streamed.value.steps, seq: streamed.value.divergence?.seq }
            const b = { ok: whole.value.ok, steps: whole.value.steps, seq: whole.value.divergence?.seq }
            check(JSON.stringify(a) === JSON.stringify(b), () => `replayStream ${JSON.stringify(a)} but replay ${JSON.stringify(b)}`)
            if (whole.value.ok) t.replayOk++
          }
          expectNoPrototypePollution()
          timed('replayStream', started)
        },
      ),
      fuzzParams(runsFor('replayStream')),
    )
  })
})

describe('fromDevToolsExport under fuzzing', () => {
  it('reads mutated DevTools exports and lifted states, or says why not with its own error', () => {
    const exports = corpus.slice(0, 4).map((log) => JSON.stringify(toDevToolsExport(parseRecording(log.text, { strict: false }))))
    const object = (pairs: [string, string][]) => '{' + pairs.map(([k, v]) => JSON.stringify(k) + ':' + v).join(',') + '}'
    fc.assert(
      fc.property(
        fc.oneof(
          fc.tuple(fc.nat(), fc.array(mutation, { maxLength: 4 })).map(([i, m]) => mutate(exports[i % exports.length], m)),
          // payload and preloadedState as JSON strings (the export file) or as values
          fc.record({ payload: jsonText, preloadedState: jsonText }).map((r) => object([['payload', JSON.stringify(r.payload)], ['preloadedState', JSON.stringify(r.preloadedState)]])),
          fc.record({ payload: jsonText, preloadedState: jsonText }).map((r) => object([['payload', r.payload], ['preloadedState', r.preloadedState]])),
          fc
            .record({
              ids: fc.array(fc.oneof(fc.nat(3).map(String), jsonText), { maxLength: 4 }),
              actionsById: fc.oneof(fc.constant('{"0":{"action":{"type":"@@INIT"}},"1":{"action":{"type":"inc"},"timestamp":1}}'), jsonText),
              computedStates: fc.oneof(fc.constant('[{"state":{"n":0}},{"state":{"n":1}}]'), jsonText),
              skippedActionIds: fc.oneof(fc.constant('[]'), jsonText),
              committedState: jsonText,
            })
            .map((r) =>
              object([
                ['actionsById', r.actionsById],
                ['computedStates', r.computedStates],
                ['stagedActionIds', '[' + r.ids.join(',') + ']'],
                ['skippedActionIds', r.skippedActionIds],
                ['committedState', r.committedState],
              ]),
            ),
          fc.array(fc.tuple(fc.constantFrom(...KEYS, 'actionsById', 'computedStates', 'stagedActionIds', 'preloadedState', 'payload'), jsonText), { maxLength: 6 }).map(object),
          anyLine,
        ),
        (input) => {
          const t = count('fromDevToolsExport')
          t.cases++
          const started = performance.now()
          const rec = ownErrorsOnly('fromDevToolsExport', () => fromDevToolsExport(input))
          if (rec.ok) {
            t.parsed++
            const result = ownErrorsOnly('replay (DevTools import)', () => replay(rec.value, { reducer: genericReducer }))
            if (result.ok) {
              checkResult(result.value)
              if (result.value.ok) t.replayOk++
            }
          } else t.ownErrors++
          expectNoPrototypePollution()
          timed('fromDevToolsExport', started)
        },
      ),
      fuzzParams(runsFor('fromDevToolsExport')),
    )
  })
})
