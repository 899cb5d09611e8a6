/** 审批流程: the flows (settings), the gate a governed write passes, decisions, the boxes. */
export * from './effect.js'
export * from './settings.js'
export * from './instances.js'
export * from './submission.js'
export * from './decisions.js'
export * from './lists.js'
