import { describe, expect, it } from 'vitest'
import type { ApiClient } from '../../shared/api/client.js'
import { homeData } from '../../shared/view/home.js'
import { moduleMiniPage, modules } from '../../shared/view/modules.js'
import { createNames } from '../../shared/view/names.js'
import { loadReport, defaultQuery } from '../../shared/view/reports.js'

/** The shared view logic both apps render: the names cache, 工作台, the report queries, the modules. */

const user = (n: number) => ({ id: `u${n}`, name: `用户 ${n}`, active: n !== 2 })

/** An API client answering only what a test needs; the calls it received are kept. */
function fakeApi(extra: Record<string, unknown> = {}) {
  const calls: string[] = []
  const users = Array.from({ length: 450 }, (_, i) => user(i + 1))
  const client = {
    users: {
      list: async ({ cursor, limit }: { cursor?: string; limit: number }) => {
        calls.push(`users ${cursor ?? ''}`)
        const from = Number(cursor ?? 0)
        const next = from + limit < users.length ? String(from + limit) : null
        return { items: users.slice(from, from + limit), nextCursor: next }
      },
    },
    depts: { list: async () => ({ items: [{ id: 'd1', name: '销售一部' }], nextCursor: null }) },
    stages: { list: async () => [] },
    names: {
      find: async ({ refs }: { refs: string }) => {
        calls.push(`names ${refs}`)
        const items = refs
          .split(',')
          .map((ref) => ref.split(':'))
          .filter(([, id]) => id !== 'gone')
          .map(([collection, id]) => ({ collection, id, name: `客户 ${id}` }))
        return { items }
      },
    },
    customers: {
      get: async (id: string) => {
        calls.push(`customer ${id}`)
        if (id === 'gone') throw new Error('customer.not_found')
        return { id, version: 1, name: `客户 ${id}` }
      },
    },
    ...extra,
  }
  return { api: client as unknown as ApiClient, calls }
}

describe('the names cache', () => {
  it('reads every page of the directory, not only the first 200 users', async () => {
    const { api, calls } = fakeApi()
    const names = createNames(api)
    await names.loadNames([{ name: 'ownerId', label: '', kind: 'user' }], { ownerId: 'u420' })
    expect(names.nameOf({ name: 'ownerId', label: '', kind: 'user' }, 'u420')).toBe('用户 420')
    expect(calls.filter((c) => c.startsWith('users'))).toEqual(['users ', 'users 200', 'users 400'])
  })

  it('offers only active users in a picker but still names the others', async () => {
    const names = createNames(fakeApi().api)
    const field = { name: 'ownerId', label: '', kind: 'user' } as const
    const choices = await names.choicesFor(field)
    expect(choices.map((c) => c.id)).not.toContain('u2')
    expect(names.nameOf(field, 'u2')).toBe('用户 2')
  })

  it('names linked records asked for together in one call, once, and an unreadable one as such', async () => {
    const { api, calls } = fakeApi()
    const names = createNames(api)
    const field = { name: 'customerId', label: '', kind: 'ref', ref: 'customers' } as const
    await Promise.all(['C1', 'C2', 'gone'].map((id) => names.loadNames([field], { customerId: id })))
    await names.loadNames([field], { customerId: 'C1' })
    expect(names.nameOf(field, 'C1')).toBe('客户 C1')
    expect(names.nameOf(field, 'C2')).toBe('客户 C2')
    expect(names.nameOf(field, 'gone')).toBe('（无权查看或已删除）')
    expect(calls.filter((c) => c.startsWith('names'))).toEqual([
      'names customers:C1,customers:C2,customers:gone',
    ])
  })

  it('names a record the API has no batch for by its view’s title', async () => {
    const { api, calls } = fakeApi({
      paymentPlans: {
        get: async (id: string) => {
          calls.push(`plan ${id}`)
          return { id, version: 1, dueDate: '2026-03-01', amount: 10000 }
        },
      },
    })
    const names = createNames(api)
    const field = { name: 'planId', label: '', kind: 'ref', ref: 'payment-plans' } as const
    await names.loadNames([field], { planId: 'P1' })
    expect(names.nameOf(field, 'P1')).toBe('2026-03-01 计划回款 ¥100.00')
    expect(calls).toEqual(['plan P1'])
  })
})

describe('工作台', () => {
  it('asks for my open reminders due by the end of today and my open leads, and marks the overdue', async () => {
    const now = Date.parse('2026-03-10T04:00:00Z') // 12:00 in Shanghai
    const asked: Record<string, unknown> = {}
    const { api } = fakeApi({
      reports: { briefing: async () => Promise.reject(new Error('down')) },
      reminders: {
        list: async (query: unknown) => {
          asked.reminders = query
          return {
            items: [
              {
                id: 'R1',
                title: '回访',
                dueAt: '2026-03-09T01:00:00Z',
                recordType: 'customer',
                recordName: '客户 1',
              },
              { id: 'R2', title: '报价', dueAt: '2026-03-10T08:00:00Z' },
            ],
            nextCursor: null,
          }
        },
      },
      leads: {
        list: async (query: unknown) => {
          asked.leads = query
          return { items: [], nextCursor: null }
        },
      },
    })
    const board = await homeData(api, { id: 'sales1', role: 'member', deptIds: [] }, now)
    expect(asked).toEqual({
      reminders: { mine: true, dueBefore: '2026-03-10T16:00:00.000Z', limit: 5 },
      leads: { assigneeId: 'sales1', open: true, limit: 5 },
    })
    expect(board.reminders.map((r) => [r.title, r.overdue, r.brief])).toEqual([
      ['回访', true, '2026-03-09 09:00 · 客户：客户 1'],
      ['报价', false, '2026-03-10 16:00'],
    ])
    // the briefing failed: its cells say —, the rest still shows, the error is told
    expect(board.briefing.every((cell) => cell.value === '—')).toBe(true)
    expect(board.error).toBeInstanceOf(Error)
  })
})

describe('report queries', () => {
  it('asks the funnel for this year up to today, and the targets for this year’s contract amounts', async () => {
    const asked: unknown[] = []
    const record = (name: string) => async (query: unknown) => (asked.push([name, query]), {})
    const { api } = fakeApi({ reports: { funnel: record('funnel'), targets: record('targets') } })
    await loadReport(api, 'funnel', defaultQuery('funnel', '2026-05-20'), '2026-05-20')
    await loadReport(api, 'targets', defaultQuery('targets', '2026-05-20'), '2026-05-20')
    expect(asked).toEqual([
      ['funnel', { from: '2026-01-01', to: '2026-05-20' }],
      ['targets', { year: 2026, metric: 'contractAmount' }],
    ])
  })
})

describe('modules', () => {
  it('names record modules by their noun and opens each one’s own mini-program page', () => {
    expect(modules.find((m) => m.path === 'payment-plans')?.label).toBe('回款计划')
    expect(modules.map((m) => moduleMiniPage(m.path)).filter((page) => !page)).toEqual([])
    expect(moduleMiniPage('payment-plans')).toBe('/pages/payment-plan/list')
    expect(moduleMiniPage('pool')).toBe('/pages/pool/index')
  })
})
