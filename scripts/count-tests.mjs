#!/usr/bin/env node
/**
 * One count of the runners' JSON reports (Vitest's and Jest's share a shape; test:peers writes the
 * same fields), used by scripts/test.mjs and .ci/run for the final line "N passed, N failed".
 *
 * A test that did not run is not a pass: a spec file whose hook failed reports its tests as skipped,
 * and a file that failed to load reports none. Each such file counts as at least one failure; with
 * CI=true every test that did not run (skipped, pending, todo) counts as a failure, since nothing in
 * CI should be skipped.
 *
 *   node scripts/count-tests.mjs .vitest-report.json .jest-report.json   # prints the line; exit 1 on failures
 */
import { existsSync, readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

export const LISTED = '[listed: fails without the recorder too]'

/** @returns {{ passed: number, failed: number, notRun: number, brokenFiles: string[], failedTests: string[] }} */
export function countReport(report, { ci = process.env.CI === 'true' } = {}) {
  const passed = report.numPassedTests ?? 0
  const failedTests = report.numFailedTests ?? 0
  const total = report.numTotalTests ?? passed + failedTests
  // Vendored upstream tests that fail without the recorder too are skipped with this mark
  // (test/upstream/harness.ts): listed with their reason, counted neither way.
  const listed = (report.testResults ?? []).flatMap((f) => f.assertionResults ?? []).filter((a) => a.status !== 'passed' && a.status !== 'failed' && String(a.title).startsWith(LISTED)).length
  const notRun = Math.max(0, total - passed - failedTests - listed)
  // Files that failed although none of their tests failed: a hook or the import itself broke.
  const brokenFiles = (report.testResults ?? [])
    .filter((f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'))
    .map((f) => ({ name: f.name, ran: (f.assertionResults ?? []).filter((a) => a.status === 'passed').length, tests: (f.assertionResults ?? []).length }))
  let failed = failedTests
  if (ci) {
    // Every test that did not run is a failure; a broken file with no test at all is one more.
    failed += notRun + brokenFiles.filter((f) => f.tests === 0).length
  } else {
    failed += brokenFiles.length
  }
  // Named in the summary, so the last lines of a CI log say which test failed and why.
  const failedNames = (report.testResults ?? []).flatMap((f) =>
    (f.assertionResults ?? [])
      .filter((a) => a.status === 'failed')
      .map((a) => `${relative(f.name)} > ${a.fullName ?? a.title}${firstLine(a.failureMessages)}`),
  )
  return { passed, failed, notRun, brokenFiles: brokenFiles.map((f) => f.name), failedTests: failedNames }
}

function relative(file) {
  const cwd = process.cwd() + '/'
  return String(file ?? '').startsWith(cwd) ? String(file).slice(cwd.length) : String(file ?? '')
}

function firstLine(messages) {
  const text = Array.isArray(messages) ? String(messages[0] ?? '') : ''
  // eslint-disable-next-line no-control-regex
  const line = text.replace(/\u001b\[[0-9;]*m/g, '').split('\n').find((l) => l.trim() !== '')
  return line ? `: ${line.trim().slice(0, 300)}` : ''
}

/** Sums the reports; a missing report is one failure (that runner did not finish). */
export function countReports(files, options) {
  const sum = { passed: 0, failed: 0, notRun: 0, missing: [], brokenFiles: [], failedTests: [] }
  for (const file of files) {
    if (!existsSync(file)) {
      sum.failed += 1
      sum.missing.push(file)
      continue
    }
    const c = countReport(JSON.parse(readFileSync(file, 'utf8')), options)
    sum.passed += c.passed
    sum.failed += c.failed
    sum.notRun += c.notRun
    sum.brokenFiles.push(...c.brokenFiles)
    sum.failedTests.push(...c.failedTests.map((t) => `${file}: ${t}`))
  }
  return sum
}

/** Prints what did not run or broke outside a test, then the final line "N passed, N failed". */
export function printSummary(sum) {
  if (sum.notRun) console.log(`${sum.notRun} test(s) did not run${process.env.CI === 'true' ? ' (counted as failed under CI=true)' : ''}`)
  for (const f of sum.brokenFiles) console.log(`failed outside a test (a hook or the import): ${f}`)
  for (const t of sum.failedTests ?? []) console.log(`failed: ${t}`)
  for (const f of sum.missing) console.log(`no report: ${f} (counted as one failure)`)
  console.log(`${sum.passed} passed, ${sum.failed} failed`)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const sum = countReports(process.argv.slice(2))
  printSummary(sum)
  process.exit(sum.failed > 0 ? 1 : 0)
}
