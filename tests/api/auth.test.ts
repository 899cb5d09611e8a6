import { describe, expect, it } from 'vitest'
import { DEMO_CORP_ID } from '../../local/emulator/index.js'
import { useStack } from '../helpers/stack.js'

const t = useStack()

const authCode = async (userId: string) =>
  (await t.http('POST', '/dingtalk/__authcode', { body: { userId } })).json.authCode

describe('DingTalk login', () => {
  it('logs sales1 in with an auth code and GET /api/me answers who they are', async () => {
    const login = await t.http('POST', '/api/auth/login', {
      body: { authCode: await authCode('sales1'), corpId: DEMO_CORP_ID },
    })
    expect(login.status).toBe(200)
    expect(login.json.user).toMatchObject({
      id: 'sales1',
      name: '王靓依',
      role: 'member',
      corpId: DEMO_CORP_ID,
    })
    const me = await t.http('GET', '/api/me', { token: login.json.token })
    expect(me.json).toEqual(login.json.user)
  })

  it('refuses a used auth code with 401 auth.invalid', async () => {
    const code = await authCode('sales2')
    expect(
      (await t.http('POST', '/api/auth/login', { body: { authCode: code, corpId: DEMO_CORP_ID } })).status,
    ).toBe(200)
    const again = await t.http('POST', '/api/auth/login', { body: { authCode: code, corpId: DEMO_CORP_ID } })
    expect(again.status).toBe(401)
    expect(again.json.error.code).toBe('auth.invalid')
  })

  it('refuses a made-up auth code with 401 auth.invalid', async () => {
    const { status, json } = await t.http('POST', '/api/auth/login', {
      body: { authCode: 'not-a-code', corpId: DEMO_CORP_ID },
    })
    expect(status).toBe(401)
    expect(json.error.code).toBe('auth.invalid')
  })

  it('refuses a corpId other than the app’s own', async () => {
    const { status } = await t.http('POST', '/api/auth/login', {
      body: { authCode: await authCode('sales1'), corpId: 'ding-other' },
    })
    expect(status).toBe(401)
  })

  it('answers a login without an auth code with 400', async () => {
    const { status, json } = await t.http('POST', '/api/auth/login', { body: { corpId: DEMO_CORP_ID } })
    expect(status).toBe(400)
    expect(json.error.details[0].path).toEqual(['authCode'])
  })

  it('derives roles from DingTalk: the boss is admin, a department leader is manager', async () => {
    const roles: Record<string, string> = {}
    for (const userId of ['admin', 'mgr1', 'mkt1']) {
      const { json } = await t.http('POST', '/api/auth/login', {
        body: { authCode: await authCode(userId), corpId: DEMO_CORP_ID },
      })
      roles[userId] = json.user.role
    }
    expect(roles).toEqual({ admin: 'admin', mgr1: 'manager', mkt1: 'member' })
  })

  it('costs no DynamoDB call to authenticate: GET /api/me is one GetItem', async () => {
    const token = await t.login('sales1')
    const { headers } = await t.http('GET', '/api/me', { token })
    expect(headers.get('server-timing')).toContain('calls=1 ')
  })
})

describe('directory', () => {
  it('lists the synced users, filtered by department', async () => {
    const token = await t.login('sales1')
    const { json: depts } = await t.http('GET', '/api/depts?q=销售一部', { token })
    const sales1Dept = depts.items[0]
    expect(sales1Dept).toMatchObject({ name: '销售一部' })
    const { json } = await t.http('GET', `/api/users?deptId=${sales1Dept.id}`, { token })
    expect(json.items.map((u: { id: string }) => u.id).sort()).toEqual(['mgr1', 'sales1', 'sales2'])
  })

  it('lets an admin change a role, which holds at the next login', async () => {
    const admin = await t.login('admin')
    const { status, json } = await t.http('PUT', '/api/users/mkt1/role', {
      token: admin,
      body: { role: 'manager' },
    })
    expect(status).toBe(200)
    expect(json).toMatchObject({ id: 'mkt1', role: 'manager', roleOverride: 'manager' })
    const { json: login } = await t.http('POST', '/api/auth/login', {
      body: { authCode: await authCode('mkt1'), corpId: DEMO_CORP_ID },
    })
    expect(login.user.role).toBe('manager')
  })

  it('forbids a member to change roles: 403', async () => {
    const member = await t.login('sales3')
    const { status, json } = await t.http('PUT', '/api/users/sales3/role', {
      token: member,
      body: { role: 'admin' },
    })
    expect(status).toBe(403)
    expect(json.error.code).toBe('auth.forbidden')
  })
})
