import * as z from 'zod'
import {
  ContractInput,
  ContractUpdate,
  FollowUpInput,
  InvoiceFilter,
  InvoiceInput,
  InvoiceUpdate,
  OpportunityFilter,
  OpportunityInput,
  OpportunityUpdate,
  PaymentFilter,
  PaymentInput,
  PaymentPlanFilter,
  PaymentPlanInput,
  PaymentPlanUpdate,
  PaymentUpdate,
  TargetInput,
  TargetUpdate,
  Money,
} from '../../../shared/schemas/index.js'
import type { Session } from '../../core/context.js'
import { AppError, isAppError } from '../../core/errors.js'
import { createContract, getContract, updateContract } from '../contracts/record.js'
import { customerTab } from '../customers/children.js'
import { createFollowUp, FollowUps, updateFollowUp } from '../followups/record.js'
import { getChild } from '../customers/children.js'
import { createInvoice, getInvoice, listInvoices, updateInvoice } from '../invoices/record.js'
import {
  createOpportunity,
  getOpportunity,
  listOpportunities,
  updateOpportunity,
} from '../opportunities/record.js'
import { createPlan, getPlan, listPlans, updatePlan } from '../payment-plans/record.js'
import { createPayment, getPayment, listPayments, updatePayment } from '../payments/record.js'
import { createTarget, getTarget, updateTarget } from '../targets/record.js'
import type { ImportContext, Importer } from './importers.js'
import {
  contractByNumber,
  contractNamed,
  customerByName,
  deptByName,
  personByName,
  stageByName,
} from './references.js'

/**
 * 商机, 合同, 跟进, 回款计划, 回款, 发票, 销售目标 imports. A row names the records it points at (customer by
 * name, owner by name, contract by number, stage by name); they are resolved (`references.ts`), then the
 * row goes through the collection's own create verb, as its route would (scope, rules, counters,
 * 动态), once per row (the run remembers it under the row: `Importer.createVia`), or, matching an
 * existing record (查重) under "update", through its update verb.
 */

type Fields = Record<string, unknown>
const Name = z.string().trim().min(1).max(100)
const Text = (what: string) => z.string().trim().min(1, `请填写${what}`).max(100)

/** What a collection's importer needs besides its row schema. */
interface Spec<Input extends Fields> {
  row: z.ZodType<Fields>
  required: string[]
  keys(row: Fields): string[]
  /** the domain input: the row's names resolved to ids (only what the row has, for an update) */
  resolve(ctx: ImportContext, row: Fields): Promise<Input>
  /** the existing record the row duplicates (查重), by the resolved input */
  find(ctx: ImportContext, input: Input): Promise<string | undefined>
  create(session: Session, input: Input): Promise<unknown>
  get(session: Session, id: string): Promise<Fields & { version: number }>
  /** the fields the update verb takes */
  update: {
    schema: z.ZodObject
    run(session: Session, id: string, changes: Fields & { version: number }): Promise<unknown>
  }
}

const differs = (current: Fields, changes: Fields) =>
  Object.entries(changes).some(([k, v]) => JSON.stringify(current[k]) !== JSON.stringify(v))

function importer<Input extends Fields>(spec: Spec<Input>): Importer {
  return {
    input: spec.row,
    required: spec.required,
    keys: spec.keys,
    match: async (ctx, row) => spec.find(ctx, await spec.resolve(ctx, row)),
    createVia: async (ctx, row) => spec.create(ctx.session, await spec.resolve(ctx, row)),
    async update(ctx, id, row) {
      const resolved = await spec.resolve(ctx, row)
      const allowed = new Set(Object.keys(spec.update.schema.shape))
      const changes = Object.fromEntries(
        Object.entries(resolved).filter(([k, v]) => allowed.has(k) && v !== undefined),
      )
      for (let attempt = 1; ; attempt++) {
        const current = await spec.get(ctx.session, id).catch((error) => {
          throw isAppError(error) && error.status === 404 ? notYours() : error
        })
        if (!differs(current, changes)) return false
        try {
          await spec.update.run(ctx.session, id, { ...changes, version: current.version })
          return true
        } catch (error) {
          if (attempt < 3 && isAppError(error, 'version.conflict')) continue
          throw isAppError(error, 'auth.forbidden') ? notYours() : error
        }
      }
    },
  }
}

const notYours = () =>
  new AppError(403, 'import.match_not_editable', '记录已存在，但不在你的权限范围内，无法更新')

/** The rows of a parent's tab, read once per run (查重 among a customer's or a contract's records). */
const tabOf = <T>(ctx: ImportContext, key: string, read: () => Promise<{ items: T[] }>): Promise<T[]> => {
  if (!ctx.cache.has(key))
    ctx.cache.set(
      key,
      read().then((page) => page.items),
    )
  return ctx.cache.get(key) as Promise<T[]>
}

