import { Entity } from 'dynamodb-toolbox/entity'
import { any } from 'dynamodb-toolbox/schema/any'
import { boolean } from 'dynamodb-toolbox/schema/boolean'
import { item } from 'dynamodb-toolbox/schema/item'
import { list } from 'dynamodb-toolbox/schema/list'
import { map } from 'dynamodb-toolbox/schema/map'
import { number } from 'dynamodb-toolbox/schema/number'
import { string } from 'dynamodb-toolbox/schema/string'
import { table } from '../table.js'
import { approvalAttribute, recordAttributes, recordKey, tenantKey, TAG } from './record.js'

const location = map({ lat: number(), lng: number(), label: string().optional() })

/** 线索. Lists: gsi1 `T#t#LEAD` (all), gsi2 `T#t#LEAD#U#<assigneeId>` (a person's leads). */
export const LeadEntity = new Entity({
  name: 'leads',
  table,
  timestamps: false,
  schema: item({
    ...recordAttributes,
    title: string(),
    contactName: string().optional(),
    contactInfo: string().optional(),
    companyName: string().optional(),
    source: string().optional(),
    description: string().optional(),
    status: string().enum('new', 'following', 'converted', 'invalid'),
    assigneeId: string().optional(),
    deptId: string().optional(),
    result: string().optional(),
    feedback: string().optional(),
    convertedCustomerId: string().optional(),
  }),
  computeKey: recordKey(TAG.lead),
})

/**
 * 客户. Lists: gsi1 `T#t#CUS` (all), gsi2 `T#t#CUS#U#<ownerId>` or `T#t#CUS#POOL` (a person's customers,
 * the pool), gsi3 `T#t#CUS#D#<deptId>` (a department's). Its item collection `T#t#CUS#<id>` also holds
 * its activity (`ACT#`), comments (`CMT#`), likes (`LIKE#`) and recycle clocks (`#RECYCLE#`).
 */
export const CustomerEntity = new Entity({
  name: 'customers',
  table,
  timestamps: false,
  schema: item({
    ...recordAttributes,
    name: string(),
    category: string().enum('A', 'B', 'C', 'D').optional(),
    source: string().optional(),
    ownerId: string().optional(),
    collaboratorIds: list(string()).optional(),
    deptId: string().optional(),
    phone: string().optional(),
    address: string().optional(),
    location: location.optional(),
    industry: string().optional(),
    remark: string().optional(),
    lastFollowUpAt: string().optional(),
    /** fen */
    wonAmount: number(),
    lastWonAt: string().optional(),
    prevOwnerId: string().optional(),
    poolEnteredAt: string().optional(),
    releaseReason: string().optional(),
    /** when the current owner got it: the recycle clock starts here */
    ownedSince: string().optional(),
    /** when it was last claimed from the pool */
    claimedAt: string().optional(),
    primaryContactId: string().optional(),
    /** a source of a merge: the customer it went into (it then sits in the recycle bin) */
    mergedInto: string().optional(),
    /** opportunities in an open stage (kept by the opportunities' writes, ADD) */
    openOpportunities: number().optional(),
    /** its lists' second order (gsi1–3alt): `<lastFollowUpAt>#<id>` */
    altsk: string().optional(),
    approval: approvalAttribute,
  }),
  computeKey: recordKey(TAG.customer),
})

/** 联系人. gsi2 `T#t#CUS#<customerId>` → `CON#<id>`: the customer's tab. */
export const ContactEntity = new Entity({
  name: 'contacts',
  table,
  timestamps: false,
  schema: item({
    ...recordAttributes,
    customerId: string(),
    name: string(),
    gender: string().enum('male', 'female', 'unknown'),
    title: string().optional(),
    mobile: string().optional(),
    officePhone: string().optional(),
    email: string().optional(),
    isPrimary: boolean(),
    /** the creator's primary department, for managers' lists */
    deptId: string().optional(),
  }),
  computeKey: recordKey(TAG.contact),
})

/** 跟进. gsi2 `T#t#CUS#<customerId>` → `FUP#<id>`; gsi3 `T#t#FUP#U#<createdBy>` → id. */
export const FollowUpEntity = new Entity({
  name: 'followups',
  table,
  timestamps: false,
  schema: item({
    ...recordAttributes,
    customerId: string(),
    contactId: string().optional(),
    opportunityId: string().optional(),
    method: string().enum('phone', 'visit', 'dingtalk', 'wechat', 'email', 'other'),
    content: string(),
    followedAt: string(),
    location: location.optional(),
    nextFollowUpAt: string().optional(),
    deptId: string().optional(),
  }),
  computeKey: recordKey(TAG.followUp),
})

/**
 * An item kept alongside a record by the same writes, with explicit keys: search bigrams
 * (`T#t#SRCH#<bigram>`), normalized-name and phone entries, recycle clocks, activity, comments, likes.
 * Every key still starts with the tenant: the domain builds them with `tenantKey`.
 */
export const EntryEntity = new Entity({
  name: 'entries',
  table,
  timestamps: false,
  schema: item({
    pk: string().key(),
    sk: string().key(),
    tenantId: string(),
    kind: string(),
    recordType: string().optional(),
    recordId: string().optional(),
    customerId: string().optional(),
    name: string().optional(),
    norm: string().optional(),
    ownerId: string().optional(),
    deptId: string().optional(),
    collaboratorIds: list(string()).optional(),
    at: string().optional(),
    actorId: string().optional(),
    actorName: string().optional(),
    /** an activity's id (a ULID): the same on each timeline it is posted to and on its feed entries */
    activityId: string().optional(),
    /** an activity's audience (工作台 动态): the people and departments whose scope holds its record */
    userIds: list(string()).optional(),
    deptIds: list(string()).optional(),
    action: string().optional(),
    summary: string().optional(),
    content: string().optional(),
    /** a comment's @mentions */
    mentionIds: list(string()).optional(),
    changes: list(
      map({
        field: string(),
        from: any().optional(),
        to: any().optional(),
        fromName: string().optional(),
        toName: string().optional(),
      }),
    ).optional(),
    /** a merge in progress: its sources and field choices */
    sourceIds: list(string()).optional(),
    fields: any().optional(),
    status: string().optional(),
    /** a search entry's record's creator (who sees a lead or contact they created) */
    createdBy: string().optional(),
    /**
     * an opportunity's creation on its customer's timeline carries its first stage move (its stage; the
     * move's other attributes as a stage move's, for 商机推进's filters)
     */
    stageId: string().optional(),
    gsi1pk: string().optional(),
    gsi1sk: string().optional(),
    gsi2pk: string().optional(),
    gsi2sk: string().optional(),
    gsi3pk: string().optional(),
    gsi3sk: string().optional(),
  }),
})

/** 公海规则: one item per tenant (`T#t#SET#pool`); the fields are the PoolSettings schema's. */
export const PoolSettingsEntity = new Entity({
  name: 'poolSettings',
  table,
  timestamps: false,
  schema: item({
    tenantId: string().key(),
    settings: any(),
    updatedAt: string(),
    updatedBy: string(),
    version: number(),
  }),
  computeKey: ({ tenantId }: { tenantId: string }) => ({
    pk: tenantKey(tenantId, TAG.setting, 'pool'),
    sk: '#',
  }),
})
