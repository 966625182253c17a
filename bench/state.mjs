/**
 * The bench state: an RTK-style `{ ids, entities }` store whose JSON is about `bytes` long, and a
 * plain-JS spread reducer in which each action changes one entity (so a bare dispatch copies the
 * entity map, as `createEntityAdapter` with Immer does in effect).
 */
export const UPDATE = 'items/updated'

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet']

function entity(k) {
  return {
    id: 'e' + String(k).padStart(6, '0'),
    title: `Item ${k} ${WORDS[k % 10]} ${WORDS[(k * 7) % 10]}`,
    done: k % 3 === 0,
    n: 0,
    owner: 'user-' + (k % 97),
    tags: [WORDS[k % 10], WORDS[(k + 3) % 10]],
    updatedAt: 1_700_000_000_000 + k,
  }
}

/** A state whose JSON is at least `bytes` long (within one entity). */
export function makeState(bytes) {
  const ids = []
  const entities = {}
  let size = '{"ids":[],"entities":{}}'.length
  let k = 0
  while (size < bytes) {
    const e = entity(k++)
    ids.push(e.id)
    entities[e.id] = e
    size += JSON.stringify(e.id).length * 2 + 2 + JSON.stringify(e).length + 2
  }
  return { ids, entities, status: 'idle' }
}

export function makeReducer(initial) {
  return function reducer(state = initial, action) {
    if (action.type === UPDATE) {
      const { id, n } = action.payload
      const e = state.entities[id]
      return { ...state, entities: { ...state.entities, [id]: { ...e, n, done: !e.done } } }
    }
    return state
  }
}

/** Actions over the state's ids in a fixed pseudo-random order (each ~81 B as an object). */
export function actionMaker(ids) {
  let x = 0x9e3779b9
  let n = 0
  return () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return { type: UPDATE, payload: { id: ids[(x >>> 0) % ids.length], n: ++n } }
  }
}

/**
 * JSONL of `n` bench actions recorded from a fresh copy of `base` by `lib` (a build's universal
 * entry) with `hash` ('fr64' or false), yielding to the event loop every 500 actions.
 */
export async function recordLog(lib, redux, base, n, hash) {
  const recorder = lib.createFlightRecorder({ hash, maxEntries: n + 100, maxBytes: 2 ** 30 })
  const store = redux.legacy_createStore(makeReducer(structuredClone(base)), redux.compose(redux.applyMiddleware(recorder.middleware), recorder.enhancer))
  const mk = actionMaker(base.ids)
  for (let i = 0; i < n; i++) {
    store.dispatch(mk())
    if (i % 500 === 499) await new Promise((resolve) => setImmediate(resolve))
  }
  const text = recorder.toJSONL()
  await recorder.close()
  return text
}