const owner = async (ctx: ImportContext, row: Fields) =>
  row.ownerName ? { ownerId: await personByName(ctx, String(row.ownerName)) } : {}
const customer = async (ctx: ImportContext, row: Fields) =>
  row.customerName ? { customerId: (await customerByName(ctx, String(row.customerName))).id } : {}
const contract = async (ctx: ImportContext, row: Fields) =>
  row.contractNumber ? { contractId: (await contractByNumber(ctx, String(row.contractNumber))).id } : {}
/** the row without its names (they are resolved to ids) */
const fieldsOf = (row: Fields, ...names: string[]) =>
  Object.fromEntries(Object.entries(row).filter(([k]) => !names.includes(k)))

const opportunities = importer<z.output<typeof OpportunityInput>>({
  row: OpportunityInput.omit({ customerId: true, ownerId: true, stageId: true, lines: true }).extend({
    customerName: Text('客户名称'),
    stageName: Name.optional(),
    ownerName: Name.optional(),
  }) as unknown as z.ZodType<Fields>,
  required: ['name', 'customerName'],
  keys: (row) => [`O#${row.customerName}#${row.name}`],
  resolve: async (ctx, row) =>
    ({
      ...fieldsOf(row, 'customerName', 'stageName', 'ownerName'),
      ...(await customer(ctx, row)),
      ...(await owner(ctx, row)),
      ...(row.stageName ? { stageId: await stageByName(ctx, String(row.stageName)) } : {}),
    }) as z.output<typeof OpportunityInput>,
  find: async (ctx, input) =>
    (
      await tabOf(ctx, `opp#${input.customerId}`, () =>
        listOpportunities(ctx.session, OpportunityFilter.parse({ customerId: input.customerId, limit: 200 })),
      )
    ).find((o) => o.name === input.name)?.id,
  create: createOpportunity,
  get: getOpportunity,
  update: { schema: OpportunityUpdate, run: updateOpportunity as never },
})

const contracts = importer<z.output<typeof ContractInput>>({
  row: ContractInput.omit({ customerId: true, ownerId: true, opportunityId: true, lines: true }).extend({
    customerName: Text('客户名称'),
    ownerName: Name.optional(),
  }) as unknown as z.ZodType<Fields>,
  required: ['number', 'name', 'customerName', 'amount', 'signedAt'],
  keys: (row) => [`C#${String(row.number).trim().toUpperCase()}`],
  resolve: async (ctx, row) =>
    ({
      ...fieldsOf(row, 'customerName', 'ownerName'),
      ...(await customer(ctx, row)),
      ...(await owner(ctx, row)),
    }) as z.output<typeof ContractInput>,
  find: async (ctx, input) => (await contractNamed(ctx, input.number))?.id,
  create: createContract,
  get: getContract,
  update: { schema: ContractUpdate, run: updateContract as never },
})

/** files carry times to the minute (2026-11-10 10:00) */
const sameMinute = (a: string, b: string) =>
  Math.floor(Date.parse(a) / 60_000) === Math.floor(Date.parse(b) / 60_000)

const followups = importer<z.output<typeof FollowUpInput>>({
  row: FollowUpInput.omit({ customerId: true, contactId: true, opportunityId: true, location: true }).extend({
    customerName: Text('客户名称'),
  }) as unknown as z.ZodType<Fields>,
  required: ['customerName', 'method', 'content', 'followedAt'],
  keys: (row) => [`F#${row.customerName}#${row.followedAt}#${row.content}`],
  resolve: async (ctx, row) =>
    ({ ...fieldsOf(row, 'customerName'), ...(await customer(ctx, row)) }) as z.output<typeof FollowUpInput>,
  find: async (ctx, input) =>
    (
      await tabOf(ctx, `fup#${input.customerId}`, () =>
        customerTab(ctx.session, input.customerId, FollowUps, { limit: 200 }),
      )
    ).find((f) => sameMinute(f.followedAt, input.followedAt) && f.content === input.content)?.id,
  create: createFollowUp,
  get: (session, id) => getChild(FollowUps, session, id),
  update: { schema: FollowUpInput.omit({ customerId: true }), run: updateFollowUp as never },
})

/** the records of a contract's tab, for 查重 */
const contractTab = <T>(
  ctx: ImportContext,
  kind: string,
  contractId: string,
  read: () => Promise<{ items: T[] }>,
) => tabOf(ctx, `${kind}#${contractId}`, read)

