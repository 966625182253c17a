// Redux's own init and replace actions (`@@redux/INIT…`, `@@redux/REPLACE…`) are not entries.
// Called for every action: most types do not start with '@'.

export const isReduxInit = (type: unknown): boolean => typeof type === 'string' && type.charCodeAt(0) === 64 && type.startsWith('@@redux/INIT')

export const isReduxReplace = (type: unknown): boolean => typeof type === 'string' && type.charCodeAt(0) === 64 && type.startsWith('@@redux/REPLACE')
