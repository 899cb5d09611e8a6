import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import { ReminderEntity } from '../../db/entities/scheduler.js'
import { table } from '../../db/table.js'
import { dueIndex, recordIndex, type ReminderRecord, utcIso } from './record.js'

/**
 * The reminders' Queries named in functions/db/README.md ("Reminders, the outbox and the scheduler");
 * the pages of the reminders lists are list.ts's (`queryPage` and the assignee entries).
 */

type Start = Record<string, unknown> | undefined

/** Reminders due by `at` (gsi3 `T#t#REM#DUE`, `<fireAt>#<id>`; only scheduled ones are there), 100 a page. */
export async function dueReminders(
  tenantId: string,
  at: number,
  start: Start,
): Promise<{ items: ReminderRecord[]; next: Start }> {
  const { Items = [], LastEvaluatedKey } = await table
    .build(QueryCommand)
    .entities(ReminderEntity)
    .query({ index: 'gsi3', partition: dueIndex(tenantId), range: { lte: `${utcIso(at)}#~` } })
    .options({ limit: 100, exclusiveStartKey: start })
    .send()
  return { items: Items as ReminderRecord[], next: LastEvaluatedKey }
}

/** A record's reminders (gsi2 `T#t#REM#R#<type>#<recordId>`), the first 100: what a merge moves. */
export async function remindersOfRecord(
  tenantId: string,
  recordType: string,
  recordId: string,
): Promise<ReminderRecord[]> {
  const { Items = [] } = await table
    .build(QueryCommand)
    .entities(ReminderEntity)
    .query({ index: 'gsi2', partition: recordIndex(tenantId, recordType, recordId) })
    .options({ limit: 100 })
    .send()
  return Items as ReminderRecord[]
}
