import { currentSession } from './domain/sessions.js'
import { createFunction, type AnyRoute } from './http/route.js'

/** A deployed API function: the shared HTTP stack, its sessions checked against the current directory. */
export const apiFunction = (routes: AnyRoute[]) => createFunction(routes, { currentSession })
