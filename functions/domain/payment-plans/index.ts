/** 回款计划 */
export * from './record.js'
