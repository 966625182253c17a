// `reduxPersist`, alone in a file of dist/ (replay-persist.js) that the replay entry re-exports: a
// page that passes it to the panel (`adapters: [reduxPersist()]`, imported from
// 'redux-flight-recorder/replay' as docs/panel.md says) bundles this file at start, and the
// replayer, which the panel's UI imports from the same entry when it opens, stays in the panel's
// chunk. Bundlers place code by the file it comes from: with the adapter in dist/replay.js the page's
// static import pulled the whole replayer into the page's first load (+35 KB gzipped).
import type { ReplayAdapter } from './adapters'

const noop = () => {}

/** redux-persist's own action types (an app's slice may be named `persist` too). */
const PERSIST_TYPES = new Set(['persist/PERSIST', 'persist/REHYDRATE', 'persist/PAUSE', 'persist/PURGE', 'persist/FLUSH', 'persist/REGISTER'])
export const isPersistType = (type: string): boolean => PERSIST_TYPES.has(type)

/**
 * Replay adapter for redux-persist (v5, v6). The log cannot carry the functions redux-persist
 * puts in its actions, so:
 * - `persist/PERSIST` is revived with no-op `register` and `rehydrate` (the recorded
 *   `persist/REHYDRATE` that follows restores the state);
 * - `persist/PURGE` and `persist/FLUSH` are revived with a no-op `result` (`persistReducer` hands
 *   both to your reducer too, so a reducer that counts or notes every action sees them in replay as
 *   it did when recorded).
 *
 * `persistReducer` itself still reads its `storage` on PERSIST, removes it on PURGE and writes
 * the state to it after rehydration: replay with the same kind of storage you test with (an
 * in-memory one), not the user's. It also keeps state of its own: once it has seen a `PURGE` it
 * ignores every later `REHYDRATE`. Make the persisted reducer anew for each replay (a store
 * factory per log: `createStore: (state) => configureStore({ reducer: makePersisted(memoryStorage()),
 * preloadedState: state })`; with `configureStore`, leave redux-persist's actions out of its
 * serializability check as redux-persist's docs do, `middleware: (g) => g({ serializableCheck: {
 * ignoredActions: [FLUSH, REHYDRATE, PAUSE, PERSIST, PURGE, REGISTER] } })`, or it logs an error
 * for their functions), and for a log that goes on in a new store after a purge (a reload),
 * pass `onReplaceReducer: () => makePersisted(memoryStorage())` (with `createStore`, the store
 * replay builds for that new store gets it without Redux's REPLACE action reaching it: the log's
 * state of the new store already holds what its reducer made, and the recorded one got no such
 * action). On PERSIST it also starts a timer
 * (the persist config's `timeout`, 5 s by default): a replay with `createStore` clears it, with the
 * other timers its store started, when it returns; after a `reducer` replay it keeps Node running
 * until it fires: give the config you replay with `timeout: 0`. With RTK Query, leave `api.middleware` out of that store:
 * it would act on the replayed actions (a refetch after a mutation) as it did on the app's.
 *
 * @example
 * replay(log, { reducer: persistedReducer, adapters: [reduxPersist()] })
 */
export function reduxPersist(): ReplayAdapter {
  return {
    name: 'reduxPersist',
    handles: isPersistType,
    // persistReducer keeps state of its own: once it has seen a PURGE it ignores every REHYDRATE.
    explain: ({ entry, newStoreAt }) =>
      isPersistType(entry.kind)
        ? `Or the reducer was not made afresh: persistReducer keeps state of its own (after a PURGE it ignores every later REHYDRATE), so each replay${newStoreAt !== undefined ? `, and the new store this log moved to at seq ${newStoreAt},` : ''} needs a persisted reducer made anew (\`createStore\`${newStoreAt !== undefined ? ', `onReplaceReducer`' : ''}).`
        : undefined,
    revive(entry) {
      switch (entry.kind) {
        case 'persist/PERSIST':
          return { ...entry.action, type: 'persist/PERSIST', register: noop, rehydrate: noop }
        case 'persist/PURGE':
        case 'persist/FLUSH':
          return { ...entry.action, type: entry.kind, result: noop }
        default:
          return undefined
      }
    },
  }
}

