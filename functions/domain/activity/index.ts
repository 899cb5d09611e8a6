/** 动态: the timeline of a record, comments, likes. */
export * from './activity.js'
