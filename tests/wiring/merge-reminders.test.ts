import { beforeAll, describe, expect, it } from 'vitest'
import type { Session } from '../../functions/core/context.js'
import { MergeInterrupted, mergeCustomers } from '../../functions/domain/merge.js'
import { DEMO_CORP_ID } from '../../local/emulator/index.js'
import { delivered, linkingTo, runScheduler } from '../scheduler/helpers.js'
import { useStack } from '../helpers/stack.js'

/**
 * 客户合并 and 任务提醒: the reminders on a merged-away customer point at the surviving one and fire
 * there, with its name and link; reminders on the source's children keep naming the child (it keeps
 * its id). A merge stopped half-way moves the rest on a rerun, each reminder once.
 */
const t = useStack()
let token: string
const sales1: Session = {
  tenantId: DEMO_CORP_ID,
  userId: 'sales1',
  name: '王靓依',
  role: 'member',
  deptIds: ['201'],
  scopeDeptIds: [],
}

beforeAll(async () => {
  token = await t.login('sales1')
})

async function created(path: string, body: unknown) {
  const res = await t.http('POST', path, { token, body })
  expect(res.status, res.text).toBe(201)
  return res.json as { id: string; version: number }
}

const remind = (recordType: string, recordId: string, title: string, dueAt: string) =>
  created('/api/reminders', { recordType, recordId, title, assigneeIds: ['sales1'], dueAt })

const merge = async (targetId: string, sourceId: string) => {
  const res = await t.http('POST', '/api/customers/merge', {
    token,
    body: { targetId, sourceIds: [sourceId], fields: {} },
  })
  expect(res.status, res.text).toBe(200)
}

const reminder = async (id: string) => (await t.http('GET', `/api/reminders/${id}`, { token })).json

describe('merging customers with reminders', () => {
  it('points a pending reminder of the source at the surviving customer, and it fires there', async () => {
    const target = await created('/api/customers', { name: '存续客户甲' })
    const source = await created('/api/customers', { name: '被合并客户甲' })
    const pending = await remind('customer', source.id, '合并后回访', '2029-01-10T09:00:00+08:00')

    await merge(target.id, source.id)
    expect(await reminder(pending.id)).toMatchObject({
      recordType: 'customer',
      recordId: target.id,
      recordName: '存续客户甲',
      status: 'pending',
      fireAt: '2029-01-10T01:00:00.000Z',
    })

    await runScheduler(t, '2029-01-10T09:00:00+08:00')
    const cards = linkingTo(await delivered(t), `reminderId=${pending.id}`)
    expect(cards).toHaveLength(1)
    expect(cards[0].text).toContain('关联客户：存续客户甲')
    expect(decodeURIComponent(cards[0].links[0])).toContain(`page=pages/customer/detail?id=${target.id}`)
  })

  it('keeps a reminder on a contact of the source firing after the merge, linking to the contact', async () => {
    const target = await created('/api/customers', { name: '存续客户乙' })
    const source = await created('/api/customers', { name: '被合并客户乙' })
    const contact = await created('/api/contacts', { customerId: source.id, name: '张联系' })
    const pending = await remind('contact', contact.id, '联系张总', '2029-02-10T09:00:00+08:00')

    await merge(target.id, source.id)
    await runScheduler(t, '2029-02-10T09:00:00+08:00')
    const cards = linkingTo(await delivered(t), `reminderId=${pending.id}`)
    expect(cards).toHaveLength(1)
    expect(cards[0].text).toContain('关联联系人：张联系')
    expect(decodeURIComponent(cards[0].links[0])).toContain(`page=pages/contact/detail?id=${contact.id}`)
  })

  it('moves the rest of the reminders when a merge stopped half-way runs again: none lost, none doubled', async () => {
    const target = await created('/api/customers', { name: '存续客户丙' })
    const source = await created('/api/customers', { name: '被合并客户丙' })
    const reminders = []
    for (let i = 0; i < 5; i++) {
      reminders.push(await remind('customer', source.id, `分批提醒 ${i}`, '2029-03-10T09:00:00+08:00'))
    }
    const input = { targetId: target.id, sourceIds: [source.id], fields: {} }
    await expect(mergeCustomers(sales1, input, { stopAfter: 2 })).rejects.toBeInstanceOf(MergeInterrupted)
    await merge(target.id, source.id)

    const onTarget = await t.http('GET', `/api/reminders?recordId=${target.id}&limit=50`, { token })
    expect(onTarget.json.items.map((r: { id: string }) => r.id).sort()).toEqual(
      reminders.map((r) => r.id).sort(),
    )
    await runScheduler(t, '2029-03-10T09:00:00+08:00')
    const messages = await delivered(t)
    for (const r of reminders) expect(linkingTo(messages, `reminderId=${r.id}`)).toHaveLength(1)
  })
})
