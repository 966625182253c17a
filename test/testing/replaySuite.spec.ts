import { afterAll, describe, expect, it } from 'vitest'
import { buggy, logDir } from './shared'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { replaySuite } from 'redux-flight-recorder/testing'
import { rootReducer } from '../helpers/todoApp'

const { dir, remove } = await logDir()
afterAll(remove)

describe('replaySuite', () => {
  type Declared = { name: string; fn: () => Promise<unknown>; timeout?: number }
  const collect = (): [Declared[], (name: string, fn: () => Promise<unknown>, timeout?: number) => void] => {
    const declared: Declared[] = []
    return [declared, (name, fn, timeout) => declared.push({ name, fn, timeout })]
  }

  it('declares one test per log file, named by its path, each replaying the file', async () => {
    const [declared, test] = collect()
    const files = replaySuite('*.jsonl', { reducer: rootReducer, test, cwd: dir, timeout: 1234 })
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['one.jsonl', 'three.jsonl', 'two.jsonl'])
    expect(declared.map((d) => d.name)).toEqual(['replays one.jsonl', 'replays three.jsonl', 'replays two.jsonl'])
    expect(declared.every((d) => d.timeout === 1234)).toBe(true)
    await Promise.all(declared.map((d) => d.fn()))
    const [failing, test2] = collect()
    replaySuite([join(dir, 'one.jsonl')], { reducer: buggy, test: test2 })
    await expect(failing[0].fn()).rejects.toThrow(/todos\.entities\.a\.done: true → false/)
  })

  it('names a file under the working directory from there in its report, as expectReplayFile is given paths', async () => {
    // test-results/ is ignored by git; the directory is the working directory's own.
    mkdirSync(join(process.cwd(), 'test-results'), { recursive: true })
    const here = mkdtempSync(join(process.cwd(), 'test-results', 'suite-'))
    try {
      writeFileSync(join(here, 'checkout.jsonl'), readFileSync(join(dir, 'one.jsonl')))
      const [failing, test] = collect()
      replaySuite('*.jsonl', { reducer: buggy, test, cwd: here })
      const shown = relative(process.cwd(), join(here, 'checkout.jsonl'))
      await expect(failing[0].fn()).rejects.toThrow(`The log ${shown} did not replay`)
      await expect(failing[0].fn()).rejects.toThrow(`flight-recorder rehash ${shown} --store`)
    } finally {
      rmSync(here, { recursive: true, force: true })
    }
  })

  it('splits the files into partitions that together cover every file once', () => {
    const names = [1, 2, 3].flatMap((index) => replaySuite('*.jsonl', { reducer: rootReducer, test: () => {}, cwd: dir, partition: { index, count: 3 } }))
    expect(names.sort()).toEqual(replaySuite('*.jsonl', { reducer: rootReducer, test: () => {}, cwd: dir }).sort())
    expect(() => replaySuite('*.jsonl', { reducer: rootReducer, test: () => {}, cwd: dir, partition: { index: 4, count: 3 } })).toThrow(/`partition`/)
  })

  it('says what is missing', () => {
    expect(() => replaySuite('nothing/*.jsonl', { reducer: rootReducer, test: () => {}, cwd: dir })).toThrow(/found no log files for nothing\/\*\.jsonl/)
    expect(() => replaySuite('*.jsonl', { reducer: rootReducer, cwd: dir })).toThrow(/pass `test: it`/)
    expect(() => replaySuite([], { reducer: rootReducer, test: () => {} })).toThrow(/glob or a non-empty array/)
  })

  // The real thing: tests declared in this file through Vitest's `it`.
  describe('declared with Vitest', () => {
    replaySuite('**/*.jsonl', { reducer: rootReducer, test: it, cwd: dir })
  })
})
