import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import { type Page, type ReminderFilter } from '../../../shared/schemas/index.js'
import type { Session } from '../../core/context.js'
import { AppError } from '../../core/errors.js'
import { decodeCursor } from '../../db/cursor.js'
import { EntryEntity } from '../../db/entities/lifecycle.js'
import { all } from '../../db/filter.js'
import { readPage } from '../../db/pages.js'
import { getRecords, listRecords } from '../../db/records.js'
import { table } from '../../db/table.js'
import { queryPage } from '../../db/records.js'

import type { ReminderRecord } from './record.js'
import { Reminders, assigneeIndex, isOpen, openIndex, recordIndex, utcIso } from './record.js'

export function listReminders(session: Session, query: ReminderFilter) {
  const me = session.userId
  const filter = all(
    session.role !== 'admin' && {
      or: [
        { attr: 'createdBy', eq: me },
        { attr: 'assigneeIds', contains: me },
      ],
    },
    query.mine && { attr: 'assigneeIds', contains: me },
    query.assigneeId && { attr: 'assigneeIds', contains: query.assigneeId },
    query.status && { attr: 'status', eq: query.status },
    query.q && {
      or: [
        { attr: 'title', contains: query.q },
        { attr: 'recordName', contains: query.q },
      ],
    },
  )
  const { limit, cursor } = query
  if (query.recordType && query.recordId) {
    const partition = recordIndex(session.tenantId, query.recordType, query.recordId)
    return queryPage(Reminders, session, { index: 'gsi2', partition, limit, cursor, filter })
  }
  if (query.mine) return listMine(session, query)
  return listRecords(Reminders, session, {
    limit,
    cursor,
    filter: all(filter, query.recordType && { attr: 'recordType', eq: query.recordType }),
  })
}

/** a BatchGetItem reads at most 100 keys */
const MINE_PAGE = 100

/**
 * 我的提醒 by due time, from my assignee entries: with `dueBefore` my open ones due before it, oldest
 * first (gsi3, holds only open ones, so closed ones never crowd a page out); without it all of mine,
 * latest due first (gsi2; `status` filters the entries). Then the reminders themselves, one consistent
 * BatchGetItem, checked again against the filter (an index is a moment behind its record). Two calls a
 * page however many reminders the tenant holds (a `status` that leaves the page short reads on entries
 * first: `readPage`); pages of at most 100.
 */
async function listMine(session: Session, query: ReminderFilter): Promise<Page<ReminderRecord>> {
  const me = session.userId
  const dueBefore = query.dueBefore && utcIso(query.dueBefore)
  const index = dueBefore ? 'gsi3' : 'gsi2'
  const partition = dueBefore ? openIndex(session.tenantId, me) : assigneeIndex(session.tenantId, me)
  const start = decodeCursor(query.cursor, session.tenantId)
  if (start && start[`${index}pk`] !== partition) {
    throw new AppError(400, 'validation.failed', 'cursor 不属于这个列表，请从第一页重新加载')
  }
  const filter = all(
    query.status && { attr: 'status', eq: query.status },
    query.recordType && { attr: 'recordType', eq: query.recordType },
  )
  const params = table
    .build(QueryCommand)
    .entities(EntryEntity)
    // `<dueAt>#<id>` < dueBefore: due strictly before it
    .query({ index, partition, ...(dueBefore && { range: { lt: dueBefore } }) })
    .options({
      limit: Math.min(query.limit, MINE_PAGE),
      reverse: !dueBefore,
      exclusiveStartKey: start,
      ...(filter && { filters: { entries: filter } }),
    })
    .params()
  const { items: entries, nextCursor } = await readPage(params, { limit: Math.min(query.limit, MINE_PAGE) })
  const ids = entries.map((entry) => String(entry[`${index}sk`]).split('#').pop()!)
  const found = await getRecords(Reminders, session.tenantId, ids, { consistent: true })
  const items = ids.flatMap((id) => {
    const r = found.get(id)
    const keep =
      r &&
      !r.deletedAt &&
      r.assigneeIds.includes(me) &&
      (!dueBefore || (isOpen(r) && r.dueAt < dueBefore)) &&
      (!query.status || r.status === query.status) &&
      (!query.assigneeId || r.assigneeIds.includes(query.assigneeId)) &&
      (!query.q || r.title.includes(query.q) || !!r.recordName?.includes(query.q))
    return keep ? [r] : []
  })
  return { items, nextCursor }
}
