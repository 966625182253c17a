#!/usr/bin/env node
/**
 * Soak test of issue 8 (3): 1,000,000 dispatches through a recorded store writing to a file, in
 * production mode, with the heap sampled (after a full GC) every 20,000 dispatches. Fails (exit 1)
 * unless:
 *   - the heap never grows more than SOAK_HEAP_BOUND_MB (default 24 MiB) above the heap measured
 *     before the first dispatch (store and recorder created): the recorder's 10,000-entry buffer,
 *     its anchors, pending hashes and the file sink's queue all fit in it;
 *   - the median heap of the last quarter is not above the median of the second quarter by more
 *     than SOAK_LEAK_MB (default 4 MiB): no growth that would continue (medians, because a sample
 *     can land while a flush's batch is alive);
 *   - nothing was dropped (stats().dropped, no @@dropped line, @@end.dropped 0) while the sink
 *     keeps up (the app yields to the event loop every 2,000 dispatches, as any app does);
 *   - the file holds every action exactly once, gapless, and replays `ok` and `verified` with
 *     replayFile (streaming).
 * Runs against the built package (dist/; `npm run build` first). The reducer is cheap (one small
 * object per dispatch), so the recorder's own cost dominates.
 *
 *   node scripts/soak.mjs                  # 1,000,000 dispatches
 *   SOAK_DISPATCHES=200000 node scripts/soak.mjs
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

process.env.NODE_ENV = 'production'
const root = join(dirname(fileURLToPath(import.meta.url)), '..')
if (typeof globalThis.gc !== 'function') {
  // Heap figures are only comparable after a full collection: run again with --expose-gc.
  try {
    execFileSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit', env: process.env })
    process.exit(0)
  } catch (error) {
    process.exit(error.status ?? 1)
  }
}
if (!existsSync(join(root, 'dist/index.js')) || !existsSync(join(root, 'dist/node.js'))) {
  console.error('dist/ is missing: run `npm run build` first.')
  process.exit(1)
}

const N = Number(process.env.SOAK_DISPATCHES ?? 1_000_000)
const HEAP_BOUND_MB = Number(process.env.SOAK_HEAP_BOUND_MB ?? 24)
const LEAK_MB = Number(process.env.SOAK_LEAK_MB ?? 4)
const SAMPLE_EVERY = 20_000
const YIELD_EVERY = 2_000
const WARMUP = Math.min(100_000, Math.floor(N / 10))
const MiB = 1024 * 1024

// The package by its own name (Node resolves a package's self-reference through its exports map).
const { createFlightRecorder } = await import('redux-flight-recorder')
const { isActionEntry, parseRecording } = await import('redux-flight-recorder/replay')
const { fileSink, readRecording, replayFile } = await import('redux-flight-recorder/node')
const { applyMiddleware, compose, createStore } = await import('redux')

const SLOTS = 16
const initial = { n: 0, slots: Object.fromEntries(Array.from({ length: SLOTS }, (_, k) => [`s${k}`, { v: 0, by: '' }])) }
function reducer(state = initial, action) {
  if (action.type !== 'tick') return state
  const key = `s${action.payload.k}`
  return { n: state.n + 1, slots: { ...state.slots, [key]: { v: state.slots[key].v + action.payload.i, by: action.payload.who } } }
}

const dir = mkdtempSync(join(tmpdir(), 'fr-soak-'))
const path = join(dir, 'soak.jsonl')
const faults = []
const recorder = createFlightRecorder({
  sinks: [fileSink(path, { processLifecycle: false })],
  flushIntervalMs: 100,
  meta: { app: 'soak' },
  onError: (e) => faults.push(e.message),
})
const store = createStore(reducer, compose(applyMiddleware(recorder.middleware), recorder.enhancer))

const heapNow = () => {
  globalThis.gc()
  return process.memoryUsage().heapUsed
}
const samples = []
const started = Date.now()
console.log(`Soak: ${N.toLocaleString('en')} dispatches into ${path} (NODE_ENV=production, heap sampled every ${SAMPLE_EVERY.toLocaleString('en')}) …`)
const heapAtStart = heapNow()
const who = ['ann', 'bob', 'cy', 'dee']
for (let i = 1; i <= N; i++) {
  store.dispatch({ type: 'tick', payload: { i, k: i % SLOTS, who: who[i & 3] } })
  if (i % YIELD_EVERY === 0) await new Promise((r) => setImmediate(r))
  if (i % SAMPLE_EVERY === 0) {
    // Sample what the recorder retains, not how far the file writes lag behind on a busy
    // machine: that backlog is bounded separately (sinkQueueBytes) and would make the trend noise.
    await recorder.flush()
    const heap = heapNow()
    samples.push({ at: i, heap, rss: process.memoryUsage().rss })
    if (i % 200_000 === 0) console.log(`  ${i.toLocaleString('en')} dispatches, heap ${(heap / MiB).toFixed(1)} MiB, file ${(statSync(path).size / MiB).toFixed(0)} MiB`)
  }
}
const dispatchSeconds = (Date.now() - started) / 1000
const stats = recorder.stats()
await recorder.close()
const closeSeconds = (Date.now() - started) / 1000

// ---------------------------------------------------------------- checks
const failures = []
const fail = (message) => failures.push(message)

const warm = samples.find((s) => s.at >= WARMUP) ?? samples[0]
const peak = samples.reduce((a, b) => (b.heap > a.heap ? b : a))
const growth = (peak.heap - heapAtStart) / MiB
if (growth > HEAP_BOUND_MB) fail(`the heap grew ${growth.toFixed(1)} MiB above its level before the first dispatch (bound ${HEAP_BOUND_MB} MiB), peaking at ${peak.at.toLocaleString('en')} dispatches`)
const quarter = (q) => samples.filter((s) => s.at > (N * q) / 4 && s.at <= (N * (q + 1)) / 4)
const median = (list) => {
  const sorted = list.map((s) => s.heap).sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}
const trend = samples.length >= 8 ? (median(quarter(3)) - median(quarter(1))) / MiB : 0
if (trend > LEAK_MB) fail(`the median heap of the last quarter is ${trend.toFixed(1)} MiB above the second quarter's (bound ${LEAK_MB} MiB): it keeps growing`)
if (process.env.SOAK_SAMPLES) console.log('heap samples (MiB):', samples.map((s) => (s.heap / MiB).toFixed(1)).join(' '))

if (stats.dropped !== 0) fail(`stats().dropped is ${stats.dropped}`)
if (stats.actions !== N) fail(`stats().actions is ${stats.actions}, expected ${N}`)
if (faults.length > 0) fail(`onError was called: ${faults.slice(0, 3).join(' | ')}`)

// Read the file line by line (it is hundreds of MiB): every action once, in order, gapless, no drops.
let header
let end
let actions = 0
let lastSeq = 0
let droppedLines = 0
let lineCount = 0
for await (const line of readRecording(path)) {
  lineCount++
  if (lineCount === 1) {
    header = parseRecording(line).header
    lastSeq = header.from_seq - 1
    continue
  }
  const value = JSON.parse(line)
  if (value.seq !== lastSeq + 1) {
    fail(`line ${lineCount}: seq ${value.seq} after ${lastSeq}`)
    break
  }
  lastSeq = value.seq
  if (isActionEntry(value)) {
    actions++
    if (value.action.payload.i !== actions) {
      fail(`line ${lineCount}: action ${value.action.payload.i} where ${actions} was expected`)
      break
    }
  } else if (value.kind === '@@dropped') droppedLines++
  else if (value.kind === '@@end') end = value
}
if (actions !== N) fail(`the file holds ${actions} actions, expected ${N}`)
if (droppedLines > 0) fail(`the file has ${droppedLines} @@dropped lines`)
if (!end) fail('the file has no @@end line')
else if (end.dropped !== 0 || end.count !== N) fail(`@@end says count ${end.count}, dropped ${end.dropped}`)

const replayStarted = Date.now()
const result = await replayFile(path, { reducer })
const replaySeconds = (Date.now() - replayStarted) / 1000
if (!result.ok || !result.verified || result.steps !== N) fail(`replayFile: ok ${result.ok}, verified ${result.verified}, steps ${result.steps}${result.divergence ? `, diverged at seq ${result.divergence.seq}` : ''}`)

const fileMiB = statSync(path).size / MiB
const summary = {
  dispatches: N,
  heapAtStartMiB: +(heapAtStart / MiB).toFixed(1),
  heapAfterWarmupMiB: +(warm.heap / MiB).toFixed(1),
  heapPeakMiB: +(peak.heap / MiB).toFixed(1),
  heapPeakAboveStartMiB: +growth.toFixed(1),
  heapBoundMiB: HEAP_BOUND_MB,
  lastVsSecondQuarterMedianMiB: +trend.toFixed(1),
  rssPeakMiB: +(Math.max(...samples.map((s) => s.rss)) / MiB).toFixed(0),
  fileMiB: +fileMiB.toFixed(0),
  lines: lineCount,
  dropped: stats.dropped,
  dispatchSeconds: +dispatchSeconds.toFixed(1),
  closeSeconds: +closeSeconds.toFixed(1),
  replaySeconds: +replaySeconds.toFixed(1),
  replayOk: result.ok,
  verified: result.verified,
}
console.log(JSON.stringify(summary, null, 2))
rmSync(dir, { recursive: true, force: true })
if (failures.length > 0) {
  console.error('\nSoak FAILED:\n  ' + failures.join('\n  '))
  process.exit(1)
}
console.log(`Soak passed: ${N.toLocaleString('en')} dispatches, heap peak ${growth.toFixed(1)} MiB above its start (bound ${HEAP_BOUND_MB} MiB), no growth trend, nothing dropped, the file replays ok and verified.`)
