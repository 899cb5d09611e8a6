/**
 * The emulator's own contract, spoken to over raw HTTP the way DingTalk is spoken to, so the client's
 * behaviour does not hide what the emulator answers.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  createEmulator,
  DEMO_AGENT_ID,
  DEMO_APP_KEY,
  DEMO_APP_SECRET,
  DEMO_CORP_ID,
  DEMO_ROBOT_CODE,
  DEPT,
} from '../../local/emulator/index.js'
import { armFault, authCodeFor, listMessages, startEmulator, type Harness } from './harness.js'

let h: Harness
beforeEach(async () => {
  h = await startEmulator()
})
afterEach(async () => {
  await h.close()
})

type Json = Record<string, unknown> & { errcode?: number; errmsg?: string; code?: string }

const json = async (response: Response): Promise<Json> => (await response.json()) as Json

async function token(): Promise<string> {
  const response = await h.request(
    'GET',
    `/oapi/gettoken?appkey=${DEMO_APP_KEY}&appsecret=${DEMO_APP_SECRET}`,
  )
  return (await json(response)).access_token as string
}

const oapi = async (path: string, body: unknown, accessToken?: string) => {
  const response = await h.request(
    'POST',
    `/oapi${path}?access_token=${accessToken ?? (await token())}`,
    body,
  )
  return { status: response.status, body: await json(response) }
}

const api = async (path: string, body: unknown, accessToken?: string | null) => {
  const headers: Record<string, string> = {}
  const value = accessToken === undefined ? await token() : accessToken
  if (value) headers['x-acs-dingtalk-access-token'] = value
  const response = await h.request('POST', `/api${path}`, body, headers)
  return { status: response.status, body: await json(response) }
}

const sendCard = (accessToken: string, userIds: string, title: string) =>
  oapi(
    '/topapi/message/corpconversation/asyncsend_v2',
    {
      agent_id: Number(DEMO_AGENT_ID),
      userid_list: userIds,
      msg: {
        msgtype: 'action_card',
        action_card: { title, markdown: `# ${title}`, single_title: '查看', single_url: 'https://x/y' },
      },
    },
    accessToken,
  )

const groupMessage = (accessToken: string, i: number) =>
  api(
    '/v1.0/robot/groupMessages/send',
    {
      robotCode: DEMO_ROBOT_CODE,
      openConversationId: 'cid-demo-all',
      msgKey: 'sampleMarkdown',
      msgParam: JSON.stringify({ title: `周报 ${i}`, text: '本周新增客户 3' }),
    },
    accessToken,
  )

describe('demo organisation', () => {
  it('has exactly the seven demo users with their departments and roles', () => {
    const { org } = createEmulator()
    const summary = org.users.map((u) => [u.userId, u.name, u.deptIds, u.leaderOf, u.admin, u.boss])

    expect(org.corpId).toBe(DEMO_CORP_ID)
    expect(summary).toEqual([
      ['admin', '王二', [DEPT.office], [], true, true],
      ['mgr1', '刘琦', [DEPT.sales1], [DEPT.sales1], false, false],
      ['sales1', '王靓依', [DEPT.sales1], [], false, false],
      ['sales2', '郑纬祺', [DEPT.sales1], [], false, false],
      ['mgr2', '李四', [DEPT.sales2], [DEPT.sales2], false, false],
      ['sales3', '季八', [DEPT.sales2], [], false, false],
      ['mkt1', '王晶', [DEPT.marketing], [], false, false],
    ])
    expect(org.users.every((u) => /^1\d{10}$/.test(u.mobile) && u.title && u.avatar)).toBe(true)
  })

  it('serves the org to the login page at /__org', async () => {
    const body = await json(await h.request('GET', '/__org'))
    expect(body).toMatchObject({ corpId: 'ding-demo', corpName: '演示科技有限公司' })
  })
})

describe('tokens', () => {
  it('issues a token for the demo app with a 7200 s lifetime', async () => {
    const response = await h.request(
      'GET',
      `/oapi/gettoken?appkey=${DEMO_APP_KEY}&appsecret=${DEMO_APP_SECRET}`,
    )
    expect(await json(response)).toMatchObject({
      errcode: 0,
      expires_in: 7200,
      access_token: expect.any(String),
    })
  })

  it('refuses a wrong app secret with errcode 40089', async () => {
    const response = await h.request('GET', `/oapi/gettoken?appkey=${DEMO_APP_KEY}&appsecret=nope`)
    expect(response.status).toBe(200)
    expect(await json(response)).toMatchObject({ errcode: 40089 })
  })

  it('issues a token from the v1.0 endpoint that also works on the oapi host', async () => {
    const response = await h.request('POST', '/api/v1.0/oauth2/accessToken', {
      appKey: DEMO_APP_KEY,
      appSecret: DEMO_APP_SECRET,
    })
    const body = await json(response)

    expect(body).toMatchObject({ expireIn: 7200 })
    expect(
      (await oapi('/topapi/v2/user/get', { userid: 'admin' }, body.accessToken as string)).body.errcode,
    ).toBe(0)
  })

  it('answers oapi calls without a valid token with errcode 40014', async () => {
    const { status, body } = await oapi('/topapi/v2/user/get', { userid: 'admin' }, 'forged')
    expect(status).toBe(200)
    expect(body).toMatchObject({ errcode: 40014 })
  })

  it('answers oapi calls with an expired token with errcode 42001', async () => {
    const accessToken = await token()
    h.clock.advance(7200 * 1000)
    expect((await oapi('/topapi/v2/user/get', { userid: 'admin' }, accessToken)).body).toMatchObject({
      errcode: 42001,
    })
  })

  it('answers api calls without a token with HTTP 401 and a code', async () => {
    const { status, body } = await api('/v1.0/robot/groupMessages/send', {}, null)
    expect(status).toBe(401)
    expect(body).toMatchObject({ code: 'InvalidAuthentication', requestid: expect.any(String) })
  })

  it('throttles the token endpoint beyond 1,000 requests a minute', async () => {
    const path = `/oapi/gettoken?appkey=${DEMO_APP_KEY}&appsecret=${DEMO_APP_SECRET}`
    for (let i = 0; i < 1000; i++) await h.request('GET', path)

    expect(await json(await h.request('GET', path))).toMatchObject({ errcode: 90018 })
    h.clock.advance(60_000)
    expect(await json(await h.request('GET', path))).toMatchObject({ errcode: 0 })
  })
})

describe('auth codes', () => {
  it('answers 404 for an auth code of an unknown user', async () => {
    const response = await h.request('POST', '/__authcode', { userId: 'ghost' })
    expect(response.status).toBe(404)
    expect(await json(response)).toMatchObject({ error: { code: 'user.not_found' } })
  })

  it('answers getuserinfo with the user id, and 40078 for the same code again', async () => {
    const accessToken = await token()
    const code = await authCodeFor(h, 'sales3')

    const first = await oapi('/topapi/v2/user/getuserinfo', { code }, accessToken)
    const second = await oapi('/topapi/v2/user/getuserinfo', { code }, accessToken)

    expect(first.body).toMatchObject({ errcode: 0, result: { userid: 'sales3', name: '季八' } })
    expect(second.body).toMatchObject({ errcode: 40078, errmsg: '不存在的临时授权码' })
  })
})

describe('directory', () => {
  it('pages user/list with a real cursor', async () => {
    const accessToken = await token()
    const first = await oapi(
      '/topapi/v2/user/list',
      { dept_id: DEPT.sales1, cursor: 0, size: 2 },
      accessToken,
    )
    const next = (first.body.result as { next_cursor: number }).next_cursor
    const second = await oapi(
      '/topapi/v2/user/list',
      { dept_id: DEPT.sales1, cursor: next, size: 2 },
      accessToken,
    )

    expect(first.body.result).toMatchObject({
      has_more: true,
      list: [{ userid: 'mgr1' }, { userid: 'sales1' }],
    })
    expect(second.body.result).toMatchObject({ has_more: false, list: [{ userid: 'sales2' }] })
    expect(second.body.result).not.toHaveProperty('next_cursor')
  })

  it('refuses a user/list page larger than 100', async () => {
    const { body } = await oapi('/topapi/v2/user/list', { dept_id: 1, cursor: 0, size: 101 })
    expect(body).toMatchObject({ errcode: 40035 })
  })

  it('lists only direct members of a department', async () => {
    const { body } = await oapi('/topapi/v2/user/list', { dept_id: DEPT.sales, cursor: 0, size: 100 })
    expect(body.result).toMatchObject({ has_more: false, list: [] })
  })

  it('answers an unknown department with errcode 60003', async () => {
    expect((await oapi('/topapi/v2/department/get', { dept_id: 999 })).body).toMatchObject({ errcode: 60003 })
  })

  it('gives the root department no parent', async () => {
    const { body } = await oapi('/topapi/v2/department/get', { dept_id: 1 })
    expect(body.result).toMatchObject({ dept_id: 1, name: '演示科技有限公司' })
    expect(body.result).not.toHaveProperty('parent_id')
  })
})

describe('work notifications', () => {
  it('refuses a wrong agent_id', async () => {
    const { body } = await oapi('/topapi/message/corpconversation/asyncsend_v2', {
      agent_id: 1,
      userid_list: 'sales1',
      msg: { msgtype: 'text', text: { content: 'hi' } },
    })
    expect(body).toMatchObject({ errcode: 40056 })
  })

  it('refuses more than 100 recipients', async () => {
    const userIds = Array.from({ length: 101 }, (_, i) => `u${i}`).join(',')
    expect((await sendCard(await token(), userIds, 'x')).body).toMatchObject({ errcode: 40035 })
  })

  it('refuses a malformed action card with errcode 34014', async () => {
    const { body } = await oapi('/topapi/message/corpconversation/asyncsend_v2', {
      agent_id: DEMO_AGENT_ID,
      userid_list: 'sales1',
      msg: { msgtype: 'action_card', action_card: { title: 'no button' } },
    })
    expect(body).toMatchObject({ errcode: 34014 })
    expect(await listMessages(h)).toEqual([])
  })

  it('lists an oa message with its title, form text and links', async () => {
    await oapi('/topapi/message/corpconversation/asyncsend_v2', {
      agent_id: DEMO_AGENT_ID,
      userid_list: 'mgr2',
      msg: {
        msgtype: 'oa',
        oa: {
          message_url: 'dingtalk://dingtalkclient/page/link?url=x',
          head: { bgcolor: 'FFBBBBBB', text: '回款' },
          body: { title: '回款逾期：HT-2026-001', form: [{ key: '金额：', value: '¥12,000.00' }] },
        },
      },
    })

    expect(await listMessages(h, '?userId=mgr2')).toMatchObject([
      {
        title: '回款逾期：HT-2026-001',
        text: '金额：¥12,000.00',
        links: ['dingtalk://dingtalkclient/page/link?url=x'],
      },
    ])
  })

  it('delivers at most 500 work notifications per user per day, still answering success', async () => {
    const accessToken = await token()
    for (let i = 0; i < 500; i++) {
      await sendCard(accessToken, 'sales1', `提醒 ${i}`)
      h.clock.advance(50) // 20 calls a second: the app's limit on this API
    }

    const over = await sendCard(accessToken, 'sales1,sales2', '提醒 500')
    const result = await oapi(
      '/topapi/message/corpconversation/getsendresult',
      { agent_id: DEMO_AGENT_ID, task_id: over.body.task_id },
      accessToken,
    )

    expect(over.body).toMatchObject({ errcode: 0, task_id: expect.any(Number) })
    expect(result.body.send_result).toMatchObject({
      forbidden_user_id_list: ['sales1'],
      unread_user_id_list: ['sales2'],
      forbidden_list: [{ userid: 'sales1', code: '143105', count: 500 }],
    })
    expect(await listMessages(h, '?userId=sales1')).toHaveLength(500)

    h.clock.advance(24 * 3_600_000)
    await sendCard(await token(), 'sales1', '提醒 500')
    expect(await listMessages(h, '?userId=sales1')).toHaveLength(501)
  })

  it('throttles the 21st call of an app within a second with errcode 90018, delivering nothing', async () => {
    const accessToken = await token()
    for (let i = 1; i <= 20; i++) {
      expect((await sendCard(accessToken, `sales${(i % 3) + 1}`, `限流 ${i}`)).body.errcode).toBe(0)
      h.clock.advance(10)
    }
    const throttled = await sendCard(accessToken, 'mgr1', '限流 21')
    h.clock.advance(1000 - 200) // a second after the first call
    const allowed = await sendCard(accessToken, 'mgr1', '限流 22')

    expect(throttled).toMatchObject({ status: 200, body: { errcode: 90018 } })
    expect(allowed.body.errcode).toBe(0)
    expect((await listMessages(h)).map((m) => m.title)).not.toContain('限流 21')
    expect(h.emulator.calls('/topapi/message/corpconversation/asyncsend_v2')).toBe(22)
  })

  it('starts the second afresh when the clock is set back (tests move it both ways)', async () => {
    const accessToken = await token()
    for (let i = 1; i <= 20; i++) await sendCard(accessToken, 'sales1', `回拨 ${i}`)
    h.clock.advance(-3_600_000)
    expect((await sendCard(accessToken, 'sales1', '回拨 21')).body.errcode).toBe(0)
  })

  it('reports unknown recipients as invalid without delivering to them', async () => {
    const accessToken = await token()
    const sent = await sendCard(accessToken, 'ghost', '提醒')
    const result = await oapi(
      '/topapi/message/corpconversation/getsendresult',
      { agent_id: DEMO_AGENT_ID, task_id: sent.body.task_id },
      accessToken,
    )

    expect(result.body.send_result).toMatchObject({
      invalid_user_id_list: ['ghost'],
      unread_user_id_list: [],
    })
    expect(await listMessages(h)).toEqual([])
  })

  it('lists messages newest first', async () => {
    const accessToken = await token()
    await sendCard(accessToken, 'sales1', '第一条')
    h.clock.advance(1000)
    await sendCard(accessToken, 'sales2', '第二条')

    expect((await listMessages(h)).map((m) => m.title)).toEqual(['第二条', '第一条'])
    expect((await listMessages(h, '?userId=sales1')).map((m) => m.title)).toEqual(['第一条'])
  })
})

describe('group robot', () => {
  it('throttles the 21st message in a minute and keeps the robot throttled for 10 minutes', async () => {
    const accessToken = await token()
    for (let i = 1; i <= 20; i++) expect((await groupMessage(accessToken, i)).status).toBe(200)

    const throttled = await groupMessage(accessToken, 21)
    h.clock.advance(9 * 60_000)
    const stillThrottled = await groupMessage(accessToken, 22)
    h.clock.advance(60_000)
    const allowed = await groupMessage(accessToken, 23)

    expect(throttled).toMatchObject({
      status: 403,
      body: { code: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi' },
    })
    expect(stillThrottled.status).toBe(403)
    expect(allowed.status).toBe(200)
    expect(await listMessages(h, '?kind=group')).toHaveLength(21)
  })

  it('refuses a msgParam that is not the JSON string of the template', async () => {
    const { status, body } = await api('/v1.0/robot/groupMessages/send', {
      robotCode: DEMO_ROBOT_CODE,
      openConversationId: 'cid-demo-all',
      msgKey: 'sampleActionCard',
      msgParam: { title: 'an object, not a string' },
    })
    expect(status).toBe(400)
    expect(body).toMatchObject({ code: 'invalidParameter.msgParam.invalid' })
  })
})

describe('helpers', () => {
  it('fails the next calls to a path as armed, then answers normally', async () => {
    const accessToken = await token()
    await armFault(h, { path: '/topapi/v2/user/get', status: 503, count: 2 })

    const statuses = []
    for (let i = 0; i < 3; i++) {
      const path = `/oapi/topapi/v2/user/get?access_token=${accessToken}`
      statuses.push((await h.request('POST', path, { userid: 'admin' })).status)
    }

    expect(statuses).toEqual([503, 503, 200])
  })

  it('answers an armed errcode as an oapi error with HTTP 200', async () => {
    await armFault(h, { path: '/topapi/v2/user/get', status: 200, errcode: 90018, count: 1 })
    const { status, body } = await oapi('/topapi/v2/user/get', { userid: 'admin' })
    expect(status).toBe(200)
    expect(body).toMatchObject({ errcode: 90018 })
  })

  it('answers an armed api-host fault with {code, message, requestid}', async () => {
    await armFault(h, { path: '/v1.0/robot/groupMessages/send', status: 503, count: 1 })
    const { status, body } = await groupMessage(await token(), 1)
    expect(status).toBe(503)
    expect(body).toMatchObject({ code: 'ServiceUnavailable', requestid: expect.any(String) })
  })

  it('clears armed faults on DELETE /__faults', async () => {
    await armFault(h, { path: '/topapi/v2/user/get', status: 500, count: 5 })
    await h.request('DELETE', '/__faults')
    expect((await oapi('/topapi/v2/user/get', { userid: 'admin' })).status).toBe(200)
  })

  it('refuses a fault without a path', async () => {
    expect((await h.request('POST', '/__faults', { status: 503 })).status).toBe(400)
  })

  it('clears messages, codes, faults and counters on POST /__reset but keeps tokens valid', async () => {
    const accessToken = await token()
    await sendCard(accessToken, 'sales1', '提醒')
    const code = await authCodeFor(h, 'sales1')
    await armFault(h, { path: '/topapi/v2/user/get', status: 500, count: 1 })

    await h.request('POST', '/__reset')

    expect(await listMessages(h)).toEqual([])
    expect(h.emulator.calls('/gettoken')).toBe(0)
    expect((await oapi('/topapi/v2/user/getuserinfo', { code }, accessToken)).body).toMatchObject({
      errcode: 40078,
    })
    expect((await oapi('/topapi/v2/user/get', { userid: 'admin' }, accessToken)).status).toBe(200)
  })

  it('keeps the state of each emulator instance apart', async () => {
    const other = createEmulator()
    await sendCard(await token(), 'sales1', '提醒')

    expect(other.messages()).toEqual([])
    expect(h.emulator.messages()).toHaveLength(1)
  })
})
