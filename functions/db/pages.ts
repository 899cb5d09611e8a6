import type { Entity } from 'dynamodb-toolbox/entity'
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import type { Filter } from './filter.js'
import { table } from './table.js'

interface PartitionQuery {
  index: 'gsi1' | 'gsi2' | 'gsi3'
  partition: string
  /** applied by DynamoDB to each page */
  filter?: Filter
}

/**
 * Every item of an index partition, a page (1 MB) at a time, one Query a page: for small partitions
 * read whole (a tenant's people, departments, a year's targets) and for jobs that walk a collection.
 */
export async function* queryPages<T>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  entity: Entity<string, any, any, any, any>,
  { index, partition, filter }: PartitionQuery,
): AsyncGenerator<T[]> {
  let exclusiveStartKey: Record<string, unknown> | undefined
  do {
    const { Items = [], LastEvaluatedKey } = await table
      .build(QueryCommand)
      .entities(entity)
      .query({ index, partition })
      .options({
        exclusiveStartKey,
        ...(filter ? { filters: { [entity.entityName]: filter } } : {}),
      } as never)
      .send()
    yield Items as T[]
    exclusiveStartKey = LastEvaluatedKey
  } while (exclusiveStartKey)
}

/** All the items of `queryPages` in one array. */
export async function queryAll<T>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  entity: Entity<string, any, any, any, any>,
  query: PartitionQuery,
): Promise<T[]> {
  const items: T[] = []
  for await (const page of queryPages<T>(entity, query)) items.push(...page)
  return items
}
