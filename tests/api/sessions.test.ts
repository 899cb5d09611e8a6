import { UpdateTransaction } from 'dynamodb-toolbox/entity/actions/transactUpdate'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { now, runningFrom, setClock } from '../../functions/core/clock.js'
import { commit } from '../../functions/db/commit.js'
import { UserEntity } from '../../functions/db/entities/directory.js'
import { tenantRegistryWrite } from '../../functions/domain/directory/tenants.js'
import { DEMO_CORP_ID } from '../../local/emulator/index.js'
import { chinaToday, addDays } from '../../shared/view/format.js'
import { useStack } from '../helpers/stack.js'
import { runScheduler } from '../scheduler/helpers.js'

/**
 * Sessions follow the directory: a token says who calls, the directory says what they may do now. A role
 * change or someone leaving holds from their next request, not when the token expires.
 */
const t = useStack()
const tokens: Record<string, string> = {}
const as = (user: string) => ({
  get: (path: string) => t.http('GET', path, { token: tokens[user] }),
  post: (path: string, body: unknown = {}) => t.http('POST', path, { token: tokens[user], body }),
  put: (path: string, body: unknown) => t.http('PUT', path, { token: tokens[user], body }),
})
/** The calls of the directory check, reported apart from the route's own (`Server-Timing`). */
const directoryCalls = (headers: Headers) =>
  Number(/directory;desc="calls=(\d+)"/.exec(headers.get('server-timing') ?? '')![1])

beforeAll(async () => {
  for (const user of ['admin', 'mgr1', 'sales1', 'sales2']) tokens[user] = await t.login(user)
})
afterEach(() => setClock(undefined))

describe('a role change', () => {
  it('takes a demoted manager’s department away on their next request, with the same token', async () => {
    const { json: customer } = await as('sales1').post('/api/customers', { name: '降级经理看不到的客户' })
    expect((await as('mgr1').get(`/api/customers/${customer.id}`)).status).toBe(200)

    expect((await as('admin').put('/api/users/mgr1/role', { role: 'member' })).status).toBe(200)

    expect((await as('mgr1').get(`/api/customers/${customer.id}`)).status).toBe(404)
    const reassign = await as('mgr1').post(`/api/customers/${customer.id}/assign`, { ownerId: 'sales2' })
    expect(reassign.status).toBe(403)
    expect((await as('sales1').get(`/api/customers/${customer.id}`)).json.ownerId).toBe('sales1')
    await as('admin').put('/api/users/mgr1/role', { role: 'manager' })
  })

  it('gives a promoted member the admin’s routes on their next request', async () => {
    expect((await as('sales2').get('/api/admin/outbox?status=failed')).status).toBe(403)
    await as('admin').put('/api/users/sales2/role', { role: 'admin' })
    expect((await as('sales2').get('/api/admin/outbox?status=failed')).status).toBe(200)
    await as('admin').put('/api/users/sales2/role', { role: 'member' })
  })

  it('holds on another instance once its copy is older than the cache window, read by one call', async () => {
    const { json: customer } = await as('sales1').post('/api/customers', { name: '别处降级的经理' })
    expect((await as('mgr1').get(`/api/customers/${customer.id}`)).status).toBe(200)
    // another instance demotes mgr1: the directory moves, this instance is not told
    await commit([
      {
        action: UserEntity.build(UpdateTransaction).item({
          tenantId: DEMO_CORP_ID,
          id: 'mgr1',
          role: 'member',
        }),
      },
      tenantRegistryWrite(DEMO_CORP_ID, { directoryChanged: true }),
    ])

    const cached = await as('mgr1').get(`/api/customers/${customer.id}`)
    expect([cached.status, directoryCalls(cached.headers)]).toEqual([200, 0])

    setClock(runningFrom(now() + 61_000))
    const reread = await as('mgr1').get(`/api/customers/${customer.id}`)
    expect([reread.status, directoryCalls(reread.headers)]).toEqual([404, 1])
    await as('admin').put('/api/users/mgr1/role', { role: 'manager' })
  })
})

describe('someone who leaves', () => {
  it('answers 401 to their next request once the daily directory sync has seen them go', async () => {
    expect((await as('sales2').get('/api/customers')).status).toBe(200)
    const org = t.stack.emulator.org
    org.users = org.users.filter((u) => u.userId !== 'sales2')

    // the daily jobs of tomorrow, 08:05 in Shanghai
    await runScheduler(t, `${addDays(chinaToday(now()), 1)}T08:05:00+08:00`)

    const res = await as('sales2').get('/api/customers')
    expect([res.status, res.json.error.code]).toEqual([401, 'auth.inactive'])
    expect((await as('sales1').get('/api/users?q=郑纬祺')).json.items[0]).toMatchObject({ active: false })
  })
})

describe('logging in', () => {
  it('succeeds for every one of several logins of one person racing each other', async () => {
    const codes = await Promise.all(
      Array.from({ length: 6 }, () => t.http('POST', '/dingtalk/__authcode', { body: { userId: 'sales1' } })),
    )
    const answers = await Promise.all(
      codes.map(({ json }) =>
        t.http('POST', '/api/auth/login', { body: { authCode: json.authCode, corpId: DEMO_CORP_ID } }),
      ),
    )
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200))
  })
})
