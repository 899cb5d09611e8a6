import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setClock } from '../../functions/core/clock.js'
import { useStack } from '../helpers/stack.js'

/**
 * Whatever sequence of contract, plan, payment and invoice writes, owner changes, deletions and
 * restores happens, every report (read from counters) equals a recount from the raw records, to the fen,
 * and so do the contracts' derived amounts and the customers' wonAmount.
 */
const t = useStack()
const tokens: Record<string, string> = {}
const TODAY = Date.parse('2026-05-20T10:00:00+08:00')
const DAYS = [
  '2026-04-30',
  '2026-05-01',
  '2026-05-03',
  '2026-05-19',
  '2026-05-20',
  '2026-05-31',
  '2026-06-10',
]
const OWNERS = ['sales1', 'sales2', 'sales3', 'mgr1']
const DEPT: Record<string, string> = { sales1: '201', sales2: '201', mgr1: '201', sales3: '202' }

beforeAll(async () => {
  setClock(() => TODAY)
  for (const user of ['admin', 'mgr1', 'mgr2', 'sales1', 'sales2', 'sales3'])
    tokens[user] = await t.login(user)
})
afterAll(() => setClock(undefined))

const call = async (user: string, method: string, path: string, body?: unknown) => {
  const result = await t.http(method, path, { token: tokens[user], body })
  if (result.status >= 500) throw new Error(`${method} ${path} → ${result.status} ${result.text}`)
  return result
}
const fen = (yuan: number) => Math.round(yuan * 100)

async function listAll(path: string): Promise<any[]> {
  const items: any[] = []
  let cursor: string | null = null
  do {
    const { json } = await call(
      'admin',
      'GET',
      `${path}${path.includes('?') ? '&' : '?'}limit=200${cursor ? `&cursor=${cursor}` : ''}`,
    )
    items.push(...json.items)
    cursor = json.nextCursor
  } while (cursor)
  return items
}

type Op =
  | { kind: 'contract'; owner: number; amount: number; day: number }
  | { kind: 'plan'; contract: number; amount: number; day: number }
  | { kind: 'payment'; contract: number; plan: number | null; amount: number; day: number }
  | { kind: 'invoice'; contract: number; amount: number }
  | { kind: 'editPayment'; payment: number; amount: number }
  | { kind: 'owner'; contract: number; owner: number }
  | { kind: 'delete'; what: 'contracts' | 'payments' | 'invoices' | 'payment-plans'; index: number }
  | { kind: 'restore'; index: number }

const amount = fc.integer({ min: 1, max: 5_000_000 }) // fen
const index = fc.nat(20)
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('contract' as const), owner: fc.nat(3), amount, day: fc.nat(6) }),
  fc.record({ kind: fc.constant('plan' as const), contract: index, amount, day: fc.nat(6) }),
  fc.record({
    kind: fc.constant('payment' as const),
    contract: index,
    plan: fc.option(index),
    amount,
    day: fc.nat(6),
  }),
  fc.record({ kind: fc.constant('invoice' as const), contract: index, amount }),
  fc.record({ kind: fc.constant('editPayment' as const), payment: index, amount }),
  fc.record({ kind: fc.constant('owner' as const), contract: index, owner: fc.nat(3) }),
  fc.record({
    kind: fc.constant('delete' as const),
    what: fc.constantFrom(
      'contracts' as const,
      'payments' as const,
      'invoices' as const,
      'payment-plans' as const,
    ),
    index,
  }),
  fc.record({ kind: fc.constant('restore' as const), index }),
)

let run = 0
const pick = <T>(list: T[], i: number) => (list.length ? list[i % list.length] : undefined)

