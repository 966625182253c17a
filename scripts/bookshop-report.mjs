#!/usr/bin/env node
/**
 * The bookshop report of issue 15: the divergence report a user gets when `removedFromCart` has the
 * bug `n <= 0` → `n < 0` (seq 15 empties a cart line; the recording removed it, the buggy reducer
 * keeps it at 0) and a later `cart/cleared` (seq 21) erases the difference before `@@end`.
 *
 * Records the session with the package built in <package-dir> (default: this repository), replays
 * it against the buggy reducer with the same build, and prints `formatDivergence` of the result, so
 * the report of an older build can be put beside today's:
 *
 *   node scripts/bookshop-report.mjs                  # this repository's dist/ (after `npm run build`)
 *   node scripts/bookshop-report.mjs /tmp/old-build   # a directory holding an older build's dist/
 *   node scripts/bookshop-report.mjs --subtree-hashes # recorded with `subtreeHashes: subtreeHashes()`
 *
 * The session is test/helpers/bookshop.ts's, action for action (test/docs/divergenceBeforeAfter.spec.ts
 * checks that both give the same log); docs/divergence-before-after.md holds the two reports.
 */
import { combineReducers, configureStore, createEntityAdapter, createSlice } from '@reduxjs/toolkit'
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/** The recorder and replay functions of the build in `dir` (before the entry split, replay lived in the root entry). */
export async function loadBuild(dir = root) {
  const dist = join(resolve(dir), 'dist')
  if (!existsSync(join(dist, 'index.js'))) throw new Error(`[redux-flight-recorder] expected a built package in ${dist} (index.js), but there is none: run \`npm run build\` there first.`)
  const core = await import(pathToFileURL(join(dist, 'index.js')).href)
  const replayEntry = existsSync(join(dist, 'replay.js')) ? await import(pathToFileURL(join(dist, 'replay.js')).href) : core
  return { createFlightRecorder: core.createFlightRecorder, memorySink: core.memorySink, subtreeHashes: core.subtreeHashes, replay: replayEntry.replay, formatDivergence: replayEntry.formatDivergence }
}

const lines = createEntityAdapter()
function cartSlice(buggy) {
  return createSlice({
    name: 'cart',
    initialState: lines.getInitialState(),
    reducers: {
      addedToCart(state, action) {
        const line = state.entities[action.payload]
        if (line) line.n++
        else lines.addOne(state, { id: action.payload, n: 1 })
      },
      removedFromCart(state, action) {
        const line = state.entities[action.payload]
        if (!line) return
        const n = line.n - 1
        if (buggy ? n < 0 : n <= 0) lines.removeOne(state, line.id)
        else line.n = n
      },
      cleared: lines.removeAll,
    },
  })
}
const catalog = createSlice({
  name: 'catalog',
  initialState: { query: '', page: 1 },
  reducers: {
    searched(state, action) {
      state.query = action.payload
      state.page = 1
    },
    paged(state) {
      state.page++
    },
  },
})
export const bookshopReducer = (buggy = false) => combineReducers({ catalog: catalog.reducer, cart: cartSlice(buggy).reducer })

/** The session of test/helpers/bookshop.ts: 21 actions, the line emptied at seq 15, `cart/cleared` at seq 21. */
export async function recordBookshop(build, { subtrees = false } = {}) {
  const sink = build.memorySink()
  if (subtrees && typeof build.subtreeHashes !== 'function') throw new Error('[redux-flight-recorder] expected a build with subtreeHashes() for --subtree-hashes, but this one has none.')
  const recorder = build.createFlightRecorder({ sinks: [sink], clock: () => 1_700_000_000_000, ...(subtrees ? { subtreeHashes: build.subtreeHashes() } : {}) })
  const store = configureStore({
    reducer: bookshopReducer(),
    middleware: (g) => g().prepend(recorder.middleware),
    enhancers: (g) => g().concat(recorder.enhancer),
  })
  const cart = cartSlice(false).actions
  const { searched, paged } = catalog.actions
  for (const action of [
    searched('tolkien'), paged(), cart.addedToCart('b1'), cart.addedToCart('b2'), cart.addedToCart('b1'),
    searched('le guin'), cart.addedToCart('b3'), paged(), paged(), cart.addedToCart('b2'),
    cart.removedFromCart('b1'), searched('pratchett'), cart.addedToCart('b4'), cart.removedFromCart('b2'),
    cart.removedFromCart('b1'), // seq 15: b1 goes from 1 to 0 and leaves the cart
    paged(), cart.addedToCart('b5'), searched('jemisin'), paged(), cart.removedFromCart('b5'),
    cart.cleared(), // seq 21: the difference is erased
  ]) store.dispatch(action)
  await recorder.close()
  return sink.text()
}

/** The report, with the random session id replaced by `<session>` so two runs compare equal. */
export async function bookshopReport(dir = root, { subtrees = false } = {}) {
  const build = await loadBuild(dir)
  const log = await recordBookshop(build, { subtrees })
  const session = JSON.parse(log.slice(0, log.indexOf('\n'))).session
  return build.formatDivergence(build.replay(log, { reducer: bookshopReducer(true) })).replaceAll(session, '<session>')
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2)
  console.log(await bookshopReport(args.find((a) => !a.startsWith('--')), { subtrees: args.includes('--subtree-hashes') }))
}
