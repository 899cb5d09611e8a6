/** 导出: a list, every page of it, as a file. */
export * from './exports.js'
