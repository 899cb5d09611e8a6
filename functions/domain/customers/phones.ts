import { type Activity, type Page } from '../../../shared/schemas/index.js'
import type { Session } from '../../core/context.js'
import { timeline } from '../activity/activity.js'
import { heldPoolSettings } from './pool-settings.js'
import { inPool, type Scoped } from '../scope/scope.js'
import { type CustomerRecord, getCustomer, timelineOf } from './record.js'

/** `13812345678` → `138****5678` */
export const maskPhone = (phone: string): string =>
  phone.length > 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****'

const PHONE_FIELDS: readonly string[] = ['phone', 'mobile', 'officePhone']
const maskValue = (value: unknown) => (typeof value === 'string' && value ? maskPhone(value) : value)

/**
 * The one masking function: the number fields of a customer or a contact (`phone`, `mobile`,
 * `officePhone`), and the old → new of those fields in an activity entry's `changes`.
 */
export function maskPhones<R extends object>(record: R): R {
  const masked = { ...record } as Record<string, unknown>
  for (const field of PHONE_FIELDS) if (field in masked) masked[field] = maskValue(masked[field])
  if (Array.isArray(masked.changes)) {
    masked.changes = (masked.changes as { field: string; from?: unknown; to?: unknown }[]).map((c) =>
      PHONE_FIELDS.includes(c.field) ? { ...c, from: maskValue(c.from), to: maskValue(c.to) } : c,
    )
  }
  return masked as R
}

/** A record as the caller may see it, given the customer it belongs to (itself, for a customer). */
export interface PhoneView {
  <R extends object>(record: R, customer: Scoped | undefined): R
  /** does this caller get pool numbers masked at all? (then the customers of a page are worth a read) */
  masks: boolean
}

/** What `phoneView` is asked about a record whose customer is not read yet: "if it were in the pool". */
export const IN_POOL: Scoped = {}

/**
 * How the caller sees the numbers of these customers and of what belongs to them (contacts, timeline):
 * a member sees a pool customer's masked while the tenant masks them, until they claim it; managers and
 * admins, who manage the pool, see them whole. Every path that answers such a record passes it through
 * the view. Reads the rules only when a member meets a pool customer.
 */
export async function phoneView(session: Session, customers: Scoped[]): Promise<PhoneView> {
  const masks =
    session.role === 'member' &&
    customers.some(inPool) &&
    (await heldPoolSettings(session.tenantId)).maskPoolPhones
  const view = <R extends object>(record: R, customer: Scoped | undefined) =>
    masks && customer && inPool(customer) ? maskPhones(record) : record
  return Object.assign(view, { masks })
}

/** A customer as the caller sees it (`GET /api/customers/{id}`): pool phones masked for members. */
export async function viewCustomer(session: Session, id: string): Promise<CustomerRecord> {
  const customer = await getCustomer(session, id)
  return (await phoneView(session, [customer]))(customer, customer)
}

/** A customer's timeline (`GET /api/customers/{id}/timeline`), newest first, numbers as the caller sees them. */
export async function customerTimeline(
  session: Session,
  id: string,
  page: { limit: number; cursor?: string },
): Promise<Page<Activity>> {
  const customer = await getCustomer(session, id)
  const [entries, view] = await Promise.all([
    timeline(session, timelineOf(id), page),
    phoneView(session, [customer]),
  ])
  return { ...entries, items: entries.items.map((entry) => view(entry, customer)) }
}
