/*
 * Vendored from reduxjs/redux v5.0.1, test/helpers/actionCreators.ts (the devDependency's version).
 * Changes: none.
 *
 * The MIT License (MIT)
 *
 * Copyright (c) 2015-present Dan Abramov
 *
 * Permission is hereby granted, free of charge, to any person obtaining a copy
 * of this software and associated documentation files (the "Software"), to deal
 * in the Software without restriction, including without limitation the rights
 * to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
 * copies of the Software, and to permit persons to whom the Software is
 * furnished to do so, subject to the following conditions:
 *
 * The above copyright notice and this permission notice shall be included in all
 * copies or substantial portions of the Software.
 *
 * THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
 * IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
 * FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
 * AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
 * LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
 * OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
 * SOFTWARE.
 */
import {
  ADD_TODO,
  DISPATCH_IN_MIDDLE,
  GET_STATE_IN_MIDDLE,
  SUBSCRIBE_IN_MIDDLE,
  UNSUBSCRIBE_IN_MIDDLE,
  THROW_ERROR,
  UNKNOWN_ACTION
} from './actionTypes'
import { TodoAction } from './reducers'
import { Dispatch } from 'redux'

export function addTodo(text: string): TodoAction {
  return { type: ADD_TODO, text }
}

export function addTodoAsync(text: string) {
  return (dispatch: Dispatch): Promise<void> =>
    new Promise(resolve =>
      setImmediate(() => {
        dispatch(addTodo(text))
        resolve()
      })
    )
}

export function addTodoIfEmpty(text: string) {
  return (dispatch: Dispatch, getState: () => any) => {
    if (!getState().length) {
      dispatch(addTodo(text))
    }
  }
}

export function dispatchInMiddle(boundDispatchFn: () => void) {
  return {
    type: DISPATCH_IN_MIDDLE,
    boundDispatchFn
  } as const
}

export function getStateInMiddle(boundGetStateFn: () => void) {
  return {
    type: GET_STATE_IN_MIDDLE,
    boundGetStateFn
  } as const
}

export function subscribeInMiddle(boundSubscribeFn: () => void) {
  return {
    type: SUBSCRIBE_IN_MIDDLE,
    boundSubscribeFn
  } as const
}

export function unsubscribeInMiddle(boundUnsubscribeFn: () => void) {
  return {
    type: UNSUBSCRIBE_IN_MIDDLE,
    boundUnsubscribeFn
  } as const
}

export function throwError() {
  return {
    type: THROW_ERROR
  } as const
}

export function unknownAction() {
  return {
    type: UNKNOWN_ACTION
  } as const
}
