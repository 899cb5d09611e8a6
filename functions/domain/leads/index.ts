/** 线索: the record, its verbs (assign, mark invalid, convert to a customer), duplicate hints, lists. */
export * from './record.js'
export * from './reads.js'
