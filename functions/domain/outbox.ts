import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut'
import { ulid } from 'ulid'
import { nowIso } from '../core/clock.js'
import type { Write } from '../db/commit.js'
import { OutboxEntity } from '../db/entities/outbox.js'
import { tenantKey, TAG } from '../db/entities/record.js'

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
  /** not before (default now) */
  availableAt?: string
}

/**
 * The outbox item for a message, to put in the same transaction as the change that causes it: the
 * change never happens without its message, and a failed write sends nothing.
 */
export function outboxWrite(tenantId: string, message: OutboxMessage): Write {
  const at = nowIso()
  const id = ulid()
  const availableAt = message.availableAt ?? at
  return {
    action: OutboxEntity.build(PutTransaction).item({
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
    }),
  }
}
