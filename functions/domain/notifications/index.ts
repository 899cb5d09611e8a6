/** DingTalk notifications: the outbox, its delivery under DingTalk's limits, team groups, to-dos. */
export * from './outbox.js'
export * from './delivery.js'
export * from './limits.js'
export * from './settings.js'
export * from './groups.js'
export * from './todos.js'
export * from './links.js'
