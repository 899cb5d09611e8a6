/** 跟进: the record and its verbs; the children's shared verbs (tab, list, remove) come along. */
export * from './record.js'
export { customerTab, getChild, listChildren, removeChild } from '../customers/children.js'
