import { describe, expect, it } from 'vitest'
import { mergeInput, stopMergeAfter, useMergeFixture } from '../lifecycle/merge-fixture.js'
import { delivered, linkingTo, runScheduler } from '../scheduler/helpers.js'

/**
 * 客户合并 and 任务提醒: the reminders on a merged-away customer point at the surviving one and fire
 * there, with its name and link; reminders on the source's children keep naming the child (it keeps
 * its id). A merge stopped half-way moves the rest on a rerun, each reminder once.
 */
const { t, as, customersToMerge } = useMergeFixture(['sales1'])
const created = (path: string, body: unknown) => as('sales1').created(path, body)

const remind = (recordType: string, recordId: string, title: string, dueAt: string) =>
  created('/api/reminders', { recordType, recordId, title, assigneeIds: ['sales1'], dueAt })

const merge = async (targetId: string, sourceId: string) => {
  const res = await as('sales1').post('/api/customers/merge', { targetId, sourceIds: [sourceId], fields: {} })
  expect(res.status, res.text).toBe(200)
}

const reminder = async (id: string) => (await as('sales1').get(`/api/reminders/${id}`)).json

describe('merging customers with reminders', () => {
  it('points a pending reminder of the source at the surviving customer, and it fires there', async () => {
    const { target, source } = await customersToMerge('存续客户甲', '被合并客户甲')
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

  it('keeps a moved reminder among its assignee’s reminders by due time, pointing at the surviving customer', async () => {
    const { target, source } = await customersToMerge('存续客户丁', '被合并客户丁')
    const pending = await remind('customer', source.id, '合并后仍是我的', '2029-04-10T09:00:00+08:00')

    await merge(target.id, source.id)
    const mine = await as('sales1').get(
      `/api/reminders?mine=true&recordType=customer&dueBefore=${encodeURIComponent('2029-04-11T00:00:00+08:00')}&limit=100`,
    )
    expect(mine.json.items.find((r: { id: string }) => r.id === pending.id)).toMatchObject({
      recordId: target.id,
      recordName: '存续客户丁',
    })
  })

  it('keeps a reminder on a contact of the source firing after the merge, linking to the contact', async () => {
    const { target, source } = await customersToMerge('存续客户乙', '被合并客户乙')
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
    const { target, source } = await customersToMerge('存续客户丙', '被合并客户丙')
    const reminders = []
    for (let i = 0; i < 5; i++) {
      reminders.push(await remind('customer', source.id, `分批提醒 ${i}`, '2029-03-10T09:00:00+08:00'))
    }
    await stopMergeAfter(mergeInput(target, source), 2)
    await merge(target.id, source.id)

    const onTarget = await as('sales1').get(
      `/api/reminders?recordType=customer&recordId=${target.id}&limit=50`,
    )
    expect(onTarget.json.items.map((r: { id: string }) => r.id).sort()).toEqual(
      reminders.map((r) => r.id).sort(),
    )
    await runScheduler(t, '2029-03-10T09:00:00+08:00')
    const messages = await delivered(t)
    for (const r of reminders) expect(linkingTo(messages, `reminderId=${r.id}`)).toHaveLength(1)
  })
})
