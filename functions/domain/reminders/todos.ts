import type { ReminderRecordType } from '../../../shared/schemas/index.js'
import type { Write } from '../../db/commit.js'
import { todoCreate, todoDone, todoSet } from '../notifications/todos.js'
import type { ReminderRecord } from './record.js'
import { RECORD_LABELS, RECORD_PAGES } from './record.js'

/**
 * A reminder's DingTalk to-dos (待办): one task for its assignees, due at the reminder's due time, that
 * opens the record. Written by the reminders' `sideWrites`, so every write of a reminder keeps it right
 * in the same transaction: created with the reminder; moved when it is rescheduled; its executors and
 * subject follow the reminder; ticked off when the reminder is done, cancelled or deleted (and open
 * again when it is reopened or restored).
 *
 * A repeating reminder has a to-do per occurrence (`rem.<id>.<n>`, n = the cards sent so far): when an
 * occurrence's card goes out the series moves on and the next occurrence's to-do is created; the one
 * just reminded of stays open to be ticked off, the one before it is closed (so at most two are open),
 * and both are closed when the series ends.
 */

const round = (r: ReminderRecord) => (r.repeat === 'none' ? 0 : r.sentCount)
const sourceIdOf = (r: ReminderRecord, n = round(r)) => `rem.${r.id}.${n}`
const isOpen = (r: ReminderRecord) => !r.deletedAt && (r.status === 'pending' || r.status === 'sent')

function wanted(r: ReminderRecord) {
  const type = r.recordType as ReminderRecordType
  return {
    tenantId: r.tenantId,
    sourceId: sourceIdOf(r),
    userIds: r.assigneeIds,
    subject: `任务提醒：${r.title}`,
    description: [`关联${RECORD_LABELS[type] ?? '记录'}：${r.recordName ?? '（未命名）'}`, r.content]
      .filter(Boolean)
      .join('\n'),
    dueAt: r.dueAt,
    link: {
      page: RECORD_PAGES[type] ?? 'pages/index/index',
      query: { id: r.recordId, reminderId: r.id },
    },
    recordType: r.recordType,
    recordId: r.recordId,
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

export function reminderTodoWrites(before: ReminderRecord | undefined, after: ReminderRecord): Write[] {
  const next = wanted(after)
  if (!before) return isOpen(after) ? todoCreate(next) : []
  const done = (n: number) =>
    n >= 0 ? todoDone({ tenantId: after.tenantId, sourceId: sourceIdOf(after, n) }) : []

  if (round(after) !== round(before)) {
    // the series moved on: the next occurrence's to-do; the one before the last reminded is over
    return [...(isOpen(after) ? todoCreate(next) : []), ...done(round(before) - 1)]
  }
  if (isOpen(before) && !isOpen(after)) {
    return [...done(round(after)), ...(after.repeat === 'none' ? [] : done(round(after) - 1))]
  }
  if (!isOpen(before) && isOpen(after)) return todoCreate(next)
  if (!isOpen(after)) return []
  const was = wanted(before)
  const changed = (['userIds', 'subject', 'description', 'dueAt', 'link'] as const).filter(
    (key) => !same(was[key], next[key]),
  )
  if (changed.length === 0) return []
  return todoSet({
    tenantId: next.tenantId,
    sourceId: next.sourceId,
    ...Object.fromEntries(changed.map((key) => [key, next[key]])),
  })
}
