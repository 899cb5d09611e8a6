/** 报表: counters read back by range, the briefing. */
export * from './reports.js'
export * from './products.js'
