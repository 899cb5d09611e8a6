import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { rebuildReportCounters } from '../../functions/domain/stats/rebuild.js'
import { DEMO_CORP_ID } from '../../local/emulator/index.js'
import { useStack } from '../helpers/stack.js'

/**
 * 产品明细 of opportunities and contracts: each line's amount and the record's amount derived by the
 * server to the fen, the product's list price as the default, no disabled product added; and 产品销售
 * (from counters) equal to a recount of the contracts' lines after any sequence of edits.
 */
const t = useStack()
const tokens: Record<string, string> = {}
const products: { id: string; price: number }[] = []

const call = async (user: string, method: string, path: string, body?: unknown) => {
  const result = await t.http(method, path, { token: tokens[user], body })
  if (result.status >= 500) throw new Error(`${method} ${path} → ${result.status} ${result.text}`)
  return result
}

beforeAll(async () => {
  for (const user of ['admin', 'mgr1', 'sales1', 'sales3']) tokens[user] = await t.login(user)
  for (const [i, price] of [99.99, 1280, 0.01, 35000.5].entries()) {
    const { json } = await call('admin', 'POST', '/api/products', { name: `明细产品${i}`, price })
    products.push({ id: json.id, price: Math.round(price * 100) })
  }
})

/** The recount: fen × hundredths × hundredths of a percent, rounded half up, in BigInt. */
const expected = (unitPriceFen: number, quantity: number, discount: number) => {
  const n =
    BigInt(unitPriceFen) * BigInt(Math.round(quantity * 100)) * BigInt(10000 - Math.round(discount * 100))
  return Number((n + 500_000n) / 1_000_000n)
}

let customerId: string
const customerOf = async () =>
  (customerId ??= (await call('sales1', 'POST', '/api/customers', { name: '明细客户' })).json.id)

describe('line items', () => {
  it('derives each line and the amount to the fen, with the list price as the default unit price', async () => {
    const { status, json } = await call('sales1', 'POST', '/api/contracts', {
      number: 'MX-1',
      name: '明细合同',
      customerId: await customerOf(),
      signedAt: '2026-11-02',
      amount: 1, // derived from the lines instead
      lines: [
        { productId: products[0].id, quantity: 3, discount: 12.5 },
        { productId: products[1].id, quantity: 0.33, unitPrice: 1000.01 },
      ],
    })
    expect(status, JSON.stringify(json)).toBe(201)
    const first = expected(9999, 3, 12.5) // 26247.375 fen → 26247
    const second = expected(100001, 0.33, 0)
    expect(json.lines.map((l: { amount: number }) => Math.round(l.amount * 100))).toEqual([first, second])
    expect(json.lines[0]).toMatchObject({ unitPrice: 99.99, productName: '明细产品0' })
    expect(Math.round(json.amount * 100)).toBe(first + second)
    expect(Math.round(json.outstandingAmount * 100)).toBe(first + second)
    const opp = await call('sales1', 'POST', '/api/opportunities', {
      name: '明细商机',
      customerId: await customerOf(),
      lines: [{ productId: products[2].id, quantity: 7 }],
    })
    expect(opp.json.amount).toBe(0.07)
  })

  it('refuses a disabled product on a new line and keeps one a record already has', async () => {
    const { json: product } = await call('admin', 'POST', '/api/products', { name: '将停用', price: 10 })
    const { json: contract } = await call('sales1', 'POST', '/api/contracts', {
      number: 'MX-2',
      name: '停用前',
      customerId: await customerOf(),
      signedAt: '2026-11-03',
      lines: [{ productId: product.id, quantity: 1 }],
    })
    await call('admin', 'PATCH', `/api/products/${product.id}`, { enabled: false, version: product.version })
    const refused = await call('sales1', 'POST', '/api/opportunities', {
      name: '停用后',
      customerId: await customerOf(),
      lines: [{ productId: product.id, quantity: 1 }],
    })
    expect([refused.status, refused.json.error.code]).toEqual([422, 'line.product_disabled'])
    const kept = await call('sales1', 'PATCH', `/api/contracts/${contract.id}`, {
      version: contract.version,
      lines: [{ productId: product.id, quantity: 2 }],
    })
    expect([kept.status, kept.json.amount]).toEqual([200, 20])
  })

  it('keeps every amount and 产品销售 equal to a recount after random line edits, moves and deletions', async () => {
    const DAYS = ['2026-01-15', '2026-02-01', '2026-02-28', '2026-07-09']
    const OWNERS = ['sales1', 'sales3'] // 销售一部, 销售二部
    const line = fc.record({
      product: fc.nat(3),
      quantity: fc.integer({ min: 1, max: 100_000 }).map((n) => n / 100),
      discount: fc.integer({ min: 0, max: 10_000 }).map((n) => n / 100),
      unitPrice: fc.option(fc.integer({ min: 0, max: 100_000_000 })),
    })
    const lines = fc.array(line, { minLength: 1, maxLength: 4 })
    type SentLine = { product: number; quantity: number; discount: number; unitPrice: number | null }
    type Op =
      | {
          kind: 'create'
          owner: number
          day: number
          lines: fc.Arbitrary<unknown> extends never ? never : any
        }
      | { kind: 'edit'; contract: number; lines: SentLine[] }
      | { kind: 'move'; contract: number; day: number; owner: number }
      | { kind: 'delete'; contract: number }
      | { kind: 'restore'; contract: number }
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant('create' as const), owner: fc.nat(1), day: fc.nat(3), lines }),
      fc.record({ kind: fc.constant('edit' as const), contract: fc.nat(9), lines }),
      fc.record({
        kind: fc.constant('move' as const),
        contract: fc.nat(9),
        day: fc.nat(3),
        owner: fc.nat(1),
      }),
      fc.record({ kind: fc.constant('delete' as const), contract: fc.nat(9) }),
      fc.record({ kind: fc.constant('restore' as const), contract: fc.nat(9) }),
    )
    const made: string[] = []
    const asSent = (
      ls: { product: number; quantity: number; discount: number; unitPrice: number | null }[],
    ) =>
      ls.map((l) => ({
        productId: products[l.product].id,
        quantity: l.quantity,
        discount: l.discount,
        ...(l.unitPrice === null ? {} : { unitPrice: l.unitPrice / 100 }),
      }))
    const current = async (id: string) => (await call('admin', 'GET', `/api/contracts/${id}`)).json
    let n = 0
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 3, maxLength: 8 }), async (ops) => {
        for (const o of ops) {
          const id = 'contract' in o ? made[o.contract % Math.max(1, made.length)] : undefined
          if (o.kind === 'create') {
            const { json } = await call(OWNERS[o.owner], 'POST', '/api/contracts', {
              number: `P-${++n}`,
              name: `随机合同${n}`,
              customerId: await customerOf(),
              signedAt: DAYS[o.day],
              ownerId: OWNERS[o.owner],
              lines: asSent(o.lines),
            })
            made.push(json.id)
          } else if (!id) continue
          else if (o.kind === 'edit') {
            const { version } = await current(id)
            await call('admin', 'PATCH', `/api/contracts/${id}`, { version, lines: asSent(o.lines) })
          } else if (o.kind === 'move') {
            const { version } = await current(id)
            await call('admin', 'PATCH', `/api/contracts/${id}`, {
              version,
              signedAt: DAYS[o.day],
              ownerId: OWNERS[o.owner],
            })
          } else if (o.kind === 'delete') await call('admin', 'DELETE', `/api/contracts/${id}`)
          else await call('admin', 'POST', `/api/recycle-bin/contracts/${id}/restore`)
        }
        // the recount: every live contract's lines, from the records themselves
        const live = (await Promise.all(made.map(current))).filter((c) => c.id)
        const want = new Map<string, { amount: number; quantity: number }>()
        for (const c of live) {
          let total = 0
          for (const l of c.lines) {
            const fen = expected(Math.round(l.unitPrice * 100), l.quantity, l.discount)
            expect(Math.round(l.amount * 100)).toBe(fen)
            total += fen
            const key = `${l.productId}#${Number(c.signedAt.slice(5, 7))}`
            const sum = want.get(key) ?? { amount: 0, quantity: 0 }
            want.set(key, { amount: sum.amount + fen, quantity: sum.quantity + Math.round(l.quantity * 100) })
          }
          expect(Math.round(c.amount * 100)).toBe(total)
        }
        const { json: report } = await call('admin', 'GET', '/api/reports/products?year=2026')
        const got = new Map<string, { amount: number; quantity: number }>()
        for (const row of report.rows)
          for (const m of row.months)
            if (m.amount || m.quantity)
              got.set(`${row.productId}#${m.month}`, {
                amount: Math.round(m.amount * 100),
                quantity: Math.round(m.quantity * 100),
              })
        // the first tests' contracts count too (signed in November)
        for (const [key, value] of got) if (key.endsWith('#11')) want.set(key, value)
        expect(got).toEqual(want)
      }),
      { numRuns: 12 },
    )
  })
})

