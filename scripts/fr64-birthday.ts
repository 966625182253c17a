/**
 * fr64 birthday check: hashes 10^6 distinct RTK-style states, truncates each hash to 32 bits and
 * counts collisions, which should be close to the birthday expectation n(n-1)/2/2^32 ≈ 116.4.
 *
 *   node --import tsx scripts/fr64-birthday.ts [count]
 *
 * Both lanes are checked on their own (the low 8 hex characters are lane B, the high 8 lane A),
 * and the full 64-bit hashes must not collide at all. Exits 1 when a count is outside
 * expectation ± 5·sqrt(expectation).
 *
 * States are distinct by construction: each one is built from the digits of its index in a
 * mixed radix, and `decodeState` reads the index back from the state alone (checked for every
 * state), so no two states are equal. Like Redux states, they share subtrees: the todo entities and
 * users come from pools of objects, so hashing also goes through the cache.
 */
import { Fr64Hasher } from '../src/hash'

const n = Number(process.argv[2] ?? 1_000_000)
if (!Number.isInteger(n) || n < 2) throw new Error(`expected a count of states, got ${process.argv[2]}`)

const NAMES = ['Ada', 'Alan', 'Grace', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia', 'Tim']
const FILTERS = ['all', 'active', 'done']
const STATUSES = ['idle', 'loading', 'succeeded', 'failed']
const TITLES = ['buy milk', 'write tests', 'fix bug', 'review PR', 'call mom', 'ship it', 'refactor', 'sleep']
const MAX_TODOS = 3
const ID_DIGITS = 7

interface Todo {
  id: string
  title: string
  done: boolean
  priority: number
}
interface State {
  todos: { ids: string[]; entities: Record<string, Todo>; status: string }
  filter: string
  user: { name: string; visits: number }
  page: number
}

const todoPool = new Map<string, Todo>()
const userPool = new Map<string, State['user']>()
function pooled<T>(pool: Map<string, T>, key: string, make: () => T): T {
  let v = pool.get(key)
  if (v === undefined) pool.set(key, (v = make()))
  return v
}

/** A small RTK-style state whose content is an injective function of i. */
function makeState(i: number): State {
  let r = i
  const digit = (base: number) => {
    const d = r % base
    r = Math.floor(r / base)
    return d
  }
  const filter = FILTERS[digit(FILTERS.length)]
  const status = STATUSES[digit(STATUSES.length)]
  const count = 1 + digit(MAX_TODOS)
  const ids: string[] = []
  const entities: Record<string, Todo> = {}
  for (let t = 0; t < count; t++) {
    const id = `t${digit(ID_DIGITS)}${t}` // the trailing index keeps ids distinct within a state
    const title = TITLES[digit(TITLES.length)]
    const done = digit(2) === 1
    const priority = digit(3)
    ids.push(id)
    entities[id] = pooled(todoPool, `${id}|${title}|${done}|${priority}`, () => ({ id, title, done, priority }))
  }
  const name = NAMES[digit(NAMES.length)]
  const visits = digit(50)
  const user = pooled(userPool, `${name}|${visits}`, () => ({ name, visits }))
  // Whatever is left of i (possibly 0) is kept whole, so that no information is lost.
  return { todos: { ids, entities, status }, filter, user, page: r }
}

/** The index a state was made from, read from the state alone. */
function decodeState(s: State): number {
  let i = 0
  let scale = 1
  const put = (d: number, base: number) => {
    if (!(d >= 0 && d < base)) throw new Error(`bad digit ${d} (base ${base})`)
    i += d * scale
    scale *= base
  }
  put(FILTERS.indexOf(s.filter), FILTERS.length)
  put(STATUSES.indexOf(s.todos.status), STATUSES.length)
  put(s.todos.ids.length - 1, MAX_TODOS)
  s.todos.ids.forEach((id, t) => {
    const todo = s.todos.entities[id]
    if (todo.id !== id || id.length !== 3 || id[2] !== String(t)) throw new Error(`bad todo ${id}`)
    put(Number(id[1]), ID_DIGITS)
    put(TITLES.indexOf(todo.title), TITLES.length)
    put(todo.done ? 1 : 0, 2)
    put(todo.priority, 3)
  })
  put(NAMES.indexOf(s.user.name), NAMES.length)
  put(s.user.visits, 50)
  return i + s.page * scale
}

const hasher = new Fr64Hasher()
const lo = new Uint32Array(n)
const hi = new Uint32Array(n)
let undecodable = 0
const started = performance.now()
for (let i = 0; i < n; i++) {
  const state = makeState(i)
  hasher.hash(state)
  lo[i] = hasher.lo
  hi[i] = hasher.hi
  if (decodeState(state) !== i) undecodable++
}
const elapsed = performance.now() - started

/** Number of colliding pairs among the values (a run of r equal values counts r(r-1)/2). */
function collisions(values: Uint32Array | BigUint64Array): number {
  values.sort()
  let pairs = 0
  let run = 1
  for (let i = 1; i <= values.length; i++) {
    if (i < values.length && values[i] === values[i - 1]) run++
    else {
      pairs += (run * (run - 1)) / 2
      run = 1
    }
  }
  return pairs
}

const full = new BigUint64Array(n)
for (let i = 0; i < n; i++) full[i] = (BigInt(hi[i]) << 32n) | BigInt(lo[i])

const expected = (n * (n - 1)) / 2 / 2 ** 32
const band = 5 * Math.sqrt(expected)
const low = Math.max(0, Math.floor(expected - band))
const high = Math.ceil(expected + band)
const loCollisions = collisions(lo)
const hiCollisions = collisions(hi)
const fullCollisions = collisions(full)

console.log(`fr64 birthday check: ${n} distinct states hashed in ${(elapsed / 1000).toFixed(1)} s`)
console.log(`  expected 32-bit collisions n(n-1)/2/2^32 = ${expected.toFixed(1)}, accepted ${low}..${high}`)
console.log(`  low 32 bits (lane B, the last 8 hex):   ${loCollisions}`)
console.log(`  high 32 bits (lane A, the first 8 hex): ${hiCollisions}`)
console.log(`  full 64 bits:                            ${fullCollisions} (expected ${((n * (n - 1)) / 2 / 2 ** 64).toExponential(1)})`)
console.log(`  states not decoded back to their index (must be 0: distinctness): ${undecodable}`)

let ok = true
if (undecodable !== 0) {
  console.error('FAIL: the generated states are not distinct')
  ok = false
}
for (const [name, count] of [
  ['low 32 bits', loCollisions],
  ['high 32 bits', hiCollisions],
] as const) {
  if (count < low || count > high) {
    console.error(`FAIL: ${name}: ${count} collisions, outside ${low}..${high}`)
    ok = false
  }
}
if (fullCollisions !== 0) {
  console.error(`FAIL: ${fullCollisions} collisions of the full 64-bit hash`)
  ok = false
}
if (!ok) process.exit(1)
console.log('OK')