async function apply(ops: Op[], customerId: string) {
  const made = {
    contracts: [] as any[],
    'payment-plans': [] as any[],
    payments: [] as any[],
    invoices: [] as any[],
  }
  const deleted: { what: string; id: string }[] = []
  run += 1
  let n = 0
  for (const o of ops) {
    n += 1
    if (o.kind === 'contract') {
      const owner = OWNERS[o.owner]
      const { status, json } = await call('admin', 'POST', '/api/contracts', {
        number: `P${run}-${n}`,
        name: `合同 ${run}-${n}`,
        customerId,
        amount: o.amount / 100,
        signedAt: DAYS[o.day],
        ownerId: owner,
      })
      if (status === 201) made.contracts.push(json)
    } else if (o.kind === 'plan' || o.kind === 'payment' || o.kind === 'invoice') {
      const contract = pick(made.contracts, o.contract)
      if (!contract) continue
      const path = { plan: 'payment-plans', payment: 'payments', invoice: 'invoices' }[o.kind]
      const plan =
        o.kind === 'payment' && o.plan !== null
          ? pick(
              made['payment-plans'].filter((p) => p.contractId === contract.id),
              o.plan,
            )
          : undefined
      const body =
        o.kind === 'plan'
          ? { contractId: contract.id, dueDate: DAYS[o.day], amount: o.amount / 100 }
          : o.kind === 'payment'
            ? {
                contractId: contract.id,
                planId: plan?.id ?? null,
                receivedAt: DAYS[o.day],
                amount: o.amount / 100,
              }
            : { contractId: contract.id, title: '抬头', amount: o.amount / 100, issuedAt: DAYS[0] }
      const { status, json } = await call('sales1', 'POST', `/api/${path}`, body).then((r) =>
        r.status === 404 ? call('admin', 'POST', `/api/${path}`, body) : r,
      )
      if (status === 201) made[path as keyof typeof made].push(json)
    } else if (o.kind === 'editPayment') {
      const payment = pick(made.payments, o.payment)
      if (!payment) continue
      const { json: current, status } = await call('admin', 'GET', `/api/payments/${payment.id}`)
      if (status !== 200) continue
      await call('admin', 'PATCH', `/api/payments/${payment.id}`, {
        amount: o.amount / 100,
        version: current.version,
      })
    } else if (o.kind === 'owner') {
      const contract = pick(made.contracts, o.contract)
      if (!contract) continue
      const { json: current, status } = await call('admin', 'GET', `/api/contracts/${contract.id}`)
      if (status !== 200) continue
      await call('admin', 'PATCH', `/api/contracts/${contract.id}`, {
        ownerId: OWNERS[o.owner],
        version: current.version,
      })
    } else if (o.kind === 'delete') {
      const record = pick(made[o.what], o.index)
      if (!record) continue
      const { status } = await call('admin', 'DELETE', `/api/${o.what}/${record.id}`)
      if (status === 204) deleted.push({ what: o.what, id: record.id })
    } else {
      const entry = pick(deleted, o.index)
      if (!entry) continue
      await call('admin', 'POST', `/api/recycle-bin/${entry.what}/${entry.id}/restore`)
    }
  }
}

/** What the reports must say, recounted from the live records with plain loops. */
async function recount(customerIds: string[]) {
  const [contracts, plans, payments, invoices] = await Promise.all(
    ['contracts', 'payment-plans', 'payments', 'invoices'].map((p) => listAll(`/api/${p}`)),
  )
  return { contracts, plans, payments, invoices, customerIds }
}

const inRange = (day: string, from: string, to: string) => day >= from && day <= to
const sum = (items: any[], value: (r: any) => number) => items.reduce((a, r) => a + value(r), 0)

