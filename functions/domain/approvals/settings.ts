import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut'
import { ulid } from 'ulid'
import type { ApprovalSettings, ApprovalSettingsInput, Flow } from '../../../shared/schemas/index.js'
import { nowIso } from '../../core/clock.js'
import type { Session } from '../../core/context.js'
import { AppError } from '../../core/errors.js'
import { commit } from '../../db/commit.js'
import { ApprovalSettingsEntity } from '../../db/entities/approvals.js'
import { DeptEntity, UserEntity } from '../../db/entities/directory.js'
import { TAG } from '../../db/entities/record.js'
import { type DirectoryDept, type DirectoryUser, listDirectory } from '../directory/sessions.js'
import { forgetSettings, heldSettings } from '../../core/settings-cache.js'
import { settingsSavedWrite } from '../directory/tenants.js'

/** 设置 → 审批流程: one versioned item per tenant with every flow (none until an admin saves some). */
export async function readApprovalSettings(tenantId: string): Promise<ApprovalSettings> {
  const { Item } = await ApprovalSettingsEntity.build(GetItemCommand)
    .key({ tenantId })
    .options({ consistent: true })
    .send()
  return { version: Item?.version ?? 0, flows: (Item?.flows ?? []) as Flow[] }
}

/** The flows as a warm instance holds them (core/settings-cache.ts): what the approval gate applies. */
export const heldApprovalSettings = (tenantId: string): Promise<ApprovalSettings> =>
  heldSettings(tenantId, 'approvals', () => readApprovalSettings(tenantId))

const stale = () => new AppError(409, 'version.conflict', '审批流程已被他人修改，请刷新后重试')

/** A 400 naming the field, as zod's would (the directory is what only the server can check). */
const invalid = (path: (string | number)[], message: string) =>
  new AppError(400, 'validation.failed', `${path.join('.')}: ${message}`, [{ path, message }])

/** The people and departments a flow names must exist in the directory (active people). */
async function checkNames(tenantId: string, flows: ApprovalSettingsInput['flows']) {
  const named = flows.some((f) => f.steps.some((s) => s.approver.userIds?.length || s.approver.deptId))
  if (!named) return
  const [users, depts] = await Promise.all([
    listDirectory<DirectoryUser>(UserEntity, TAG.user, tenantId),
    listDirectory<DirectoryDept>(DeptEntity, TAG.dept, tenantId),
  ])
  const active = new Set(users.filter((u) => u.active).map((u) => u.id))
  const deptIds = new Set(depts.map((d) => d.id))
  flows.forEach((flow, f) =>
    flow.steps.forEach(({ approver }, s) => {
      const at = ['flows', f, 'steps', s, 'approver']
      if (approver.type === 'users') {
        approver.userIds?.forEach((id, u) => {
          if (!active.has(id)) throw invalid([...at, 'userIds', u], `审批人 ${id} 不存在或已离职`)
        })
      }
      if (approver.type === 'deptLeader' && approver.deptId && !deptIds.has(approver.deptId))
        throw invalid([...at, 'deptId'], `部门 ${approver.deptId} 不存在`)
    }),
  )
}

/**
 * Saves the whole list of flows, conditioned on the version the admin read (409 when someone saved
 * since). A new flow gets its id; approvers are only what their type needs. Instances already started
 * keep the steps they started with.
 */
export async function putApprovalSettings(
  session: Session,
  input: ApprovalSettingsInput,
): Promise<ApprovalSettings> {
  const current = await readApprovalSettings(session.tenantId)
  if (input.version !== current.version) throw stale()
  await checkNames(session.tenantId, input.flows)
  const flows: Flow[] = input.flows.map((flow) => ({
    ...flow,
    id: flow.id ?? ulid(),
    steps: flow.steps.map(({ approver, mode }) => ({
      mode,
      approver: {
        type: approver.type,
        ...(approver.type === 'users' && { userIds: approver.userIds }),
        ...(approver.type === 'deptLeader' && { deptId: approver.deptId }),
        ...(approver.type === 'role' && { role: approver.role }),
      },
    })),
  }))
  const version = current.version + 1
  await commit([
    {
      action: ApprovalSettingsEntity.build(PutTransaction)
        .item({ tenantId: session.tenantId, flows, updatedAt: nowIso(), updatedBy: session.userId, version })
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
  return { version, flows }
}
