import type { ReplayAdapter } from './replay'

const noop = () => {}

/**
 * Replay adapter for redux-persist (v5, v6). The log cannot carry the functions redux-persist
 * puts in its actions, so:
 * - `persist/PERSIST` is revived with no-op `register` and `rehydrate` (the recorded
 *   `persist/REHYDRATE` that follows restores the state);
 * - `persist/PURGE` is revived with a no-op `result`;
 * - `persist/FLUSH` is skipped (it only writes storage); its recorded hash is still checked.
 *
 * `persistReducer` itself still reads its `storage` on PERSIST, removes it on PURGE and writes
 * the state to it after rehydration: replay with the same kind of storage you test with (an
 * in-memory one), not the user's.
 *
 * @example
 * replay(log, { reducer: persistedReducer, adapters: [reduxPersist()] })
 */
export function reduxPersist(): ReplayAdapter {
  return {
    name: 'reduxPersist',
    handles: (type) => type.startsWith('persist/'),
    revive(entry) {
      switch (entry.kind) {
        case 'persist/PERSIST':
          return { ...entry.action, type: 'persist/PERSIST', register: noop, rehydrate: noop }
        case 'persist/PURGE':
          return { ...entry.action, type: 'persist/PURGE', result: noop }
        case 'persist/FLUSH':
          return null
        default:
          return undefined
      }
    },
  }
}
