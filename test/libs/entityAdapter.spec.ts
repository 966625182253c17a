import { configureStore, createAsyncThunk, createEntityAdapter, createSlice, type PayloadAction } from '@reduxjs/toolkit'
import { describe, expect, it } from 'vitest'
import { formatDivergence, replay } from 'redux-flight-recorder/replay'
import { expectReplay, recordSession } from 'redux-flight-recorder/testing'

interface Book {
  isbn: string
  title: string
  year: number
}
const books = createEntityAdapter({ selectId: (b: Book) => b.isbn, sortComparer: (a: Book, b: Book) => a.title.localeCompare(b.title) })
const loadShelf = createAsyncThunk('books/loadShelf', async () => {
  await new Promise((r) => setTimeout(r, 2))
  return [
    { isbn: '3', title: 'Cormorant', year: 2001 },
    { isbn: '4', title: 'Albatross', year: 1999 },
  ]
})

function makeSlice(opts: { updateIgnoresYear?: boolean } = {}) {
  return createSlice({
    name: 'books',
    initialState: books.getInitialState({ loading: false }),
    reducers: {
      bookAdded: books.addOne,
      booksReceived: books.setAll,
      bookUpdated(state, action: PayloadAction<{ id: string; changes: Partial<Book> }>) {
        const { year, ...rest } = action.payload.changes
        books.updateOne(state, { id: action.payload.id, changes: opts.updateIgnoresYear ? rest : action.payload.changes })
        void year
      },
      bookRemoved: books.removeOne,
      booksUpserted: books.upsertMany,
    },
    extraReducers: (b) => {
      b.addCase(loadShelf.pending, (s) => {
        s.loading = true
      })
      b.addCase(loadShelf.fulfilled, (s, a) => {
        s.loading = false
        books.upsertMany(s, a.payload)
      })
    },
  })
}

describe('createEntityAdapter', () => {
  it('replays a sorted entity-adapter session ok, and points at the changed field when a branch changes', async () => {
    const slice = makeSlice()
    const a = slice.actions
    const log = await recordSession(
      (rec) => configureStore({ reducer: { books: slice.reducer }, middleware: (g) => g().prepend(rec.middleware), enhancers: (g) => g().concat(rec.enhancer) }),
      async (store) => {
        store.dispatch(a.bookAdded({ isbn: '1', title: 'Zebra', year: 1990 }))
        store.dispatch(a.bookAdded({ isbn: '2', title: 'Moth', year: 2010 }))
        await store.dispatch(loadShelf())
        store.dispatch(a.bookUpdated({ id: '2', changes: { title: 'Aardvark', year: 2011 } }))
        store.dispatch(a.booksUpserted([{ isbn: '5', title: 'Beetle', year: 2020 }]))
        store.dispatch(a.bookRemoved('1'))
        expect(store.getState().books.ids).toEqual(['2', '4', '5', '3'])
      },
    )
    const ok = replay(log, { reducer: (s: any, x: any) => ({ books: makeSlice().reducer(s?.books, x) }) })
    expect(formatDivergence(ok)).toMatch(/^Replay ok/)
    expect(ok).toMatchObject({ ok: true, verified: true, steps: 7 })
    expectReplay(log, { reducer: (s: any, x: any) => ({ books: makeSlice().reducer(s?.books, x) }) })

    const changed = makeSlice({ updateIgnoresYear: true })
    const bad = replay(log, { reducer: (s: any, x: any) => ({ books: changed.reducer(s?.books, x) }) })
    expect(bad.divergence).toMatchObject({ kind: 'books/bookUpdated', diff: [{ path: 'books.entities.2.year', recorded: 2011, replayed: 2010 }] })
  })
})
