// The panel under Jest 30's jsdom environment, against the BUILT package (dist/, CommonJS), as an
// app's component tests load it; scripts/test.mjs (`npm test`) runs it beside jest.config.cjs.
// Run after `npm run build`:
//   npx jest --config test/jest/jest.jsdom.config.cjs
const base = require('./jest.config.cjs')

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/jest/jsdom/**/*.jsdom.cjs'],
  testEnvironment: 'jsdom',
}
