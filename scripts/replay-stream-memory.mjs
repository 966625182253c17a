#!/usr/bin/env node
// Replays a generated 1,000,000-line log with replayStream and checks that the heap does not grow
// by more than LIMIT_MB while it runs. Exits 1 when it does, or when the replay is not ok.
//
//   npm run build && node --expose-gc scripts/replay-stream-memory.mjs [--lines 1000000] [--limit-mb 100]
//
// The log is recorded by the real recorder (redux createStore + recorder.enhancer + a file sink),
// with a checkpoint every 100,000 actions and an @@end line, into a temporary file that is removed
// afterwards. The heap is sampled after a forced GC every 50,000 steps, so the figure is what the
// replay retains, not garbage waiting to be collected (the peak without GC is printed too).
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { legacy_createStore as createStore } from 'redux'
import { createFlightRecorder } from 'redux-flight-recorder'
import { replayStream } from 'redux-flight-recorder/replay'
import { readRecording } from 'redux-flight-recorder/node'

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name)
  return i === -1 ? fallback : Number(process.argv[i + 1])
}
const LINES = arg('--lines', 1_000_000)
const LIMIT_MB = arg('--limit-mb', 100)
const CHECKPOINT_EVERY = 100_000
const SAMPLE_EVERY = 50_000
const MB = 1024 * 1024

if (typeof globalThis.gc !== 'function') {
  console.error('Run with `node --expose-gc scripts/replay-stream-memory.mjs` so the heap can be measured after a GC.')
  process.exit(2)
}

// An RTK-style store: 20 buckets of 10 entities; each action updates one entity.
const BUCKETS = 20
const PER_BUCKET = 10
function initialState() {
  const buckets = {}
  for (let b = 0; b < BUCKETS; b++) {
    const entities = {}
    for (let e = 0; e < PER_BUCKET; e++) entities[`e${b}_${e}`] = { id: `e${b}_${e}`, value: 0, label: 'item' }
    buckets[`b${b}`] = { ids: Object.keys(entities), entities }
  }
  return { buckets, updates: 0, last: null }
}
function reducer(state = initialState(), action) {
  if (action.type !== 'entity/updated') return state
  const { bucket, id, value } = action.payload
  const b = state.buckets[bucket]
  return {
    buckets: { ...state.buckets, [bucket]: { ids: b.ids, entities: { ...b.entities, [id]: { ...b.entities[id], value } } } },
    updates: state.updates + 1,
    last: id,
  }
}

// Lines: header + actions + checkpoints + @@end.
let actions = LINES - 2
while (actions + Math.floor(actions / CHECKPOINT_EVERY) > LINES - 2) actions--

const dir = mkdtempSync(join(tmpdir(), 'fr-memory-'))
const file = join(dir, 'session.jsonl')
let exitCode = 0
try {
  const t0 = performance.now()
  const fd = openSync(file, 'w')
  let written = 0
  const fileSink = {
    write(lines) {
      writeSync(fd, lines.join('\n') + '\n')
      written += lines.length
    },
    writeSync(lines) {
      this.write(lines)
    },
  }
  const recorder = createFlightRecorder({ sinks: [fileSink], checkpointEvery: CHECKPOINT_EVERY, flushIntervalMs: 60_000 })
  const store = createStore(reducer, recorder.enhancer)
  for (let i = 0; i < actions; i++) {
    const b = i % BUCKETS
    const e = Math.floor(i / BUCKETS) % PER_BUCKET
    store.dispatch({ type: 'entity/updated', payload: { bucket: `b${b}`, id: `e${b}_${e}`, value: i } })
    if (i % 5000 === 4999) await recorder.flush()
  }
  await recorder.close()
  closeSync(fd)
  const genMs = performance.now() - t0
  const bytes = statSync(file).size
  if (written !== LINES) throw new Error(`Expected to generate ${LINES} lines, wrote ${written}.`)

  globalThis.gc()
  globalThis.gc()
  const base = process.memoryUsage().heapUsed
  let maxRetained = 0
  let maxRaw = 0
  const t1 = performance.now()
  const result = await replayStream(readRecording(file), {
    reducer,
    onStep(step) {
      if (step.seq % 10_000 === 0) maxRaw = Math.max(maxRaw, process.memoryUsage().heapUsed - base)
      if (step.seq % SAMPLE_EVERY === 0) {
        globalThis.gc()
        maxRetained = Math.max(maxRetained, process.memoryUsage().heapUsed - base)
      }
    },
  })
  const replayMs = performance.now() - t1
  globalThis.gc()
  const after = process.memoryUsage().heapUsed - base
  maxRetained = Math.max(maxRetained, after)

  const figures = {
    lines: written,
    fileMB: +(bytes / MB).toFixed(1),
    generateSeconds: +(genMs / 1000).toFixed(1),
    replaySeconds: +(replayMs / 1000).toFixed(1),
    actionsPerSecond: Math.round(result.steps / (replayMs / 1000)),
    steps: result.steps,
    checked: result.checked,
    ok: result.ok,
    verified: result.verified,
    heapGrowthMB: +(maxRetained / MB).toFixed(2),
    heapGrowthAfterMB: +(after / MB).toFixed(2),
    peakWithoutGcMB: +(maxRaw / MB).toFixed(2),
    limitMB: LIMIT_MB,
  }
  console.log(JSON.stringify(figures))
  if (!result.ok || !result.verified || result.steps !== actions) {
    console.error(`replayStream did not replay the generated log cleanly: ${JSON.stringify({ ok: result.ok, verified: result.verified, steps: result.steps, expected: actions, divergence: result.divergence, stopped: result.stopped })}`)
    exitCode = 1
  } else if (maxRetained > LIMIT_MB * MB) {
    console.error(`replayStream retained ${figures.heapGrowthMB} MB of heap over ${written} lines: over the ${LIMIT_MB} MB limit.`)
    exitCode = 1
  } else {
    console.log(`ok: ${written} lines replayed, heap growth ${figures.heapGrowthMB} MB (limit ${LIMIT_MB} MB).`)
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
process.exit(exitCode)
