import { BatchPutRequest } from 'dynamodb-toolbox/entity/actions/batchPut'
import { BatchWriteCommand, execute } from 'dynamodb-toolbox/table/actions/batchWrite'
import { ScanCommand } from 'dynamodb-toolbox/table/actions/scan'
import type { Collection, StoredRecord } from '../../db/collection.js'
import { CounterEntity } from '../../db/counters.js'
import { tenantKey } from '../../db/entities/record.js'
import { queryPages } from '../../db/pages.js'
import { table } from '../../db/table.js'
import { contractContributions, Contracts } from '../contracts/record.js'
import { PaymentPlans, planContributions } from '../payment-plans/record.js'
import { paymentContributions, Payments } from '../payments/record.js'
import { Opportunities, opportunityContributions } from '../opportunities/record.js'
import { FollowUps } from '../followups/record.js'
import { Customers } from '../customers/record.js'
import {
  type Contribution,
  contributionCounts,
  customerContributions,
  followUpContributions,
} from './contributions.js'

/**
 * `npm run reports:rebuild`: recomputes a tenant's report counters from its live records, for repair
 * after a bug. Not a request path: it reads every record and scans for the existing counters. Counters
 * written meanwhile by live traffic would be overwritten, so run it while the tenant is quiet.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const SOURCES: [Collection<any>, (record: any) => Contribution[]][] = [
  [Opportunities, opportunityContributions],
  [Contracts, contractContributions],
  [PaymentPlans, planContributions],
  [Payments, paymentContributions],
  [Customers, customerContributions],
  [FollowUps, followUpContributions],
]

async function* liveRecords(collection: Collection, tenantId: string) {
  const pages = queryPages<StoredRecord>(collection.entity, {
    index: 'gsi1',
    partition: tenantKey(tenantId, collection.tag),
  })
  for await (const page of pages) yield* page
}

async function existingCounterNames(tenantId: string): Promise<string[]> {
  const names: string[] = []
  let exclusiveStartKey: Record<string, unknown> | undefined
  do {
    const { Items = [], LastEvaluatedKey } = await table
      .build(ScanCommand)
      .entities(CounterEntity)
      .options({
        exclusiveStartKey,
        filters: {
          counters: {
            and: [
              { attr: 'tenantId', eq: tenantId },
              { attr: 'name', beginsWith: 'R#' },
            ],
          },
        },
      } as never)
      .send()
    names.push(...(Items as { name: string }[]).map((c) => c.name))
    exclusiveStartKey = LastEvaluatedKey
  } while (exclusiveStartKey)
  return names
}

export async function rebuildReportCounters(
  tenantId: string,
): Promise<{ records: number; counters: number }> {
  const desired = new Map<string, number>()
  let records = 0
  for (const [collection, contributionsOf] of SOURCES) {
    for await (const record of liveRecords(collection, tenantId)) {
      records += 1
      for (const [name, value] of contributionCounts(contributionsOf(record))) {
        desired.set(name, (desired.get(name) ?? 0) + value)
      }
    }
  }
  const names = new Set([...(await existingCounterNames(tenantId)), ...desired.keys()])
  const puts = [...names].map((name) =>
    CounterEntity.build(BatchPutRequest).item({ tenantId, name, count: desired.get(name) ?? 0 }),
  )
  for (let i = 0; i < puts.length; i += 25) {
    await execute({ maxAttempts: 10 }, table.build(BatchWriteCommand).requests(...puts.slice(i, i + 25)))
  }
  return { records, counters: names.size }
}
