/**
 * Replaying a captured TransactWriteItems as a raw baseline: the same items under new ids, so a bench
 * can set what a route writes beside what DynamoDB alone takes to write it.
 */
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb'
import { ulid } from 'ulid'

const ULID = /[0-9A-HJKMNP-TV-Z]{26}/g

/** A value with every ULID in it replaced (the same ULID by the same new one). */
export function renew<T>(value: T, ids = new Map<string, string>()): T {
  if (typeof value === 'string')
    return value.replace(ULID, (id) => {
      if (!ids.has(id)) ids.set(id, ulid())
      return ids.get(id)!
    }) as T
  if (Array.isArray(value)) return value.map((v) => renew(v, ids)) as T
  if (value && typeof value === 'object' && !(value instanceof Set))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renew(v, ids)])) as T
  return value
}

type Write = Record<string, unknown> & {
  ConditionExpression?: string
  UpdateExpression?: string
  ExpressionAttributeNames?: Record<string, string>
  ExpressionAttributeValues?: Record<string, unknown>
}

/**
 * The transaction's writes without their conditions (and without its ConditionChecks), the names and
 * values only a condition used dropped: what can be replayed any number of times — a version or a
 * guard on a key that is not a ULID (a contract's number) holds once only.
 */
export function unconditioned(input: TransactWriteCommandInput): TransactWriteCommandInput {
  const strip = (write: Write): Write => {
    const { ConditionExpression: _, ExpressionAttributeNames, ExpressionAttributeValues, ...rest } = write
    const used = <V>(placeholders: Record<string, V> | undefined) => {
      const tokens = new Set(rest.UpdateExpression?.match(/[#:][\w]+/g))
      const kept = Object.entries(placeholders ?? {}).filter(([p]) => tokens.has(p))
      return kept.length ? Object.fromEntries(kept) : undefined
    }
    const names = used(ExpressionAttributeNames)
    const values = used(ExpressionAttributeValues)
    return {
      ...rest,
      ...(names && { ExpressionAttributeNames: names }),
      ...(values && { ExpressionAttributeValues: values }),
    }
  }
  return {
    ...input,
    TransactItems: (input.TransactItems ?? [])
      .filter((t) => !t.ConditionCheck)
      .map((t) =>
        Object.fromEntries(Object.entries(t).map(([op, write]) => [op, strip(write as Write)])),
      ) as TransactWriteCommandInput['TransactItems'],
  }
}
