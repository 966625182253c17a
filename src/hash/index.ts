export { stateHash, Fr64Hasher } from './fr64'
export { hashHex } from './hashHex'
