/**
 * Every route, swept: an admin of another tenant who knows the ids of tenant A's records gets 404 on
 * each route that takes an id, finds nothing of A in any list, search, report or export, and A's records
 * are unchanged afterwards; a member of another department gets the same 404s on every scoped record. The routes are read from the function registry, so a new route is swept
 * (or must be named in `NO_FIXTURE` with its reason).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { functions } from '../../functions/registry.js'
import { collections, nouns } from '../../shared/nouns.js'
import { csv, finish, upload } from '../imports/files.js'
import { useStack } from '../helpers/stack.js'

const t = useStack()

/** Routes with an id that this sweep has no record of A for. */
const NO_FIXTURE: Record<string, string> = {
  'POST /api/admin/outbox/{id}/retry':
    'a failed DingTalk message of A needs the fault emulator; tests/scheduler/outbox.test.ts',
}

/** A valid body for each verb, so that validation passes and the answer is about the record. */
const BODIES: Record<string, unknown> = {
  'PATCH *': { version: 1 },
  'POST /api/customers/{id}/assign': { ownerId: 'sales2' },
  'POST /api/customers/{id}/category': { category: 'A' },
  'PUT /api/customers/{id}/collaborators': { collaboratorIds: [] },
  'POST /api/customers/{id}/release': { reason: '越权测试' },
  'POST /api/leads/{id}/assign': { assigneeId: 'sales2' },
  'POST /api/leads/{id}/invalid': { reason: '越权测试' },
  'POST /api/opportunities/{id}/stage': { stageId: 's2' },
  'PUT /api/users/{id}/role': { role: 'manager' },
  'POST comments': { content: '越权评论' },
  'POST /api/approvals/{id}/reject': { comment: '越权驳回' },
}
const bodyOf = (method: string, path: string) =>
  BODIES[`${method} ${path}`] ??
  (method === 'PATCH' ? BODIES['PATCH *'] : path.endsWith('/comments') ? BODIES['POST comments'] : {})

/** Records a member sees only when they own, follow or are given them (the catalog is tenant-wide). */
const SCOPED = [
  ...collections.filter((c) => nouns[c].scope !== 'everyone' && nouns[c].scope !== 'subject'),
  'imports',
  // an approval: its submitter, its approvers (and admins of its tenant) only
  'approvals',
]

/** Query parameters some reads need. */
const QUERIES: Record<string, string> = {
  '/api/search': `?q=${encodeURIComponent('甲方隔离')}`,
  '/api/customers/duplicates': `?name=${encodeURIComponent('甲方隔离测试有限公司')}`,
  '/api/reports/briefing': '?from=2026-01-01&to=2026-12-31',
  '/api/reports/performance': '?from=2026-01-01&to=2026-12-31',
  '/api/reports/funnel': '?from=2026-01-01&to=2026-12-31',
  '/api/reports/payments': '?year=2026',
  '/api/reports/products': '?year=2026',
  '/api/reports/targets': '?year=2026&metric=contractAmount',
}

let admin: string
let outsider: string
/** A's record id per first path segment (`customers`, `contacts`, ..., `users`, `imports`). */
const ids: Record<string, string> = {}
let deletedProductId: string
let routes: { method: string; path: string; roles?: readonly string[] }[] = []

async function create(path: string, body: unknown): Promise<string> {
  const { status, json } = await t.http('POST', path, { token: admin, body })
  if (status !== 201 && status !== 200) throw new Error(`${path} → ${status} ${JSON.stringify(json)}`)
  return json.id
}

/** What A sees of each of its records, to compare after the sweep. */
async function snapshot() {
  const seen: Record<string, unknown> = {}
  for (const [segment, id] of Object.entries(ids)) {
    // (an attachment's answer is a fresh signed link each time; nothing of it can change)
    if (segment === 'users' || segment === 'imports' || segment === 'attachments') continue
    seen[segment] = (await t.http('GET', `/api/${segment}/${id}`, { token: admin })).json
  }
  seen.role = (await t.http('GET', '/api/users', { token: admin })).json.items.find(
    (u: { id: string }) => u.id === ids.users,
  )?.role
  seen.bin = (await t.http('GET', '/api/recycle-bin', { token: admin })).json.items.map(
    (i: { id: string }) => i.id,
  )
  return seen
}

