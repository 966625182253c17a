// Redux's own init and replace actions (`@@redux/INIT…`, `@@redux/REPLACE…`) are not entries.
// Called for every action: most types do not start with '@'.

export const isReduxInit = (type: unknown): boolean => typeof type === 'string' && type.charCodeAt(0) === 64 && type.startsWith('@@redux/INIT')

export const isReduxReplace = (type: unknown): boolean => typeof type === 'string' && type.charCodeAt(0) === 64 && type.startsWith('@@redux/REPLACE')

let init: string | undefined

/**
 * The type of the INIT action replay runs a reducer with where it starts from a logged state, as
 * `createStore` does: `@@redux/INIT` and a random suffix, made once (as Redux's own; on first use,
 * so that importing the package runs nothing), so that no reducer handles it but as an unknown action.
 */
export const reduxInitType = (): string => (init ??= `@@redux/INIT${Math.random().toString(36).substring(7).split('').join('.')}`)
