import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { actionCard, h5Link, miniAppLink, robotActionCard } from '../../functions/dingtalk/messages.js'
import { createDingTalkClient } from '../../functions/dingtalk/client.js'
import { DingTalkError, isInvalidAuthCode, withRetry } from '../../functions/dingtalk/errors.js'
import { DEMO_ROBOT_CODE, DEPT } from '../../local/emulator/index.js'
import { armFault, authCodeFor, listMessages, startEmulator, type Harness } from './harness.js'

const TOKEN_PATH = '/gettoken'
const USER_GET = '/topapi/v2/user/get'
const SEND = '/topapi/message/corpconversation/asyncsend_v2'
const GROUP_SEND = '/v1.0/robot/groupMessages/send'

let h: Harness
beforeEach(async () => {
  h = await startEmulator()
})
afterEach(async () => {
  await h.close()
})

const caught = async (promise: Promise<unknown>): Promise<DingTalkError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(DingTalkError)
  return error as DingTalkError
}

const card = (title: string) =>
  actionCard({
    title,
    markdown: `### ${title}\n客户：华为`,
    singleTitle: '查看详情',
    singleUrl: miniAppLink('pages/customer/detail', { id: 'c1' }, 'mini-demo'),
  })

describe('login', () => {
  it('exchanges an auth code for the user, then reads their departments and leadership', async () => {
    const client = h.client()
    const code = await authCodeFor(h, 'mgr1')

    const info = await client.getUserInfoByCode(code)
    const user = await client.getUser(info.userid)

    expect(info).toMatchObject({ userid: 'mgr1', name: '刘琦' })
    expect(user).toMatchObject({
      userid: 'mgr1',
      name: '刘琦',
      dept_id_list: [DEPT.sales1],
      leader_in_dept: [{ dept_id: DEPT.sales1, leader: true }],
      admin: false,
      boss: false,
    })
    expect(user.avatar).toMatch(/^data:image\/svg\+xml,/)
  })

  it('reports the admin as admin and boss', async () => {
    const client = h.client()
    const user = await client.getUser((await client.getUserInfoByCode(await authCodeFor(h, 'admin'))).userid)
    expect(user).toMatchObject({ name: '王二', admin: true, boss: true, dept_id_list: [DEPT.office] })
  })

  it('refuses an auth code the second time, as an invalid auth code, without retrying', async () => {
    const client = h.client()
    const code = await authCodeFor(h, 'sales1')
    await client.getUserInfoByCode(code)

    const error = await caught(client.getUserInfoByCode(code))

    expect(isInvalidAuthCode(error)).toBe(true)
    expect(error).toMatchObject({ errcode: 40078, retryable: false })
    expect(h.sleeps).toEqual([])
  })

  it('refuses an auth code older than five minutes', async () => {
    const client = h.client()
    const code = await authCodeFor(h, 'sales1')
    h.clock.advance(5 * 60_000 + 1)

    const error = await caught(client.getUserInfoByCode(code))

    expect(isInvalidAuthCode(error)).toBe(true)
  })

  it('accepts an auth code just under five minutes old', async () => {
    const client = h.client()
    const code = await authCodeFor(h, 'sales1')
    h.clock.advance(5 * 60_000 - 1000)

    await expect(client.getUserInfoByCode(code)).resolves.toMatchObject({ userid: 'sales1' })
  })
})

