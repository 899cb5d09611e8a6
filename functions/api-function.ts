import { answerOnce } from './db/commit.js'
import { currentSession } from './domain/directory/sessions.js'
import { answerCustom, checkBody, listFilter, tenantFields } from './domain/fields/index.js'
import { createFunction, type FieldSeam, type FunctionSeams, type ServedRoute } from './http/route.js'
import type { AllFields } from '../shared/schemas/fields.js'

/** 字段管理 for every route: the definitions a warm instance keeps (no read while their version holds). */
const fields: FieldSeam<AllFields> = {
  load: (session) => tenantFields(session.tenantId),
  checkBody,
  listFilter,
  answer: answerCustom,
}

// loaded on first use: the check reaches every collection (a holder's record), which most writes never need
const mayAttach: NonNullable<FunctionSeams['mayAttach']> = async (session, attachments) =>
  (await import('./domain/attachments/attachments.js')).mayAttach(session, attachments)

/**
 * A deployed API function: the shared HTTP stack, its sessions checked against the current directory,
 * POST answers remembered under their Idempotency-Key in the table, custom fields checked and indexed,
 * attachments a write adds to a record checked against what the caller may read.
 */
export const apiFunction = (routes: ServedRoute[]) =>
  createFunction(routes, { currentSession, answerOnce, fields: fields as FieldSeam, mayAttach })
