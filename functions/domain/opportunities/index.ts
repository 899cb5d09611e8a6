/** 商机 and 商机推进. */
export * from './record.js'
