import type { SavedField } from '../../shared/schemas/fields.js'
import type { HttpAnswer, HttpCall } from './host.js'

/**
 * A fake CRM API for the page tests: customers (owned and in the pool), leads, reminders, an
 * opportunity, a contract, stages, the directory and reports, as the shared schemas expect them on the
 * wire (money in yuan, empty links null). Lists page 20 at a time with the offset as the cursor; the
 * customer lists give `total` when unfiltered, as the API does.
 */
const T0 = '2026-03-01T01:00:00Z'
const meta = (id: string, by = 'sales1') => ({ id, createdAt: T0, createdBy: by, updatedAt: T0, version: 1 })

/** A custom field (字段管理) as the definitions store it. */
export const customField = (
  key: string,
  label: string,
  type: SavedField['type'],
  rest: Partial<SavedField> = {},
): SavedField => ({
  key,
  label,
  type,
  order: 10,
  required: false,
  showInList: false,
  searchable: false,
  builtIn: false,
  removed: false,
  ...rest,
})

export const customer = (n: number, extra: Record<string, unknown> = {}) => ({
  ...meta(`C${String(n).padStart(3, '0')}`),
  name: `客户 ${n}`,
  category: (['A', 'B', 'C', 'D'] as const)[n % 4],
  source: n % 2 ? '展会' : '客户介绍',
  ownerId: 'sales1' as string | null,
  collaboratorIds: [],
  deptId: '201' as string | null,
  lastFollowUpAt: n % 3 ? `2026-02-${String((n % 27) + 1).padStart(2, '0')}T02:00:00Z` : null,
  wonAmount: 0,
  prevOwnerId: null,
  poolEnteredAt: null,
  primaryContactId: null,
  ...extra,
})

export const lead = (n: number, extra: Record<string, unknown> = {}) => ({
  ...meta(`L${n}`),
  title: `线索 ${n}`,
  companyName: `公司 ${n}`,
  contactName: '张三',
  status: 'new',
  assigneeId: 'sales1',
  deptId: '201',
  convertedCustomerId: null,
  ...extra,
})

const users = [
  ['sales1', '王靓依'],
  ['sales2', '郑纬祺'],
  ['mgr1', '刘琦'],
].map(([id, name]) => ({
  id,
  name,
  avatar: '',
  deptIds: ['201'],
  leaderDeptIds: [],
  role: 'member',
  roleOverride: null,
  active: true,
  createdAt: T0,
  updatedAt: T0,
  version: 1,
}))

export const stages = [
  { id: 's1', name: '初步沟通', probability: 10, order: 1, kind: 'open' },
  { id: 's2', name: '见面拜访', probability: 20, order: 2, kind: 'open' },
  { id: 's3', name: '确定意向', probability: 30, order: 3, kind: 'open' },
  { id: 's4', name: '商务谈判', probability: 90, order: 4, kind: 'open' },
  { id: 'won', name: '赢单', probability: 100, order: 5, kind: 'won' },
  { id: 'lost', name: '输单', probability: 0, order: 6, kind: 'lost' },
]

