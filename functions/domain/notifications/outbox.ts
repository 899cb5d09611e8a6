import { createHash } from 'node:crypto'
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut'
import { ulid } from 'ulid'
import { nowIso } from '../../core/clock.js'
import { conflict } from '../../core/errors.js'
import type { Write } from '../../db/commit.js'
import { OutboxEntity } from '../../db/entities/outbox.js'
import { tenantKey, TAG } from '../../db/entities/record.js'

/** What a domain verb asks to be told in DingTalk. */
export interface OutboxMessage {
  kind: string
  userIds: string[]
  deptIds?: string[]
  title: string
  markdown: string
  /** mini-program page and query the card opens, e.g. `{ page: 'pages/lead/detail', query: { id } }` */
  link: { page: string; query: Record<string, string> }
  recordType?: string
  recordId?: string
  /** a card for one team group (groups.ts), not for people */
  group?: { deptId: string; robotCode: string; openConversationId: string }
  /** a to-do's sync (todos.ts): the to-do it brings in line */
  todoSourceId?: string
  /** not before (default now) */
  availableAt?: string
}

/** The message of a `once` key was queued before (the write's condition failed). */
export const alreadyQueued = () => conflict('outbox.duplicate', '该消息已经发送过')

/**
 * The outbox item for a message, to put in the same transaction as the change that causes it: the
 * change never happens without its message, and a failed write sends nothing. With a `once` key (what
 * the message is about: a customer's recycle warning for a date, a manager's briefing for a day) the
 * item's id comes from the key and the write holds only if no such item exists: a rerun of the job
 * that sends it queues nothing twice (`outbox.duplicate`).
 */
export function outboxWrite(
  tenantId: string,
  message: OutboxMessage,
  { once }: { once?: string } = {},
): Write {
  const at = nowIso()
  const id = once ? `once-${createHash('sha256').update(once).digest('hex').slice(0, 32)}` : ulid()
  const availableAt = message.availableAt ?? at
  const action = OutboxEntity.build(PutTransaction).item({
    ...message,
    tenantId,
    id,
    status: 'pending',
    attempts: 0,
    availableAt,
    createdAt: at,
    updatedAt: at,
    version: 1,
    gsi3pk: tenantKey(tenantId, TAG.outbox),
    gsi3sk: `${availableAt}#${id}`,
  })
  if (!once) return { action }
  return {
    action: action.options({ condition: { attr: 'id', exists: false } }),
    onConditionFail: alreadyQueued,
  }
}
