import { combineReducers, configureStore, createEntityAdapter, createSlice, type PayloadAction } from '@reduxjs/toolkit'
import { createFlightRecorder, memorySink, type FlightRecorderOptions } from 'redux-flight-recorder'

/** The bookshop of issue 15: a cart slice on an entity adapter; `buggy` turns `n <= 0` into `n < 0`. */
export interface Line {
  id: string
  n: number
}
const lines = createEntityAdapter<Line>()

export function makeCartSlice(buggy = false) {
  return createSlice({
    name: 'cart',
    initialState: lines.getInitialState(),
    reducers: {
      addedToCart(state, action: PayloadAction<string>) {
        const line = state.entities[action.payload]
        if (line) line.n++
        else lines.addOne(state, { id: action.payload, n: 1 })
      },
      removedFromCart(state, action: PayloadAction<string>) {
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
    searched(state, action: PayloadAction<string>) {
      state.query = action.payload
      state.page = 1
    },
    paged(state) {
      state.page++
    },
  },
})

export function bookshopReducer(buggy = false) {
  return combineReducers({ catalog: catalog.reducer, cart: makeCartSlice(buggy).reducer })
}

const cart = makeCartSlice().actions
const { searched, paged } = catalog.actions

/**
 * Records the session of the issue: 14 actions, the removal that empties a line at seq 15, six
 * more, then `cart/cleared` (seq 22 is the `@@end`, after 21 actions).
 */
export async function recordBookshop(options: Partial<FlightRecorderOptions> = {}): Promise<string> {
  const sink = memorySink()
  const recorder = createFlightRecorder({ sinks: [sink], clock: () => 1_700_000_000_000, ...options })
  const store = configureStore({
    reducer: bookshopReducer(),
    middleware: (g) => g().prepend(recorder.middleware),
    enhancers: (g) => g().concat(recorder.enhancer),
  })
  const d = store.dispatch
  d(searched('tolkien'))
  d(paged())
  d(cart.addedToCart('b1'))
  d(cart.addedToCart('b2'))
  d(cart.addedToCart('b1'))
  d(searched('le guin'))
  d(cart.addedToCart('b3'))
  d(paged())
  d(paged())
  d(cart.addedToCart('b2'))
  d(cart.removedFromCart('b1'))
  d(searched('pratchett'))
  d(cart.addedToCart('b4'))
  d(cart.removedFromCart('b2'))
  d(cart.removedFromCart('b1')) // seq 15: b1 goes from 1 to 0 and leaves the cart
  d(paged())
  d(cart.addedToCart('b5'))
  d(searched('jemisin'))
  d(paged())
  d(cart.removedFromCart('b5'))
  d(cart.cleared()) // seq 21: the difference is erased
  await recorder.close()
  return sink.text()
}
