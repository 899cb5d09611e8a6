/** 全文检索 and 查重 over customers, contacts and leads. */
export * from './finder.js'
export * from './entries.js'
