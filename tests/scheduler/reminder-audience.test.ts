import { beforeAll, describe, expect, it } from 'vitest'
import { useStack } from '../helpers/stack.js'
import { delivered, linkingTo, runScheduler } from './helpers.js'

/**
 * 任务提醒 are for "people who can see the record" (issue 5): an assignee outside the record's scope is
 * refused (422, naming them), and when the record changes hands the card goes only to people who still
 * see it — the assignees who do, else the record's new owner; nobody when the record is gone.
 */
const t = useStack()
const tokens: Record<string, string> = {}

beforeAll(async () => {
  for (const user of ['admin', 'mgr1', 'sales1', 'sales2', 'sales3']) tokens[user] = await t.login(user)
})

const as = (user: string) => ({
  post: (path: string, body: unknown = {}) => t.http('POST', path, { token: tokens[user], body }),
  patch: (path: string, body: unknown) => t.http('PATCH', path, { token: tokens[user], body }),
  delete: (path: string) => t.http('DELETE', path, { token: tokens[user] }),
  get: (path: string) => t.http('GET', path, { token: tokens[user] }),
})

async function customerOf(user: string, name: string) {
  const res = await as(user).post('/api/customers', { name })
  expect(res.status, res.text).toBe(201)
  return res.json as { id: string }
}

const reminderBody = (recordId: string, assigneeIds: string[], dueAt = '2030-01-01T09:00:00+08:00') => ({
  recordType: 'customer',
  recordId,
  title: '回访',
  assigneeIds,
  dueAt,
})

async function remind(user: string, recordId: string, assigneeIds: string[], dueAt: string) {
  const res = await as(user).post('/api/reminders', reminderBody(recordId, assigneeIds, dueAt))
  expect(res.status, res.text).toBe(201)
  return res.json as { id: string; version: number }
}

const cardsOf = async (reminderId: string) => linkingTo(await delivered(t), `reminderId=${reminderId}`)

describe('who may be reminded', () => {
  it('refuses an assignee who cannot see the record with 422 and a message naming them', async () => {
    const customer = await customerOf('sales1', '只有一部能看的客户')
    const res = await as('sales1').post('/api/reminders', reminderBody(customer.id, ['sales1', 'sales3']))
    expect(res.status).toBe(422)
    expect(res.json.error).toMatchObject({
      code: 'reminder.assignee_cannot_see',
      message: '季八看不到该客户，不能作为提醒对象',
      details: { userId: 'sales3' },
    })
  })

  it('accepts the manager of the owner’s department as an assignee', async () => {
    const customer = await customerOf('sales1', '经理也能看的客户')
    const res = await as('sales1').post('/api/reminders', reminderBody(customer.id, ['mgr1']))
    expect(res.status, res.text).toBe(201)
    expect(res.json.recordName).toBe('经理也能看的客户')
  })

  it('refuses the same on an edit that adds an assignee outside the record’s scope', async () => {
    const customer = await customerOf('sales1', '改提醒对象的客户')
    const reminder = await remind('sales1', customer.id, ['sales1'], '2030-01-02T09:00:00+08:00')
    const res = await as('sales1').patch(`/api/reminders/${reminder.id}`, {
      assigneeIds: ['sales1', 'sales2'],
      version: reminder.version,
    })
    expect(res.status).toBe(422)
    expect(res.json.error.code).toBe('reminder.assignee_cannot_see')
    expect(res.json.error.message).toContain('郑纬祺')
  })

  it('answers 404 for a reminder on a record the caller cannot see', async () => {
    const theirs = await customerOf('sales3', '二部的客户')
    const res = await as('sales1').post('/api/reminders', reminderBody(theirs.id, ['sales1']))
    expect(res.status).toBe(404)
    expect(res.json.error.code).toBe('customer.not_found')
  })

  it('refuses an assignee the directory does not know', async () => {
    const customer = await customerOf('sales1', '提醒给未知人员的客户')
    const res = await as('sales1').post('/api/reminders', reminderBody(customer.id, ['nobody']))
    expect(res.status).toBe(422)
    expect(res.json.error).toMatchObject({ code: 'reminder.assignee_invalid', details: { userId: 'nobody' } })
  })
})

describe('a reminder whose record changed hands', () => {
  it('goes to the new owner, not the former one, after a manager reassigns the customer', async () => {
    const customer = await customerOf('sales1', '被调整的客户')
    const reminder = await remind('sales1', customer.id, ['sales1'], '2030-02-01T09:00:00+08:00')
    const assigned = await as('mgr1').post(`/api/customers/${customer.id}/assign`, { ownerId: 'sales2' })
    expect(assigned.status, assigned.text).toBe(200)

    await runScheduler(t, '2030-02-01T09:00:00+08:00')
    const cards = await cardsOf(reminder.id)
    expect(cards).toHaveLength(1)
    expect(cards[0].to.userIds).toEqual(['sales2'])
  })

  it('still goes to the assignees who see the customer, leaving out one who no longer does', async () => {
    const customer = await customerOf('sales1', '换人但经理仍能看的客户')
    const reminder = await remind('sales1', customer.id, ['sales1', 'mgr1'], '2030-02-02T09:00:00+08:00')
    await as('mgr1').post(`/api/customers/${customer.id}/assign`, { ownerId: 'sales2' })

    await runScheduler(t, '2030-02-02T09:00:00+08:00')
    const cards = await cardsOf(reminder.id)
    expect(cards).toHaveLength(1)
    expect(cards[0].to.userIds).toEqual(['mgr1'])
  })

  it('keeps the card for its assignee after the customer is released to the pool, which everyone sees', async () => {
    const customer = await customerOf('sales1', '退回公海的客户')
    const reminder = await remind('sales1', customer.id, ['sales1'], '2030-02-03T09:00:00+08:00')
    const released = await as('sales1').post(`/api/customers/${customer.id}/release`, { reason: '暂无需求' })
    expect(released.status, released.text).toBe(200)

    await runScheduler(t, '2030-02-03T09:00:00+08:00')
    const cards = await cardsOf(reminder.id)
    expect(cards).toHaveLength(1)
    expect(cards[0].to.userIds).toEqual(['sales1'])
  })

  it('sends no card for a deleted customer and ends the one-off reminder as cancelled', async () => {
    const customer = await customerOf('sales1', '已删除的客户')
    const reminder = await remind('sales1', customer.id, ['sales1'], '2030-02-04T09:00:00+08:00')
    expect((await as('sales1').delete(`/api/customers/${customer.id}`)).status).toBe(204)

    const run = await runScheduler(t, '2030-02-04T09:00:00+08:00')
    expect(await cardsOf(reminder.id)).toHaveLength(0)
    expect(run.reminders).toMatchObject({ unseen: 1 })
    const { json } = await as('sales1').get(`/api/reminders/${reminder.id}`)
    expect(json).toMatchObject({ status: 'cancelled', sentCount: 0 })
  })
})
