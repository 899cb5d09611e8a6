import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut'
import { PoolSettings } from '../../../shared/schemas/index.js'
import { nowIso } from '../../core/clock.js'
import type { Session } from '../../core/context.js'
import { commit } from '../../db/commit.js'
import { PoolSettingsEntity } from '../../db/entities/lifecycle.js'
import { versionConflict } from '../../db/records.js'
import { forgetSettings, heldSettings } from '../../core/settings-cache.js'
import { settingsSavedWrite } from '../directory/tenants.js'

/** 公海规则 of a tenant (defaults until an admin saves them): one item, `T#t#SET#pool`. */
export async function getPoolSettings(tenantId: string): Promise<PoolSettings & { version: number }> {
  const { Item } = await PoolSettingsEntity.build(GetItemCommand).key({ tenantId }).send()
  return { ...PoolSettings.parse(Item?.settings ?? {}), version: Item?.version ?? 0 }
}

/** The rules as a warm instance holds them (core/settings-cache.ts): what creates and edits apply. */
export const heldPoolSettings = (tenantId: string): Promise<PoolSettings & { version: number }> =>
  heldSettings(tenantId, 'pool', () => getPoolSettings(tenantId))

/** An admin saves the rules; `version` is the one they read (0 for the defaults). */
export async function putPoolSettings(
  session: Session,
  { version, ...settings }: PoolSettings & { version: number },
): Promise<PoolSettings & { version: number }> {
  const saved = { ...settings, version: version + 1 }
  await commit(
    [
      {
        action: PoolSettingsEntity.build(PutTransaction)
          .item({
            tenantId: session.tenantId,
            settings,
            updatedAt: nowIso(),
            updatedBy: session.userId,
            version: version + 1,
          })
          .options({
            condition: version === 0 ? { attr: 'version', exists: false } : { attr: 'version', eq: version },
          }),
        onConditionFail: versionConflict,
      },
      settingsSavedWrite(session.tenantId),
    ],
    saved,
  )
  forgetSettings(session.tenantId)
  return saved
}
