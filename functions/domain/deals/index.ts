/** What the deal records share: their settings (stages, deal rules) and scope, owners, lists. */
export * from './settings.js'
export * from './records.js'
