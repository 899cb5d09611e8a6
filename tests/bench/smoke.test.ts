/**
 * `npm run bench` at small sizes: every benchmark still runs end to end against the current code, and
 * the call counts it prints hold (the timings are the bench's business, not a test's).
 */
import { describe, expect, it } from 'vitest'
import { benchBulk } from '../../bench/bulk.js'
import { benchCrud } from '../../bench/crud.js'
import { benchFeed } from '../../bench/feed.js'
import { benchImports } from '../../bench/imports.js'
import { benchLifecycle } from '../../bench/lifecycle.js'
import { benchLoad } from '../../bench/load.js'
import { benchReports } from '../../bench/reports.js'
import { benchScheduler } from '../../bench/scheduler.js'
import { benchWrites } from '../../bench/writes.js'
import { useStack } from '../helpers/stack.js'

const t = useStack({ seed: false })

/** The pairs of "calls @small" / "calls @large" columns of a bench table, row by row. */
const callsAtBothSizes = (rows: Record<string, string | number>[]) =>
  rows.map((row) =>
    Object.entries(row)
      .filter(([column]) => column.startsWith('calls @'))
      .map(([, n]) => n),
  )

describe('npm run bench at small sizes', () => {
  it('measures get, list and create of the route factory at one DynamoDB call each, and the session re-read at one more', async () => {
    const rows = await benchCrud(t.stack.tableName, 5)
    expect(rows.map((row) => [row.op, row['ddb calls']])).toEqual([
      ['get', '1'],
      ['list (20)', '1'],
      ['create', '1'],
      ['update', '2'],
      ['get (session re-read)', '1 + 1 directory'],
    ])
  }, 60_000)

  it('writes the items per create it did: customer 12, contact 8, follow-up 6, opportunity 8, contract 8, payment 6', async () => {
    const rows = await benchWrites(1)
    expect(Object.fromEntries(rows.map((row) => [row.noun, row.items]))).toEqual({
      customer: 12,
      contact: 8,
      'follow-up': 6,
      opportunity: 8,
      contract: 8,
      payment: 6,
    })
  }, 60_000)

  it('measures every report at the same DynamoDB calls in a small and a larger tenant', async () => {
    const { rows, mutations } = await benchReports(3, 3000)
    expect(rows).toHaveLength(7)
    for (const [small, large] of callsAtBothSizes(rows)) expect(large).toBe(small)
    expect(mutations.map((m) => m.transactions)).toEqual(mutations.map(() => 1))
  }, 180_000)

  it('measures customer lists, search and 查重 at the same DynamoDB calls at both sizes', async () => {
    const { rows, ops } = await benchLifecycle(3, 300, 30)
    expect(rows).toHaveLength(11)
    for (const [small, large] of callsAtBothSizes(rows)) expect(large).toBe(small)
    expect(ops.find((op) => op.operation === 'list page')?.['ddb calls']).toBe(1)
  }, 180_000)

  it('reads a 工作台 动态 page in one Query at both sizes, for every scope', async () => {
    const rows = await benchFeed(3, 2000)
    expect(rows).toHaveLength(5)
    for (const calls of callsAtBothSizes(rows)) expect(calls).toEqual([1, 1])
  }, 120_000)

  it('reassigns customers in bulk at one read and one transaction each, and replays a retry in one call', async () => {
    const rows = await benchBulk(5)
    // 5 × (read + transaction) + the new owner's one read; with a key, the records' memories are read at
    // once (one BatchGetItem), and the key is claimed and answered once
    expect(rows.map((row) => row.calls)).toEqual([5 * 2 + 1, 5 * 2 + 4, 1])
  }, 120_000)

  it('delivers every due reminder of the scheduler bench once', async () => {
    const result = await benchScheduler(t.stack, 40)
    expect({ lost: result.lost, duplicates: result.duplicates }).toEqual({ lost: 0, duplicates: 0 })
  }, 120_000)

  it('runs the load mix over HTTP and the creates beside raw transactions without an error', async () => {
    const result = await benchLoad(t.stack.baseUrl, { requests: 12, creates: 2, customers: 4 })
    expect(result.errors).toBe(0)
    expect(result.mix.map((row) => `${row.concurrency} ${row.kind}`)).toContain('20 all')
    expect(result.creates.map((row) => row.concurrency)).toEqual([1, 8])
  }, 60_000)

  it('imports every row of the import bench file', async () => {
    const result = await benchImports(150, 50)
    expect({ created: result.created, failed: result.failed }).toEqual({ created: 150, failed: 0 })
  }, 180_000)
})
