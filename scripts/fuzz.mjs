#!/usr/bin/env node
/**
 * The long fuzz run of issue 8: the fuzz specs of test/reliability with FUZZ_RUNS=100000 generated
 * log cases in total, shared by the reader properties as SHARES in test/reliability/fuzz-check.ts
 * says; on top come the exhaustive wrong-type sweep (about 19,000 cases) and FUZZ_RUNS/20 recorder
 * sessions with hostile values (fuzz-recorder.spec.ts). Prints cases per property and the
 * total. A watchdog stops the run and fails if it takes longer than FUZZ_TIMEOUT_S (a hang).
 *
 *   node scripts/fuzz.mjs                     # 100,000 cases
 *   FUZZ_RUNS=500000 node scripts/fuzz.mjs    # more
 *   FUZZ_SEED=123 node scripts/fuzz.mjs       # replay the seed a failure printed
 */
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const runs = Number(process.env.FUZZ_RUNS ?? 100_000)
const timeoutS = Number(process.env.FUZZ_TIMEOUT_S ?? 900)
const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs')
const files = [
  'test/reliability/fuzz-parse.spec.ts',
  'test/reliability/fuzz-replay.spec.ts',
  'test/reliability/fuzz-recorder.spec.ts',
  'test/reliability/hostile-logs.spec.ts',
]

console.log(`Fuzzing with FUZZ_RUNS=${runs}${process.env.FUZZ_SEED ? ` FUZZ_SEED=${process.env.FUZZ_SEED}` : ''} (watchdog ${timeoutS} s) …`)
const started = Date.now()
// Each case is bounded only by the property finishing; the per-test timeouts are lifted so the
// watchdog below is what decides that something hangs.
const child = spawn(process.execPath, [vitest, 'run', ...files, '--testTimeout=0', '--reporter=default'], {
  cwd: root,
  env: { ...process.env, FUZZ_RUNS: String(runs), FUZZ_REPORT: '1', NODE_ENV: process.env.NODE_ENV ?? 'test' },
  stdio: ['ignore', 'pipe', 'inherit'],
  detached: true,
})
const report = []
let out = ''
child.stdout.on('data', (chunk) => {
  const text = chunk.toString()
  out += text
  for (const line of text.split('\n')) {
    const m = /\[fuzz\] (\{.*\})/.exec(line)
    if (m) report.push(JSON.parse(m[1]))
    else if (/✓|×|FAIL|Counterexample|Seed|Error|Tests|Test Files/.test(line)) process.stdout.write(line.slice(0, 2000) + '\n')
  }
})
let timedOut = false
const watchdog = setTimeout(() => {
  timedOut = true
  console.error(`\nThe fuzz run did not finish within ${timeoutS} s: a case hangs (or the machine is far slower than expected).`)
  try {
    process.kill(-child.pid, 'SIGKILL')
  } catch {
    child.kill('SIGKILL')
  }
}, timeoutS * 1000)

child.on('exit', (code) => {
  clearTimeout(watchdog)
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  if (report.length > 0) {
    console.log('\nproperty                          cases   parsed  own-errors  replay-ok  total ms  slowest ms')
    let total = 0
    for (const r of report) {
      total += r.cases
      console.log(
        `${r.property.padEnd(32)} ${String(r.cases).padStart(6)} ${String(r.parsed).padStart(8)} ${String(r.ownErrors).padStart(11)} ${String(r.replayOk).padStart(10)} ${String(r.ms).padStart(9)} ${String(r.slowestMs).padStart(11)}`,
      )
    }
    console.log(`\n${total} cases in ${seconds} s (wall clock, ${files.length} spec files on the available cores).`)
    const onTop = new Set(['wrong type in every field', 'recorder under hostile values'])
    const generated = report.filter((r) => !onTop.has(r.property)).reduce((n, r) => n + r.cases, 0)
    if (code === 0 && generated < runs * 0.99) {
      console.error(`Only ${generated} generated cases ran, fewer than FUZZ_RUNS=${runs}.`)
      process.exit(1)
    }
  } else if (!timedOut) {
    console.log(out.slice(-4000))
  }
  process.exit(timedOut ? 124 : (code ?? 1))
})
