/**
 * Counts event-loop turns with a chain of `setImmediate`: `now()` is the number of turns so far,
 * so work can note the turn it ran in. `stop()` ends the chain.
 */
export function turnCounter(): { now: () => number; stop: () => void } {
  let turns = 0
  let counting = true
  const count = () => {
    turns++
    if (counting) setImmediate(count)
  }
  setImmediate(count)
  return {
    now: () => turns,
    stop: () => {
      counting = false
    },
  }
}
