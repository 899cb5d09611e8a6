import { randomUUID } from 'node:crypto'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { now } from '../../functions/core/clock.js'
import { commit } from '../../functions/db/commit.js'
import { listTenants } from '../../functions/domain/directory/tenants.js'
import { outboxWrite } from '../../functions/domain/notifications/outbox.js'
import { sendBriefings } from '../../functions/domain/scheduler/daily-jobs.js'
import { DEMO_CORP_ID, DEMO_ROBOT_CODE, DEPT } from '../../local/emulator/index.js'
import { useStack } from '../helpers/stack.js'
import { delivered, linkingTo, runClock, runScheduler, todos, type DeliveredMessage } from './helpers.js'

const t = useStack()
const at = runClock()
let admin: string
let version = 0

const SALES = 'cid-demo-sales'
const SALES1 = 'cid-demo-sales1'
const GROUP_SEND = '/v1.0/robot/groupMessages/send'
const ASYNC_SEND = '/topapi/message/corpconversation/asyncsend_v2'
const group = (deptId: number, openConversationId: string) => ({
  deptId: String(deptId),
  robotCode: DEMO_ROBOT_CODE,
  openConversationId,
})

beforeAll(async () => {
  admin = await t.login('admin')
  for (const user of ['mgr1', 'sales1', 'sales2', 'sales3', 'mkt1', 'mgr2']) await t.login(user)
  await runScheduler(t, at(1))
})

afterEach(async () => {
  await t.http('DELETE', '/dingtalk/__faults')
})

/** 通知设置 as an admin saves it: groups for 销售部 and 销售一部, and the given choices */
async function settle(routing: { deptId: string; events: Record<string, string> }[]) {
  const { status, json } = await t.http('PUT', '/api/settings/notifications', {
    token: admin,
    body: { groups: [group(DEPT.sales, SALES), group(DEPT.sales1, SALES1)], routing, version },
  })
  expect(status, JSON.stringify(json)).toBe(200)
  version = json.version
}

async function assignLead(assigneeId: string) {
  const { json: lead } = await t.http('POST', '/api/leads', {
    token: admin,
    body: { title: `线索 ${randomUUID().slice(0, 6)}`, contactName: '周先生' },
  })
  const assigned = await t.http('POST', `/api/leads/${lead.id}/assign`, {
    token: admin,
    body: { assigneeId },
  })
  expect(assigned.status).toBe(200)
  return lead.id as string
}

const inGroup = (messages: DeliveredMessage[], chat: string) =>
  messages.filter((m) => m.kind === 'group' && m.to.openConversationId === chat)
const toPerson = (messages: DeliveredMessage[]) => messages.filter((m) => m.kind === 'work_notification')

