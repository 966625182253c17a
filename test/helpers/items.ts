// The entity slice several replay specs build their regressions on: `{ id, qty }` items in an RTK
// entity adapter, loaded in one action.
import { createEntityAdapter, type EntityState, type PayloadAction } from '@reduxjs/toolkit'

export type Item = { id: string; qty: number }
export const itemAdapter = createEntityAdapter<Item>()

/** A case reducer that sets `payload` items, item i being `{ id: idOf(i), qty: i }`. */
export function loadItems(idOf: (i: number) => string = (i) => `e${i}`) {
  return (s: EntityState<Item, string>, a: PayloadAction<number>) => {
    itemAdapter.setAll(s, Array.from({ length: a.payload }, (_, i) => ({ id: idOf(i), qty: i })))
  }
}
