import { createNames, type Named } from '../../../shared/view/names.js'
import { api } from '../api/session.js'

/**
 * The names of the ids records hold (shared/view/names.ts: the same cache as the H5 app's), kept for the
 * app's life, so a detail or form shows 王靓依 rather than `sales1`. The client is made on first use.
 */
let names: ReturnType<typeof createNames> | undefined
const cache = () => (names ??= createNames(api()))

export type { Named as Choice }
export const choicesFor: ReturnType<typeof createNames>['choicesFor'] = (field, values) =>
  cache().choicesFor(field, values)
export const loadNames: ReturnType<typeof createNames>['loadNames'] = (fields, record) =>
  cache().loadNames(fields, record)
export const nameOf: ReturnType<typeof createNames>['nameOf'] = (field, id) => cache().nameOf(field, id)
