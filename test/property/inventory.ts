// A warehouse store (Redux Toolkit) with a planted bug: `stock/returned` after `orders/cancelled`
// takes a unit off `reserved` that the cancellation already released, so `reserved` goes
// negative. Every other order of these actions keeps it at zero or above, and the recorded
// session below never returns stock after a cancellation.
import { combineReducers, configureStore, createAsyncThunk, createSlice, type PayloadAction } from '@reduxjs/toolkit'

export const syncStock = createAsyncThunk('stock/sync', async (available: number) => {
  await Promise.resolve()
  return available
})

export const failingSync = createAsyncThunk('stock/failingSync', async () => {
  await Promise.resolve()
  throw new Error('warehouse offline')
})

export function makeReducer({ fixed = false } = {}) {
  const stock = createSlice({
    name: 'stock',
    initialState: { available: 5, reserved: 0, refundDue: false, syncing: false, lastError: null as string | null },
    reducers: {
      reserved(s) {
        if (s.available > 0) {
          s.available--
          s.reserved++
        }
      },
      released(s) {
        if (s.reserved > 0) {
          s.reserved--
          s.available++
        }
      },
      returned(s) {
        // The planted bug: a return after a cancellation decrements `reserved` again.
        if (s.refundDue && (!fixed || s.reserved > 0)) {
          s.reserved--
          s.available++
        }
      },
    },
    extraReducers: (b) => {
      b.addCase('orders/cancelled', (s) => {
        s.available += s.reserved
        s.reserved = 0
        s.refundDue = true
      })
      b.addCase('orders/placed', (s) => {
        s.refundDue = false
      })
      b.addCase(syncStock.pending, (s) => {
        s.syncing = true
      })
      b.addCase(syncStock.fulfilled, (s, a) => {
        s.syncing = false
        s.available = a.payload
      })
      b.addCase(failingSync.rejected, (s, a) => {
        s.lastError = a.error.message ?? 'error'
      })
    },
  })
  const orders = createSlice({
    name: 'orders',
    initialState: { placed: 0, cancelled: 0 },
    reducers: {
      placed(s) {
        s.placed++
      },
      cancelled(s) {
        s.cancelled++
      },
    },
  })
  const ui = createSlice({
    name: 'ui',
    initialState: { page: 'stock' },
    reducers: {
      navigated(s, a: PayloadAction<string>) {
        s.page = a.payload
      },
    },
  })
  return combineReducers({ stock: stock.reducer, orders: orders.reducer, ui: ui.reducer })
}

export type InventoryState = ReturnType<ReturnType<typeof makeReducer>>

export function makeStore(rec: { enhancer: any; middleware: any }) {
  return configureStore({
    reducer: makeReducer(),
    middleware: (g) => g().prepend(rec.middleware),
    enhancers: (g) => g().concat(rec.enhancer),
  })
}

/** A day at the warehouse: orders, reservations, returns (before any cancellation), syncs, one cancellation at the end. */
export async function warehouseDay(store: ReturnType<typeof makeStore>) {
  // Plain actions and thunks alike (the recorder's parts are untyped here, so the store's dispatch type does not know thunks).
  const d = store.dispatch as (action: unknown) => any
  d({ type: 'orders/placed' })
  d({ type: 'stock/reserved' })
  d({ type: 'stock/reserved' })
  d({ type: 'ui/navigated', payload: 'orders' })
  d({ type: 'stock/returned' })
  d({ type: 'stock/released' })
  await d(syncStock(8))
  d({ type: 'ui/navigated', payload: 'stock' })
  await d(failingSync())
  d({ type: 'orders/placed' })
  d({ type: 'stock/reserved' })
  d({ type: 'stock/returned' })
  d({ type: 'orders/cancelled' })
  d({ type: 'ui/navigated', payload: 'reports' })
}
