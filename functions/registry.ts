/**
 * The deployed functions and the first path segment after `/api` each one serves. `s.yaml` deploys one
 * function per entry and its custom domain routes `/api/<segment>/*` the same way; the local server uses
 * this very map, so local mode has no second routing of its own.
 */
export const functions = {
  health: { segments: ['health'], load: () => import('./health/handler.js') },
  auth: { segments: ['auth', 'me'], load: () => import('./auth/handler.js') },
  directory: { segments: ['users', 'depts'], load: () => import('./directory/handler.js') },
  products: { segments: ['products'], load: () => import('./products/handler.js') },
  competitors: { segments: ['competitors'], load: () => import('./competitors/handler.js') },
  'recycle-bin': { segments: ['recycle-bin'], load: () => import('./recycle-bin/handler.js') },
  openapi: { segments: ['openapi.json'], load: () => import('./openapi/handler.js') },
} as const

export type FunctionName = keyof typeof functions

export const functionForSegment = (segment: string): FunctionName | undefined =>
  (Object.keys(functions) as FunctionName[]).find((name) =>
    (functions[name].segments as readonly string[]).includes(segment),
  )
