/**
 * What one create writes, per noun: the items of its TransactWriteItems and the write units DynamoDB
 * charged for them (table and indexes), and the create's median latency (our handler, the whole middy
 * stack) beside the latency of a raw single PutItem of the record alone — the same item as the create
 * stores, under a new id — measured alternately in the same run.
 */
import {
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb'
import { ulid } from 'ulid'
import { config } from '../functions/core/config.js'
import { getDocumentClient } from '../functions/db/client.js'
import { alternately, fc3, ms, printTable } from './lib.js'
import { seedSalesperson } from './org.js'
import { renew, unconditioned } from './replay.js'

type Handler = (
  event: unknown,
  context: unknown,
) => Promise<{ statusCode: number; body: string; headers?: Record<string, string> }>

type Item = Record<string, unknown>
interface Transaction {
  items: number
  wcu: number
  record?: Item
  /** what each of its items is: a Put's item, or an Update's / Delete's key (read back to size it) */
  writes: { item?: Item; key?: Item }[]
  /** the whole input, to replay */
  input: TransactWriteCommandInput
}

/** An item's size as DynamoDB bills it: attribute names and values in UTF-8, numbers ~1 byte per 2 digits. */
export function itemSize(item: Item): number {
  const value = (v: unknown): number => {
    if (v === null || typeof v === 'boolean') return 1
    if (typeof v === 'string') return Buffer.byteLength(v)
    if (typeof v === 'number') return Math.ceil(String(Math.abs(v)).replace(/[.-]/g, '').length / 2) + 1
    if (v instanceof Set) return [...v].reduce<number>((sum, e) => sum + value(e), 0)
    if (Array.isArray(v)) return 3 + v.reduce<number>((sum, e) => sum + value(e) + 1, 0)
    if (typeof v === 'object')
      return (
        3 + Object.entries(v as Item).reduce((sum, [k, e]) => sum + Buffer.byteLength(k) + value(e) + 1, 0)
      )
    return 0
  }
  return Object.entries(item).reduce(
    (sum, [k, v]) => sum + (v === undefined ? 0 : Buffer.byteLength(k) + value(v)),
    0,
  )
}

/** The table's indexes and their keys (each projects all attributes). */
const INDEX_KEYS = [
  ['gsi1pk', 'gsi1sk'],
  ['gsi2pk', 'gsi2sk'],
  ['gsi3pk', 'gsi3sk'],
  ['gsi1pk', 'altsk'],
  ['gsi2pk', 'altsk'],
  ['gsi3pk', 'altsk'],
]

/**
 * Write units of one create by DynamoDB's published rule, from the items as written: a transactional
 * write is 2 WCU per KB (rounded up) of the item, and each index the item is in (both its keys set) is
 * written 1 WCU per KB of the projected item (all attributes here). DynamoDB Local's own figure for a
 * TransactWriteItems does not follow it (1 small item or 10 are reported alike), so it is printed beside.
 */
export function ruleWcu(items: Item[]): number {
  let units = 0
  for (const item of items) {
    const kb = Math.max(1, Math.ceil(itemSize(item) / 1024))
    units += 2 * kb
    for (const [pk, sk] of INDEX_KEYS) if (item[pk] !== undefined && item[sk] !== undefined) units += kb
  }
  return units
}

/** Every TransactWriteItems the document client sends, while `recording` is on. */
const seen: Transaction[] = []
/** every DynamoDB call sent while `recording`, by command */
const calls: string[] = []
let recording = false
let installed = false
function watchTransactions() {
  if (installed) return
  installed = true
  getDocumentClient().middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args)
      if (recording) calls.push((context.commandName ?? '?').replace(/Command$/, ''))
      if (recording && /TransactWrite/.test(context.commandName ?? '')) {
        const input = structuredClone(args.input) as {
          TransactItems: { Put?: { Item: Item }; Update?: { Key: Item }; Delete?: { Key: Item } }[]
        }
        const consumed = ([] as { CapacityUnits?: number }[]).concat(
          (result.output as { ConsumedCapacity?: { CapacityUnits?: number }[] }).ConsumedCapacity ?? [],
        )
        seen.push({
          items: input.TransactItems.length,
          wcu: consumed.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0),
          record: input.TransactItems[0]?.Put?.Item,
          writes: input.TransactItems.map((t) =>
            t.Put ? { item: t.Put.Item } : { key: (t.Update ?? t.Delete)?.Key },
          ),
          input: input as TransactWriteCommandInput,
        })
      }
      return result
    },
    { step: 'initialize', name: 'benchWatchTransactions' },
  )
}

/** What the items of a create are, by kind: "record 1, search 2, count 3, report 3, activity 2…". */
export function itemKinds(items: Item[]): string {
  const kinds = new Map<string, number>()
  items.forEach((item, i) => {
    const pk = String(item.pk ?? '')
    const kind =
      i === 0
        ? 'record'
        : /#CNT#R#/.test(pk)
          ? 'report'
          : /#CNT#/.test(pk)
            ? 'count'
            : /#IDEM#/.test(pk)
              ? 'idempotency'
              : String(item.kind ?? item._et ?? '?')
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1)
  })
  return [...kinds].map(([k, n]) => `${k} ${n}`).join(', ')
}

export interface WriteRow {
  noun: string
  items: number
  /** write units by DynamoDB's published rule (`ruleWcu`) */
  wcu: number
  /** what DynamoDB Local reports for the transaction */
  'local wcu': number
  'create p50': string
  'raw PutItem p50': string
  ratio: string
  'raw tx p50': string
  'raw tx ÷ PutItem': string
  'create ÷ raw tx': string
  goal: string
  [column: string]: string | number
}