export function fakeCrm({
  customers = 45,
  pool = 3,
  now = Date.now(),
  /** more fields of the first customer, C001 */
  first = {} as Record<string, unknown>,
} = {}) {
  let mine = Array.from({ length: customers }, (_, i) => customer(i + 1, i === 0 ? first : {}))
  let inPool = Array.from({ length: pool }, (_, i) =>
    customer(100 + i, { ownerId: null, deptId: null, prevOwnerId: 'sales2', poolEnteredAt: T0 }),
  )
  const leads = [
    lead(1),
    lead(2, { status: 'following' }),
    lead(3, { status: 'converted', convertedCustomerId: 'C001' }),
  ]
  let opportunity = {
    ...meta('O1'),
    name: '云盘采购',
    customerId: 'C001',
    ownerId: 'sales1',
    importance: 'high',
    stageId: 's2',
    amount: 50000,
    competitorIds: [],
    productIds: [],
    deptId: '201',
    stageChangedAt: T0,
  }
  const contract = {
    ...meta('K1'),
    number: 'HT-001',
    name: '云盘年度合同',
    customerId: 'C001',
    opportunityId: null,
    type: 'product',
    amount: 100000,
    signedAt: '2026-02-01',
    ownerId: 'sales1',
    deptId: '201',
    receivedAmount: 30000,
    invoicedAmount: 50000,
    outstandingAmount: 70000,
    plannedAmount: 100000,
  }
  const plan = {
    ...meta('PP1'),
    contractId: 'K1',
    dueDate: '2026-03-31',
    amount: 40000,
    customerId: 'C001',
    ownerId: 'sales1',
    deptId: '201',
    receivedAmount: 30000,
    unpaidAmount: 10000,
    overdue: false,
  }
  const payment = {
    ...meta('PM1'),
    contractId: 'K1',
    planId: 'PP1',
    receivedAt: '2026-02-10',
    method: 'transfer',
    amount: 30000,
    customerId: 'C001',
    ownerId: 'sales1',
    deptId: '201',
  }
  const iso = (ms: number) => new Date(ms).toISOString()
  const reminders = [
    ['R1', '回访客户 1', iso(now - 3_600_000), 'sent'],
    ['R2', '明年的事', iso(now + 400 * 86_400_000), 'pending'],
    ['R3', '已办完', iso(now - 7_200_000), 'done'],
  ].map(([id, title, dueAt, status]) => ({
    ...meta(id),
    recordType: 'customer',
    recordId: 'C001',
    recordName: '客户 1',
    title,
    assigneeIds: ['sales1'],
    dueAt,
    remindBeforeMinutes: 0,
    repeat: 'none',
    status,
    sentCount: 0,
  }))
  const posted: { path: string; body: any }[] = []
  const liked = { count: 2, likedByMe: false }

  const page = <T>(items: T[], url: URL, total: number | null | undefined = undefined) => {
    const from = Number(url.searchParams.get('cursor') ?? 0)
    const limit = Number(url.searchParams.get('limit') ?? 20)
    return {
      items: items.slice(from, from + limit),
      nextCursor: from + limit < items.length ? String(from + limit) : null,
      ...(total === undefined ? {} : { total }),
    }
  }
  const filtered = (list: ReturnType<typeof customer>[], url: URL) => {
    const q = url.searchParams
    const day = (c: ReturnType<typeof customer>) => c.lastFollowUpAt?.slice(0, 10)
    const out = list.filter(
      (c) =>
        (!q.get('q') || c.name.includes(q.get('q')!)) &&
        (!q.get('category') || c.category === q.get('category')) &&
        (!q.get('source') || c.source === q.get('source')) &&
        (!q.get('lastFollowUpFrom') || (day(c) ?? '') >= q.get('lastFollowUpFrom')!) &&
        (!q.get('lastFollowUpTo') || (day(c) !== undefined && day(c)! <= q.get('lastFollowUpTo')!)),
    )
    const isFiltered = [...q.keys()].some((k) => !['limit', 'cursor'].includes(k))
    return page(out, url, isFiltered ? null : out.length)
  }
  const ok = (body: unknown): HttpAnswer => ({ status: 200, body })
  const notFound: HttpAnswer = { status: 404, body: { error: { code: 'not_found', message: '记录不存在' } } }

  const http = (request: HttpCall): HttpAnswer => {
    const url = new URL(request.url)
    const path = url.pathname
    const { method } = request
    if (path === '/api/auth/login')
      return ok({ token: 'token-1', expiresAt: '2030-01-01T00:00:00Z', user: users[0] && me() })
    if (request.headers.authorization !== 'Bearer token-1')
      return { status: 401, body: { error: { code: 'auth.invalid', message: '登录已过期，请重新登录' } } }
    if (method !== 'GET') posted.push({ path: `${method} ${path}`, body: request.body })

    if (path === '/api/me') return ok(me())
    if (path === '/api/users') return ok(page(users, url))
    if (path === '/api/depts')
      return ok(page([{ id: '201', name: '销售一部', parentId: '1', path: ['1'], updatedAt: T0 }], url))
    if (path === '/api/settings/stages') return ok(stages)
    if (path === '/api/settings/notifications' && method === 'GET')
      return ok({
        groups: [{ deptId: '201', robotCode: 'ding-demo-key', openConversationId: 'cid-demo-sales1' }],
        routing: [{ deptId: '201', events: { 'lead.assigned': 'both' } }],
        version: 3,
      })
    if (path === '/api/settings/notifications' && method === 'PUT') return ok({ ...request.body, version: 4 })
    if (path === '/api/settings/notifications/test')
      return ok({
        deptId: '201',
        openConversationId: 'cid-demo-sales1',
        title: '测试消息 · 销售一部',
        processQueryKey: 'q1',
      })
    if (path === '/api/customers' && method === 'GET') return ok(filtered(mine, url))
    if (path === '/api/customers' && method === 'POST')
      return { status: 201, body: customer(900, { ...request.body, id: 'C900' }) }
    if (path === '/api/pool') return ok(filtered(inPool, url))
    if (path === '/api/names') {
      const known: Record<string, { id: string; name: string }[]> = {
        customers: [...mine, ...inPool],
        opportunities: [opportunity],
        contracts: [contract],
      }
      const items = (url.searchParams.get('refs') ?? '').split(',').flatMap((ref) => {
        const [collection, id] = ref.split(':')
        const found = known[collection]?.find((r) => r.id === id)
        return found ? [{ collection, id, name: found.name }] : []
      })
      return ok({ items })
    }
    if (path === '/api/customers/duplicates')
      return ok({
        items: [...mine, ...inPool]
          .filter((c) => c.name.includes(url.searchParams.get('name') ?? '∅'))
          .slice(0, 3)
          .map((c) => ({ id: c.id, name: c.name, ownerId: c.ownerId, reason: 'name_contains' })),
      })
    if (path === '/api/customers/merge') {
      const target = mine.find((c) => c.id === request.body.targetId)
      if (!target) return notFound
      mine = mine.filter((c) => !request.body.sourceIds.includes(c.id))
      return ok({ target, moved: 3, mergedIds: request.body.sourceIds })
    }
    let m = /^\/api\/customers\/(\w+)(?:\/(\w+))?$/.exec(path)
    if (m) {
      const [, id, verb] = m
      const found = [...mine, ...inPool].find((c) => c.id === id)
      if (!found) return notFound
      if (!verb) return ok(found)
      if (verb === 'claim') {
        inPool = inPool.filter((c) => c.id !== id)
        const claimed = { ...found, ownerId: 'sales1', version: found.version + 1 }
        mine = [claimed, ...mine]
        return ok(claimed)
      }
      if (verb === 'release') {
        mine = mine.filter((c) => c.id !== id)
        inPool = [{ ...found, ownerId: null }, ...inPool]
        return ok({ ...found, ownerId: null })
      }
      if (verb === 'category') {
        Object.assign(found, { category: request.body.category, version: found.version + 1 })
        return ok(found)
      }
      if (verb === 'assign') return ok({ ...found, ownerId: request.body.ownerId })
      if (verb === 'collaborators') {
        Object.assign(found, { collaboratorIds: request.body.collaboratorIds, version: found.version + 1 })
        return ok(found)
      }
      if (verb === 'timeline')
        return ok({
          items: [
            {
              id: 'A1',
              recordType: 'customer',
              recordId: id,
              action: 'created',
              summary: `创建了客户「${found.name}」`,
              actorId: 'sales1',
              actorName: '王靓依',
              at: T0,
            },
          ],
          nextCursor: null,
        })
      if (verb === 'likes') {
        if (method === 'POST') Object.assign(liked, { count: liked.count + 1, likedByMe: true })
        return ok(liked)
      }
      if (verb === 'comments')
        return ok({
          id: 'CM1',
          recordType: 'customer',
          recordId: id,
          content: request.body.content,
          createdBy: 'sales1',
          createdAt: T0,
        })
    }
    if (path === '/api/followups' && method === 'GET') return ok(page([], url))
    if (path === '/api/followups' && method === 'POST')
      return { status: 201, body: { ...meta('F1'), ...request.body, contactId: null, opportunityId: null } }
    if (path === '/api/leads') {
      const assignee = url.searchParams.get('assigneeId')
      // open=true: still to work on (new, following), as the API answers it
      const open = url.searchParams.get('open')
      const isOpen = (l: (typeof leads)[number]) => l.status === 'new' || l.status === 'following'
      const found = leads.filter(
        (l) => (!assignee || l.assigneeId === assignee) && (open === null || isOpen(l) === (open === 'true')),
      )
      // the kept count, as the API answers it: none for a filtered list
      return ok(page(found, url, assignee || open !== null ? null : found.length))
    }
    m = /^\/api\/leads\/(\w+)(?:\/(\w+))?$/.exec(path)
    if (m) {
      const found = leads.find((l) => l.id === m![1])
      if (!found) return notFound
      if (m[2] === 'convert') {
        Object.assign(found, { status: 'converted', convertedCustomerId: 'C900' })
        return ok({ customerId: 'C900', contactId: 'P900' })
      }
      if (m[2] === 'assign') Object.assign(found, { assigneeId: request.body.assigneeId })
      if (m[2] === 'timeline')
        return ok({
          items: [
            {
              id: 'A2',
              recordType: 'lead',
              recordId: found.id,
              action: 'assigned',
              summary: `分配了线索「${found.title}」`,
              actorId: 'mgr1',
              actorName: '刘琦',
              at: T0,
            },
          ],
          nextCursor: null,
        })
      if (m[2] === 'likes') return ok({ count: 0, likedByMe: false })
      return ok(found)
    }
    if (path === '/api/reminders' && method === 'POST')
      return { status: 201, body: { ...meta('R9'), ...request.body, status: 'pending', sentCount: 0 } }
    if (path === '/api/reminders') {
      // mine=true&dueBefore=: my open reminders due before it, oldest first, as the API answers them
      const dueBefore = url.searchParams.get('dueBefore')
      const due = reminders
        .filter((r) => (r.status === 'pending' || r.status === 'sent') && r.dueAt < dueBefore!)
        .sort((a, b) => a.dueAt.localeCompare(b.dueAt))
      return ok(page(dueBefore ? due : reminders, url))
    }
    m = /^\/api\/reminders\/(\w+)$/.exec(path)
    if (m) return reminders.find((r) => r.id === m![1]) ? ok(reminders.find((r) => r.id === m![1])) : notFound
    if (path === '/api/opportunities/O1') return ok(opportunity)
    if (path === '/api/opportunities/O1/stage') {
      opportunity = { ...opportunity, stageId: request.body.stageId, version: opportunity.version + 1 }
      return ok(opportunity)
    }
    if (path === '/api/opportunities' || path === '/api/contracts' || path === '/api/contacts')
      return ok(page(path === '/api/contracts' ? [contract] : [], url))
    if (path === '/api/contracts/K1') return ok(contract)
    if (path === '/api/payment-plans') return ok(page([plan], url))
    if (path === '/api/payment-plans/PP1') return ok(plan)
    if (path === '/api/payments/PM1') return ok(payment)
    if (path === '/api/payments') return ok(page([payment], url))
    if (path === '/api/invoices') return ok(page([], url))
    if (path === '/api/reports/briefing')
      return ok({
        from: url.searchParams.get('from'),
        to: url.searchParams.get('to'),
        newCustomers: 3,
        followUps: 7,
        newOpportunities: 2,
        wonOpportunities: 1,
        contractAmount: 12345.6,
        paymentAmount: 5000,
      })
    if (path === '/api/reports/targets')
      return ok({
        year: Number(url.searchParams.get('year')),
        metric: 'contractAmount',
        rows: [
          {
            scope: 'user',
            subjectId: 'sales1',
            name: '王靓依',
            yearTarget: 1000000,
            yearActual: 250000,
            rate: 25,
            months: [],
          },
          {
            scope: 'user',
            subjectId: 'sales2',
            name: '郑纬祺',
            yearTarget: 500000,
            yearActual: 600000,
            rate: 120,
            months: [],
          },
        ],
      })
    if (path === '/api/reports/funnel')
      return ok({
        from: '2026-01-01',
        to: '2026-12-31',
        stages: stages.map((s, i) => ({
          stageId: s.id,
          name: s.name,
          kind: s.kind,
          probability: s.probability,
          count: 10 - i,
          amount: (10 - i) * 1000,
          weightedAmount: 0,
          conversion: null,
          averageSeconds: i === 0 ? 2 * 86_400 : null,
        })),
      })
    if (path === '/api/reports/payments')
      return ok({
        year: 2026,
        months: Array.from({ length: 12 }, (_, i) => ({
          month: i + 1,
          planned: 1000 * (i + 1),
          received: 500 * (i + 1),
          overdue: 0,
        })),
      })
    if (path === '/api/reports/performance') {
      const byDept = url.searchParams.get('groupBy') === 'dept'
      const row = (id: string, name: string, contractAmount: number) => ({
        id,
        name,
        contractAmount,
        paymentAmount: contractAmount / 2,
        newCustomers: 2,
        followUps: 5,
        wonOpportunities: 1,
      })
      return ok({
        from: url.searchParams.get('from'),
        to: url.searchParams.get('to'),
        groupBy: byDept ? 'dept' : 'user',
        rows: byDept
          ? [row('201', '销售一部', 300000)]
          : [row('sales1', '王靓依', 200000), row('sales2', '郑纬祺', 100000)],
      })
    }
    return { status: 404, body: { error: { code: 'route.not_found', message: `没有这个接口 ${path}` } } }
  }
  return {
    http,
    posted,
    pool: () => inPool,
    mine: () => mine,
    opportunity: () => opportunity,
  }
}

const me = () => ({
  id: 'sales1',
  name: '王靓依',
  avatar: '',
  deptIds: ['201'],
  role: 'member',
  corpId: 'ding-demo',
})
