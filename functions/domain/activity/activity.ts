import { QueryCommand as RawQueryCommand } from '@aws-sdk/lib-dynamodb'
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut'
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import { monotonicFactory } from 'ulid'
import type { Activity, Comment, Page } from '../../../shared/schemas/index.js'
import { nowIso } from '../../core/clock.js'
import type { Session } from '../../core/context.js'
import { cachedFields } from '../../core/field-cache.js'
import { getDocumentClient } from '../../db/client.js'
import { commit, type Write } from '../../db/commit.js'
import { decodeCursor, encodeCursor } from '../../db/cursor.js'
import { deleteEntry, putEntry } from '../../db/entries.js'
import { EntryEntity } from '../../db/entities/lifecycle.js'
import { tenantKey } from '../../db/entities/record.js'
import { table } from '../../db/table.js'
import { conflict } from '../../core/errors.js'

/**
 * 动态, 评论, 赞. Activity attaches to any record through one polymorphic link (record type + id) and is
 * kept in the item collection of the record whose timeline shows it — a customer's for the customer and
 * its children (`T#t#CUS#<id>`, `ACT#<ulid>`), so the timeline is one Query, newest first. Comments
 * (`CMT#<ulid>`) and likes (`LIKE#<userId>`) live in the item collection of the record they are on.
 */

/** Where a timeline lives: the item collection `T#t#<tag>#<id>`. */
export interface TimelineOwner {
  tag: string
  id: string
}

// Monotonic: entries written in one transaction (same millisecond) keep the order they were made in.
const ulid = monotonicFactory()

export interface ActivityInput {
  timeline: TimelineOwner
  recordType: string
  recordId: string
  action: string
  summary: string
  changes?: { field: string; from?: unknown; to?: unknown }[]
}

export function activityWrite(session: Session, input: ActivityInput): Write {
  const at = nowIso()
  const id = ulid()
  return putEntry({
    pk: tenantKey(session.tenantId, input.timeline.tag, input.timeline.id),
    sk: `ACT#${id}`,
    tenantId: session.tenantId,
    kind: 'activity',
    recordType: input.recordType,
    recordId: input.recordId,
    action: input.action,
    summary: input.summary,
    changes: input.changes,
    actorId: session.userId,
    at,
  })
}

/** The fields that differ, old → new (for "field changes" in the timeline). */
export function fieldChanges<R extends object>(before: R, after: R, fields: (keyof R & string)[]) {
  return [
    ...fields
      .filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]))
      .map((field) => ({ field: field as string, from: before[field] ?? null, to: after[field] ?? null })),
    ...customChanges(before, after),
  ]
}

/** The custom values a change moved, named by their fields' labels (money in yuan, choices by label). */
function customChanges(before: object, after: object) {
  const custom = (r: object) =>
    ((r as { custom?: Record<string, unknown> }).custom ?? {}) as Record<string, unknown>
  const [from, to] = [custom(before), custom(after)]
  const tenantId = (after as { tenantId?: string }).tenantId
  const fields = tenantId ? Object.values(cachedFields(tenantId)?.collections ?? {}).flat() : []
  return [...new Set([...Object.keys(from), ...Object.keys(to)])]
    .filter((key) => JSON.stringify(from[key]) !== JSON.stringify(to[key]))
    .map((key) => {
      const field = fields.find((f) => f.key === key)
      const shown = (value: unknown) => {
        if (value === undefined || value === null) return null
        if (field?.type === 'money' && typeof value === 'number') return value / 100
        const label = (v: unknown) => field?.options?.find((o) => o.value === v)?.label ?? v
        return Array.isArray(value) ? value.map(label) : label(value)
      }
      return { field: field?.label ?? key, from: shown(from[key]), to: shown(to[key]) }
    })
}

async function queryCollection<T>(
  session: Session,
  pk: string,
  prefix: string,
  { limit, cursor, reverse = true }: { limit: number; cursor?: string; reverse?: boolean },
): Promise<{ items: T[]; nextCursor: string | null }> {
  const params = table
    .build(QueryCommand)
    .entities(EntryEntity)
    .query({ partition: pk, range: { beginsWith: prefix } })
    .options({ limit, reverse, exclusiveStartKey: decodeCursor(cursor, session.tenantId) })
    .params()
  const { Items = [], LastEvaluatedKey } = await getDocumentClient().send(new RawQueryCommand(params))
  return { items: Items as T[], nextCursor: encodeCursor(LastEvaluatedKey) }
}

