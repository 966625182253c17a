export { stateHash, Fr64Hasher, hashHex } from './fr64'
