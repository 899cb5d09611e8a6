export * from './names.js'
