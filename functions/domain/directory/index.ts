/** The directory (users, departments, login, the daily sync), sessions, the tenant registry. */
export * from './directory.js'
export * from './sessions.js'
export * from './tenants.js'
