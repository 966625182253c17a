import type { ReplayAdapter } from './replay'

const noop = () => {}

/**
 * Replay adapter for redux-persist: revives `persist/PERSIST` with no-op `register` and
 * `rehydrate` (the log cannot carry functions; the recorded `persist/REHYDRATE` that follows
 * restores the state) and skips `persist/FLUSH`, whose callback is gone too.
 *
 * @example
 * replay(log, { reducer, adapters: [reduxPersist()] })
 */
export function reduxPersist(): ReplayAdapter {
  return {
    name: 'reduxPersist',
    handles: (type) => type.startsWith('persist/'),
    revive(entry) {
      if (entry.kind === 'persist/PERSIST') return { ...entry.action, type: 'persist/PERSIST', register: noop, rehydrate: noop }
      if (entry.kind === 'persist/FLUSH') return null
      return undefined
    },
  }
}