export async function benchWrites(iterations = 50): Promise<WriteRow[]> {
  watchTransactions()
  const tenantId = 'bench-writes'
  const token = await seedSalesperson(tenantId)
  // literal paths, so a bundler (vitest's, in the bench smoke test) resolves them
  const load = async (module: Promise<unknown>) => ((await module) as { handler: Handler }).handler
  const handlers = {
    customers: await load(import('../functions/customers/handler.js')),
    opportunities: await load(import('../functions/opportunities/handler.js')),
    contracts: await load(import('../functions/contracts/handler.js')),
    payments: await load(import('../functions/payments/handler.js')),
  }
  const call = async (fn: Handler, path: string, body: unknown) => {
    const response = await fn(fc3(token, 'POST', path, body), {})
    if (response.statusCode >= 300) throw new Error(`POST ${path} → ${response.statusCode} ${response.body}`)
    return JSON.parse(response.body) as { id: string }
  }
  let n = 0
  const customer = () =>
    call(handlers.customers, '/api/customers', {
      name: `杭州明达云帆${n++}号科技有限公司`,
      phone: `138${String(10_000_000 + n).slice(-8)}`,
    })
  const parent = await customer()
  const contract = await call(handlers.contracts, '/api/contracts', {
    number: `HT-BENCH-0`,
    name: '年度采购合同',
    customerId: parent.id,
    amount: 1_000_000,
    signedAt: '2026-11-18',
  })
  const creates: [string, string, () => Promise<unknown>][] = [
    ['customer', '≤ 12', customer],
    [
      'contact',
      '≤ 8',
      () =>
        call(handlers.customers, '/api/contacts', {
          customerId: parent.id,
          name: `张${n++}`,
          mobile: `139${String(10_000_000 + n).slice(-8)}`,
        }),
    ],
    [
      'follow-up',
      '≤ 8',
      () =>
        call(handlers.customers, '/api/followups', {
          customerId: parent.id,
          method: 'phone',
          content: '电话沟通了报价',
          followedAt: `2026-11-18T0${n++ % 10}:00:00+08:00`,
        }),
    ],
    [
      'opportunity',
      '≤ 8',
      () =>
        call(handlers.opportunities, '/api/opportunities', {
          name: `云帆 ERP 采购项目 ${n++}`,
          customerId: parent.id,
          amount: 50_000,
        }),
    ],
    [
      'contract',
      '≤ 8',
      () =>
        call(handlers.contracts, '/api/contracts', {
          number: `HT-BENCH-${++n}`,
          name: '年度采购合同',
          customerId: parent.id,
          amount: 10_000,
          signedAt: '2026-11-18',
        }),
    ],
    [
      'payment',
      '≤ 8',
      () =>
        call(handlers.payments, '/api/payments', {
          contractId: contract.id,
          receivedAt: '2026-11-18',
          amount: 1,
        }),
    ],
  ]
  const ddb = getDocumentClient()
  const rows: WriteRow[] = []
  for (const [noun, goal, create] of creates) {
    seen.length = 0
    calls.length = 0
    recording = true
    await create()
    recording = false
    const last = seen.at(-1)!
    const record = last.record!
    // an Update's item as it is now (a Delete's is gone: its key alone)
    const written = await Promise.all(
      last.writes.map(
        async ({ item, key }) =>
          item ?? (await ddb.send(new GetCommand({ TableName: config.tableName(), Key: key }))).Item ?? key!,
      ),
    )
    if (process.env.BENCH_WRITES_DUMP)
      console.log(
        `${noun}:\n${written
          .map((w) =>
            ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'altsk']
              .filter((k) => w[k] !== undefined)
              .map((k) => `${k}=${String(w[k])}`)
              .join(' '),
          )
          .map((line) => `  ${line}`)
          .join('\n')}`,
      )
    const rawPut = () =>
      ddb.send(
        new PutCommand({
          TableName: config.tableName(),
          Item: { ...record, pk: `${String(record.pk).replace(/[^#]+$/, '')}${ulid()}` },
        }),
      )
    // the create's own transaction, replayed under new ids without its conditions (a version or a
    // contract number's guard holds once): what DynamoDB Local alone takes to write these items
    const replay = unconditioned(last.input)
    const rawTx = () => ddb.send(new TransactWriteCommand(renew(replay)))
    const r = await alternately(iterations, { create, rawTx, rawPut })
    rows.push({
      noun,
      items: last.items,
      wcu: ruleWcu(written),
      'local wcu': Math.round(last.wcu * 10) / 10,
      goal,
      what: itemKinds(written),
      calls: [...new Set(calls)].map((c) => `${c} ${calls.filter((d) => d === c).length}`).join(', '),
      'create p50': ms(r.create),
      'raw PutItem p50': ms(r.rawPut),
      ratio: `${(r.create / r.rawPut).toFixed(2)}×`,
      'raw tx p50': ms(r.rawTx),
      'raw tx ÷ PutItem': `${(r.rawTx / r.rawPut).toFixed(2)}×`,
      'create ÷ raw tx': `${(r.create / r.rawTx).toFixed(2)}×`,
    })
  }
  printTable(
    `Writes per create (one TransactWriteItems each; wcu by DynamoDB's rule — 2 per KB of each item, 1 per KB per index it is in —, local wcu as DynamoDB Local reports it) and create latency ÷ a raw PutItem of the record alone (goal ≤ 3×), beside a raw TransactWriteItems of the create's own items (replayed under new ids, unconditioned): how much of the ratio is DynamoDB Local's transaction of that many items (${iterations} each, medians, alternately)`,
    rows,
  )
  return rows
}