describe('reports against a recount of the raw records', () => {
  const customerIds: string[] = []

  it('match to the fen after random sequences of writes, owner changes, deletions and restores', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 4, maxLength: 14 }), async (ops) => {
        const { json: customer } = await call('sales1', 'POST', '/api/customers', {
          name: `属性客户 ${run + 1}`,
        })
        customerIds.push(customer.id)
        await apply(ops, customer.id)
        const raw = await recount(customerIds)

        // contract amounts and the customers' wonAmount
        for (const c of raw.contracts) {
          const received = sum(
            raw.payments.filter((p) => p.contractId === c.id),
            (p) => fen(p.amount),
          )
          const invoiced = sum(
            raw.invoices.filter((i) => i.contractId === c.id),
            (i) => fen(i.amount),
          )
          const planned = sum(
            raw.plans.filter((p) => p.contractId === c.id),
            (p) => fen(p.amount),
          )
          expect(fen(c.receivedAmount)).toBe(received)
          expect(fen(c.invoicedAmount)).toBe(invoiced)
          expect(fen(c.plannedAmount)).toBe(planned)
          expect(fen(c.outstandingAmount)).toBe(fen(c.amount) - received)
        }
        for (const p of raw.plans) {
          const paid = sum(
            raw.payments.filter((x) => x.planId === p.id),
            (x) => fen(x.amount),
          )
          expect(fen(p.receivedAmount)).toBe(paid)
        }
        const { json: cus } = await call('admin', 'GET', `/api/customers/${customer.id}`)
        expect(fen(cus.wonAmount)).toBe(
          sum(
            raw.contracts.filter((c) => c.customerId === customer.id),
            (c) => fen(c.amount),
          ),
        )

        // briefing for an admin, a manager and a member, over a whole month and loose days, and over a
        // month less its first and last day (read as the month minus those days)
        const [from, to] = ['2026-05-01', '2026-06-10']
        const viewers: [string, (owner: string) => boolean][] = [
          ['admin', () => true],
          ['mgr1', (owner) => DEPT[owner] === '201'],
          ['sales3', (owner) => owner === 'sales3'],
        ]
        for (const [[user, sees], [from, to]] of viewers.flatMap((viewer) =>
          [
            ['2026-05-01', '2026-06-10'],
            ['2026-05-02', '2026-05-30'],
          ].map((range) => [viewer, range] as const),
        )) {
          const { json } = await call(user, 'GET', `/api/reports/briefing?from=${from}&to=${to}`)
          const contractAmount = sum(
            raw.contracts.filter((c) => sees(c.ownerId) && inRange(c.signedAt, from, to)),
            (c) => fen(c.amount),
          )
          const paymentAmount = sum(
            raw.payments.filter((p) => sees(p.ownerId) && inRange(p.receivedAt, from, to)),
            (p) => fen(p.amount),
          )
          expect({ user, contract: fen(json.contractAmount), payment: fen(json.paymentAmount) }).toEqual({
            user,
            contract: contractAmount,
            payment: paymentAmount,
          })
        }

        // performance per person (admin)
        const { json: perf } = await call(
          'admin',
          'GET',
          `/api/reports/performance?from=${from}&to=${to}&groupBy=user`,
        )
        for (const owner of OWNERS) {
          const row = perf.rows.find((r: { id: string }) => r.id === owner)
          expect(fen(row.contractAmount)).toBe(
            sum(
              raw.contracts.filter((c) => c.ownerId === owner && inRange(c.signedAt, from, to)),
              (c) => fen(c.amount),
            ),
          )
        }

        // payments analysis (admin): planned, received, overdue per month
        const { json: analysis } = await call('admin', 'GET', '/api/reports/payments?year=2026')
        for (const m of analysis.months) {
          const month = `2026-${String(m.month).padStart(2, '0')}`
          const plans = raw.plans.filter((p) => p.dueDate.startsWith(month))
          expect(fen(m.planned)).toBe(sum(plans, (p) => fen(p.amount)))
          expect(fen(m.received)).toBe(
            sum(
              raw.payments.filter((p) => p.receivedAt.startsWith(month)),
              (p) => fen(p.amount),
            ),
          )
          expect(fen(m.overdue)).toBe(
            sum(
              plans.filter((p) => p.dueDate < '2026-05-20'),
              (p) => fen(p.amount) - fen(p.receivedAmount),
            ),
          )
        }
      }),
      { numRuns: 25 },
    )
  }, 240_000)
})
