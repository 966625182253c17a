// Every option that must be a positive number is checked by one helper, so each says the same
// thing about the same bad value.
import { describe, expect, it } from 'vitest'
import { fileSink } from 'redux-flight-recorder/node'
import { indexedDbSink } from 'redux-flight-recorder/browser'
import { LineParser } from 'redux-flight-recorder/replay'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCollector, fileStore } from 'redux-flight-recorder/collector'

describe('positive-number options', () => {
  const cases: Array<[string, (v: unknown) => unknown, 'number' | 'integer']> = [
    ['maxFileBytes', (v) => fileSink('unused.jsonl', { maxFileBytes: v as number }), 'number'],
    ['maxFiles', (v) => fileSink('unused.jsonl', { maxFiles: v as number }), 'integer'],
    ['maxSessions', (v) => indexedDbSink({ name: 'x', maxSessions: v as number }), 'integer'],
    ['maxSessionBytes', (v) => indexedDbSink({ name: 'x', maxSessionBytes: v as number }), 'number'],
    ['maxLineBytes', (v) => new LineParser({ maxLineBytes: v as number }), 'number'],
    ['limits.maxBodyBytes', (v) => createCollector({ store: fileStore(mkdtempSync(join(tmpdir(), 'fr-positive-'))), ingestKey: 'k'.repeat(32), limits: { maxBodyBytes: v as number } }), 'number'],
  ]

  for (const [name, make, kind] of cases) {
    it(`${name}: one wording for zero, a negative number and a string`, () => {
      expect(() => make(0)).toThrow(`[redux-flight-recorder] Expected \`${name}\` to be a positive ${kind}. Instead, received: number 0.`)
      expect(() => make(-2)).toThrow(`Instead, received: number -2.`)
      expect(() => make('5')).toThrow(`Instead, received: '5'.`)
      expect(() => make(Number.NaN)).toThrow(TypeError)
    })
  }

  it('refuses a fraction where a count is expected, and Infinity where the file size is', () => {
    expect(() => fileSink('unused.jsonl', { maxFiles: 1.5 })).toThrow('Expected `maxFiles` to be a positive integer. Instead, received: number 1.5.')
    expect(() => indexedDbSink({ name: 'x', maxSessions: Infinity })).toThrow('Expected `maxSessions` to be a positive integer')
    expect(() => fileSink('unused.jsonl', { maxFileBytes: Infinity })).toThrow('Expected `maxFileBytes` to be a positive number. Instead, received: number Infinity.')
  })

  it('takes a valid value', () => {
    expect(() => new LineParser({ maxLineBytes: 10 })).not.toThrow()
    expect(() => indexedDbSink({ name: 'x', maxSessions: 3, maxSessionBytes: 1e6 })).not.toThrow()
  })
})
