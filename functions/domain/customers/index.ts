/** 客户 and 公海: the record and its edits, the pool's verbs and rules, lists, phone masking, auto-recycling. */
export * from './record.js'
export * from './pool.js'
export * from './pool-settings.js'
export * from './list.js'
export * from './phones.js'
export * from './recycling.js'
export * from './queries.js'
