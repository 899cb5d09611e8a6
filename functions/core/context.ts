import { AsyncLocalStorage } from 'node:async_hooks'
import type { Role } from '../../shared/schemas/index.js'

/** Who is calling, as the verified session token says. Never taken from a body or a query. */
export interface Session {
  tenantId: string
  userId: string
  name: string
  role: Role
  /** departments the user belongs to */
  deptIds: string[]
  /** departments (with their sub-departments) a manager sees */
  scopeDeptIds: string[]
}

/** Per-request state: DynamoDB usage (for Server-Timing and benches). */
export interface RequestState {
  requestId: string
  startedAt: number
  ddb: { calls: number; rcu: number; wcu: number; ms: number }
  /** DynamoDB calls of the per-request directory check, kept apart from the route's own (sessions.ts) */
  directory: { calls: number; ms: number }
  /**
   * the owners-to-be this request resolved (`resolveOwner`, by tenant, caller and person): a bulk
   * 经理调整 of 200 records reads its new owner from the directory once, not once per record
   */
  owners?: Map<string, Promise<{ id: string; name: string; deptId?: string }>>
  /** a list's `custom.<key>` filters, checked against the definitions: its page is read from their index */
  customFilter?: CustomFilter
  /**
   * the caller's check of the attachments a write is about to make a record hold that it did not
   * (`db/commit.ts` runs it before the transaction; the HTTP stack binds it to the session)
   */
  mayAttach?: (attachments: NewAttachment[]) => Promise<void>
}

/** An attachment a record is about to hold, and where (`['attachments', 0]`, `['custom', key, 0]`). */
export interface NewAttachment {
  id: string
  path: (string | number)[]
}

/** One custom-field condition of a list: a value (`custom.<key>=`) or a range (`From`/`To`, sortable form). */
export type CustomCondition =
  | { key: string; value: string }
  | { key: string; type: 'number' | 'money' | 'date' | 'datetime'; from?: string; to?: string }

export interface CustomFilter {
  tenantId: string
  /** the collection's key tag (`CUS`) and toolbox entity name (`customers`) */
  tag: string
  entity: string
  conditions: CustomCondition[]
}

const storage = new AsyncLocalStorage<RequestState>()

export const newRequestState = (requestId: string): RequestState => ({
  requestId,
  startedAt: performance.now(),
  ddb: { calls: 0, rcu: 0, wcu: 0, ms: 0 },
  directory: { calls: 0, ms: 0 },
})

export const runWithRequest = <T>(state: RequestState, fn: () => T): T => storage.run(state, fn)
export const currentRequest = (): RequestState | undefined => storage.getStore()
