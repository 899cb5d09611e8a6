import type { BulkFailure, BulkResult } from '../../../shared/schemas/index.js'
import { AppError } from '../../core/errors.js'
import { log } from '../../core/log.js'
import { partOnce, partsDone, rememberAnswer } from '../../db/commit.js'
import { retryOnConflict } from '../../db/retry.js'

/**
 * 批量操作: a verb of a record's single route applied to each record of a bulk request, so every record
 * is checked and written exactly as that route would (scope, rules, counters, 动态, cards), each in its
 * own transaction: a record fails whole or is done whole. A few records are in flight at once; a record
 * another write got to first is read again and retried (the verb checks its rules on what it lands on).
 *
 * With an Idempotency-Key each record's write remembers it was done under the key (`partOnce`), and
 * the answer is remembered at the end: a retried request answers the first answer, and one retried
 * after a crash half-way does the remaining records only.
 */
export async function bulk(sent: string[], verb: (id: string) => Promise<unknown>): Promise<BulkResult> {
  const ids = [...new Set(sent)]
  const failures = new Map<string, BulkFailure>()
  // under an Idempotency-Key: which records a first try did, read at once
  const done = await partsDone(ids)
  let next = 0
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++]
      try {
        await partOnce(id, () => retryOnConflict(() => verb(id)), done)
      } catch (error) {
        failures.set(id, failureOf(id, error))
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, ids.length) }, worker))
  const result = {
    done: ids.filter((id) => !failures.has(id)),
    failed: ids.flatMap((id) => failures.get(id) ?? []),
  }
  await rememberAnswer(result)
  return result
}

/** records written at once: enough to overlap the round trips, few enough not to crowd shared counters */
const IN_FLIGHT = 4

function failureOf(id: string, error: unknown): BulkFailure {
  if (error instanceof AppError && error.status < 500) return { id, code: error.code, message: error.message }
  log('error', 'bulk.record_failed', { id, error: (error as Error).message })
  return { id, code: 'internal', message: '写入失败，请稍后重试' }
}
