import * as z from 'zod'
import {
  ContactInput,
  CustomerUpdate,
  CustomerInput,
  type ImportCollection,
  type ImportTarget,
  LeadInput,
  Phone,
  ProductInput,
} from '../../../shared/schemas/index.js'
import type { Session } from '../../core/context.js'
import { AppError, conflict, isAppError } from '../../core/errors.js'
import type { Write } from '../../db/commit.js'
import { getRecord, listRecords, newRecord, putWrite, updateRecord } from '../../db/records.js'
import { Products, type ProductRecord } from '../catalog/catalog.js'
import { type ContactRecord, Contacts, contactWrites, updateContact } from '../contacts/record.js'
import {
  createCustomerWrites,
  type CustomerRecord,
  Customers,
  newCustomer,
  updateCustomer,
} from '../customers/record.js'
import { leadActivity, type LeadRecord, Leads, updateLead } from '../leads/record.js'
import { getPoolSettings } from '../customers/pool-settings.js'
import { retryOnConflict } from '../../db/retry.js'
import { canSee, canWork, resolveOwner } from '../scope/scope.js'
import { duplicateCandidates, loadRecords, normalizeName } from '../search/entries.js'
import { dealImporters } from './deal-importers.js'

/**
 * How each collection imports a row: its input schema (the shared one), the 查重 match of a row among
 * existing records, the writes that create it (the domain's own, under an id fixed by job and row so a
 * resumed row can never be created twice), and the domain verb that updates a match.
 */
export interface ImportContext {
  session: Session
  target: ImportTarget
  /** per run: customers found by name (contacts), the product catalog (products) */
  cache: Map<string, unknown>
}

export interface Importer {
  /** the row's fields as the collection's input schema checks them */
  input: z.ZodType<Record<string, unknown>>
  /** fields a file must have a column for */
  required: string[]
  /** keys that make two rows of one file the same record (in-file duplicates) */
  keys(input: Record<string, unknown>): string[]
  /** the existing record this row duplicates (查重 rules), not counting the row's own earlier write */
  match(ctx: ImportContext, input: Record<string, unknown>, rowId: string): Promise<string | undefined>
  /** the writes that create the row's record with the given id; the record's own Put comes first */
  create?(ctx: ImportContext, input: Record<string, unknown>, id: string): Promise<Write[]>
  /**
   * or: creates the row's record through the collection's own create verb (as its route would); the run
   * calls it at most once per row (its first commit remembers the row: `rows.ts`)
   */
  createVia?(ctx: ImportContext, input: Record<string, unknown>): Promise<unknown>
  /** applies the row to the match; false when nothing differs */
  update(ctx: ImportContext, id: string, input: Record<string, unknown>): Promise<boolean>
}

type Fields = Record<string, unknown>

/** A value read once per run. */
function cached<T>(ctx: ImportContext, key: string, read: () => Promise<T>): Promise<T> {
  if (!ctx.cache.has(key)) ctx.cache.set(key, read())
  return ctx.cache.get(key) as Promise<T>
}

const differs = (current: Fields, changes: Fields) =>
  Object.entries(changes).some(([k, v]) => JSON.stringify(current[k]) !== JSON.stringify(v))

/** An existing record the importer may not change: the row fails, saying whose it is. */
const notYours = (what: string) =>
  new AppError(403, 'import.match_not_editable', `${what}已存在，但不在你的权限范围内，无法更新`)

async function firstMatch(
  tenantId: string,
  query: { name?: string; phone?: string },
  recordType: 'customers' | 'leads' | 'contacts',
  rowId: string,
  accept: (candidate: { recordId: string; customerId?: string }) => boolean = () => true,
) {
  const candidates = (
    await duplicateCandidates(tenantId, query, { recordTypes: [recordType], contains: false, limit: 10 })
  ).filter((c) => c.recordId !== rowId && accept(c))
  if (candidates.length === 0) return undefined
  // as 查重 shows them: live records only (an import stopped half-way may leave entries of no record)
  const live = await loadRecords(
    tenantId,
    candidates.map((c) => ({ recordType, id: c.recordId })),
  )
  return candidates.find((c) => live.has(`${recordType}#${c.recordId}`))?.recordId
}