describe('access token', () => {
  it('fetches the token once for many calls', async () => {
    const client = h.client()
    await client.getUser('sales1')
    await client.getUser('sales2')
    await client.getDepartment(DEPT.sales1)

    expect(h.emulator.calls(TOKEN_PATH)).toBe(1)
  })

  it('shares one token request between concurrent callers', async () => {
    const client = h.client()
    await Promise.all(['admin', 'mgr1', 'sales1', 'sales2', 'mkt1'].map((id) => client.getUser(id)))

    expect(h.emulator.calls(TOKEN_PATH)).toBe(1)
  })

  it('keeps the token until five minutes before it expires, then fetches a new one', async () => {
    const client = h.client()
    await client.getUser('sales1')
    h.clock.advance((7200 - 300) * 1000 - 1000)
    await client.getUser('sales1')
    expect(h.emulator.calls(TOKEN_PATH)).toBe(1)

    h.clock.advance(2000)
    await client.getUser('sales1')
    expect(h.emulator.calls(TOKEN_PATH)).toBe(2)
  })

  it('renews a token DingTalk reports as expired and repeats the call once', async () => {
    const client = h.client()
    await client.getUser('sales1')
    h.emulator.expireTokens()

    await expect(client.getUser('sales2')).resolves.toMatchObject({ userid: 'sales2' })
    expect(h.emulator.calls(TOKEN_PATH)).toBe(2)
    expect(h.emulator.calls(USER_GET)).toBe(3)
    expect(h.sleeps).toEqual([])
  })

  it('renews a token the api host refuses with 401', async () => {
    const client = h.client()
    await client.getUser('sales1')
    h.emulator.expireTokens()

    const sent = await client.sendGroupMessage({
      robotCode: DEMO_ROBOT_CODE,
      openConversationId: 'cid-demo-sales1',
      ...robotActionCard({
        title: '新线索',
        markdown: '华为',
        singleTitle: '查看',
        singleUrl: 'https://x/y',
      }),
    })

    expect(sent.processQueryKey).toBeTruthy()
    expect(h.emulator.calls(TOKEN_PATH)).toBe(2)
  })

  it('fails at once, without retrying, when the app secret is wrong', async () => {
    const client = h.client({ appSecret: 'wrong' })

    const error = await caught(client.getUser('sales1'))

    expect(error).toMatchObject({ errcode: 40089, retryable: false })
    expect(h.emulator.calls(TOKEN_PATH)).toBe(1)
  })

  it('reads its configuration from the environment when first used, not when created', async () => {
    const keys = ['DINGTALK_OAPI_URL', 'DINGTALK_APP_KEY', 'DINGTALK_APP_SECRET'] as const
    const saved = keys.map((k) => process.env[k])
    const client = createDingTalkClient({ sleep: async () => {} })
    try {
      process.env.DINGTALK_OAPI_URL = `${h.baseUrl}/oapi`
      process.env.DINGTALK_APP_KEY = 'ding-demo-key'
      process.env.DINGTALK_APP_SECRET = 'ding-demo-secret'

      await expect(client.getUser('mkt1')).resolves.toMatchObject({ name: '王晶' })
      expect(client.config().oapiUrl).toBe(`${h.baseUrl}/oapi`)
    } finally {
      keys.forEach((k, i) => {
        if (saved[i] === undefined) delete process.env[k]
        else process.env[k] = saved[i]
      })
    }
  })
})

