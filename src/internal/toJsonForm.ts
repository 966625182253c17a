/** What `JSON.stringify` writes for a value under `key`: what its `toJSON` returns, or the value itself. */
export function toJsonForm(value: unknown, key: string): unknown {
  const toJSON = typeof value === 'object' && value !== null ? (value as { toJSON?: unknown }).toJSON : undefined
  return typeof toJSON === 'function' ? (toJSON as (key: string) => unknown).call(value, key) : value
}
