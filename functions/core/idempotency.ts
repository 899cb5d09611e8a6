/**
 * The contract between the HTTP stack, which reads a POST's `Idempotency-Key`, and the store that
 * remembers answers (db/commit.ts): the function's owner wires one to the other (api-function.ts).
 */

/** A POST's key, whose caller it belongs to, and the status its answer goes out with. */
export interface IdempotencyClaim {
  key: string
  /** the method and path it was sent to (`POST /api/products`): a key answers one request only */
  request: string
  tenantId: string
  userId: string
  statusCode: number
}

/** The handler's own result, or the answer remembered under the key (sent again as it was). */
export type IdempotentAnswer =
  { replay: false; result: unknown } | { replay: true; statusCode: number; result: unknown }

/**
 * Answers a POST once per key: the remembered answer, else `run`'s result, remembered with its first
 * commit unless `remember` is false (its writes commit on their own).
 */
export type AnswerOnce = (
  claim: IdempotencyClaim,
  run: () => Promise<unknown>,
  remember: boolean,
) => Promise<IdempotentAnswer>