describe('retries', () => {
  it('retries two 503 answers with growing jittered delays and then succeeds', async () => {
    const client = h.client()
    await client.getAccessToken()
    await armFault(h, { path: USER_GET, status: 503, count: 2 })

    await expect(client.getUser('sales1')).resolves.toMatchObject({ userid: 'sales1' })

    expect(h.emulator.calls(USER_GET)).toBe(3)
    // full jitter with random() = 0.5: half of 200 ms, then half of 400 ms
    expect(h.sleeps).toEqual([100, 200])
  })

  it('gives up after three attempts and reports a retryable error', async () => {
    const client = h.client()
    await armFault(h, { path: USER_GET, status: 503, count: 5 })

    const error = await caught(client.getUser('sales1'))

    expect(error).toMatchObject({ httpStatus: 503, retryable: true, kind: 'http' })
    expect(h.emulator.calls(USER_GET)).toBe(3)
  })

  it('honours a configured number of attempts', async () => {
    const client = h.client({ maxAttempts: 5 })
    await armFault(h, { path: USER_GET, status: 502, count: 4 })

    await expect(client.getUser('sales1')).resolves.toMatchObject({ userid: 'sales1' })
    expect(h.emulator.calls(USER_GET)).toBe(5)
  })

  it('retries the oapi throttling errcode 90018', async () => {
    const client = h.client()
    await armFault(h, { path: USER_GET, status: 200, errcode: 90018, count: 1 })

    await expect(client.getUser('sales1')).resolves.toMatchObject({ userid: 'sales1' })
    expect(h.sleeps).toHaveLength(1)
  })

  it('retries 系统繁忙 (errcode -1)', async () => {
    const client = h.client()
    await armFault(h, { path: USER_GET, status: 200, errcode: -1, count: 2 })

    await expect(client.getUser('sales1')).resolves.toMatchObject({ userid: 'sales1' })
  })

  it('throws a non-retryable error at once', async () => {
    const client = h.client()

    const error = await caught(client.getUser('nobody'))

    expect(error).toMatchObject({ errcode: 60121, retryable: false, kind: 'api', path: USER_GET })
    expect(h.emulator.calls(USER_GET)).toBe(1)
    expect(h.sleeps).toEqual([])
  })

  it('aborts a call that takes longer than the timeout and retries it', async () => {
    const client = h.client({ timeoutMs: 100 })
    await client.getAccessToken()
    await armFault(h, { path: USER_GET, delayMs: 400, count: 1 })

    await expect(client.getUser('sales1')).resolves.toMatchObject({ userid: 'sales1' })
    expect(h.sleeps).toHaveLength(1)
  })

  it('reports a timeout that persists as a retryable timeout', async () => {
    const client = h.client({ timeoutMs: 50, maxAttempts: 2 })
    await client.getAccessToken()
    await armFault(h, { path: USER_GET, delayMs: 300, count: 2 })

    const error = await caught(client.getUser('sales1'))

    expect(error).toMatchObject({ kind: 'timeout', retryable: true })
  })

  it('reports an unreachable host as a retryable network error', async () => {
    const client = h.client({ oapiUrl: 'http://127.0.0.1:1/oapi', maxAttempts: 2 })

    const error = await caught(client.getUser('sales1'))

    expect(error).toMatchObject({ kind: 'network', retryable: true })
    expect(h.sleeps).toHaveLength(1)
  })

  it('caps each delay at maxDelayMs', async () => {
    const delays: number[] = []
    let calls = 0
    const failing = async () => {
      calls++
      throw new DingTalkError('busy', { kind: 'api', retryable: true, errcode: -1 })
    }
    const policy = {
      maxAttempts: 6,
      baseDelayMs: 200,
      maxDelayMs: 1000,
      random: () => 1,
      sleep: async (ms: number) => void delays.push(ms),
    }

    await expect(withRetry(failing, policy)).rejects.toThrow('busy')
    expect(calls).toBe(6)
    expect(delays).toEqual([200, 400, 800, 1000, 1000])
  })
})

describe('response checking', () => {
  it('rejects a response whose shape does not match, as a non-retryable schema error', async () => {
    const client = h.client()
    await armFault(h, {
      path: USER_GET,
      status: 200,
      count: 1,
      body: { errcode: 0, errmsg: 'ok', result: { userid: 42, name: null } },
    })

    const error = await caught(client.getUser('sales1'))

    expect(error).toMatchObject({ kind: 'schema', errcode: 'schema.mismatch', retryable: false })
    expect(error.message).toContain('result.userid')
  })

  it('rejects a token answer without a token', async () => {
    const client = h.client()
    await armFault(h, { path: TOKEN_PATH, status: 200, count: 1, body: { errcode: 0, errmsg: 'ok' } })

    const error = await caught(client.getUser('sales1'))

    expect(error).toMatchObject({ kind: 'schema', path: TOKEN_PATH })
  })
})

