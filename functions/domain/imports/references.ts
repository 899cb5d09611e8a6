import { ContractFilter } from '../../../shared/schemas/index.js'
import { AppError } from '../../core/errors.js'
import { TAG } from '../../db/entities/record.js'
import { DeptEntity, UserEntity } from '../../db/entities/directory.js'
import { getRecord } from '../../db/records.js'
import { listContracts } from '../contracts/record.js'
import { Customers } from '../customers/record.js'
import { activeStages, heldDealSettings } from '../deals/settings.js'
import { type DirectoryDept, type DirectoryUser, listDirectory } from '../directory/sessions.js'
import { duplicateCandidates, normalizeName } from '../search/entries.js'
import type { ImportContext } from './importers.js'

/**
 * How an imported row names other records, as people write them: a customer by name, a person or a
 * department by name, a contract by number, a stage by name. Each lookup is read once per run; a name
 * that is unknown (or outside the importer's scope) or that names several records fails the row with
 * a message saying which.
 */

const cached = <T>(ctx: ImportContext, key: string, read: () => Promise<T>): Promise<T> => {
  if (!ctx.cache.has(key)) ctx.cache.set(key, read())
  return ctx.cache.get(key) as Promise<T>
}

const unknown = (what: string, name: string) =>
  new AppError(422, 'import.reference_unknown', `找不到${what}「${name}」（或不在你的权限范围内）`)
const ambiguous = (what: string, name: string, count: number) =>
  new AppError(422, 'import.reference_ambiguous', `有 ${count} 个${what}名为「${name}」，无法确定是哪一个`)

/** The one of `found` named `name`: exact names first, then the normalized match (查重's rule). */
function theOne<T>(what: string, name: string, found: T[]): T {
  if (found.length === 0) throw unknown(what, name)
  if (found.length > 1) throw ambiguous(what, name, found.length)
  return found[0]
}

/** A customer the importer sees, by name. */
export const customerByName = (ctx: ImportContext, name: string) =>
  cached(ctx, `ref:customer#${normalizeName(name)}`, async () => {
    const candidates = await duplicateCandidates(
      ctx.session.tenantId,
      { name },
      { recordTypes: ['customers'], contains: false, limit: 10 },
    )
    const seen = (
      await Promise.all(
        candidates.map((c) => getRecord(Customers, ctx.session, c.recordId).catch(() => undefined)),
      )
    ).filter((c) => !!c)
    const exact = seen.filter((c) => c.name === name.trim())
    return theOne('客户', name, exact.length ? exact : seen)
  })

const people = (ctx: ImportContext) =>
  cached(ctx, 'ref:users', () => listDirectory<DirectoryUser>(UserEntity, TAG.user, ctx.session.tenantId))
const depts = (ctx: ImportContext) =>
  cached(ctx, 'ref:depts', () => listDirectory<DirectoryDept>(DeptEntity, TAG.dept, ctx.session.tenantId))

/** A colleague by name (active only). */
export async function personByName(ctx: ImportContext, name: string): Promise<string> {
  const found = (await people(ctx)).filter((u) => u.active && u.name === name.trim())
  return theOne('同事', name, found).id
}

export async function deptByName(ctx: ImportContext, name: string): Promise<string> {
  const found = (await depts(ctx)).filter((d) => d.name === name.trim())
  return theOne('部门', name, found).id
}

/** A contract the importer sees, by its number (unique in the tenant; compared as the guard does). */
export const contractByNumber = (ctx: ImportContext, number: string) =>
  cached(ctx, `ref:contract#${number.trim().toUpperCase()}`, async () => {
    const page = await listContracts(ctx.session, ContractFilter.parse({ q: number.trim(), limit: 50 }))
    const found = page.items.filter((c) => c.number.trim().toUpperCase() === number.trim().toUpperCase())
    return theOne('合同', number, found)
  })

/** A contract by number, or undefined (查重 of contracts). */
export const contractNamed = (ctx: ImportContext, number: string) =>
  contractByNumber(ctx, number).catch((error) => {
    if (error instanceof AppError && error.code === 'import.reference_unknown') return undefined
    throw error
  })

/** A sales stage in use, by name. */
export async function stageByName(ctx: ImportContext, name: string): Promise<string> {
  const settings = await cached(ctx, 'ref:stages', () => heldDealSettings(ctx.session.tenantId))
  return theOne(
    '销售阶段',
    name,
    activeStages(settings).filter((s) => s.name === name.trim()),
  ).id
}
