import type { Storage } from 'redux-persist'

/** An in-memory redux-persist storage: a replay's persisted reducer must not touch the user's. */
export function memoryStorage(): Storage {
  const data = new Map<string, string>()
  return {
    getItem: async (key: string) => data.get(key) ?? null,
    setItem: async (key: string, value: string) => void data.set(key, value),
    removeItem: async (key: string) => void data.delete(key),
  }
}
