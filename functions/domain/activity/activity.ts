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
import { deleteEntry, type Entry, putEntry } from '../../db/entries.js'
import { EntryEntity } from '../../db/entities/lifecycle.js'
import { tenantKey } from '../../db/entities/record.js'
import type { Filter } from '../../db/filter.js'
import { readPage } from '../../db/pages.js'
import { table } from '../../db/table.js'
import { conflict } from '../../core/errors.js'
import { withNames } from './names.js'

/**
 * 动态, 评论, 赞 and 工作台 动态. Activity attaches to any record through one polymorphic link (record
 * type + id). An activity is posted to the timeline of its record (`T#t#<TAG>#<id>`, `ACT#<ulid>`: a
 * record's 动态 is one Query, newest first) and to the timelines above it (`alsoOn`: a payment's contract
 * and customer), the same id on each. Comments (`CMT#<ulid>`) and likes (`LIKE#<userId>`) live in the
 * item collection of the record they are on.
 *
 * The feed (`GET /api/feed`) is read from the index keys of the activity's own entry, one Query a page,
 * by data scope: all (gsi1 `T#t#FEED`, admins), a department (gsi2 `T#t#FEED#D#<deptId>`, managers) and a
 * person (gsi3 `T#t#FEED#U#<userId>`, members and 我的). Its audience — the people and departments whose
 * scope holds the record (its owner, its customer's owner and collaborators, their departments) — gets
 * one index entry per partition: the first person and department on the entry itself, each further one
 * on a feed entry beside it (`FEED#<ulid>#<n>`, same attributes, not on any timeline).
 */

/** Where a timeline lives: the item collection `T#t#<tag>#<id>`. */
export interface TimelineOwner {
  tag: string
  id: string
  /**
   * what the activity's entry on this timeline (one of `alsoOn`) carries besides it: attributes and the
   * index keys it leaves free (an opportunity's first stage move rides on its customer's entry)
   */
  carries?: Partial<Entry>
}

/** Who finds an activity in their 工作台 动态 besides admins: people and departments (ids). */
export interface Audience {
  userIds: string[]
  deptIds: string[]
}

/** The people and departments whose scope holds these records: owners, collaborators, departments. */
export function audienceOf(
  ...holders: ({ ownerId?: string; collaboratorIds?: string[]; deptId?: string } | undefined)[]
): Audience {
  const userIds = new Set<string>()
  const deptIds = new Set<string>()
  for (const holder of holders) {
    if (!holder) continue
    if (holder.ownerId) userIds.add(holder.ownerId)
    for (const id of holder.collaboratorIds ?? []) userIds.add(id)
    // a pool customer's department is no one's scope (ownerless records are the pool's)
    if (holder.deptId && holder.ownerId) deptIds.add(holder.deptId)
  }
  return { userIds: [...userIds], deptIds: [...deptIds] }
}

// Monotonic: entries written in one transaction (same millisecond) keep the order they were made in.
const ulid = monotonicFactory()

export interface ActivityInput {
  /** the record's own timeline */
  timeline: TimelineOwner
  /** the timelines above it that show it too (a payment's contract and customer) */
  alsoOn?: TimelineOwner[]
  /** who finds it in 工作台 动态 (admins always do) */
  audience?: Audience
  recordType: string
  recordId: string
  action: string
  summary: string
  changes?: { field: string; from?: unknown; to?: unknown; fromName?: string; toName?: string }[]
}

export const feedPartition = (tenantId: string, ...parts: string[]) => tenantKey(tenantId, 'FEED', ...parts)

/** The items of one activity: its entry on each timeline, its feed entries (see above). */
export const activityWrites = (session: Session, input: ActivityInput): Write[] =>
  activityEntries(session, input).map(putEntry)

