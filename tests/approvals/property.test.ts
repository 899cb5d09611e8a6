import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setClock } from '../../functions/core/clock.js'
import { useStack } from '../helpers/stack.js'

/**
 * Whatever sequence of creates, approvals, rejections, withdrawals, resubmissions and edits of
 * contracts and payments happens under approval flows, the reports, the customer's wonAmount and each
 * contract's received / outstanding amounts equal a recount over the records in effect (no approval,
 * or approved) only.
 */
const t = useStack()
const tokens: Record<string, string> = {}
const DAYS = ['2026-05-02', '2026-05-19', '2026-06-03']

beforeAll(async () => {
  setClock(() => Date.parse('2026-05-20T10:00:00+08:00'))
  for (const user of ['admin', 'mgr1', 'sales1']) tokens[user] = await t.login(user)
  const flows = [
    {
      name: '合同审批',
      collection: 'contracts',
      on: 'create',
      condition: { field: 'amount', op: 'gte', value: 10000 },
      steps: [{ approver: { type: 'users', userIds: ['mgr1'] }, mode: 'or' }],
    },
    {
      name: '改价审批',
      collection: 'contracts',
      on: 'update',
      condition: { field: 'amount', op: 'gte', value: 50000 },
      steps: [{ approver: { type: 'users', userIds: ['mgr1'] }, mode: 'or' }],
    },
    {
      name: '现金回款',
      collection: 'payments',
      on: 'create',
      condition: { field: 'method', op: 'eq', value: 'cash' },
      steps: [{ approver: { type: 'manager' }, mode: 'or' }],
    },
  ]
  await t.http('PUT', '/api/settings/approvals', { token: tokens.admin, body: { version: 0, flows } })
})
afterAll(() => setClock(undefined))

const call = async (user: string, method: string, path: string, body?: unknown) => {
  const result = await t.http(method, path, { token: tokens[user], body })
  if (result.status >= 500) throw new Error(`${method} ${path} → ${result.status} ${result.text}`)
  return result
}
const fen = (yuan: number) => Math.round(yuan * 100)
const sum = (items: any[], value: (r: any) => number) => items.reduce((a, r) => a + value(r), 0)
const inEffect = (r: { approval?: { status: string } }) => !r.approval || r.approval.status === 'approved'

type Op =
  | { kind: 'contract'; amount: number; day: number }
  | { kind: 'payment'; contract: number; amount: number; cash: boolean; day: number }
  | { kind: 'decide'; what: 'contracts' | 'payments'; index: number; verb: 'approve' | 'reject' | 'withdraw' }
  | { kind: 'resubmit'; what: 'contracts' | 'payments'; index: number }
  | { kind: 'edit'; what: 'contracts' | 'payments'; index: number; amount: number }

const what = fc.constantFrom('contracts' as const, 'payments' as const)
const index = fc.nat(10)
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('contract' as const),
    amount: fc.constantFrom(3000, 20000, 80000),
    day: fc.nat(2),
  }),
  fc.record({
    kind: fc.constant('payment' as const),
    contract: index,
    amount: fc.constantFrom(1000, 2500, 9000),
    cash: fc.boolean(),
    day: fc.nat(2),
  }),
  fc.record({
    kind: fc.constant('decide' as const),
    what,
    index,
    verb: fc.constantFrom('approve' as const, 'approve' as const, 'reject' as const, 'withdraw' as const),
  }),
  fc.record({ kind: fc.constant('resubmit' as const), what, index }),
  fc.record({ kind: fc.constant('edit' as const), what, index, amount: fc.constantFrom(1500, 4000, 60000) }),
)

let run = 0
const pick = <T>(list: T[], i: number) => (list.length ? list[i % list.length] : undefined)

