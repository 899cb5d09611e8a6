import { TransactionCanceledException } from '@aws-sdk/client-dynamodb'
import { AsyncLocalStorage } from 'node:async_hooks'
import { BatchGetRequest } from 'dynamodb-toolbox/entity/actions/batchGet'
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut'
import { execute, type ExecuteTransactWriteInput } from 'dynamodb-toolbox/entity/actions/transactWrite'
import { BatchGetCommand, execute as executeBatchGet } from 'dynamodb-toolbox/table/actions/batchGet'
import { now } from '../core/clock.js'
import { currentRequest, type NewAttachment } from '../core/context.js'
import { AppError } from '../core/errors.js'
import type { AnswerOnce, IdempotencyClaim } from '../core/idempotency.js'
import { type CounterChange, mergeCounterWrites } from './counters.js'
import { IdempotencyEntity } from './entities/idempotency.js'
import { table } from './table.js'

/** One item of a transaction, and the error to raise if its condition is what cancelled it. */
export interface Write {
  action: Exclude<ExecuteTransactWriteInput[number], { documentClient?: unknown }>
  onConditionFail?: () => Error
  /** for a counter's write, its change (a bulk writer sums these instead of reading the action back) */
  counter?: CounterChange
  /** for a counter's write, its tenant (`commit` merges the counter writes of one item) */
  counterTenant?: string
  /** for a holder entry's Put (db/custom-index.ts), the attachment a record holds now and did not before */
  attachment?: NewAttachment
}

/** Raised when a POST's Idempotency-Key was used by a request that committed first. */
class IdempotentReplay extends Error {
  constructor() {
    super('idempotent replay')
  }
}

const IDEMPOTENCY_TTL_SECONDS = 48 * 3600

// The key of the POST being answered, until its first commit takes it.
const pending = new AsyncLocalStorage<{ claim?: IdempotencyClaim }>()

const keyReused = (request: string) =>
  new AppError(422, 'idempotency.key_reused', `Idempotency-Key 已用于另一个请求（${request}），请换一个`)

/** The answer remembered under the claim's key; a key first sent to another request is refused. */
async function findIdempotent({ tenantId, userId, key, request }: IdempotencyClaim) {
  const { Item } = await IdempotencyEntity.build(GetItemCommand)
    .key({ tenantId, userId, key })
    .options({ consistent: true })
    .send()
  if (Item?.request && Item.request !== request) throw keyReused(Item.request)
  return Item && { statusCode: Item.statusCode, result: JSON.parse(Item.result) as unknown }
}

/** A POST's answer once per Idempotency-Key: `run` sees the key pending for its first commit. */
export const answerOnce: AnswerOnce = async (claim, run, remember) => {
  const stored = await findIdempotent(claim)
  if (stored) return { replay: true, ...stored }
  try {
    return { replay: false, result: await pending.run({ claim: remember ? claim : undefined }, run) }
  } catch (error) {
    // Another request with the same key committed first: answer what it answered.
    if (!(error instanceof IdempotentReplay)) throw error
    return { replay: true, ...(await findIdempotent(claim))! }
  }
}

/**
 * One part of a request that commits part by part (a bulk action's record, an import's row), done at
 * most once per Idempotency-Key: while a key is pending (`answerOnce`), the part's first commit also
 * remembers its result under `<key>#<part>`, in the same transaction; run again under the same key, the
 * part answers that result and writes nothing. Without a pending key it just runs. The pending key itself
 * stays for the request's own answer (`rememberAnswer`). `done` (`partsDone`, read for all the parts at
 * once) spares the part its own read: the commit's condition still stops a part another request did since.
 */
export async function partOnce<T>(
  part: string,
  run: () => Promise<T>,
  done?: Map<string, unknown>,
): Promise<T> {
  const claim = pending.getStore()?.claim
  if (!claim) return run()
  const partClaim = { ...claim, key: `${claim.key}#${part}`, request: `${claim.request}#${part}` }
  if (!done) return (await answerOnce(partClaim, run, true)).result as T
  if (done.has(part)) return done.get(part) as T
  try {
    return await pending.run({ claim: partClaim }, run)
  } catch (error) {
    if (!(error instanceof IdempotentReplay)) throw error
    return (await findIdempotent(partClaim))!.result as T
  }
}

