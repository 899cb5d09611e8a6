import { isConditionCheckFailed, UpdateItemCommand } from 'dynamodb-toolbox/entity/actions/update'
import { UpdateTransaction } from 'dynamodb-toolbox/entity/actions/transactUpdate'
import { $add } from 'dynamodb-toolbox/entity/actions/update/symbols'
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import type { Write } from '../../db/commit.js'
import { TENANT_REGISTRY, TenantEntity } from '../../db/entities/scheduler.js'
import { table } from '../../db/table.js'

/**
 * The tenant registry: how the scheduler finds every tenant without a scan. A tenant is registered by the
 * first login (and by a directory sync); registering again changes nothing, so it is safe in every login.
 */

export const DEFAULT_TIMEZONE = 'Asia/Shanghai'
export const DEFAULT_DAILY_AT = '08:00'

export interface Tenant {
  tenantId: string
  timezone: string
  dailyAt: string
  dailyRunOn?: string
}

/**
 * The registry item, as one write of the caller's transaction: an update of the registry keys only, so
 * it never fails on an existing tenant and keeps the tenant's settings (zone, daily time). A directory
 * write that changes someone's access bumps the tenant's directory version in the same update.
 */
export const tenantRegistryWrite = (tenantId: string, { directoryChanged = false } = {}): Write => ({
  action: TenantEntity.build(UpdateTransaction).item({
    tenantId,
    gsi1pk: TENANT_REGISTRY,
    gsi1sk: tenantId,
    // warm instances drop their cached sessions of the tenant when they see it move (sessions.ts)
    ...(directoryChanged && { directoryVersion: $add(1) }),
  }),
})

/**
 * The registry item's settings version bumped, as one write of a settings save's transaction: warm
 * instances drop their copies of the tenant's settings when they see it move (core/settings-cache.ts).
 */
export const settingsSavedWrite = (tenantId: string): Write => ({
  action: TenantEntity.build(UpdateTransaction).item({
    tenantId,
    gsi1pk: TENANT_REGISTRY,
    gsi1sk: tenantId,
    settingsVersion: $add(1),
  }),
})

/** Every registered tenant (gsi1 `SYS#TENANTS`, one Query per 1 000 tenants or so). */
export async function listTenants(): Promise<Tenant[]> {
  const tenants: Tenant[] = []
  let cursor: Record<string, unknown> | undefined
  do {
    const { Items = [], LastEvaluatedKey } = await table
      .build(QueryCommand)
      .entities(TenantEntity)
      .query({ index: 'gsi1', partition: TENANT_REGISTRY })
      .options({ exclusiveStartKey: cursor })
      .send()
    for (const item of Items) {
      tenants.push({
        tenantId: item.tenantId,
        timezone: item.timezone ?? DEFAULT_TIMEZONE,
        dailyAt: item.dailyAt ?? DEFAULT_DAILY_AT,
        dailyRunOn: item.dailyRunOn,
      })
    }
    cursor = LastEvaluatedKey
  } while (cursor)
  return tenants
}

/** Marks the tenant's daily jobs as run for `day`; false when another run already did (condition). */
export async function claimDailyRun(tenantId: string, day: string): Promise<boolean> {
  try {
    await TenantEntity.build(UpdateItemCommand)
      .item({ tenantId, dailyRunOn: day })
      .options({
        condition: {
          and: [
            { attr: 'gsi1pk', exists: true },
            {
              or: [
                { attr: 'dailyRunOn', exists: false },
                { attr: 'dailyRunOn', ne: day },
              ],
            },
          ],
        },
      })
      .send()
    return true
  } catch (error) {
    if (isConditionCheckFailed(error)) return false
    throw error
  }
}
