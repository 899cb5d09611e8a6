import { answerOnce } from './db/commit.js'
import { currentSession } from './domain/directory/sessions.js'
import { createFunction, type ServedRoute } from './http/route.js'

/**
 * A deployed API function: the shared HTTP stack, its sessions checked against the current directory,
 * POST answers remembered under their Idempotency-Key in the table.
 */
export const apiFunction = (routes: ServedRoute[]) => createFunction(routes, { currentSession, answerOnce })
