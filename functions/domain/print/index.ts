/** 打印: A4 print pages of contracts, customers and opportunities. */
export * from './records.js'
