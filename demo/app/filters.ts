import { createSlice, type PayloadAction } from '@reduxjs/toolkit'

export type Visibility = 'all' | 'open' | 'done'

export const filtersSlice = createSlice({
  name: 'filters',
  initialState: { visibility: 'all' as Visibility, search: '' },
  reducers: {
    visibilitySet(state, action: PayloadAction<Visibility>) {
      state.visibility = action.payload
    },
    searched(state, action: PayloadAction<string>) {
      state.search = action.payload
    },
  },
})

export const { visibilitySet, searched } = filtersSlice.actions
