import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut'
import { ulid } from 'ulid'
import type * as z from 'zod'
import type { DealSettings, DealSettingsRecord, Stage, StagesInput } from '../../../shared/schemas/index.js'
import { nowIso } from '../../core/clock.js'
import type { Session } from '../../core/context.js'
import { AppError, unprocessable } from '../../core/errors.js'
import { forgetSettings, heldSettings } from '../../core/settings-cache.js'
import { commit } from '../../db/commit.js'
import { DealSettingsEntity } from '../../db/entities/deals.js'
import { settingsSavedWrite } from '../directory/tenants.js'

/** A stage as stored: removed ones stay (archived) so old opportunities and their history still resolve. */
export type StoredStage = Stage & { archived?: boolean }

export interface StoredDealSettings extends DealSettings {
  stages: StoredStage[]
  version: number
}

/** API.md's defaults. The ids are stable strings: renaming or reordering never changes them. */
export const DEFAULT_STAGES: StoredStage[] = [
  { id: 's1', name: '初步沟通', probability: 10, order: 1, kind: 'open' },
  { id: 's2', name: '见面拜访', probability: 20, order: 2, kind: 'open' },
  { id: 's3', name: '确定意向', probability: 30, order: 3, kind: 'open' },
  { id: 's4', name: '商务谈判', probability: 90, order: 4, kind: 'open' },
  { id: 'won', name: '赢单', probability: 100, order: 5, kind: 'won' },
  { id: 'lost', name: '输单', probability: 0, order: 6, kind: 'lost' },
]

export async function readDealSettings(tenantId: string): Promise<StoredDealSettings> {
  const { Item } = await DealSettingsEntity.build(GetItemCommand)
    .key({ tenantId })
    .options({ consistent: true })
    .send()
  if (!Item) return { stages: DEFAULT_STAGES, allowOverpayment: false, version: 0 }
  return { stages: Item.stages, allowOverpayment: Item.allowOverpayment, version: Item.version }
}

/**
 * The stages and rules as a warm instance holds them (core/settings-cache.ts): what opportunity, contract
 * and payment writes and the reports apply. The settings pages read the item itself.
 */
export const heldDealSettings = (tenantId: string): Promise<StoredDealSettings> =>
  heldSettings(tenantId, 'deals', () => readDealSettings(tenantId))

const byOrder = (a: Stage, b: Stage) => a.order - b.order
export const activeStages = (settings: StoredDealSettings): Stage[] =>
  settings.stages
    .filter((s) => !s.archived)
    .sort(byOrder)
    .map(({ archived: _a, ...stage }) => stage)

/** A stage a record may move to: active. Any stage, archived too, still names old records. */
export function activeStage(settings: StoredDealSettings, stageId: string): Stage {
  const stage = activeStages(settings).find((s) => s.id === stageId)
  if (!stage) throw unprocessable('stage.not_found', '销售阶段不存在或已停用')
  return stage
}

const stale = () => new AppError(409, 'version.conflict', '设置已被他人修改，请刷新后重试')

/**
 * Writes the one settings item (stages and rules share it, so they share its version), conditioned on
 * the version read: a save that raced another answers 409 and writes nothing.
 */
async function save(
  session: Session,
  current: StoredDealSettings,
  next: Omit<StoredDealSettings, 'version'>,
) {
  const version = current.version + 1
  await commit([
    {
      action: DealSettingsEntity.build(PutTransaction)
        .item({
          tenantId: session.tenantId,
          ...next,
          updatedAt: nowIso(),
          updatedBy: session.userId,
          version,
        })
        .options({
          condition: current.version
            ? { attr: 'version', eq: current.version }
            : { attr: 'version', exists: false },
        }),
      onConditionFail: stale,
    },
    settingsSavedWrite(session.tenantId),
  ])
  forgetSettings(session.tenantId)
  return { ...next, version }
}

/**
 * Replaces the stage list. A stage sent with its id keeps it (rename, reorder, new probability); one
 * without an id is new; one left out is archived, not deleted. At least one open stage, exactly one won
 * and one lost stage. `expectedVersion` is the settings version the admin loaded (the HTTP `If-Match`);
 * left out (older clients), the save is checked only against the version just read.
 */
export async function putStages(
  session: Session,
  input: z.output<typeof StagesInput>,
  expectedVersion?: number,
): Promise<{ stages: Stage[]; version: number }> {
  const current = await readDealSettings(session.tenantId)
  if (expectedVersion !== undefined && expectedVersion !== current.version) throw stale()
  const known = new Map(current.stages.map((s) => [s.id, s]))
  for (const stage of input) {
    if (stage.id && !known.has(stage.id))
      throw unprocessable('stage.not_found', `销售阶段 ${stage.id} 不存在`)
  }
  const names = new Set(input.map((s) => s.name))
  if (names.size !== input.length) throw unprocessable('stage.invalid', '阶段名称不能重复')
  const count = (kind: Stage['kind']) => input.filter((s) => s.kind === kind).length
  if (count('open') < 1 || count('won') !== 1 || count('lost') !== 1) {
    throw unprocessable('stage.invalid', '至少需要一个进行中阶段，且赢单、输单阶段各一个')
  }
  const sent = input.map((s) => ({ ...s, id: s.id ?? ulid() }))
  const sentIds = new Set(sent.map((s) => s.id))
  const archived = current.stages.filter((s) => !sentIds.has(s.id)).map((s) => ({ ...s, archived: true }))
  const saved = await save(session, current, {
    stages: [...sent, ...archived],
    allowOverpayment: current.allowOverpayment,
  })
  return { stages: activeStages(saved), version: saved.version }
}

export async function getDealSettings(tenantId: string): Promise<DealSettingsRecord> {
  const { allowOverpayment, version } = await readDealSettings(tenantId)
  return { allowOverpayment, version }
}

/** Saves the rules; `version` is the one the admin read (a stage save since makes it stale too). */
export async function putDealSettings(
  session: Session,
  { version, ...input }: DealSettingsRecord,
): Promise<DealSettingsRecord> {
  const current = await readDealSettings(session.tenantId)
  if (version !== current.version) throw stale()
  const saved = await save(session, current, {
    stages: current.stages,
    allowOverpayment: input.allowOverpayment,
  })
  return { allowOverpayment: saved.allowOverpayment, version: saved.version }
}
