import { readdirSync, statSync } from 'node:fs'
import { isAbsolute, join, relative, resolve, sep } from 'node:path'
import { expectReplayFile, type ExpectReplayOptions } from './expectReplay'

type TestFn = (name: string, fn: () => Promise<unknown>, timeout?: number) => unknown

export interface ReplaySuiteOptions extends ExpectReplayOptions {
  /**
   * The test function to declare with (`it` or `test` from your runner). Defaults to the global
   * `test`/`it` (Jest, or Vitest with `globals: true`).
   */
  test?: TestFn
  /** Per-test timeout in milliseconds, passed to the test function. */
  timeout?: number
  /** Base directory for globs. @default process.cwd() */
  cwd?: string
  /**
   * Declares only part `index` (1-based) of `count` parts of the files found (every count-th file
   * in sorted order). Test runners spread test *files*, not the tests inside one, across workers
   * and `--shard` machines: split a large corpus over several spec files, each with its part.
   */
  partition?: { index: number; count: number }
}

function globToRegExp(glob: string): RegExp {
  let re = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]
    if (c === '*') {
      if (glob[i + 1] === '*') {
        re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*'
        i += glob[i + 2] === '/' ? 2 : 1
      } else re += '[^/]*'
    } else if (c === '?') re += '[^/]'
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${re}$`)
}

function expand(pattern: string, cwd: string): string[] {
  if (!/[*?]/.test(pattern)) return [resolve(cwd, pattern)]
  const parts = pattern.split('/')
  const fixed: string[] = []
  while (parts.length > 1 && !/[*?]/.test(parts[0])) fixed.push(parts.shift()!)
  const base = resolve(cwd, fixed.join('/') || '.')
  const matcher = globToRegExp(parts.join('/'))
  const out: string[] = []
  const walk = (dir: string) => {
    let names: string[]
    try {
      names = readdirSync(dir).sort()
    } catch {
      return
    }
    for (const name of names) {
      const full = join(dir, name)
      if (name === 'node_modules' || name.startsWith('.')) continue
      if (statSync(full).isDirectory()) walk(full)
      else if (matcher.test(relative(base, full).split(sep).join('/'))) out.push(full)
    }
  }
  walk(base)
  return out
}

/**
 * Declares one test per log file (`replays <path>`), each streaming its log through
 * `expectReplayFile`, so a failure names the file and prints the divergence report. Returns the
 * files declared. No test-framework import: it uses `options.test` or the global `test`/`it`.
 *
 * Runners spread test files (not the tests of one file) over workers and shards; for a corpus
 * that should run in parallel, call it from several spec files with `partition`.
 *
 * @example
 * import { it } from 'vitest'
 * replaySuite('test/sessions/*.jsonl', { reducer, test: it })
 * // or, over 4 spec files (sessions-1.spec.ts … sessions-4.spec.ts):
 * replaySuite('test/sessions/**\/*.jsonl', { reducer, test: it, partition: { index: 1, count: 4 } })
 */
export function replaySuite(globOrFiles: string | string[], options: ReplaySuiteOptions): string[] {
  const patterns = typeof globOrFiles === 'string' ? [globOrFiles] : globOrFiles
  if (!Array.isArray(patterns) || patterns.length === 0 || patterns.some((p) => typeof p !== 'string' || p === '')) {
    throw new TypeError('[redux-flight-recorder] Expected replaySuite to receive a glob or a non-empty array of file paths.')
  }
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('[redux-flight-recorder] Expected replaySuite options { reducer } or { createStore }.')
  }
  const g = globalThis as { test?: TestFn; it?: TestFn }
  const test = options.test ?? g.test ?? g.it
  if (typeof test !== 'function') {
    throw new TypeError('[redux-flight-recorder] replaySuite needs a test function: pass `test: it` from your runner (Vitest without `globals: true` has no global `it`).')
  }
  const part = options.partition
  if (part !== undefined && !(Number.isInteger(part?.count) && part.count >= 1 && Number.isInteger(part.index) && part.index >= 1 && part.index <= part.count)) {
    throw new TypeError(`[redux-flight-recorder] Expected \`partition\` to be { index, count } with 1 <= index <= count. Instead, received: ${JSON.stringify(part)}.`)
  }
  const cwd = options.cwd ?? process.cwd()
  const found = [...new Set(patterns.flatMap((p) => expand(p, cwd)))].sort()
  if (found.length === 0) {
    throw new Error(`[redux-flight-recorder] replaySuite found no log files for ${patterns.join(', ')} (from ${cwd}).`)
  }
  const files = part ? found.filter((_, i) => i % part.count === part.index - 1) : found
  const { test: _t, timeout, cwd: _c, partition: _p, ...replayOptions } = options
  for (const file of files) {
    test(`replays ${relative(cwd, file).split(sep).join('/')}`, async () => {
      // Named in reports and update notices as the user names files: from the working directory.
      const shown = relative(process.cwd(), file)
      await expectReplayFile(shown === '' || shown.startsWith('..') || isAbsolute(shown) ? file : shown, replayOptions)
    }, timeout)
  }
  return files
}
