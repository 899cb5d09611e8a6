import { QueryCommand } from '@aws-sdk/lib-dynamodb'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Session } from '../../functions/core/context.js'
import { isAppError } from '../../functions/core/errors.js'
import { getDocumentClient } from '../../functions/db/client.js'
import { readCounters } from '../../functions/db/counters.js'
import { tenantKey } from '../../functions/db/entities/record.js'
import { config } from '../../functions/core/config.js'
import { createFollowUp } from '../../functions/domain/followups/record.js'
import {
  claimCustomer,
  createCustomer,
  releaseCustomer,
  removeCustomer,
} from '../../functions/domain/customers/index.js'
import { mergeCustomers } from '../../functions/domain/customers/merge.js'
import { restore } from '../../functions/domain/recycle-bin/recycle-bin.js'
import { useStack } from '../helpers/stack.js'

useStack({ seed: false })

const member = (tenantId: string, userId: string, deptId: string): Session => ({
  tenantId,
  userId,
  name: userId,
  role: 'member',
  deptIds: [deptId],
  scopeDeptIds: [],
})

type Step =
  | { kind: 'create'; user: number; pool: boolean }
  | { kind: 'followUp' | 'release' | 'claim' | 'remove' | 'restore'; user: number; customer: number }
  | { kind: 'merge'; user: number; customer: number; other: number }

const user = fc.integer({ min: 0, max: 2 })
const customer = fc.integer({ min: 0, max: 7 })
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), user, pool: fc.boolean() }),
  fc.record({
    kind: fc.constantFrom(
      'followUp' as const,
      'release' as const,
      'claim' as const,
      'remove' as const,
      'restore' as const,
    ),
    user,
    customer,
  }),
  fc.record({ kind: fc.constant('merge' as const), user, customer, other: customer }),
)

/** Live records of a collection (its gsi1 list). */
async function liveRecords(pk: string, entity: string) {
  const records: Record<string, string>[] = []
  let start: Record<string, unknown> | undefined
  do {
    const { Items = [], LastEvaluatedKey } = await getDocumentClient().send(
      new QueryCommand({
        TableName: config.tableName(),
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ExclusiveStartKey: start,
      }),
    )
    records.push(...Items.filter((i) => i._et === entity && !i.deletedAt))
    start = LastEvaluatedKey
  } while (start)
  return records
}

/** 新增客户 / 跟进 report counters per month and subject, recounted from the live records. */
async function recountReports(tenantId: string) {
  const expected: Record<string, number> = {}
  const add = (metric: string, at: string, ownerId?: string, deptId?: string) => {
    const month = new Date(Date.parse(at) + 8 * 3600 * 1000).toISOString().slice(0, 7)
    for (const subject of [ownerId && `U#${ownerId}`, deptId && `D#${deptId}`, 'T'].filter(Boolean)) {
      const name = `R#${subject}#${month}#${metric}`
      expected[name] = (expected[name] ?? 0) + 1
    }
  }
  for (const c of await liveRecords(tenantKey(tenantId, 'CUS'), 'customers'))
    add('newCustomers', c.createdAt, c.ownerId, c.deptId)
  for (const f of await liveRecords(tenantKey(tenantId, 'FUP'), 'followups'))
    add('followUps', f.followedAt, f.createdBy, f.deptId)
  return expected
}

/** Live items of a partition, counted from the records themselves. */
async function recount(index: string | undefined, pk: string, entity: string, skPrefix?: string) {
  let count = 0
  let start: Record<string, unknown> | undefined
  do {
    const keyName = index ? `${index}pk` : 'pk'
    const skName = index ? `${index}sk` : 'sk'
    const { Items = [], LastEvaluatedKey } = await getDocumentClient().send(
      new QueryCommand({
        TableName: config.tableName(),
        IndexName: index,
        KeyConditionExpression: skPrefix ? '#pk = :pk AND begins_with(#sk, :sk)' : '#pk = :pk',
        ExpressionAttributeNames: { '#pk': keyName, ...(skPrefix && { '#sk': skName }) },
        ExpressionAttributeValues: { ':pk': pk, ...(skPrefix && { ':sk': skPrefix }) },
        ExclusiveStartKey: start,
      }),
    )
    count += Items.filter((i) => i._et === entity && !i.deletedAt).length
    start = LastEvaluatedKey
  } while (start)
  return count
}

