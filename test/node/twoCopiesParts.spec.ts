import { cpSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { combineReducers, configureStore, createEntityAdapter, createSlice, type PayloadAction } from '@reduxjs/toolkit'
import { createFlightRecorder } from 'redux-flight-recorder'
import { fileSink } from 'redux-flight-recorder/node'
import { parseRecording, replay } from 'redux-flight-recorder/replay'
import { requireDist, ROOT, tempDir } from './helpers'

beforeAll(() => requireDist(), 70_000)

/**
 * Large lines reach the package's own sinks in parts, through `Symbol.for` keys beside the lines
 * (src/internal/lineParts.ts). A second copy of the package (another version under node_modules)
 * whose parts have another shape uses other keys: its sinks must write the lines' text, whole,
 * when this copy's recorder feeds them, and the other way round.
 */
interface Item {
  id: string
  title: string
  n: number
}
const items = createEntityAdapter<Item>()

function makeStore(recorder: { enhancer: any; middleware: any }) {
  const initial = items.setAll(
    items.getInitialState(),
    Array.from({ length: 3000 }, (_, k) => ({ id: 'i' + k, title: `Item ${k} ${'x'.repeat(k % 40)} \u00e9\u4e2d`, n: 0 })),
  )
  const slice = createSlice({
    name: 'items',
    initialState: initial,
    reducers: {
      bumped: (state, action: PayloadAction<string>) => {
        state.entities[action.payload]!.n++
      },
    },
  })
  const store = configureStore({
    reducer: { items: slice.reducer },
    middleware: (gDM) => gDM({ serializableCheck: false, immutableCheck: false }).prepend(recorder.middleware),
    enhancers: (gDE) => gDE().concat(recorder.enhancer),
  })
  return { store, bumped: slice.actions.bumped, reducer: combineReducers({ items: slice.reducer }) }
}

let other: { index: any; node: any }

beforeAll(async () => {
  const dir = tempDir('fr-copies-')
  const copy = join(dir, 'node_modules', 'redux-flight-recorder')
  cpSync(join(ROOT, 'dist'), join(copy, 'dist'), { recursive: true })
  cpSync(join(ROOT, 'package.json'), join(copy, 'package.json'))
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'))
  let patched = 0
  for (const file of readdirSync(join(copy, 'dist')).filter((f) => f.endsWith('.js'))) {
    const path = join(copy, 'dist', file)
    const text = readFileSync(path, 'utf8')
    const next = text.replace(/redux-flight-recorder\.(lineParts|headerParts|headerReady)[^'"`]*/g, (_, name) => (patched++, `redux-flight-recorder.${name}.other-version`))
    writeFileSync(path, next)
  }
  expect(patched).toBeGreaterThanOrEqual(6)
  other = { index: await import(pathToFileURL(join(copy, 'dist/index.js')).href), node: await import(pathToFileURL(join(copy, 'dist/node.js')).href) }
  expect(other.index.createFlightRecorder).not.toBe(createFlightRecorder)
}, 70_000)

async function record(create: typeof createFlightRecorder, sinks: unknown[]): Promise<void> {
  const recorder = create({ sinks: sinks as never, checkpointEvery: 5 })
  const { store, bumped } = makeStore(recorder)
  for (let i = 0; i < 23; i++) {
    store.dispatch(bumped('i' + ((i * 131) % 3000)))
    if (i % 7 === 6) await recorder.flush()
  }
  await recorder.close()
}

/** `text` with its header naming sink `n` (each sink's log names its own: the rest is the same bytes). */
const asSink = (text: string, n: number) => text.replace(/^([^\n]*),"sink":\d+\}/, `$1,"sink":${n}}`)

function expectVerified(text: string): void {
  const recording = parseRecording(text)
  expect(recording.entries.filter((e) => e.kind === '@@checkpoint').length).toBeGreaterThanOrEqual(4)
  const { reducer } = makeStore(createFlightRecorder({ enabled: false }))
  const result = replay(recording, { reducer })
  expect(result.divergence).toBeUndefined()
  expect(result).toMatchObject({ ok: true, steps: 23 })
}

describe('two copies of the package: large lines in parts', () => {
  it("this copy's recorder feeding the other copy's fileSink: the same bytes as its own fileSink, and the log verifies", async () => {
    const dir = tempDir()
    const mine = join(dir, 'mine.jsonl')
    const theirs = join(dir, 'theirs.jsonl')
    await record(createFlightRecorder, [fileSink(mine, { processLifecycle: false }), other.node.fileSink(theirs, { processLifecycle: false })])
    const text = readFileSync(mine, 'utf8')
    expect(text.length).toBeGreaterThan(5 * 200_000)
    expect(readFileSync(theirs, 'utf8')).toBe(asSink(text, 1))
    expectVerified(text)
  })

  it("the other copy's recorder feeding this copy's fileSink: the same bytes as the other copy's fileSink", async () => {
    const dir = tempDir()
    const mine = join(dir, 'mine.jsonl')
    const theirs = join(dir, 'theirs.jsonl')
    await record(other.index.createFlightRecorder, [fileSink(mine, { processLifecycle: false }), other.node.fileSink(theirs, { processLifecycle: false })])
    const text = readFileSync(theirs, 'utf8')
    expect(text.length).toBeGreaterThan(5 * 200_000)
    expect(readFileSync(mine, 'utf8')).toBe(asSink(text, 0))
    expectVerified(text)
  })
})
