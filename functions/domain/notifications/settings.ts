import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut'
import type * as z from 'zod'
import type {
  DeptRouting,
  NotificationSettings,
  NotificationSettingsInput,
} from '../../../shared/schemas/index.js'
import { nowIso } from '../../core/clock.js'
import type { Session } from '../../core/context.js'
import { conflict } from '../../core/errors.js'
import { commit } from '../../db/commit.js'
import { NotificationSettingsEntity } from '../../db/entities/scheduler.js'

/**
 * 通知设置: which team group (group robot + chat) gets a department's cards, and per department and
 * event whether its cards go to the person, the group or both (groups.ts routes them). One item per
 * tenant, read by the delivery once per run.
 */

const stored = (tenantId: string, consistent = true) =>
  NotificationSettingsEntity.build(GetItemCommand).key({ tenantId }).options({ consistent }).send()

/** the stored settings of a tenant (a delivery's read: eventually consistent is fine) */
export async function readNotificationSettings(tenantId: string, consistent = false) {
  const { Item } = await stored(tenantId, consistent)
  return {
    groups: Item?.groups ?? [],
    routing: (Item?.routing ?? []) as DeptRouting[],
    updatedAt: Item?.updatedAt,
    version: Item?.version ?? 0,
  }
}

export async function getNotificationSettings(session: Session): Promise<NotificationSettings> {
  return readNotificationSettings(session.tenantId, true)
}

/**
 * Replaces the settings (the routing too when given); `version` (0 before the first save) guards
 * against a concurrent edit.
 */
export async function putNotificationSettings(
  session: Session,
  input: z.output<typeof NotificationSettingsInput> & { version?: number },
): Promise<NotificationSettings> {
  const current = await getNotificationSettings(session)
  if (input.version !== undefined && input.version !== current.version) {
    throw conflict('version.conflict', '通知设置已被他人修改，请刷新后重试')
  }
  const next = {
    tenantId: session.tenantId,
    groups: input.groups,
    routing: input.routing ?? current.routing,
    updatedAt: nowIso(),
    updatedBy: session.userId,
    version: current.version + 1,
  }
  await commit(
    [
      {
        action: NotificationSettingsEntity.build(PutTransaction)
          .item(next)
          .options({
            condition:
              current.version === 0
                ? { attr: 'version', exists: false }
                : { attr: 'version', eq: current.version },
          }),
        onConditionFail: () => conflict('version.conflict', '通知设置已被他人修改，请刷新后重试'),
      },
    ],
    next,
  )
  return { groups: next.groups, routing: next.routing, updatedAt: next.updatedAt, version: next.version }
}
