// The deliberately regressed reducer the demo replays the session against: toggling an urgent todo
// does nothing any more (see `regressed` in todos.ts). The flight recorder must catch it.
import { makeReducer } from './store'

export const reducer = makeReducer(true)

/** What the regression is, in the words the devtools panel shows beside the reducer. */
export const regression = 'the regressed reducer (toggling an urgent todo does nothing)'
