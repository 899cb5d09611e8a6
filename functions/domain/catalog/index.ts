/** 产品 and 竞争对手. */
export * from './catalog.js'
export * from './lines.js'