beforeAll(async () => {
  admin = await t.login('admin')
  outsider = await t.token({ tenantId: 'tenant-b', userId: 'boss-b', role: 'admin' })
  ids.products = await create('/api/products', { name: '甲方产品' })
  ids.competitors = await create('/api/competitors', { name: '甲方对手' })
  ids.leads = await create('/api/leads', { title: '甲方线索', assigneeId: 'sales1' })
  const customerId = await create('/api/customers', { name: '甲方隔离测试有限公司' })
  ids.customers = customerId
  ids.contacts = await create('/api/contacts', { customerId, name: '甲方联系人' })
  ids.followups = await create('/api/followups', {
    customerId,
    method: 'visit',
    content: '甲方拜访',
    followedAt: '2026-03-01T02:00:00.000Z',
  })
  ids.opportunities = await create('/api/opportunities', { customerId, name: '甲方商机' })
  const contractId = await create('/api/contracts', {
    number: 'JIA-001',
    name: '甲方合同',
    customerId,
    amount: 1000,
    signedAt: '2026-03-01',
  })
  ids.contracts = contractId
  // 审批: contracts from 5 000 wait for mgr1; A's admin submits one
  const flows = [
    {
      name: '甲方审批',
      collection: 'contracts',
      on: 'create',
      condition: { field: 'amount', op: 'gte', value: 5000 },
      steps: [{ approver: { type: 'users', userIds: ['mgr1'] }, mode: 'or' }],
    },
  ]
  await t.http('PUT', '/api/settings/approvals', { token: admin, body: { version: 0, flows } })
  const { json: governed } = await t.http('POST', '/api/contracts', {
    token: admin,
    body: { number: 'JIA-002', name: '甲方审批合同', customerId, amount: 5000, signedAt: '2026-03-01' },
  })
  ids.approvals = governed.approval.id
  ids['payment-plans'] = await create('/api/payment-plans', {
    contractId,
    dueDate: '2026-04-01',
    amount: 500,
  })
  ids.payments = await create('/api/payments', { contractId, receivedAt: '2026-03-02', amount: 100 })
  ids.invoices = await create('/api/invoices', {
    contractId,
    title: '甲方发票',
    amount: 100,
    issuedAt: '2026-03-03',
  })
  ids.targets = await create('/api/targets', {
    scope: 'user',
    subjectId: 'sales1',
    metric: 'contractAmount',
    year: 2026,
    months: Array(12).fill(100),
  })
  ids.reminders = await create('/api/reminders', {
    recordType: 'customer',
    recordId: customerId,
    title: '甲方提醒',
    assigneeIds: ['admin'],
    dueAt: '2030-01-01T01:00:00.000Z',
  })
  const { json: job } = await upload(
    t,
    admin,
    'customers',
    csv([['客户名称'], ['甲方导入客户']]),
    {},
    'data.csv',
  )
  ids.imports = (await finish(t, admin, job)).id
  ids.users = 'sales1'
  const { json: attachment } = await t.http('POST', '/api/attachments', {
    token: admin,
    body: { fileName: '甲方合同.pdf', contentType: 'application/pdf', size: 100 },
  })
  ids.attachments = attachment.id
  deletedProductId = await create('/api/products', { name: '甲方已删产品' })
  await t.http('DELETE', `/api/products/${deletedProductId}`, { token: admin })

  for (const fn of Object.values(functions)) {
    for (const { method, path, roles } of (await fn.load()).handler.routes)
      routes.push({ method, path, roles })
  }
  routes = routes.sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`))
}, 120_000)

/** A route's path with A's ids in it, or undefined when the sweep has no fixture for it. */
function pathWithIds(path: string): string | undefined {
  if (path === '/api/recycle-bin/{collection}/{id}/restore')
    return `/api/recycle-bin/products/${deletedProductId}/restore`
  const segment = path.split('/')[2]
  return ids[segment] ? path.replace('{id}', ids[segment]) : undefined
}

/**
 * Each route with an id, called by `token` (of `role`) with A's ids: its answer, and the answer expected —
 * 404, or 403 where the route is closed to the role whatever the record.
 */
async function sweep(token: string, role: string, segments?: string[]) {
  const answers: string[] = []
  const expected: string[] = []
  for (const { method, path, roles } of routes) {
    if (!path.includes('{id}') || NO_FIXTURE[`${method} ${path}`]) continue
    if (segments && !segments.includes(path.split('/')[2])) continue
    const url = pathWithIds(path)
    expect(url, `no record of A for ${method} ${path}: add one or name it in NO_FIXTURE`).toBeDefined()
    const body = method === 'GET' || method === 'DELETE' ? undefined : bodyOf(method, path)
    const { status, json } = await t.http(method, url!, { token, body })
    answers.push(`${method} ${path} → ${status} ${json?.error?.code ?? ''}`.trim())
    const closed = roles && !roles.includes(role)
    expected.push(
      `${method} ${path} → ${closed ? '403 auth.forbidden' : `404 ${json?.error?.code ?? ''}`}`.trim(),
    )
  }
  return { answers, expected }
}

describe('an admin of another tenant, knowing A’s ids', () => {
  it('gets 404 from every route that takes an id, and A’s records stay as they were', async () => {
    const before = await snapshot()
    const { answers, expected } = await sweep(outsider, 'admin')
    expect(answers.length).toBeGreaterThan(50)
    expect(answers).toEqual(expected)
    expect(await snapshot()).toEqual(before)
  })

  it('finds none of A’s records in any list, search, report, setting or export', async () => {
    const secrets = [...Object.values(ids).filter((id) => id !== 'sales1'), deletedProductId, '甲方']
    // GET /api/me answers the caller's own directory entry: the outsider's token names nobody in B's directory
    const reads = routes.filter((r) => r.method === 'GET' && !r.path.includes('{') && r.path !== '/api/me')
    reads.push(
      { method: 'GET', path: '/api/exports/customers' },
      { method: 'GET', path: '/api/exports/leads' },
    )
    const leaks: string[] = []
    for (const { path } of reads) {
      // 扫码登录 starts from the app's own page, known once the stack runs
      const query =
        path === '/api/auth/dingtalk-login-url'
          ? `?redirect=${encodeURIComponent(`${t.baseUrl}/login`)}`
          : path === '/api/names'
            ? `?refs=customers:${ids.customers},contracts:${ids.contracts},opportunities:${ids.opportunities}`
            : (QUERIES[path] ?? '')
      const { status, text } = await t.http('GET', path + query, { token: outsider })
      expect(status, `GET ${path}: ${text.slice(0, 200)}`).toBe(200)
      for (const secret of secrets) if (text.includes(secret)) leaks.push(`GET ${path} shows ${secret}`)
    }
    expect(reads.length).toBeGreaterThan(25)
    expect(leaks).toEqual([])
  })

  it('cannot hang records of its own on A’s customer or contract, nor merge A’s customer into its own', async () => {
    const { json: own } = await t.http('POST', '/api/customers', {
      token: outsider,
      body: { name: '乙方客户' },
    })
    const ownCustomerId = own.id
    const attempts: [string, unknown][] = [
      ['/api/contacts', { customerId: ids.customers, name: '越权联系人' }],
      [
        '/api/followups',
        {
          customerId: ids.customers,
          method: 'phone',
          content: '越权',
          followedAt: '2026-03-01T02:00:00.000Z',
        },
      ],
      ['/api/opportunities', { customerId: ids.customers, name: '越权商机' }],
      [
        '/api/contracts',
        { number: 'B-1', name: '越权', customerId: ids.customers, amount: 1, signedAt: '2026-03-01' },
      ],
      ['/api/payment-plans', { contractId: ids.contracts, dueDate: '2026-04-01', amount: 1 }],
      ['/api/payments', { contractId: ids.contracts, receivedAt: '2026-03-02', amount: 1 }],
      ['/api/invoices', { contractId: ids.contracts, title: '越权', amount: 1, issuedAt: '2026-03-03' }],
      [
        '/api/reminders',
        {
          recordType: 'customer',
          recordId: ids.customers,
          title: '越权',
          assigneeIds: ['boss-b'],
          dueAt: '2030-01-01T01:00:00.000Z',
        },
      ],
      ['/api/customers/merge', { targetId: ownCustomerId, sourceIds: [ids.customers] }],
    ]
    const answers: string[] = []
    for (const [path, body] of attempts) {
      const { status } = await t.http('POST', path, { token: outsider, body })
      answers.push(`POST ${path} → ${status}`)
    }
    expect(answers).toEqual(attempts.map(([path]) => `POST ${path} → 404`))
  })
})

describe('a member of another department, knowing the ids of records they are not given', () => {
  it('gets 404 from every route of a scoped record, and the records stay as they were', async () => {
    const before = await snapshot()
    const { answers, expected } = await sweep(await t.login('sales3'), 'member', SCOPED)
    expect(answers.length).toBeGreaterThan(40)
    expect(answers).toEqual(expected)
    expect(await snapshot()).toEqual(before)
  })
})

describe('a manager of another department, knowing the same ids', () => {
  it('gets 404 from every route of a scoped record outside their departments, and the records stay as they were', async () => {
    const before = await snapshot()
    const { answers, expected } = await sweep(await t.login('mgr2'), 'manager', SCOPED)
    expect(answers.length).toBeGreaterThan(40)
    expect(answers).toEqual(expected)
    expect(await snapshot()).toEqual(before)
  })
})

describe('people of another department, reading lists', () => {
  it('find none of the scoped records in any list, search or export', async () => {
    const listed = SCOPED.filter((segment) => segment !== 'imports')
    const secrets = listed.map((segment) => ids[segment])
    const reads = [
      ...listed.filter((segment) => segment !== 'approvals').map((segment) => `/api/${segment}`),
      '/api/approvals?box=mine',
      '/api/approvals?box=todo',
      '/api/approvals?box=done',
      '/api/pool',
      // 工作台 动态 and 商机推进 name the records their entries are about
      '/api/feed?limit=200',
      '/api/opportunities/stage-moves',
      `/api/search?q=${encodeURIComponent('甲方')}`,
      '/api/exports/customers',
      '/api/exports/contacts',
      '/api/exports/leads',
    ]
    const shown = async (user: string) => {
      const token = await t.login(user)
      const seen: string[] = []
      for (const path of reads) {
        const { status, text } = await t.http('GET', path, { token })
        expect(status, `${user} GET ${path}: ${text.slice(0, 200)}`).toBe(200)
        for (const secret of secrets) if (text.includes(secret)) seen.push(`GET ${path} shows ${secret}`)
      }
      return seen
    }
    // the admin, who sees everything, finds each of them: the reads would show a leak
    const seenByAdmin = await shown('admin')
    for (const secret of secrets)
      expect(
        seenByAdmin.some((line) => line.endsWith(secret)),
        secret,
      ).toBe(true)
    expect(await shown('sales3')).toEqual([])
    expect(await shown('mgr2')).toEqual([])
  })
})