const plans = importer<z.output<typeof PaymentPlanInput>>({
  row: PaymentPlanInput.omit({ contractId: true }).extend({
    contractNumber: Text('合同编号'),
  }) as unknown as z.ZodType<Fields>,
  required: ['contractNumber', 'dueDate', 'amount'],
  keys: (row) => [`P#${row.contractNumber}#${row.dueDate}#${row.amount}`],
  resolve: async (ctx, row) =>
    ({ ...fieldsOf(row, 'contractNumber'), ...(await contract(ctx, row)) }) as z.output<
      typeof PaymentPlanInput
    >,
  find: async (ctx, input) =>
    (
      await contractTab(ctx, 'plan', input.contractId, () =>
        listPlans(ctx.session, PaymentPlanFilter.parse({ contractId: input.contractId, limit: 200 })),
      )
    ).find((p) => p.dueDate === input.dueDate && p.amount === input.amount)?.id,
  create: createPlan,
  get: getPlan as never,
  update: { schema: PaymentPlanUpdate, run: updatePlan as never },
})

const payments = importer<z.output<typeof PaymentInput>>({
  row: PaymentInput.omit({ contractId: true, planId: true, ownerId: true }).extend({
    contractNumber: Text('合同编号'),
    ownerName: Name.optional(),
  }) as unknown as z.ZodType<Fields>,
  required: ['contractNumber', 'receivedAt', 'amount'],
  keys: (row) => [`Y#${row.contractNumber}#${row.receivedAt}#${row.amount}#${row.method}`],
  resolve: async (ctx, row) =>
    ({
      ...fieldsOf(row, 'contractNumber', 'ownerName'),
      ...(await contract(ctx, row)),
      ...(await owner(ctx, row)),
    }) as z.output<typeof PaymentInput>,
  find: async (ctx, input) =>
    (
      await contractTab(ctx, 'pay', input.contractId, () =>
        listPayments(ctx.session, PaymentFilter.parse({ contractId: input.contractId, limit: 200 })),
      )
    ).find((p) => p.receivedAt === input.receivedAt && p.amount === input.amount && p.method === input.method)
      ?.id,
  create: createPayment,
  get: getPayment,
  update: { schema: PaymentUpdate, run: updatePayment as never },
})

const invoices = importer<z.output<typeof InvoiceInput>>({
  row: InvoiceInput.omit({ contractId: true }).extend({
    contractNumber: Text('合同编号'),
  }) as unknown as z.ZodType<Fields>,
  required: ['contractNumber', 'title', 'amount', 'issuedAt'],
  keys: (row) => [
    row.number ? `I#${row.number}` : `I#${row.contractNumber}#${row.title}#${row.amount}#${row.issuedAt}`,
  ],
  resolve: async (ctx, row) =>
    ({ ...fieldsOf(row, 'contractNumber'), ...(await contract(ctx, row)) }) as z.output<typeof InvoiceInput>,
  find: async (ctx, input) =>
    (
      await contractTab(ctx, 'inv', input.contractId, () =>
        listInvoices(ctx.session, InvoiceFilter.parse({ contractId: input.contractId, limit: 200 })),
      )
    ).find((i) =>
      input.number
        ? i.number === input.number
        : i.title === input.title && i.amount === input.amount && i.issuedAt === input.issuedAt,
    )?.id,
  create: createInvoice,
  get: getInvoice,
  update: { schema: InvoiceUpdate, run: updateInvoice as never },
})

const MONTHS = Array.from({ length: 12 }, (_, i) => `m${i + 1}`)
const targets = importer<z.output<typeof TargetInput>>({
  row: TargetInput.omit({ subjectId: true, months: true }).extend({
    subjectName: Text('部门或人员'),
    ...Object.fromEntries(MONTHS.map((m) => [m, Money.optional()])),
  }) as unknown as z.ZodType<Fields>,
  required: ['scope', 'subjectName', 'metric', 'year'],
  keys: (row) => [`T#${row.scope}#${row.subjectName}#${row.metric}#${row.year}`],
  resolve: async (ctx, row) =>
    ({
      ...fieldsOf(row, 'subjectName', ...MONTHS),
      ...(row.subjectName && row.scope
        ? {
            subjectId:
              row.scope === 'dept'
                ? await deptByName(ctx, String(row.subjectName))
                : await personByName(ctx, String(row.subjectName)),
          }
        : {}),
      ...(MONTHS.some((m) => row[m] !== undefined)
        ? { months: MONTHS.map((m) => (row[m] as number) ?? 0) }
        : {}),
    }) as z.output<typeof TargetInput>,
  find: (ctx, input) =>
    getTarget(ctx.session, `${input.year}-${input.metric}-${input.scope}-${input.subjectId}`).then(
      (t) => t.id,
      () => undefined,
    ),
  create: (session, input) => createTarget(session, { ...input, months: input.months ?? Array(12).fill(0) }),
  get: getTarget,
  update: { schema: TargetUpdate, run: updateTarget as never },
})

export const dealImporters = {
  opportunities,
  contracts,
  followups,
  'payment-plans': plans,
  payments,
  invoices,
  targets,
}
