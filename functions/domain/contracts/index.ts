/** 合同: the record and its verbs (its plans, payments and invoices are nouns of their own). */
export * from './record.js'
