/** 发票 */
export * from './record.js'