/** The items `activityWrites` puts, as stored (the bench loads them in bulk). */
export function activityEntries(
  session: Pick<Session, 'tenantId' | 'userId' | 'name'>,
  input: ActivityInput,
): Entry[] {
  const at = nowIso()
  const id = ulid()
  const t = session.tenantId
  const { userIds = [], deptIds = [] } = input.audience ?? {}
  const entry = {
    tenantId: t,
    kind: 'activity',
    activityId: id,
    recordType: input.recordType,
    recordId: input.recordId,
    action: input.action,
    summary: input.summary,
    changes: input.changes?.length ? input.changes : undefined,
    actorId: session.userId,
    actorName: session.name,
    at,
    ...(userIds.length && { userIds }),
    ...(deptIds.length && { deptIds }),
  }
  const audienceKeys = (n: number) => ({
    ...(deptIds[n] && { gsi2pk: feedPartition(t, 'D', deptIds[n]), gsi2sk: id }),
    ...(userIds[n] && { gsi3pk: feedPartition(t, 'U', userIds[n]), gsi3sk: id }),
  })
  const own = tenantKey(t, input.timeline.tag, input.timeline.id)
  const writes: Entry[] = [
    { ...entry, pk: own, sk: `ACT#${id}`, gsi1pk: feedPartition(t), gsi1sk: id, ...audienceKeys(0) },
  ]
  for (let n = 1; n < Math.max(userIds.length, deptIds.length); n++)
    writes.push({ ...entry, pk: own, sk: `FEED#${id}#${n}`, ...audienceKeys(n) })
  for (const other of input.alsoOn ?? [])
    writes.push({ ...entry, ...other.carries, pk: tenantKey(t, other.tag, other.id), sk: `ACT#${id}` })
  return writes
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
export function customChanges(before: object, after: object) {
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

type ActivityItem = Omit<Activity, 'id' | 'actorName'> & {
  sk: string
  activityId?: string
  actorName?: string
}

const asActivity = ({ sk, activityId, ...a }: ActivityItem) => ({
  id: activityId ?? sk.slice(4),
  recordType: a.recordType,
  recordId: a.recordId,
  action: a.action,
  summary: a.summary,
  changes: a.changes ?? undefined,
  actorId: a.actorId,
  actorName: a.actorName,
  at: a.at,
})

/** A record's timeline, newest first (one Query; a BatchGet of names only for entries that need them). */
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
  return { items: await withNames(session.tenantId, items.map(asActivity)), nextCursor }
}

/**
 * 工作台 动态: the newest activity across what the caller may see, one Query a page — an admin's from
 * the tenant's feed, a member's (and anyone's `mine`) from their own, a manager's from the department
 * they lead; a manager of several departments reads the tenant's feed filtered to them (`readPage`).
 */
export async function feed(
  session: Session,
  { limit, cursor, mine }: { limit: number; cursor?: string; mine?: boolean },
): Promise<Page<Activity>> {
  const t = session.tenantId
  const read = (index: 'gsi1' | 'gsi2' | 'gsi3', partition: string, filter?: Filter) =>
    table
      .build(QueryCommand)
      .entities(EntryEntity)
      .query({ index, partition })
      .options({
        limit,
        reverse: true,
        exclusiveStartKey: decodeCursor(cursor, t),
        ...(filter ? { filters: { [EntryEntity.entityName]: filter } } : {}),
      })
      .params()
  const scope = session.scopeDeptIds
  const params =
    mine || session.role === 'member'
      ? read('gsi3', feedPartition(t, 'U', session.userId))
      : session.role === 'admin'
        ? read('gsi1', feedPartition(t))
        : scope.length === 1
          ? read('gsi2', feedPartition(t, 'D', scope[0]))
          : read('gsi1', feedPartition(t), {
              or: [
                { attr: 'userIds', contains: session.userId },
                ...scope.slice(0, 99).map((deptId) => ({ attr: 'deptIds', contains: deptId })),
              ],
            })
  const { items, nextCursor } = await readPage(params, { limit })
  return {
    items: await withNames(t, (items as ActivityItem[]).map(asActivity)),
    nextCursor,
  }
}

/** What a comment or like is on: the record, the timelines that show it, who finds it in their feed. */
export interface Target {
  tag: string
  recordType: string
  recordId: string
  label: string
  /** the record's own timeline */
  timeline: TimelineOwner
  /** the timelines above it (its contract's, its customer's) */
  alsoOn?: TimelineOwner[]
  audience?: Audience
  /** may this person see the record? (who may be @mentioned); default: as a reminder's audience */
  canSee?(session: Session): Promise<boolean>
}

const recordPk = (session: Session, target: Target) =>
  tenantKey(session.tenantId, target.tag, target.recordId)

const postedOn = (target: Target) => ({
  timeline: target.timeline,
  alsoOn: target.alsoOn,
  audience: target.audience,
  recordType: target.recordType,
  recordId: target.recordId,
})

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
        actorName: session.name,
        at: comment.createdAt,
      }),
      ...activityWrites(session, {
        ...postedOn(target),
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
    ...activityWrites(session, {
      ...postedOn(target),
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
