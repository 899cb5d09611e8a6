import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import type * as z from 'zod'
import {
  Target,
  type TargetFilter,
  type TargetInput,
  type TargetUpdate,
} from '../../../shared/schemas/index.js'
import type { Session } from '../../core/context.js'
import { AppError, forbidden, unprocessable } from '../../core/errors.js'
import { defineCollection, type StoredRecord } from '../../db/collection.js'
import { TargetEntity } from '../../db/entities/deals.js'
import { DeptEntity, UserEntity } from '../../db/entities/directory.js'
import { tenantKey, TAG } from '../../db/entities/record.js'
import { all, type Filter } from '../../db/filter.js'
import {
  binned,
  changed,
  editRecord,
  getRecord,
  insertRecord,
  newRecord,
  replaceRecord,
} from '../../db/records.js'
import { queryPage } from '../../db/records.js'
import { resolveOwner } from '../scope/scope.js'
import { dealActivity, dealTarget } from '../deals/activity.js'

/**
 * 销售目标: a department's or a person's monthly targets for one year and one metric. The id is the
 * target's identity (`<year>-<metric>-<scope>-<subjectId>`), so a second target for the same subject,
 * year and metric is refused by the same conditional write (409 `target.duplicate`).
 */
export type TargetRecord = StoredRecord & z.output<typeof Target> & { deptId?: string }

export const Targets = defineCollection<TargetRecord>({
  name: 'target',
  path: 'targets',
  tag: TAG.target,
  visible: (session, t) => canSeeTarget(session, t),
  entity: TargetEntity,
  schema: Target,
  label: (t) => `${t.year} ${t.name} ${t.metric === 'contractAmount' ? '合同金额' : '回款金额'}目标`,
  indexKeys: (t) => ({
    gsi2pk: tenantKey(t.tenantId, TAG.target, String(t.year), t.metric),
    gsi2sk: `${t.scope}#${t.subjectId}`,
  }),
})

const sum = (months: number[]) => months.reduce((a, b) => a + b, 0)

/** Who sees a target: admins all; managers those of their departments; members their own and their departments'. */
export function targetScopeFilter(session: Session): Filter | undefined {
  if (session.role === 'admin') return undefined
  if (session.role === 'manager')
    return { attr: 'deptId', in: [...session.scopeDeptIds, ...session.deptIds].slice(0, 99) }
  return {
    or: [
      {
        and: [
          { attr: 'scope', eq: 'user' },
          { attr: 'subjectId', eq: session.userId },
        ],
      },
      ...(session.deptIds.length
        ? [
            {
              and: [
                { attr: 'scope', eq: 'dept' },
                { attr: 'deptId', in: session.deptIds.slice(0, 99) },
              ],
            },
          ]
        : []),
    ],
  }
}

const canSeeTarget = (session: Session, t: TargetRecord) =>
  session.role === 'admin' ||
  (session.role === 'manager' &&
    !!t.deptId &&
    [...session.scopeDeptIds, ...session.deptIds].includes(t.deptId)) ||
  (t.scope === 'user' && t.subjectId === session.userId) ||
  (t.scope === 'dept' && session.deptIds.includes(t.subjectId))

/** Setting targets: admins for anyone, managers inside their departments. */
async function subjectOf(session: Session, input: { scope: 'dept' | 'user'; subjectId: string }) {
  if (session.role === 'member') throw forbidden('只有主管或管理员可以设置目标')
  if (input.scope === 'user') {
    const owner = await resolveOwner(session, input.subjectId)
    const name = owner.id === session.userId ? session.name : await userName(session, owner.id)
    return { name, deptId: owner.deptId }
  }
  const { Item } = await DeptEntity.build(GetItemCommand)
    .key({ tenantId: session.tenantId, id: input.subjectId })
    .send()
  if (!Item) throw unprocessable('target.subject_invalid', '部门不存在')
  if (session.role === 'manager' && !session.scopeDeptIds.includes(Item.id)) {
    throw forbidden('只能为本部门（含下级部门）设置目标')
  }
  return { name: Item.name, deptId: Item.id }
}

async function userName(session: Session, userId: string) {
  const { Item } = await UserEntity.build(GetItemCommand)
    .key({ tenantId: session.tenantId, id: userId })
    .send()
  return Item?.name ?? userId
}

export async function createTarget(session: Session, input: z.output<typeof TargetInput>) {
  const subject = await subjectOf(session, input)
  const record = {
    ...newRecord(session, { ...input, ...subject, yearTotal: sum(input.months) }),
    id: `${input.year}-${input.metric}-${input.scope}-${input.subjectId}`,
  } as TargetRecord
  try {
    return await insertRecord(Targets, record, targetActivity(session, undefined, record))
  } catch (error) {
    if (error instanceof AppError && error.code === 'target.duplicate') {
      throw new AppError(409, 'target.duplicate', '该对象本年度的此项目标已存在（或在回收站中）')
    }
    throw error
  }
}

/** Who finds a target's 动态 in their feed: its person (and department), or its department. */
const targetAudience = (t: TargetRecord) =>
  t.scope === 'user'
    ? { userIds: [t.subjectId], deptIds: t.deptId ? [t.deptId] : [] }
    : { userIds: [], deptIds: [t.subjectId] }

const targetActivity = (session: Session, before: TargetRecord | undefined, after: TargetRecord) =>
  dealActivity(session, Targets, before, after, { audience: targetAudience(after) })

/** What 动态, 评论 and 赞 on a target point at. */
export const targetTarget = (session: Session, id: string) => dealTarget(Targets, session, id, targetAudience)

export const getTarget = (session: Session, id: string) => getRecord(Targets, session, id)

/** Target edits: whoever may set a target for its subject (`subjectOf` checks, reading the subject). */
const editTarget = (
  session: Session,
  id: string,
  { version, change }: { version?: number; change: (current: TargetRecord) => TargetRecord },
) =>
  editRecord(Targets, session, id, {
    version,
    through: (current) => subjectOf(session, current),
    change: (current) => {
      const next = change(current)
      return replaceRecord(Targets, current, next, targetActivity(session, current, next))
    },
  })

export const updateTarget = (
  session: Session,
  id: string,
  { version, months }: Partial<z.output<typeof TargetUpdate>> & { version: number },
) =>
  editTarget(session, id, {
    version,
    change: (current) => changed(current, months ? { months, yearTotal: sum(months) } : {}),
  })

export const removeTarget = (session: Session, id: string) =>
  editTarget(session, id, { change: (current) => binned(session, current) })

/** One Query: a year × metric on gsi2 when both are given, else the whole list on gsi1. */
export async function listTargets(session: Session, query: z.output<typeof TargetFilter>) {
  const filter = all(
    targetScopeFilter(session),
    query.q && { attr: 'name', contains: query.q },
    query.scope && { attr: 'scope', eq: query.scope },
    query.subjectId && { attr: 'subjectId', eq: query.subjectId },
    !(query.year && query.metric) && query.year && { attr: 'year', eq: query.year },
    !(query.year && query.metric) && query.metric && { attr: 'metric', eq: query.metric },
  )
  const byYear = query.year && query.metric
  return queryPage(Targets, session, {
    index: byYear ? 'gsi2' : 'gsi1',
    partition: byYear
      ? tenantKey(session.tenantId, TAG.target, String(query.year), query.metric!)
      : tenantKey(session.tenantId, TAG.target),
    limit: query.limit,
    cursor: query.cursor,
    filter,
  })
}
