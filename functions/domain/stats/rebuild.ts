import { BatchWriteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb'
import { config } from '../../core/config.js'
import { getDocumentClient } from '../../db/client.js'
import type { Collection, StoredRecord } from '../../db/collection.js'
import { counterItems } from '../../db/counters.js'
import { TAG, tenantKey } from '../../db/entities/record.js'
import { queryPages, rawPartitionPages } from '../../db/pages.js'
import { contractContributions, Contracts } from '../contracts/record.js'
import { PaymentPlans, planContributions } from '../payment-plans/record.js'
import { paymentContributions, Payments } from '../payments/record.js'
import {
  movesPartition,
  Opportunities,
  opportunityContributions,
  stayContributions,
} from '../opportunities/record.js'
import { productSalesCounts, type Sold } from '../catalog/lines.js'
import { FollowUps } from '../followups/record.js'
import { Customers } from '../customers/record.js'
import {
  type Contribution,
  contributionCounts,
  customerContributions,
  followUpContributions,
} from './contributions.js'

/**
 * `npm run reports:rebuild`: recomputes a tenant's report counters from its live records (and 平均停留时长
 * from the kept stage moves; 产品销售 from the contracts' lines), for repair
 * after a bug, and to move counters of an older layout to the current one (db/counters.ts). Not a request
 * path: it reads every record and scans for the existing counters. Counters
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

/** The keys of the tenant's report counter items (every shard, and any left by an older layout). */
async function existingReportItems(tenantId: string): Promise<{ pk: string; sk: string }[]> {
  const keys: { pk: string; sk: string }[] = []
  let ExclusiveStartKey: Record<string, unknown> | undefined
  do {
    const { Items = [], LastEvaluatedKey } = await getDocumentClient().send(
      new ScanCommand({
        TableName: config.tableName(),
        ExclusiveStartKey,
        FilterExpression: 'begins_with(pk, :prefix)',
        ExpressionAttributeValues: { ':prefix': tenantKey(tenantId, TAG.counter, 'R#') },
        ProjectionExpression: 'pk, sk',
      }),
    )
    keys.push(...(Items as { pk: string; sk: string }[]))
    ExclusiveStartKey = LastEvaluatedKey
  } while (ExclusiveStartKey)
  return keys
}

/** Puts and deletes, 25 a BatchWriteItem, unprocessed ones sent again after a pause. */
async function batchWrite(puts: Record<string, unknown>[], deletes: { pk: string; sk: string }[]) {
  const TableName = config.tableName()
  const requests = [
    ...puts.map((Item) => ({ PutRequest: { Item } })),
    ...deletes.map((Key) => ({ DeleteRequest: { Key } })),
  ]
  for (let i = 0; i < requests.length; i += 25) {
    let pending = requests.slice(i, i + 25)
    for (let attempt = 0; pending.length; attempt++) {
      if (attempt) await new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** attempt, 5000)))
      const { UnprocessedItems = {} } = await getDocumentClient().send(
        new BatchWriteCommand({ RequestItems: { [TableName]: pending } }),
      )
      pending = (UnprocessedItems[TableName] ?? []) as typeof pending
    }
  }
}

/**
 * The stays in a stage the kept moves end (opportunities/record.ts `stayContributions`): every move of
 * the tenant (商机推进's index, deleted opportunities' too: their stays counted when they happened), by
 * opportunity, oldest first; a move ends the stay in the stage the one before it entered.
 */
async function stayContributionsOfMoves(tenantId: string): Promise<Contribution[]> {
  const byOpportunity = new Map<string, StageMove[]>()
  // the moves and the first stages carried by the customers' timeline entries (opportunities/record.ts)
  for await (const page of rawPartitionPages('gsi1', movesPartition(tenantId))) {
    for (const move of page as unknown as StageMove[]) {
      const moves = byOpportunity.get(move.opportunityId) ?? []
      byOpportunity.set(move.opportunityId, [...moves, move])
    }
  }
  const contributions: Contribution[] = []
  for (const moves of byOpportunity.values()) {
    moves.sort((a, b) => (a.at === b.at ? a.id.localeCompare(b.id) : a.at.localeCompare(b.at)))
    for (let i = 1; i < moves.length; i++) {
      const [entered, left] = [moves[i - 1], moves[i]]
      contributions.push(
        ...stayContributions(
          { stageId: entered.stageId, enteredAt: entered.at, ownerId: left.ownerId, deptId: left.deptId },
          left.at,
        ),
      )
    }
  }
  return contributions
}

interface StageMove {
  opportunityId: string
  at: string
  id: string
  stageId: string
  ownerId?: string
  deptId?: string
}

export async function rebuildReportCounters(
  tenantId: string,
): Promise<{ records: number; counters: number }> {
  const desired = new Map<string, number>()
  const add = (counts: Map<string, number>) => {
    for (const [name, value] of counts) desired.set(name, (desired.get(name) ?? 0) + value)
  }
  let records = 0
  for (const [collection, contributionsOf] of SOURCES) {
    for await (const record of liveRecords(collection, tenantId)) {
      records += 1
      add(contributionCounts(contributionsOf(record)))
      // 产品销售: a contract's lines (catalog/lines.ts)
      if (collection === Contracts) add(productSalesCounts(record as unknown as Sold))
    }
  }
  // 平均停留时长: each kept stage move ends the stay its opportunity had since the move before it
  add(contributionCounts(await stayContributionsOfMoves(tenantId)))
  const items = counterItems(
    tenantId,
    [...desired].map(([name, count]) => ({ counter: { name }, count })),
  )
  const kept = new Set(items.map((i) => `${i.pk}\u0000${i.sk}`))
  const stale = (await existingReportItems(tenantId)).filter((k) => !kept.has(`${k.pk}\u0000${k.sk}`))
  await batchWrite(items, stale)
  return { records, counters: desired.size }
}