describe('team group chats (通知设置: person, group or both per department and event)', () => {
  it('sends a lead assigned to a 销售一部 member to the person and the 销售一部 group ("both")', async () => {
    await settle([{ deptId: String(DEPT.sales1), events: { 'lead.assigned': 'both' } }])
    const leadId = await assignLead('sales1')
    await runScheduler(t, at(2))
    await runScheduler(t, at(3))
    const cards = linkingTo(await delivered(t), `id=${leadId}`)
    expect(toPerson(cards)).toMatchObject([{ to: { userIds: ['sales1'] } }])
    const [card] = inGroup(cards, SALES1)
    expect(inGroup(cards, SALES1)).toHaveLength(1)
    expect(card.text).toContain('王靓依（销售一部）')
    expect(decodeURIComponent(card.links[0])).toContain(`page=pages/lead/detail?id=${leadId}`)
    // 电脑端打开: the same lead in the H5 app, for the person and the group alike
    const pc = new RegExp(
      `^dingtalk://dingtalkclient/page/link\\?url=https?://[^/]+/leads/${leadId}&pc_slide=true$`,
    )
    expect(decodeURIComponent(card.links[1])).toMatch(pc)
    expect(decodeURIComponent(toPerson(cards)[0].links[1])).toMatch(pc)
  })

  it('sends it only to the group when 销售一部 chose "group"', async () => {
    await settle([{ deptId: String(DEPT.sales1), events: { 'lead.assigned': 'group' } }])
    const leadId = await assignLead('sales2')
    await runScheduler(t, at(4))
    const cards = linkingTo(await delivered(t), `id=${leadId}`)
    expect(toPerson(cards)).toEqual([])
    expect(inGroup(cards, SALES1)).toHaveLength(1)
  })

  it("falls back to the parent's group for a department without one, then to the person", async () => {
    // the choice is 销售部's; 销售二部 (no group) and 市场部 (no group up the tree) inherit or lack it
    await settle([
      { deptId: String(DEPT.sales), events: { 'lead.assigned': 'group' } },
      { deptId: String(DEPT.marketing), events: { 'lead.assigned': 'group' } },
    ])
    const sales3Lead = await assignLead('sales3')
    const mkt1Lead = await assignLead('mkt1')
    await runScheduler(t, at(5))
    const messages = await delivered(t)
    const sales3Cards = linkingTo(messages, `id=${sales3Lead}`)
    expect(inGroup(sales3Cards, SALES)).toHaveLength(1)
    expect(inGroup(sales3Cards, SALES)[0].text).toContain('季八（销售二部）')
    expect(toPerson(sales3Cards)).toEqual([])
    const mkt1Cards = linkingTo(messages, `id=${mkt1Lead}`)
    expect(mkt1Cards.filter((m) => m.kind === 'group')).toEqual([])
    expect(toPerson(mkt1Cards)).toMatchObject([{ to: { userIds: ['mkt1'] } }])
  })

  it("sends the daily briefing to each department's group once", async () => {
    await settle([
      { deptId: String(DEPT.sales), events: { 'report.briefing': 'group' } },
      { deptId: String(DEPT.sales1), events: { 'report.briefing': 'both' } },
    ])
    const [tenant] = (await listTenants()).filter((x) => x.tenantId === DEMO_CORP_ID)
    const day = new Date(now() + 8 * 3_600_000 + 2 * 86_400_000).toISOString().slice(0, 10)
    const first = await sendBriefings(tenant, day)
    const again = await sendBriefings(tenant, day)
    expect(first.groups.sort()).toEqual([String(DEPT.sales), String(DEPT.sales1)])
    expect(again.groups).toEqual([])
    // 刘琦 leads 销售一部 ("both"): a card of her own too; 李四 leads 销售二部 (销售部's "group"): none
    expect(first.sent).toContain('mgr1')
    expect(first.sent).not.toContain('mgr2')
    await runScheduler(t, at(6))
    const briefings = (await delivered(t)).filter(
      (m) => m.title.startsWith(`昨日简报（`) && m.kind === 'group',
    )
    const yesterday = new Date(Date.parse(day) - 86_400_000).toISOString().slice(0, 10)
    const ofDay = briefings.filter((m) => m.title.includes(yesterday))
    expect(inGroup(ofDay, SALES)).toHaveLength(1)
    expect(inGroup(ofDay, SALES1)).toHaveLength(1)
    expect(inGroup(ofDay, SALES)[0].text).toContain('昨日简报 · 销售部')
    expect(toPerson(ofDay.length ? await delivered(t) : []).some((m) => m.to.userIds?.includes('mgr1'))).toBe(
      true,
    )
  })

  it("sends an approval's result to the submitter's department group as it chose (approved: both, rejected: group)", async () => {
    const flow = {
      name: '大额合同审批',
      collection: 'contracts',
      on: 'create',
      condition: { field: 'amount', op: 'gte', value: 100000 },
      steps: [{ approver: { type: 'manager' }, mode: 'or' }],
    }
    const saved = await t.http('PUT', '/api/settings/approvals', {
      token: admin,
      body: { version: 0, flows: [flow] },
    })
    expect(saved.status).toBe(200)
    // 销售一部 (sales1's) wants both; 销售二部 (sales3's) inherits 销售部's "group" and its group
    await settle([
      { deptId: String(DEPT.sales1), events: { 'approval.result': 'both' } },
      { deptId: String(DEPT.sales), events: { 'approval.result': 'group' } },
    ])
    const submit = async (user: string, name: string) => {
      const token = await t.login(user)
      const { json: customer } = await t.http('POST', '/api/customers', { token, body: { name } })
      const { json } = await t.http('POST', '/api/contracts', {
        token,
        body: { number: name, name, customerId: customer.id, amount: 150000, signedAt: '2026-05-19' },
      })
      expect(json.approval).toMatchObject({ status: 'pending' })
      return json.approval.id as string
    }
    const approved = await submit('sales1', `审批客户 ${randomUUID().slice(0, 6)}`)
    const rejected = await submit('sales3', `审批客户 ${randomUUID().slice(0, 6)}`)
    const decide = await t.http('POST', `/api/approvals/${approved}/approve`, {
      token: await t.login('mgr1'),
    })
    expect(decide.json.status).toBe('approved')
    const refuse = await t.http('POST', `/api/approvals/${rejected}/reject`, {
      token: await t.login('mgr2'),
      body: { comment: '金额有误' },
    })
    expect(refuse.json.status).toBe('rejected')
    await runScheduler(t, at(7))
    await runScheduler(t, at(8))
    const messages = await delivered(t)
    const results = (id: string) =>
      linkingTo(messages, `pages/approval/detail?id=${id}`).filter((m) => m.title.startsWith('审批已'))
    const [approvedCard] = inGroup(results(approved), SALES1)
    expect(inGroup(results(approved), SALES1)).toHaveLength(1)
    expect(approvedCard.title).toBe('审批已通过：大额合同审批')
    expect(approvedCard.text).toContain('王靓依（销售一部）')
    expect(decodeURIComponent(approvedCard.links[1])).toMatch(
      new RegExp(`url=https?://[^/]+/approvals/${approved}&`),
    )
    expect(toPerson(results(approved))).toMatchObject([{ to: { userIds: ['sales1'] } }])
    const [rejectedCard] = inGroup(results(rejected), SALES)
    expect(rejectedCard.title).toBe('审批已驳回：大额合同审批')
    expect(rejectedCard.text).toContain('季八（销售二部）')
    expect(rejectedCard.text).toContain('金额有误')
    expect(toPerson(results(rejected))).toEqual([])
  })

  it("test-sends one card to a department's group, naming the department", async () => {
    await settle([])
    const { status, json } = await t.http('POST', '/api/settings/notifications/test', {
      token: admin,
      body: { deptId: String(DEPT.sales1) },
    })
    expect(status, JSON.stringify(json)).toBe(200)
    expect(json).toMatchObject({ openConversationId: SALES1, title: '测试消息 · 销售一部' })
    const [card] = inGroup(await delivered(t), SALES1).filter((m) => m.title === json.title)
    expect(card.text).toContain('王二')
    const unsaved = await t.http('POST', '/api/settings/notifications/test', {
      token: admin,
      body: { deptId: String(DEPT.marketing) },
    })
    expect(unsaved.status).toBe(422)
    expect(unsaved.json.error.message).toContain('市场部')
  })

  /** group cards written the way the delivery writes them: one outbox message per group card */
  async function writeGroupCards(count: number, chat: string, deptId: number) {
    const batch = randomUUID().slice(0, 8)
    const titles = Array.from({ length: count }, (_, i) => `群卡片 ${batch}-${i}`)
    for (let i = 0; i < titles.length; i += 25) {
      await commit(
        titles.slice(i, i + 25).map((title) =>
          outboxWrite(DEMO_CORP_ID, {
            kind: 'lead.assigned',
            userIds: [],
            title,
            markdown: `### ${title}`,
            link: { page: 'pages/lead/detail', query: { id: title } },
            group: group(deptId, chat),
          }),
        ),
      )
    }
    return titles
  }

  it('spreads a burst of 100 cards for one group to at most 20 a minute and loses none', async () => {
    const chat = `cid-burst-${randomUUID().slice(0, 6)}`
    const titles = await writeGroupCards(100, chat, DEPT.sales2)
    for (let minute = 0; minute < 7; minute++) await runScheduler(t, at(10 + minute * 1.05))
    const cards = inGroup(await delivered(t), chat)
    expect(cards.map((m) => m.title).sort()).toEqual([...titles].sort())
    const times = cards.map((m) => Date.parse(m.at)).sort((a, b) => a - b)
    const busiest = Math.max(...times.map((t0) => times.filter((x) => x > t0 - 60_000 && x <= t0).length))
    expect(busiest).toBeLessThanOrEqual(20)
    expect(times[times.length - 1] - times[0]).toBeGreaterThanOrEqual(4 * 60_000)
    // a loaded machine takes longer than the default 30 s: timed out, its runs would go on under the next test
  }, 120_000)

  it('delivers every group card exactly once under 20 % failures and throttling with overlapping runs', async () => {
    const chats = [`cid-fault-a-${randomUUID().slice(0, 4)}`, `cid-fault-b-${randomUUID().slice(0, 4)}`]
    const titles = [
      ...(await writeGroupCards(15, chats[0], DEPT.sales1)),
      ...(await writeGroupCards(15, chats[1], DEPT.sales2)),
    ]
    const faults = [
      { status: 503, every: 10, phase: 0 },
      { status: 403, errcode: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', every: 10, phase: 5 },
    ]
    for (const fault of faults) {
      await t.http('POST', '/dingtalk/__faults', { body: { path: GROUP_SEND, count: 1000, ...fault } })
    }
    await Promise.all([runScheduler(t, at(30)), runScheduler(t, at(30))])
    for (let minutes = 60; minutes <= 240; minutes += 30) await runScheduler(t, at(minutes))
    const messages = await delivered(t)
    const counts = titles.map(
      (title) => messages.filter((m) => m.kind === 'group' && m.title === title).length,
    )
    expect(counts).toEqual(titles.map(() => 1))
  })
  it("delivers each due reminder's card, group card and to-do exactly once under 20 % failures and throttling on every endpoint, with overlapping runs", async () => {
    await settle([{ deptId: String(DEPT.sales1), events: { 'reminder.due': 'both' } }])
    const sales1 = await t.login('sales1')
    const { json: customer } = await t.http('POST', '/api/customers', {
      token: sales1,
      body: { name: `故障客户 ${randomUUID().slice(0, 6)}` },
    })
    const ids: string[] = []
    for (let i = 0; i < 8; i++) {
      const { status, json } = await t.http('POST', '/api/reminders', {
        token: sales1,
        body: {
          recordType: 'customer',
          recordId: customer.id,
          assigneeIds: ['sales1'],
          title: `故障回访 ${i}`,
          dueAt: at(300),
        },
      })
      expect(status).toBe(201)
      ids.push(json.id)
    }
    const faults = [
      { path: GROUP_SEND, status: 503, every: 10, phase: 0 },
      {
        path: GROUP_SEND,
        status: 403,
        errcode: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi',
        every: 10,
        phase: 5,
      },
      { path: '/v1.0/todo/users/*', status: 503, every: 10, phase: 0 },
      {
        path: '/v1.0/todo/users/*',
        status: 400,
        errcode: 'todo.taskCreate.flowControlError',
        every: 10,
        phase: 5,
      },
      { path: ASYNC_SEND, status: 503, every: 10, phase: 0 },
      { path: ASYNC_SEND, status: 200, errcode: 90018, every: 10, phase: 5 },
    ]
    for (const fault of faults)
      await t.http('POST', '/dingtalk/__faults', { body: { count: 1000, ...fault } })
    await Promise.all([runScheduler(t, at(301)), runScheduler(t, at(301))])
    for (const minutes of [320, 340, 370, 400, 430]) await runScheduler(t, at(minutes))
    const messages = await delivered(t)
    const tasks = await todos(t)
    const counts = ids.map((id) => {
      const cards = linkingTo(messages, `reminderId=${id}`)
      return [
        toPerson(cards).length,
        inGroup(cards, SALES1).length,
        tasks.filter((task) => task.sourceId === `crm.rem.${id}.0`).length,
      ]
    })
    expect(counts).toEqual(ids.map(() => [1, 1, 1]))
  })
})