async function apply(ops: Op[], customerId: string) {
  const made = { contracts: [] as string[], payments: [] as string[] }
  run += 1
  let n = 0
  for (const o of ops) {
    n += 1
    if (o.kind === 'contract') {
      const { status, json } = await call('sales1', 'POST', '/api/contracts', {
        number: `AP${run}-${n}`,
        name: `审批合同 ${run}-${n}`,
        customerId,
        amount: o.amount,
        signedAt: DAYS[o.day],
      })
      if (status === 201) made.contracts.push(json.id)
    } else if (o.kind === 'payment') {
      const contractId = pick(made.contracts, o.contract)
      if (!contractId) continue
      const { status, json } = await call('sales1', 'POST', '/api/payments', {
        contractId,
        receivedAt: DAYS[o.day],
        method: o.cash ? 'cash' : 'transfer',
        amount: o.amount,
      })
      if (status === 201) made.payments.push(json.id)
    } else {
      const id = pick(made[o.what], o.index)
      if (!id) continue
      const { json: record } = await call('sales1', 'GET', `/api/${o.what}/${id}`)
      if (o.kind === 'decide') {
        if (record.approval?.status !== 'pending') continue
        const user = o.verb === 'withdraw' ? 'sales1' : 'mgr1'
        await call(user, 'POST', `/api/approvals/${record.approval.id}/${o.verb}`, { comment: '随机' })
      } else if (o.kind === 'resubmit') {
        await call('sales1', 'POST', `/api/${o.what}/${id}/submit`)
      } else {
        await call('sales1', 'PATCH', `/api/${o.what}/${id}`, { amount: o.amount, version: record.version })
      }
    }
  }
}

async function listAll(path: string): Promise<any[]> {
  const items: any[] = []
  let cursor: string | null = null
  do {
    const { json } = await call('admin', 'GET', `${path}?limit=200${cursor ? `&cursor=${cursor}` : ''}`)
    items.push(...json.items)
    cursor = json.nextCursor
  } while (cursor)
  return items
}

describe('effects of approvals against a recount of the records in effect', () => {
  it('match to the fen after random creates, decisions, resubmissions and edits', async () => {
    const customerIds: string[] = []
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 6, maxLength: 14 }), async (ops) => {
        const { json: customer } = await call('sales1', 'POST', '/api/customers', {
          name: `审批属性 ${run + 1}`,
        })
        customerIds.push(customer.id)
        await apply(ops, customer.id)
        const [contracts, payments] = await Promise.all([listAll('/api/contracts'), listAll('/api/payments')])
        const counted = payments.filter(inEffect)
        for (const c of contracts) {
          const received = sum(
            counted.filter((p) => p.contractId === c.id),
            (p) => fen(p.amount),
          )
          expect({
            id: c.id,
            received: fen(c.receivedAmount),
            outstanding: fen(c.outstandingAmount),
          }).toEqual({
            id: c.id,
            received,
            outstanding: fen(c.amount) - received,
          })
        }
        for (const id of customerIds) {
          const { json } = await call('admin', 'GET', `/api/customers/${id}`)
          const won = sum(
            contracts.filter((c) => c.customerId === id && inEffect(c)),
            (c) => fen(c.amount),
          )
          expect(fen(json.wonAmount)).toBe(won)
        }
        for (const [from, to] of [
          ['2026-05-01', '2026-05-31'],
          ['2026-05-10', '2026-06-30'],
        ]) {
          const { json } = await call('sales1', 'GET', `/api/reports/briefing?from=${from}&to=${to}`)
          const within = (day: string) => day >= from && day <= to
          expect({ contract: fen(json.contractAmount), payment: fen(json.paymentAmount) }).toEqual({
            contract: sum(
              contracts.filter((c) => inEffect(c) && within(c.signedAt)),
              (c) => fen(c.amount),
            ),
            payment: sum(
              counted.filter((p) => within(p.receivedAt)),
              (p) => fen(p.amount),
            ),
          })
        }
      }),
      { numRuns: 5 },
    )
  })
})