/** Reads a match for an update; a match the importer cannot see is someone else's. */
async function readMatch<R>(read: () => Promise<R>, what: string): Promise<R> {
  try {
    return await read()
  } catch (error) {
    if (isAppError(error) && error.status === 404) throw notYours(what)
    throw error
  }
}

const phoneOf = (text: unknown) => {
  const parsed = typeof text === 'string' ? Phone.safeParse(text) : undefined
  return parsed?.success ? parsed.data : undefined
}

const customers: Importer = {
  input: CustomerInput.omit({ ownerId: true, collaboratorIds: true, location: true }),
  required: ['name'],
  keys: (input) => [
    `N#${normalizeName(String(input.name))}`,
    ...(input.phone ? [`P#${String(input.phone)}`] : []),
  ],
  match: (ctx, input, rowId) =>
    firstMatch(
      ctx.session.tenantId,
      { name: input.name as string, phone: input.phone as string | undefined },
      'customers',
      rowId,
    ),
  async create(ctx, input, id) {
    const customer = await newCustomer(ctx.session, input as z.output<typeof CustomerInput>, {
      pool: ctx.target === 'pool',
    })
    customer.id = id
    const where = ctx.target === 'pool' ? '公海' : ''
    // the tenant's 客户不允许重名 rule holds for imports too (the name counter's cap, in the row's transaction)
    const rules = await cached(ctx, 'poolSettings', () => getPoolSettings(ctx.session.tenantId))
    return createCustomerWrites(ctx.session, customer, `导入了${where}客户「${customer.name}」`, rules)
  },
  async update(ctx, id, input) {
    const changes = CustomerUpdate.partial().parse(input)
    return retryOnConflict(async () => {
      const current = await readMatch(() => getRecord(Customers, ctx.session, id), `客户「${input.name}」`)
      if (!differs(current, changes)) return false
      await updateCustomer(ctx.session, id, { ...changes, version: current.version }).catch((error) => {
        throw isAppError(error, 'auth.forbidden') ? notYours(`客户「${input.name}」`) : error
      })
      return true
    })
  },
}

const leads: Importer = {
  input: LeadInput.omit({ assigneeId: true }),
  required: ['title'],
  keys: (input) => {
    const phone = phoneOf(input.contactInfo)
    return [`N#${normalizeName(String(input.companyName ?? input.title))}`, ...(phone ? [`P#${phone}`] : [])]
  },
  match: (ctx, input, rowId) =>
    firstMatch(
      ctx.session.tenantId,
      { name: (input.companyName ?? input.title) as string, phone: phoneOf(input.contactInfo) },
      'leads',
      rowId,
    ),
  async create(ctx, input, id) {
    const { session } = ctx
    // as POST /api/leads: a member's lead is theirs; a manager's or admin's waits to be assigned
    const assignee = session.role === 'member' ? await resolveOwner(session, session.userId) : undefined
    const lead = {
      ...newRecord(session, {
        ...input,
        contactInfo: phoneOf(input.contactInfo) ?? input.contactInfo,
        assigneeId: assignee?.id,
        deptId: assignee?.deptId,
      }),
      id,
    } as LeadRecord
    return [
      putWrite(Leads, lead, { attr: 'id', exists: false }, () => conflict('lead.duplicate', 'id 冲突')),
      ...Leads.sideWrites!(undefined, lead),
      ...leadActivity(session, lead, 'created', `导入了线索「${lead.title}」`),
    ]
  },
  async update(ctx, id, input) {
    return retryOnConflict(async () => {
      const current = await readMatch(() => getRecord(Leads, ctx.session, id), `线索「${input.title}」`)
      const changes = { ...input, contactInfo: phoneOf(input.contactInfo) ?? input.contactInfo }
      if (!differs(current, changes)) return false
      await updateLead(ctx.session, id, { ...input, version: current.version } as never).catch((error) => {
        throw isAppError(error, 'auth.forbidden') ? notYours(`线索「${input.title}」`) : error
      })
      return true
    })
  },
}

const ContactRow = ContactInput.omit({ customerId: true, isPrimary: true }).extend({
  customerName: z.string().trim().min(1, '请填写客户名称').max(100),
})

