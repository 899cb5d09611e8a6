/** The scheduled function's work: reminders, the outbox, imports, the daily jobs. */
export * from './run.js'
export * from './daily-jobs.js'
