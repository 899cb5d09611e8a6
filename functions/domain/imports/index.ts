/** 导入: start, run and read import jobs (the scheduler's driver is driver.ts). */
export * from './jobs.js'
export * from './run.js'
export { rowRecordId } from './rows.js'