/**
 * What the parts of a request that commits part by part answered under its pending key, read at once
 * (BatchGetItem, 100 keys a call) instead of one GetItem a part. Empty without a pending key.
 */
export async function partsDone(parts: string[]): Promise<Map<string, unknown>> {
  const claim = pending.getStore()?.claim
  const done = new Map<string, unknown>()
  if (!claim) return done
  const chunks = Array.from({ length: Math.ceil(parts.length / 100) }, (_, i) =>
    parts.slice(i * 100, i * 100 + 100),
  )
  await Promise.all(
    chunks.map(async (chunk) => {
      const requests = chunk.map((part) =>
        IdempotencyEntity.build(BatchGetRequest).key({
          tenantId: claim.tenantId,
          userId: claim.userId,
          key: `${claim.key}#${part}`,
        }),
      )
      const { Responses = [] } = await executeBatchGet(
        { maxAttempts: 3 },
        table
          .build(BatchGetCommand)
          .requests(...(requests as [(typeof requests)[number]]))
          .options({ consistent: true }),
      )
      for (const item of Responses[0] ?? []) {
        if (!item) continue
        const part = item.key.slice(claim.key.length + 1)
        if (item.request && item.request !== `${claim.request}#${part}`) throw keyReused(item.request)
        done.set(part, JSON.parse(item.result) as unknown)
      }
    }),
  )
  return done
}

/** A request that committed part by part remembers its answer under its pending key (if any) at the end. */
export async function rememberAnswer(result: unknown): Promise<void> {
  if (pending.getStore()?.claim) await commit([], result)
}

/**
 * Commits a change as one TransactWriteItems. While a POST's Idempotency-Key is pending (`answerOnce`),
 * the remembered result joins the same transaction, so the change and its memory land together or not at all.
 */
export async function commit(writes: Write[], result?: unknown): Promise<void> {
  await checkAttachments(writes)
  const scope = pending.getStore()
  const idem = scope?.claim
  const all = mergeCounterWrites(writes)
  if (idem && result !== undefined) {
    all.push({
      action: IdempotencyEntity.build(PutTransaction)
        .item({
          tenantId: idem.tenantId,
          userId: idem.userId,
          key: idem.key,
          request: idem.request,
          statusCode: idem.statusCode,
          result: JSON.stringify(result),
          expiresAt: Math.floor(now() / 1000) + IDEMPOTENCY_TTL_SECONDS,
        })
        .options({ condition: { attr: 'key', exists: false } }),
      onConditionFail: () => new IdempotentReplay(),
    })
  }
  try {
    // options first: the first item may be a counter update, which toolbox does not tell from options
    await execute({}, ...all.map((w) => w.action))
    if (scope) scope.claim = undefined
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error
    const reasons = error.CancellationReasons ?? []
    const failed = reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed')
    if (failed >= 0 && all[failed]?.onConditionFail) throw all[failed].onConditionFail!()
    if (reasons.some((r) => r.Code === 'TransactionConflict')) {
      throw new AppError(409, 'version.conflict', '记录正被他人同时修改，请刷新后重试')
    }
    throw error
  }
}

/**
 * 附件 a write adds to a record must be ones the caller may read now (`mayAttach`, bound to the session
 * by the HTTP stack: the uploader's own, or held by a record the caller sees; otherwise 422 naming the
 * field). It is checked here, the one step every record write passes: each noun's verbs (create, edit,
 * merge, convert, restore, import, bulk) build their own write lists, but the holder entries of every one
 * come from the collection's side writes (`customEntryWrites`), which mark only the ids the record did not
 * hold before: an edit resending its list, a restore or a move pays nothing, a new id one Query. Writes
 * outside a request with a session (jobs, scripts) carry no caller and are not checked.
 */
async function checkAttachments(writes: Write[]) {
  let added: NewAttachment[] | undefined
  for (const write of writes) if (write.attachment) (added ??= []).push(write.attachment)
  if (added) await currentRequest()?.mayAttach?.(added)
}