describe('directory', () => {
  it('lists the departments under the root', async () => {
    const depts = await h.client().listSubDepartments(1)

    expect(depts.map((d) => d.name)).toEqual(['总经办', '销售部', '市场部'])
  })

  it('keeps 销售一部 and 销售二部 as separate departments under 销售部', async () => {
    const client = h.client()
    const ids = await client.listSubDepartmentIds(DEPT.sales)
    const sales1 = await client.getDepartment(DEPT.sales1)

    expect(ids).toEqual([DEPT.sales1, DEPT.sales2])
    expect(sales1).toMatchObject({
      name: '销售一部',
      parent_id: DEPT.sales,
      dept_manager_userid_list: ['mgr1'],
    })
  })

  it('follows the cursor across pages to list every member of a department', async () => {
    const client = h.client({ userListPageSize: 2 })

    const users = await client.listDeptUsers(DEPT.sales1)

    expect(users.map((u) => u.userid)).toEqual(['mgr1', 'sales1', 'sales2'])
    expect(users.find((u) => u.userid === 'mgr1')?.leader).toBe(true)
    expect(h.emulator.calls('/topapi/v2/user/list')).toBe(2)
  })

  it('lists a department in one call when it fits a page', async () => {
    const client = h.client()

    const users = await client.listDeptUsers(DEPT.sales2)

    expect(users.map((u) => u.name)).toEqual(['李四', '季八'])
    expect(h.emulator.calls('/topapi/v2/user/list')).toBe(1)
  })
})

describe('work notifications', () => {
  it('delivers an action card that __messages lists with its title and link', async () => {
    const client = h.client()

    const { taskId } = await client.sendWorkNotification({ userIds: ['sales1'], msg: card('新线索：华为') })

    expect(taskId).toBeGreaterThan(0)
    const [message] = await listMessages(h, '?userId=sales1')
    expect(message).toMatchObject({
      kind: 'work_notification',
      to: { userIds: ['sales1'] },
      title: '新线索：华为',
      links: [
        'dingtalk://dingtalkclient/action/open_mini_app?miniAppId=mini-demo&page=pages%2Fcustomer%2Fdetail%3Fid%3Dc1',
      ],
    })
    expect(message.text).toContain('客户：华为')
  })

  it('delivers the same content to the same user only once a day, though both calls succeed', async () => {
    const client = h.client()
    const first = await client.sendWorkNotification({ userIds: ['sales1'], msg: card('跟进提醒') })
    const second = await client.sendWorkNotification({ userIds: ['sales1'], msg: card('跟进提醒') })

    expect(await listMessages(h, '?userId=sales1')).toHaveLength(1)
    expect((await client.getSendResult(first.taskId)).unread_user_id_list).toEqual(['sales1'])
    expect(await client.getSendResult(second.taskId)).toMatchObject({
      forbidden_user_id_list: ['sales1'],
      forbidden_list: [{ userid: 'sales1', code: '143106' }],
    })
  })

  it('delivers the same content again the next day', async () => {
    const client = h.client()
    await client.sendWorkNotification({ userIds: ['sales1'], msg: card('跟进提醒') })
    h.clock.advance(24 * 3_600_000)
    await client.sendWorkNotification({ userIds: ['sales1'], msg: card('跟进提醒') })

    expect(await listMessages(h, '?userId=sales1')).toHaveLength(2)
  })

  it('refuses more than 100 recipients before calling DingTalk', async () => {
    const client = h.client()
    const userIds = Array.from({ length: 101 }, (_, i) => `u${i}`)

    const error = await caught(client.sendWorkNotification({ userIds, msg: card('x') }))

    expect(error.retryable).toBe(false)
    expect(h.emulator.calls(SEND)).toBe(0)
  })

  it('reports an unknown agent id as a non-retryable error', async () => {
    const client = h.client({ agentId: '999' })

    const error = await caught(client.sendWorkNotification({ userIds: ['sales1'], msg: card('x') }))

    expect(error).toMatchObject({ errcode: 40056, retryable: false })
  })
})