/** The customer a contact row names: same normalized name (查重), one the importer may work on. */
async function customerNamed(ctx: ImportContext, name: string): Promise<CustomerRecord> {
  const customer = await cached(ctx, `customer#${normalizeName(name)}`, async () => {
    const candidates = await duplicateCandidates(
      ctx.session.tenantId,
      { name },
      { recordTypes: ['customers'], contains: false, limit: 10 },
    )
    for (const c of candidates) {
      const found = await getRecord(Customers, ctx.session, c.recordId).catch(() => undefined)
      if (found && canSee(ctx.session, found) && canWork(ctx.session, found)) return found
    }
    return undefined
  })
  if (!customer) {
    throw new AppError(422, 'import.customer_not_found', `找不到客户「${name}」，或你无权为其添加联系人`)
  }
  return customer
}

const contacts: Importer = {
  input: ContactRow as unknown as z.ZodType<Fields>,
  required: ['customerName', 'name'],
  keys: (input) => [
    `N#${normalizeName(String(input.customerName))}#${input.name}`,
    ...(input.mobile ? [`P#${normalizeName(String(input.customerName))}#${input.mobile}`] : []),
  ],
  async match(ctx, input, rowId) {
    const customer = await customerNamed(ctx, input.customerName as string)
    // 查重 of contacts: the same name or mobile under the same customer
    return firstMatch(
      ctx.session.tenantId,
      { name: input.name as string, phone: input.mobile as string | undefined },
      'contacts',
      rowId,
      (c) => c.customerId === customer.id,
    )
  },
  async create(ctx, { customerName, ...input }, id) {
    const customer = await customerNamed(ctx, customerName as string)
    // imported contacts are not made primary: that moves the customer's pointer, one contact at a time
    const contact = {
      ...newRecord(ctx.session, {
        ...input,
        customerId: customer.id,
        isPrimary: false,
        deptId: ctx.session.deptIds[0],
      }),
      id,
    } as ContactRecord
    return contactWrites(ctx.session, contact, customer)
  },
  async update(ctx, id, { customerName: _customer, ...input }) {
    return retryOnConflict(async () => {
      const current = await readMatch(() => getRecord(Contacts, ctx.session, id), `联系人「${input.name}」`)
      if (!differs(current, input)) return false
      await updateContact(ctx.session, id, { ...input, version: current.version } as never)
      return true
    })
  },
}

/** The tenant's catalog by code and by name, read once per run (catalogs are small; no 查重 index). */
const catalog = (ctx: ImportContext) =>
  cached(ctx, 'catalog', async () => {
    const byKey = new Map<string, string>()
    let cursor: string | undefined
    do {
      const page = await listRecords(Products, ctx.session, { limit: 200, cursor })
      for (const p of page.items) {
        if (p.code) byKey.set(`C#${p.code}`, p.id)
        byKey.set(`N#${normalizeName(p.name)}`, p.id)
      }
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    return byKey
  })

const productKeys = (input: Fields) =>
  input.code ? [`C#${String(input.code)}`] : [`N#${normalizeName(String(input.name))}`]

const products: Importer = {
  input: ProductInput as unknown as z.ZodType<Fields>,
  required: ['name'],
  keys: productKeys,
  async match(ctx, input, rowId) {
    const byKey = await catalog(ctx)
    return productKeys(input)
      .map((k) => byKey.get(k))
      .find((id) => id && id !== rowId)
  },
  async create(ctx, input, id) {
    const product = { ...newRecord(ctx.session, input), id } as ProductRecord
    return [
      putWrite(Products, product, { attr: 'id', exists: false }, () =>
        conflict('product.duplicate', 'id 冲突'),
      ),
    ]
  },
  async update(ctx, id, input) {
    return retryOnConflict(async () => {
      const current = await getRecord(Products, ctx.session, id)
      if (!differs(current, input)) return false
      await updateRecord(Products, ctx.session, id, { ...input, version: current.version })
      return true
    })
  },
}

export const importers: Record<ImportCollection, Importer> = {
  customers,
  leads,
  contacts,
  products,
  ...dealImporters,
}
