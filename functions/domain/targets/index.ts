/** 销售目标 */
export * from './record.js'
