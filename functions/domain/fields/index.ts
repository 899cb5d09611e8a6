export * from './definitions.js'
export * from './values.js'
export { fieldHasValues } from './index-entries.js'
