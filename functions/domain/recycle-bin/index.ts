/** 回收站: every collection's deleted records, and restoring them. */
export * from './recycle-bin.js'