describe('robot messages', () => {
  const send = (h: Harness, i: number) =>
    h.client().sendGroupMessage({
      robotCode: DEMO_ROBOT_CODE,
      openConversationId: 'cid-demo-sales1',
      ...robotActionCard({
        title: `赢单 #${i}`,
        markdown: '恭喜',
        singleTitle: '查看',
        singleUrl: h5Link('https://crm.example.com/#/opportunities/o1'),
      }),
    })

  it('sends a card to a group chat and lists it with the chat and link', async () => {
    await send(h, 1)

    const [message] = await listMessages(h)
    expect(message).toMatchObject({
      kind: 'group',
      to: { chatId: 'cid-demo-sales1', robotCode: DEMO_ROBOT_CODE },
      title: '赢单 #1',
      links: [
        'dingtalk://dingtalkclient/page/link?url=https%3A%2F%2Fcrm.example.com%2F%23%2Fopportunities%2Fo1',
      ],
    })
  })

  it('surfaces the 21st message in a minute as a retryable throttling error, without retrying it itself', async () => {
    for (let i = 1; i <= 20; i++) await send(h, i)

    const error = await caught(send(h, 21))

    expect(error).toMatchObject({
      retryable: true,
      httpStatus: 403,
      errcode: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi',
    })
    // a retry would take another of the group's 20 a minute: the outbox retries later (groups.ts)
    expect(h.emulator.calls(GROUP_SEND)).toBe(21)
    expect(await listMessages(h, '?kind=group')).toHaveLength(20)
  })

  it('does not resend a group message that timed out, since it may have been delivered', async () => {
    const client = h.client({ timeoutMs: 50 })
    await client.getAccessToken()
    await armFault(h, { path: GROUP_SEND, delayMs: 200, count: 1 })

    const error = await caught(
      client.sendGroupMessage({
        robotCode: DEMO_ROBOT_CODE,
        openConversationId: 'cid-demo-sales1',
        msgKey: 'sampleMarkdown',
        msgParam: { title: '周报', text: '本周新增客户 3' },
      }),
    )
    await new Promise((resolve) => setTimeout(resolve, 250))

    expect(error).toMatchObject({ kind: 'timeout', retryable: false })
    expect(h.emulator.calls(GROUP_SEND)).toBe(1)
    expect(await listMessages(h, '?kind=group')).toHaveLength(1)
  })

  it('sends a robot 1:1 card and reports unknown staff', async () => {
    const result = await h.client().sendRobotOneToOne({
      robotCode: DEMO_ROBOT_CODE,
      userIds: ['sales2', 'ghost'],
      ...robotActionCard({
        title: '回款提醒',
        markdown: '合同 HT-1',
        singleTitle: '查看',
        singleUrl: 'https://x',
      }),
    })

    expect(result.invalidStaffIdList).toEqual(['ghost'])
    expect(await listMessages(h, '?userId=sales2')).toMatchObject([{ kind: 'robot_o2o', title: '回款提醒' }])
  })

  it('refuses an unknown robot code without retrying', async () => {
    const error = await caught(
      h.client().sendGroupMessage({
        robotCode: 'other',
        openConversationId: 'cid-demo-sales1',
        msgKey: 'sampleMarkdown',
        msgParam: { title: 't', text: 'x' },
      }),
    )

    expect(error).toMatchObject({
      httpStatus: 400,
      errcode: 'invalidParameter.robotCode.notExsit',
      retryable: false,
    })
  })
})

describe('deep links', () => {
  it('builds a mini-program link with the page and its query URL-encoded', () => {
    expect(miniAppLink('pages/lead/detail', { id: '01J 9', from: 'card' }, '5000000001')).toBe(
      'dingtalk://dingtalkclient/action/open_mini_app?miniAppId=5000000001' +
        '&page=pages%2Flead%2Fdetail%3Fid%3D01J%25209%26from%3Dcard',
    )
  })

  it('reads the mini-program id from DINGTALK_MINIAPP_ID', () => {
    const saved = process.env.DINGTALK_MINIAPP_ID
    process.env.DINGTALK_MINIAPP_ID = '5000000002'
    try {
      expect(miniAppLink('/pages/home/index', {})).toBe(
        'dingtalk://dingtalkclient/action/open_mini_app?miniAppId=5000000002&page=pages%2Fhome%2Findex',
      )
    } finally {
      if (saved === undefined) delete process.env.DINGTALK_MINIAPP_ID
      else process.env.DINGTALK_MINIAPP_ID = saved
    }
  })

  it('wraps an H5 URL in the page/link scheme', () => {
    expect(h5Link('https://crm.example.com/#/leads/1?a=b', { pcSlide: true })).toBe(
      'dingtalk://dingtalkclient/page/link?url=https%3A%2F%2Fcrm.example.com%2F%23%2Fleads%2F1%3Fa%3Db&pc_slide=true',
    )
  })
})
