#!/usr/bin/env node
// `npm test`: builds the package, runs the Vitest suite (unit, integration, real Chromium, the
// packed package, type tests) and the Jest suite (the testing helpers under Jest, against dist/),
// writes their JSON reports and prints one line "N passed, N failed".
// Extra arguments go to Vitest (e.g. `npm test -- test/recorder`).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { countReports, printSummary } from './count-tests.mjs'

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx'
// The suite's temporary files (logs, scaffolded projects, collectors' stores, Chromium profiles) go
// under one directory of their own, removed at the end: the runners, their workers and the processes
// the tests start take it from TMPDIR (TEMP/TMP on Windows) through os.tmpdir().
const tmp = mkdtempSync(join(tmpdir(), 'rfr-test-'))
const env = { ...process.env, TMPDIR: tmp, TEMP: tmp, TMP: tmp }
const removeTmp = () => rmSync(tmp, { recursive: true, force: true, maxRetries: 3 })
// Interrupted (Ctrl-C reaches the runner too): the runner stops, then its files are removed here.
process.on('SIGINT', () => {})
process.on('SIGTERM', () => {})
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env })
  if (r.signal === 'SIGINT' || r.signal === 'SIGTERM') {
    removeTmp()
    process.exit(130)
  }
  return r.status ?? 1
}
const reports = { vitest: '.vitest-report.json', jest: '.jest-report.json', jestJsdom: '.jest-jsdom-report.json' }
for (const f of Object.values(reports)) rmSync(f, { force: true })

const extra = process.argv.slice(2)
let failed = run('npm', ['run', 'build']) === 0 ? 0 : 1
if (failed) {
  removeTmp()
  console.log('0 passed, 1 failed (the build failed)')
  process.exit(1)
}
const vitest = run(npx, ['vitest', 'run', '--typecheck', '--reporter=default', '--reporter=json', `--outputFile.json=${reports.vitest}`, ...extra])
const jest = extra.length === 0 ? run(npx, ['jest', '--config', 'test/jest/jest.config.cjs', '--json', `--outputFile=${reports.jest}`]) : 0
// The panel and the recorder under Jest's jsdom environment (as an app's component tests load them).
const jestJsdom = extra.length === 0 ? run(npx, ['jest', '--config', 'test/jest/jest.jsdom.config.cjs', '--json', `--outputFile=${reports.jestJsdom}`]) : 0

// Vitest's report is always expected; Jest's when the whole suite ran.
const sum = countReports(extra.length === 0 ? Object.values(reports) : [reports.vitest])
if (sum.failed === 0 && (vitest !== 0 || jest !== 0 || jestJsdom !== 0)) sum.failed = 1
removeTmp()
printSummary(sum)
process.exit(sum.failed > 0 ? 1 : 0)
