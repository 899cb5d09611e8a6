import { Entity } from 'dynamodb-toolbox/entity'
import { boolean } from 'dynamodb-toolbox/schema/boolean'
import { item } from 'dynamodb-toolbox/schema/item'
import { list } from 'dynamodb-toolbox/schema/list'
import { map } from 'dynamodb-toolbox/schema/map'
import { number } from 'dynamodb-toolbox/schema/number'
import { string } from 'dynamodb-toolbox/schema/string'
import { any } from 'dynamodb-toolbox/schema/any'
import { table } from '../table.js'
import { recordKey, tenantKey, TAG } from './record.js'

/**
 * 审批流程 (functions/db/README.md "Approvals"): the tenant's flows (one settings item), the approval
 * instances (`T#t#APR#<id>`) and, in each instance's item collection, one box entry per person and box
 * (`#TODO#<userId>`, `#DONE#<userId>`) that lists the instance in that person's 待我审批 / 我已审批
 * (gsi2 `T#t#APR#<BOX>#<userId>` → instance id, newest first). The instance itself is listed in its
 * submitter's 我发起的 (gsi2 `T#t#APR#MINE#<userId>`).
 */

const approver = map({
  type: string().enum('manager', 'deptLeader', 'users', 'role'),
  userIds: list(string()).optional(),
  deptId: string().optional(),
  role: string().enum('admin', 'manager', 'member').optional(),
})

export const ApprovalSettingsEntity = new Entity({
  name: 'approvalSettings',
  table,
  timestamps: false,
  schema: item({
    tenantId: string().key(),
    flows: list(
      map({
        id: string(),
        name: string(),
        collection: string(),
        on: string().enum('create', 'update'),
        condition: map({
          field: string(),
          op: string().enum('gte', 'lte', 'eq', 'in'),
          value: any(),
        }).optional(),
        steps: list(map({ approver, mode: string().enum('or', 'and') })),
        enabled: boolean(),
      }),
    ),
    updatedAt: string(),
    updatedBy: string(),
    version: number(),
  }),
  computeKey: ({ tenantId }: { tenantId: string }) => ({
    pk: tenantKey(tenantId, TAG.setting, 'approvals'),
    sk: '#',
  }),
})

export const ApprovalEntity = new Entity({
  name: 'approvals',
  table,
  timestamps: false,
  schema: item({
    tenantId: string().key(),
    id: string().key(),
    flowId: string(),
    flowName: string(),
    collection: string(),
    on: string().enum('create', 'update'),
    recordId: string(),
    recordName: string(),
    /** the customer whose 动态 shows the steps */
    customerId: string(),
    submitterId: string(),
    submitterName: string(),
    status: string().enum('pending', 'approved', 'rejected', 'withdrawn'),
    currentStep: number(),
    steps: list(
      map({
        approver,
        approverIds: list(string()),
        mode: string().enum('or', 'and'),
        status: string().enum('waiting', 'pending', 'approved', 'rejected', 'withdrawn'),
        decisions: list(
          map({
            userId: string(),
            decision: string().enum('approve', 'reject'),
            comment: string().optional(),
            at: string(),
          }),
        ),
      }),
    ),
    createdAt: string(),
    updatedAt: string(),
    decidedAt: string().optional(),
    version: number(),
    gsi1pk: string(),
    gsi1sk: string(),
    gsi2pk: string(),
    gsi2sk: string(),
  }),
  computeKey: recordKey(TAG.approval),
})

/** A person's box entry for an instance: 待我审批 (`TODO`) while it waits for them, 我已审批 (`DONE`) after. */
export const ApprovalBoxEntity = new Entity({
  name: 'approvalBoxes',
  table,
  timestamps: false,
  schema: item({
    tenantId: string().key(),
    approvalId: string().key(),
    box: string().enum('TODO', 'DONE').key(),
    userId: string().key(),
    collection: string(),
    gsi2pk: string(),
    gsi2sk: string(),
  }),
  computeKey: ({ tenantId, approvalId, box, userId }) => ({
    pk: tenantKey(tenantId, TAG.approval, approvalId),
    sk: `#${box}#${userId}`,
  }),
})
