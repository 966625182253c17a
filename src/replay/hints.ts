/** Actions of Redux DevTools' lifted store: recorded outside DevTools without the opt-in. */
export const LIFTED_HINT =
  "This log holds Redux DevTools' lifted store (its actions are `PERFORM_ACTION`, its state DevTools' history): the store had DevTools' instrument outside the recorder, which needs `devtools: devToolsInstrument()` from 'redux-flight-recorder/devtools' when recording. Record again with that option."
