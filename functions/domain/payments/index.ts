/** 回款 */
export * from './record.js'
