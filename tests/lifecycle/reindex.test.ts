import { DeleteCommand, PutCommand, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { beforeAll, describe, expect, it } from 'vitest'
import { config } from '../../functions/core/config.js'
import { getDocumentClient } from '../../functions/db/client.js'
import { TAG, tenantKey } from '../../functions/db/entities/record.js'
import { recycleClocksBetween } from '../../functions/domain/customers/queries.js'
import { recordIndex } from '../../functions/domain/reminders/index.js'
import { positions, searchEntries, searchText } from '../../functions/domain/search/entries.js'
import { DEMO_CORP_ID } from '../../local/emulator/index.js'
import { reindexTenant } from '../../scripts/reindex.js'
import { useStack } from '../helpers/stack.js'

/**
 * `npm run reindex` (scripts/reindex.ts) on a table written before the packed search postings and the
 * report counters' owner month items (a month item per owner, department and tenant; and before the per-position search entries,
 * the collaborator links' gsi3 keys, the reminders' gsi2 keys and assignee entries, and the leads' open
 * index (gsi3): after it the table holds exactly the items the domain writes now, and a second run
 * changes nothing.
 */
const t = useStack()
const tokens: Record<string, string> = {}
const NAME = '宁波海曙恒远贸易有限公司'

beforeAll(async () => {
  for (const user of ['sales1', 'sales2']) tokens[user] = await t.login(user)
})

const as = (user: string) => ({
  get: (path: string) => t.http('GET', path, { token: tokens[user] }),
  post: async (path: string, body: unknown) => {
    const res = await t.http('POST', path, { token: tokens[user], body })
    expect(res.status, res.text).toBe(201)
    return res.json as { id: string }
  },
})

const db = () => getDocumentClient()
const TableName = () => config.tableName()

/** Every item of the test's own table, in key order (the table is this file's alone). */
async function snapshot() {
  const items: Record<string, unknown>[] = []
  let start: Record<string, unknown> | undefined
  do {
    const page = await db().send(new ScanCommand({ TableName: TableName(), ExclusiveStartKey: start }))
    items.push(...(page.Items ?? []))
    start = page.LastEvaluatedKey
  } while (start)
  return items.sort((a, b) => `${a.pk}\u0000${a.sk}`.localeCompare(`${b.pk}\u0000${b.sk}`))
}

const searchNames = async (q: string) =>
  (await as('sales1').get(`/api/search?q=${encodeURIComponent(q)}`)).json.items.map(
    (h: { name: string }) => h.name,
  ) as string[]
const assistedByFollowUp = async () =>
  (await as('sales2').get('/api/customers?collaborating=true&sort=lastFollowUpAt')).json.items.map(
    (c: { name: string }) => c.name,
  ) as string[]
const remindersOf = async (customerId: string) =>
  ((
    await db().send(
      new QueryCommand({
        TableName: TableName(),
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': recordIndex(DEMO_CORP_ID, 'customer', customerId) },
      }),
    )
  ).Items ?? []) as { id: string }[]

const briefing = async () =>
  (await as('sales1').get('/api/reports/briefing?from=2026-11-01&to=2026-11-30')).json as Record<
    string,
    number
  >
const withoutReports = (items: Record<string, unknown>[]) =>
  items.filter((i) => !String(i.pk).startsWith(tenantKey(DEMO_CORP_ID, TAG.counter, 'R#')))

const myDueReminders = async () =>
  (
    await as('sales1').get(
      `/api/reminders?mine=true&dueBefore=${encodeURIComponent('2029-01-11T00:00:00+08:00')}`,
    )
  ).json.items
    .map((r: { id: string }) => r.id)
    // the seed's follow-ups keep their 下次跟进 reminders (`<followUpId>-next`): not this test's
    .filter((id: string) => !id.endsWith('-next')) as string[]
const myOpenLeads = async () =>
  (await as('sales1').get('/api/leads?assigneeId=sales1&open=true&limit=100')).json.items.map(
    (l: { title: string }) => l.title,
  ) as string[]

/** The search entries and report counters of the old formats, spelled out as that version wrote them. */
const tail = (id: string) => `${TAG.customer}#${id}`
const legacyKeys = (id: string) => [
  ...positions(searchText(NAME)).map(({ gram, rest }) => ({
    pk: tenantKey(DEMO_CORP_ID, TAG.search, gram),
    sk: `${rest}#${tail(id)}`,
  })),
  { pk: tenantKey(DEMO_CORP_ID, TAG.search, 'N', '宁波海曙恒远贸易'), sk: tail(id) },
  // a recycle clock per kind
  { pk: tenantKey(DEMO_CORP_ID, TAG.customer, id), sk: '#RECYCLE#FUP' },
  { pk: tenantKey(DEMO_CORP_ID, TAG.customer, id), sk: '#RECYCLE#WON' },
]

/** The customers whose recycle clock of this kind (category none) started before 2100. */
const recycleClocks = async (kind: 'FUP' | 'WON') => {
  const ids: string[] = []
  for await (const c of recycleClocksBetween(DEMO_CORP_ID, kind, 'none', { before: '2100' }))
    ids.push(c.customerId)
  return ids
}

/** Every item of the test's table whose key starts so. */
const itemsUnder = async (prefix: string) => (await snapshot()).filter((i) => String(i.pk).startsWith(prefix))

/** Turns the customer's items back into what the version before wrote. */
async function downgrade(customerId: string, reminderId: string, leadId: string) {
  const entries = (await snapshot()).filter((i) => i.kind === 'search' && i.recordId === customerId)
  expect(entries.length).toBeGreaterThan(1)
  for (const e of entries) {
    await db().send(new DeleteCommand({ TableName: TableName(), Key: { pk: e.pk, sk: e.sk } }))
  }
  const { gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, gsi3pk: _e, gsi3sk: _f, ...base } = entries[0]
  for (const key of legacyKeys(customerId).filter((k) => !k.sk.startsWith('#RECYCLE'))) {
    await db().send(new PutCommand({ TableName: TableName(), Item: { ...base, ...key } }))
  }
  // the packed postings of the format before (one under the name's core; none on the recycle item)
  for (const entry of packedBefore(customerId)) {
    await db().send(new PutCommand({ TableName: TableName(), Item: { ...base, ...entry } }))
  }
  // the recycle clocks: an item per kind, each in gsi3
  const clock = (await snapshot()).find((i) => i.kind === 'recycle' && i.customerId === customerId)!
  await db().send(new DeleteCommand({ TableName: TableName(), Key: { pk: clock.pk, sk: clock.sk } }))
  const { gsi2pk, gsi2sk, ...fup } = clock
  await db().send(new PutCommand({ TableName: TableName(), Item: { ...fup, sk: '#RECYCLE#FUP' } }))
  await db().send(
    new PutCommand({
      TableName: TableName(),
      Item: { ...fup, sk: '#RECYCLE#WON', gsi3pk: gsi2pk, gsi3sk: gsi2sk },
    }),
  )
  // report counters: a month item per subject (owner, department, tenant), its days as cells
  for (const item of await itemsUnder(tenantKey(DEMO_CORP_ID, TAG.counter, 'R#'))) {
    await db().send(new DeleteCommand({ TableName: TableName(), Key: { pk: item.pk, sk: item.sk } }))
    const [, owner, month] = /^R#(?:U#([^#]+)|X)#(\d{4}-\d{2})$/.exec(String(item.name))!
    for (const [attribute, value] of Object.entries(item)) {
      const cell = /^(\d\d#[^|]+)(?:\|(.+))?$/.exec(attribute)
      if (!cell) continue
      const [, dayMetric, dept] = cell
      for (const subject of [owner && `U#${owner}`, dept && `D#${dept}`, 'T'].filter(Boolean)) {
        await db().send(
          new UpdateCommand({
            TableName: TableName(),
            Key: { pk: tenantKey(DEMO_CORP_ID, TAG.counter, `R#${subject}#${month}`), sk: '#' },
            UpdateExpression: 'SET #et = :et, #name = :name ADD #cell :v',
            ExpressionAttributeNames: { '#et': '_et', '#name': 'name', '#cell': dayMetric },
            ExpressionAttributeValues: { ':et': 'counters', ':name': `R#${subject}#${month}`, ':v': value },
          }),
        )
      }
    }
  }
  await db().send(
    new UpdateCommand({
      TableName: TableName(),
      Key: { pk: tenantKey(DEMO_CORP_ID, TAG.customer, customerId), sk: '#COLLAB#sales2' },
      UpdateExpression: 'REMOVE gsi3pk, gsi3sk',
      ConditionExpression: 'attribute_exists(gsi3pk)',
    }),
  )
  await db().send(
    new UpdateCommand({
      TableName: TableName(),
      Key: { pk: tenantKey(DEMO_CORP_ID, TAG.reminder, reminderId), sk: '#' },
      UpdateExpression: 'REMOVE gsi2pk, gsi2sk',
      ConditionExpression: 'attribute_exists(gsi2pk)',
    }),
  )
  await db().send(
    new DeleteCommand({
      TableName: TableName(),
      Key: { pk: tenantKey(DEMO_CORP_ID, TAG.reminder, reminderId), sk: '#ASSIGNEE#sales1' },
      ConditionExpression: 'attribute_exists(pk)',
    }),
  )
  await db().send(
    new UpdateCommand({
      TableName: TableName(),
      Key: { pk: tenantKey(DEMO_CORP_ID, TAG.lead, leadId), sk: '#' },
      UpdateExpression: 'REMOVE gsi3pk, gsi3sk',
      ConditionExpression: 'attribute_exists(gsi3pk)',
    }),
  )
}

/** The customer's search items as the format before packed them (a posting under `N#<core>`; none on its recycle item). */
const packedBefore = (id: string) =>
  searchEntries(DEMO_CORP_ID, 'customers', { id, name: NAME }, { legacy: true }).map((e) => ({
    pk: e.pk,
    sk: e.sk,
    gsi1pk: e.gsi1pk,
    gsi1sk: e.gsi1sk,
    gsi2pk: e.gsi2pk,
    gsi2sk: e.gsi2sk,
    gsi3pk: e.gsi3pk,
    gsi3sk: e.gsi3sk,
  }))

/** The items of the old formats still in the table (keys the current one does not use too). */
async function legacyLeft(customerId: string) {
  const now = new Set(current.map((i) => `${i.pk}\u0000${i.sk}`))
  const keys = new Set(
    [...legacyKeys(customerId), ...packedBefore(customerId)]
      .map((k) => `${k.pk}\u0000${k.sk}`)
      .filter((k) => !now.has(k)),
  )
  return (await snapshot()).filter((i) => keys.has(`${i.pk}\u0000${i.sk}`))
}

let current: Record<string, unknown>[]

describe('npm run reindex', () => {
  let customerId: string
  let reminderId: string
  let leadId: string

  beforeAll(async () => {
    customerId = (await as('sales1').post('/api/customers', { name: NAME, collaboratorIds: ['sales2'] })).id
    await as('sales1').post('/api/contacts', { customerId, name: '林晓峰', mobile: '13957410001' })
    leadId = (await as('sales1').post('/api/leads', { title: '恒远贸易年度采购', companyName: '恒远贸易' }))
      .id
    await as('sales1').post('/api/followups', {
      customerId,
      method: 'phone',
      content: '电话沟通',
      followedAt: '2026-05-03T10:00:00+08:00',
    })
    reminderId = (
      await as('sales1').post('/api/reminders', {
        recordType: 'customer',
        recordId: customerId,
        title: '回访',
        assigneeIds: ['sales1'],
        dueAt: '2029-01-10T09:00:00+08:00',
      })
    ).id
    current = await snapshot()
  })

  it('changes nothing in a table the current version wrote', async () => {
    const stats = await reindexTenant(DEMO_CORP_ID)
    expect(stats.keysFixed).toBe(0)
    expect(await snapshot()).toEqual(current)
  })

  it('restores name search, the reports, 我协助的 by last follow-up, the customer reminders, my reminders by due time and my open leads of an old table, and removes the old entries', async () => {
    const report = await briefing()
    expect(report.newCustomers).toBeGreaterThan(0)
    await downgrade(customerId, reminderId, leadId)
    expect(await assistedByFollowUp()).not.toContain(NAME)
    expect(await remindersOf(customerId)).toEqual([])
    expect(await myDueReminders()).toEqual([])
    expect(await myOpenLeads()).not.toContain('恒远贸易年度采购')
    expect(await legacyLeft(customerId)).not.toEqual([])

    const stats = await reindexTenant(DEMO_CORP_ID)
    expect(stats.keysFixed).toBe(2)
    expect(stats.reportsRebuilt).toBe(true)
    expect(await searchNames('海曙恒远')).toEqual([NAME])
    expect(await assistedByFollowUp()).toContain(NAME)
    expect((await remindersOf(customerId)).map((r) => r.id)).toEqual([reminderId])
    expect(await myDueReminders()).toEqual([reminderId])
    expect(await myOpenLeads()).toContain('恒远贸易年度采购')
    expect(await legacyLeft(customerId)).toEqual([])
    expect(await recycleClocks('FUP')).toContain(customerId)
    expect(await recycleClocks('WON')).toContain(customerId)
    expect(await briefing()).toEqual(report)
    // the report counters come back in shard 0 of each item (they were in shards the writes picked)
    expect(withoutReports(await snapshot())).toEqual(withoutReports(current))
  })

  it('changes nothing when run a second time', async () => {
    const before = await snapshot()
    const stats = await reindexTenant(DEMO_CORP_ID)
    expect(stats.keysFixed).toBe(0)
    expect(await snapshot()).toEqual(before)
  })
})