describe('a contract under approval', () => {
  it('sells nothing in 产品销售 until it is approved', async () => {
    const { json: product } = await call('admin', 'POST', '/api/products', { name: '审批中产品', price: 500 })
    const flows = (await call('admin', 'GET', '/api/settings/approvals')).json
    const flow = {
      name: '明细审批',
      collection: 'contracts',
      on: 'create',
      steps: [{ approver: { type: 'users', userIds: ['admin'] }, mode: 'or' }],
    }
    await call('admin', 'PUT', '/api/settings/approvals', {
      version: flows.version,
      flows: [...flows.flows, flow],
    })
    const { json: contract } = await call('sales1', 'POST', '/api/contracts', {
      number: 'MX-SP',
      name: '待审批明细合同',
      customerId: await customerOf(),
      signedAt: '2026-11-06',
      lines: [{ productId: product.id, quantity: 4 }],
    })
    expect(contract.approval).toMatchObject({ status: 'pending' })
    const sold = async () =>
      (await call('admin', 'GET', '/api/reports/products?year=2026')).json.rows.find(
        (r: { productId: string }) => r.productId === product.id,
      )
    expect(await sold()).toBeUndefined()
    expect((await call('admin', 'POST', `/api/approvals/${contract.approval.id}/approve`, {})).status).toBe(
      200,
    )
    expect(await sold()).toMatchObject({ amount: 2000, quantity: 4 })
  })
})

describe('the report rebuild', () => {
  it('rebuilds 产品销售 from the contracts’ lines: the rebuilt table reports the same', async () => {
    const report = async () => (await call('admin', 'GET', '/api/reports/products?year=2026')).json
    const before = await report()
    expect(before.rows.length).toBeGreaterThan(0)
    await rebuildReportCounters(DEMO_CORP_ID)
    expect(await report()).toEqual(before)
  })
})