let run = 0

describe('kept counters', () => {
  it('equal a recount of the records after any sequence of create, follow-up, release, claim, merge, delete, restore (report counters included)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), async (steps) => {
        const tenantId = `prop-${++run}`
        const users = [
          member(tenantId, 'u0', 'd1'),
          member(tenantId, 'u1', 'd1'),
          member(tenantId, 'u2', 'd2'),
        ]
        const admin: Session = { ...users[0], userId: 'boss', role: 'admin' }
        const ids: string[] = []
        const pick = (i: number) => ids[i % Math.max(ids.length, 1)]
        for (const s of steps) {
          const session = users[s.user]
          try {
            if (s.kind === 'create')
              ids.push((await createCustomer(session, { name: `客户${ids.length}` }, { pool: s.pool })).id)
            else if (!ids.length) continue
            else if (s.kind === 'followUp')
              await createFollowUp(session, {
                customerId: pick(s.customer),
                method: 'phone',
                content: '跟进',
                followedAt: new Date(Date.UTC(2026, 0, 1 + ids.length)).toISOString(),
              })
            else if (s.kind === 'release') await releaseCustomer(session, pick(s.customer), '测试')
            else if (s.kind === 'claim') await claimCustomer(session, pick(s.customer))
            else if (s.kind === 'remove') await removeCustomer(session, pick(s.customer))
            else if (s.kind === 'restore') await restore(admin, 'customers', pick(s.customer))
            else if (s.kind === 'merge' && pick(s.customer) !== pick(s.other))
              await mergeCustomers(session, {
                targetId: pick(s.customer),
                sourceIds: [pick(s.other)],
                fields: {},
              })
          } catch (error) {
            // refused by a rule (scope, pool, state): fine, as long as it left nothing behind
            if (!isAppError(error) || error.status >= 500) throw error
          }
        }
        const t = (...parts: string[]) => tenantKey(tenantId, ...parts)
        const expected: Record<string, number> = {
          CUS: await recount('gsi1', t('CUS'), 'customers'),
          'CUS#POOL': await recount('gsi2', t('CUS', 'POOL'), 'customers'),
          'CUS#D#d1': await recount('gsi3', t('CUS', 'D', 'd1'), 'customers'),
          'CUS#D#d2': await recount('gsi3', t('CUS', 'D', 'd2'), 'customers'),
        }
        for (const u of users)
          expected[`CUS#U#${u.userId}`] = await recount('gsi2', t('CUS', 'U', u.userId), 'customers')
        for (const id of ids)
          expected[`FUP#C#${id}`] = await recount('gsi2', t('CUS', id), 'followups', 'FUP#')
        expect(await readCounters(tenantId, Object.keys(expected))).toEqual(expected)
        // the report counters (新增客户, 跟进) too, for every subject and month that has records
        const reports = await recountReports(tenantId)
        const subjects = ['T', ...users.map((u) => `U#${u.userId}`), 'D#d1', 'D#d2']
        const months = new Set(Object.keys(reports).map((name) => name.split('#')[2]))
        const names = [...months].flatMap((month) =>
          subjects.flatMap((subject) =>
            ['newCustomers', 'followUps'].map((metric) => `R#${subject}#${month}#${metric}`),
          ),
        )
        expect(await readCounters(tenantId, names)).toEqual(
          Object.fromEntries(names.map((name) => [name, reports[name] ?? 0])),
        )
      }),
      { numRuns: 12 },
    )
  }, 240_000)
})
