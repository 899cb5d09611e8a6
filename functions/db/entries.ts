import { DeleteTransaction } from 'dynamodb-toolbox/entity/actions/transactDelete'
import type { PutItemInput } from 'dynamodb-toolbox/entity/actions/put'
import type { Write } from './commit.js'
import { EntryEntity } from './entities/lifecycle.js'

/** An item kept alongside a record (search bigram, name or phone entry, recycle clock...). */
export type Entry = PutItemInput<typeof EntryEntity>

const keyOf = (e: { pk: string; sk: string }) => `${e.pk}\u0000${e.sk}`

/**
 * An entry's Put as a transaction item, built without the toolbox's item parser: entries are typed where
 * they are made and carry their own keys, and parsing one through a schema of 40 optional attributes costs
 * ~1 ms of CPU (a customer create writes up to a dozen). The item is the one the parser would store: the
 * attributes given, without the undefined ones, and the table's entity tag.
 */
class EntryPut {
  readonly entity = EntryEntity
  constructor(
    private readonly entry: Entry,
    private readonly notExists = false,
  ) {}
  params() {
    const item: Record<string, unknown> = {}
    for (const [name, value] of Object.entries(this.entry)) if (value !== undefined) item[name] = value
    return {
      ToolboxItem: { ...item, entity: EntryEntity.entityName },
      Put: {
        TableName: EntryEntity.table.getName(),
        Item: { ...item, [EntryEntity.table.entityAttributeSavedAs]: EntryEntity.entityName },
        ...(this.notExists && { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    }
  }
}

export const putEntry = (entry: Entry): Write => ({
  action: new EntryPut(entry) as unknown as Write['action'],
})
/** An entry's Put only where no item is (a guard: the caller says what a failure means). */
export const putEntryIfAbsent = (entry: Entry): Write => ({
  action: new EntryPut(entry, true) as unknown as Write['action'],
})
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
