/** One key path whose recorded and replayed values differ. */
export interface StateDifference {
  /** Dot path (`'todos.entities.a1.completed'`), `'<root>'` for the whole state. */
  path: string
  /** The recorded value; `undefined` when the key did not exist. */
  recorded: unknown
  /** The replayed value; `undefined` when the key does not exist. */
  replayed: unknown
}

const MAX_DIFFERENCES = 50

/** Lists the leaf-most key paths where two JSON values differ (at most 50). */
export function diffStates(recorded: unknown, replayed: unknown, limit = MAX_DIFFERENCES): StateDifference[] {
  const out: StateDifference[] = []
  walk(recorded, replayed, '', out, limit)
  return out
}

function kindOf(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  return typeof v
}

function walk(a: unknown, b: unknown, path: string, out: StateDifference[], limit: number): void {
  if (out.length >= limit) return
  if (a === b) return
  const ka = kindOf(a)
  const kb = kindOf(b)
  if (ka !== kb || (ka !== 'object' && ka !== 'array')) {
    if (ka === 'number' && kb === 'number' && Number.isNaN(a) && Number.isNaN(b)) return
    out.push({ path: path || '<root>', recorded: a, replayed: b })
    return
  }
  const prefix = path ? path + '.' : ''
  if (ka === 'array') {
    const x = a as unknown[]
    const y = b as unknown[]
    const n = Math.max(x.length, y.length)
    for (let i = 0; i < n && out.length < limit; i++) walk(x[i], y[i], prefix + i, out, limit)
    return
  }
  const x = a as Record<string, unknown>
  const y = b as Record<string, unknown>
  const has = Object.prototype.hasOwnProperty
  for (const key of Object.keys(x)) {
    if (out.length >= limit) return
    walk(x[key], has.call(y, key) ? y[key] : undefined, prefix + key, out, limit)
  }
  for (const key of Object.keys(y)) {
    if (out.length >= limit) return
    if (!has.call(x, key)) out.push({ path: prefix + key, recorded: undefined, replayed: y[key] })
  }
}