type ActivityItem = Omit<Activity, 'id'> & { sk: string }

/** A record's timeline, newest first (one Query). */
export async function timeline(
  session: Session,
  owner: TimelineOwner,
  page: { limit: number; cursor?: string },
): Promise<Page<Activity>> {
  const { items, nextCursor } = await queryCollection<ActivityItem>(
    session,
    tenantKey(session.tenantId, owner.tag, owner.id),
    'ACT#',
    page,
  )
  return {
    items: items.map(({ sk, ...a }) => ({ ...a, id: sk.slice(4), changes: a.changes ?? undefined })),
    nextCursor,
  }
}

/** What a comment or like is on: the record, and the timeline that shows it. */
export interface Target {
  tag: string
  recordType: string
  recordId: string
  label: string
  timeline: TimelineOwner
}

const recordPk = (session: Session, target: Target) =>
  tenantKey(session.tenantId, target.tag, target.recordId)

/** A comment on the record, on its timeline; `alongside` commits with it (the cards of @mentions). */
export async function addComment(
  session: Session,
  target: Target,
  content: string,
  { mentionIds = [], alongside = [] }: { mentionIds?: string[]; alongside?: Write[] } = {},
): Promise<Comment> {
  const id = ulid()
  const comment: Comment = {
    id,
    recordType: target.recordType,
    recordId: target.recordId,
    content,
    ...(mentionIds.length && { mentionIds }),
    createdBy: session.userId,
    createdAt: nowIso(),
  }
  await commit(
    [
      putEntry({
        pk: recordPk(session, target),
        sk: `CMT#${id}`,
        tenantId: session.tenantId,
        kind: 'comment',
        recordType: target.recordType,
        recordId: target.recordId,
        content,
        ...(mentionIds.length && { mentionIds }),
        actorId: session.userId,
        at: comment.createdAt,
      }),
      activityWrite(session, {
        timeline: target.timeline,
        recordType: target.recordType,
        recordId: target.recordId,
        action: 'commented',
        summary: `评论了「${target.label}」：${content.slice(0, 50)}`,
      }),
      ...alongside,
    ],
    comment,
  )
  return comment
}

export async function listComments(
  session: Session,
  target: Target,
  page: { limit: number; cursor?: string },
): Promise<Page<Comment>> {
  const { items, nextCursor } = await queryCollection<{
    sk: string
    content: string
    mentionIds?: string[]
    actorId: string
    at: string
  }>(session, recordPk(session, target), 'CMT#', page)
  return {
    items: items.map((c) => ({
      id: c.sk.slice(4),
      recordType: target.recordType,
      recordId: target.recordId,
      content: c.content,
      ...(c.mentionIds?.length && { mentionIds: c.mentionIds }),
      createdBy: c.actorId,
      createdAt: c.at,
    })),
    nextCursor,
  }
}

/** 赞: one item per person (`LIKE#<userId>`), so liking twice is one like. */
export async function like(session: Session, target: Target, liked: boolean) {
  const key = { pk: recordPk(session, target), sk: `LIKE#${session.userId}` }
  const current = await likes(session, target)
  if (current.likedByMe === liked) return current
  const write: Write = liked
    ? {
        action: EntryEntity.build(PutTransaction)
          .item({
            ...key,
            tenantId: session.tenantId,
            kind: 'like',
            recordType: target.recordType,
            recordId: target.recordId,
            actorId: session.userId,
            at: nowIso(),
          })
          .options({ condition: { attr: 'pk', exists: false } }),
        onConditionFail: () => conflict('like.duplicate', '已经赞过了'),
      }
    : deleteEntry(key)
  await commit([
    write,
    activityWrite(session, {
      timeline: target.timeline,
      recordType: target.recordType,
      recordId: target.recordId,
      action: liked ? 'liked' : 'unliked',
      summary: `${liked ? '赞了' : '取消赞'}「${target.label}」`,
    }),
  ])
  return { count: current.count + (liked ? 1 : -1), likedByMe: liked }
}

export async function likes(session: Session, target: Target) {
  const { items } = await queryCollection<{ actorId: string }>(session, recordPk(session, target), 'LIKE#', {
    limit: 1000,
  })
  return { count: items.length, likedByMe: items.some((l) => l.actorId === session.userId) }
}
