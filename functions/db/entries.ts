import { DeleteTransaction } from 'dynamodb-toolbox/entity/actions/transactDelete'
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut'
import type { PutItemInput } from 'dynamodb-toolbox/entity/actions/put'
import type { Write } from './commit.js'
import { EntryEntity } from './entities/lifecycle.js'

/** An item kept alongside a record (search bigram, name or phone entry, recycle clock...). */
export type Entry = PutItemInput<typeof EntryEntity>

const keyOf = (e: { pk: string; sk: string }) => `${e.pk}\u0000${e.sk}`

export const putEntry = (entry: Entry): Write => ({ action: EntryEntity.build(PutTransaction).item(entry) })
export const deleteEntry = (key: { pk: string; sk: string }): Write => ({
  action: EntryEntity.build(DeleteTransaction).key(key),
})

/**
 * The writes that turn the entries a record had into the ones it has now: delete what is gone, put what
 * is new or changed, leave the rest alone (a rename touches only the bigrams that changed).
 */
export function entryDiff(before: Entry[], after: Entry[]): Write[] {
  const old = new Map(before.map((e) => [keyOf(e), e]))
  const next = new Map(after.map((e) => [keyOf(e), e]))
  const writes: Write[] = []
  for (const [key, e] of old) if (!next.has(key)) writes.push(deleteEntry(e))
  for (const [key, e] of next)
    if (JSON.stringify(old.get(key)) !== JSON.stringify(e)) writes.push(putEntry(e))
  return writes
}
