/** 任务提醒: the record and its verbs, the lists, who may be reminded, and firing due ones. */
export * from './record.js'
export * from './audience.js'
export * from './list.js'
export * from './firing.js'
export * from './queries.js'
