import * as z from 'zod'
import {
  AttachmentIds,
  CustomValues,
  DateOnly,
  Id,
  ListQuery,
  Money,
  Phone,
  QueryBoolean,
  RecordMeta,
  Timestamp,
} from './common.js'
import { RecordApproval } from './approvals.js'

/**
 * 线索 / 公海 / 客户 / 联系人 / 跟进 (API.md "Customer lifecycle"). Inputs are what clients send; the
 * records add RecordMeta. Optional links travel as `null` on the wire and are absent inside
 * (`NullableId`), the way Money travels as yuan and is fen inside.
 */

/** An id that is `null` on the wire when empty and absent inside (input fields add `.optional()`). */
export const NullableId = z.codec(Id.nullable(), Id.optional(), {
  decode: (id) => id ?? undefined,
  encode: (id) => id ?? null,
})
/**
 * A record field: a stored item simply lacks an empty attribute; the default makes the encoder visit the
 * missing key all the same, so the wire says `null` (or `[]`) — and OpenAPI shows it. (Decoding a record
 * on the client then gives `null` for an empty link; treat it as absent.) Typed as the codec.
 */
const onRecord = <T extends z.ZodType>(codec: T, empty: null | []): T =>
  codec.default(empty as never) as unknown as T
const RecordId = onRecord(NullableId, null)
const RecordTimestamp = onRecord(
  z.codec(Timestamp.nullable(), Timestamp.optional(), {
    decode: (t) => t ?? undefined,
    encode: (t) => t ?? null,
  }),
  null,
)
const IdList = onRecord(
  z.codec(z.array(Id).max(20), z.array(Id).optional(), {
    decode: (ids) => ids,
    encode: (ids) => ids ?? [],
  }),
  [],
)
const Text = (max: number) => z.string().trim().max(max)
const Query = z.string().trim().min(1).max(50)

export const Location = z.strictObject({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  label: Text(200).optional(),
})

// ---------------------------------------------------------------- 线索
export const LeadStatus = z.enum(['new', 'following', 'converted', 'invalid'])
export const LeadInput = z.strictObject({
  title: Text(100).min(1, '请填写线索名称'),
  contactName: Text(50).optional(),
  /** a phone when it looks like one (then stored as digits), else free text (WeChat id, email...) */
  contactInfo: Text(100).optional(),
  companyName: Text(100).optional(),
  source: Text(50).optional(),
  description: Text(2000).optional(),
  status: z.enum(['new', 'following']).default('new'),
  assigneeId: NullableId.optional(),
  /** 跟进结果 (the assignee keeps it; each change is in the lead's 动态) */
  result: Text(500).optional(),
  /** 跟进反馈信息 */
  feedback: Text(2000).optional(),
  custom: CustomValues.optional(),
})
export const Lead = RecordMeta.extend({
  ...LeadInput.shape,
  status: LeadStatus,
  assigneeId: RecordId,
  deptId: RecordId,
  convertedCustomerId: RecordId,
})
export type Lead = z.infer<typeof Lead>
export const LeadFilter = ListQuery.extend({
  status: LeadStatus.optional(),
  /** true: still to work on (new, following); false: closed (converted, invalid) */
  open: QueryBoolean.optional(),
  assigneeId: Id.optional(),
  q: Query.optional(),
  createdFrom: DateOnly.optional(),
  createdTo: DateOnly.optional(),
})
/** A lead as created, with likely duplicates among leads and customers (same phone or company). */
export const DuplicateHint = z.object({
  collection: z.enum(['leads', 'customers']),
  id: Id,
  name: z.string(),
  ownerId: Id.nullable(),
  reason: z.enum(['same_name', 'name_contains', 'same_phone']),
})
export type DuplicateHint = z.infer<typeof DuplicateHint>
export const LeadCreated = Lead.extend({ duplicateHints: z.array(DuplicateHint) })
export const LeadAssignInput = z.strictObject({ assigneeId: Id })
export const LeadInvalidInput = z.strictObject({ reason: Text(500).min(1, '请填写无效原因') })

// ---------------------------------------------------------------- 客户
export const Category = z.enum(['A', 'B', 'C', 'D'])
export type Category = z.infer<typeof Category>
export const CustomerInput = z.strictObject({
  name: Text(100).min(1, '请填写客户名称'),
  category: Category.optional(),
  source: Text(50).optional(),
  /** managers and admins may name the owner; a member's customer is theirs */
  ownerId: NullableId.optional(),
  collaboratorIds: z.array(Id).max(20).optional(),
  phone: Phone.optional(),
  address: Text(200).optional(),
  location: Location.optional(),
  industry: Text(50).optional(),
  remark: Text(2000).optional(),
  attachments: AttachmentIds.optional(),
  custom: CustomValues.optional(),
})
export const Customer = RecordMeta.extend({
  ...CustomerInput.shape,
  ownerId: RecordId,
  collaboratorIds: IdList,
  deptId: RecordId,
  /** digits only (as stored) */
  phone: z.string().optional(),
  lastFollowUpAt: RecordTimestamp,
  wonAmount: Money,
  prevOwnerId: RecordId,
  poolEnteredAt: RecordTimestamp,
  releaseReason: z.string().optional(),
  primaryContactId: RecordId,
  /** 审批: while pending the customer may not be edited (422 `approval.pending`) */
  approval: RecordApproval.optional(),
})
export type Customer = z.infer<typeof Customer>
export const CustomerFilter = ListQuery.extend({
  q: Query.optional(),
  category: Category.optional(),
  source: Text(50).optional(),
  ownerId: Id.optional(),
  deptId: Id.optional(),
  lastFollowUpFrom: DateOnly.optional(),
  lastFollowUpTo: DateOnly.optional(),
  /** 我协助的: customers the caller assists on (other filters do not apply) */
  collaborating: QueryBoolean.optional(),
  /** newest first by creation, or most recently followed up first (never followed up last) */
  sort: z.enum(['createdAt', 'lastFollowUpAt']).default('createdAt'),
})
/** A list page of customers with the kept count of its partition ("共有 N 条记录"; null when filtered). */
export const CustomerPage = z.object({
  items: z.array(Customer),
  nextCursor: z.string().nullable(),
  total: z.int().nullable(),
})
/** PATCH fields: the owner and collaborators change only through their verbs (claim, assign...). */
export const CustomerUpdate = CustomerInput.omit({ ownerId: true, collaboratorIds: true })
export const ReleaseInput = z.strictObject({ reason: Text(500).min(1, '请填写退回公海的原因') })
export const AssignInput = z.strictObject({ ownerId: Id })
export const CategoryInput = z.strictObject({ category: Category })
export const CollaboratorsInput = z.strictObject({ collaboratorIds: z.array(Id).max(20) })

/** 客户合并: for each field, the customer (target or a source) whose value the target keeps. */
export const MergeField = z.enum([
  'name',
  'category',
  'source',
  'phone',
  'address',
  'location',
  'industry',
  'remark',
])
export const MergeInput = z.strictObject({
  targetId: Id,
  sourceIds: z.array(Id).min(1).max(10),
  fields: z.partialRecord(MergeField, Id).default({}),
  /** 自定义字段: for each custom field, the customer whose value the target keeps */
  custom: z.record(z.string().regex(/^cf_[a-z0-9]{4,16}$/), Id).optional(),
})
export const MergeResult = z.object({
  target: Customer,
  moved: z.int(),
  mergedIds: z.array(Id),
})

export const ConvertInput = z.strictObject({
  customer: CustomerInput.partial().optional(),
  contact: z
    .strictObject({
      name: Text(50).min(1).optional(),
      mobile: Phone.optional(),
      title: Text(50).optional(),
    })
    .optional(),
})
export const ConvertResult = z.object({ customerId: Id, contactId: Id })

export const DuplicateFilter = z
  .strictObject({ name: Text(100).min(1).optional(), phone: Phone.optional() })
  .refine((q) => q.name || q.phone, '请提供 name 或 phone')
export const Duplicates = z.object({ items: z.array(DuplicateHint.omit({ collection: true })) })

// ---------------------------------------------------------------- 联系人
export const Gender = z.enum(['male', 'female', 'unknown'])
export const ContactInput = z.strictObject({
  customerId: Id,
  name: Text(50).min(1, '请填写联系人姓名'),
  gender: Gender.default('unknown'),
  title: Text(50).optional(),
  mobile: Phone.optional(),
  officePhone: Phone.optional(),
  email: z.email('邮箱格式不正确').max(100).optional(),
  isPrimary: z.boolean().default(false),
  custom: CustomValues.optional(),
})
export const Contact = RecordMeta.extend({
  ...ContactInput.shape,
  mobile: z.string().optional(),
  officePhone: z.string().optional(),
})
export type Contact = z.infer<typeof Contact>
export const ContactFilter = ListQuery.extend({ customerId: Id.optional(), q: Query.optional() })

// ---------------------------------------------------------------- 跟进
export const FollowUpMethod = z.enum(['phone', 'visit', 'dingtalk', 'wechat', 'email', 'other'])
export const FollowUpInput = z.strictObject({
  customerId: Id,
  contactId: NullableId.optional(),
  opportunityId: NullableId.optional(),
  method: FollowUpMethod,
  content: Text(5000).min(1, '请填写跟进内容'),
  followedAt: Timestamp,
  location: Location.optional(),
  nextFollowUpAt: Timestamp.optional(),
  attachments: AttachmentIds.optional(),
  custom: CustomValues.optional(),
})
export const FollowUp = RecordMeta.extend({
  ...FollowUpInput.shape,
  contactId: RecordId,
  opportunityId: RecordId,
})
export type FollowUp = z.infer<typeof FollowUp>
export const FollowUpFilter = ListQuery.extend({
  customerId: Id.optional(),
  /** part of the content */
  q: Query.optional(),
  method: FollowUpMethod.optional(),
  followedFrom: DateOnly.optional(),
  followedTo: DateOnly.optional(),
})

// ---------------------------------------------------------------- 公海规则
const Days = z.int().min(1).max(3650)
export const RecycleRule = z.strictObject({
  /** back to the pool after this many days without a follow-up */
  noFollowUpDays: Days.nullable().default(null),
  /** back to the pool after this many days without a won deal */
  noWonDays: Days.nullable().default(null),
})
export const PoolSettings = z.object({
  /** claims per person per day (null = no limit) */
  dailyClaimLimit: z.int().min(1).max(1000).nullable().default(null),
  /** customers a person may own (null = no cap) */
  holdingCap: z.int().min(1).max(100000).nullable().default(null),
  /** closed-won customers (`wonAmount > 0`) do not count against the holding cap */
  holdingCapExcludesWon: z.boolean().default(false),
  /** no two live customers with the same normalized name (create or rename → 409 `customer.duplicate`) */
  uniqueCustomerNames: z.boolean().default(false),
  /** members see pool customers' phone numbers masked (`138****5678`) until they claim them */
  maskPoolPhones: z.boolean().default(false),
  /** days before the previous owner may claim a released customer back */
  cooldownDays: z.int().min(0).max(365).default(0),
  /** auto-recycle per category (`none` = customers without a category) */
  recycle: z
    .strictObject({ A: RecycleRule, B: RecycleRule, C: RecycleRule, D: RecycleRule, none: RecycleRule })
    .partial()
    .default({}),
  /** customers with an open opportunity are not recycled (the customer keeps the count) */
  exemptOpenOpportunity: z.boolean().default(true),
  /** warn the owner this many days before a customer is recycled (the scheduler's daily job; 0 = no warning) */
  warnDays: z.int().min(0).max(30).default(3),
})
export type PoolSettings = z.infer<typeof PoolSettings>
export const PoolSettingsRecord = PoolSettings.extend({ version: z.int().min(0) })
export const PoolSettingsInput = PoolSettings.extend({ version: z.int().min(0) }).strict()

// ---------------------------------------------------------------- 动态 / 评论 / 赞 / 检索
export const Activity = z.object({
  id: Id,
  recordType: z.string(),
  recordId: Id,
  /** created · updated · deleted · restored · assigned · claimed · released · converted · followed_up · commented · liked · ... */
  action: z.string(),
  summary: z.string(),
  changes: z
    .array(
      z.object({
        field: z.string(),
        from: z.unknown().optional(),
        to: z.unknown().optional(),
        /** a person or department field: the names of `from` / `to` (names, not ids) */
        fromName: z.string().optional(),
        toName: z.string().optional(),
      }),
    )
    .optional(),
  actorId: Id,
  /** who did it, by name (王靓依, not sales1) */
  actorName: z.string(),
  at: Timestamp,
})
export type Activity = z.infer<typeof Activity>
export const TimelineQuery = ListQuery
/** 工作台 动态: the newest entries across what the caller may see; `mine`: only my records' */
export const FeedQuery = ListQuery.extend({ mine: QueryBoolean.optional() })

export const CommentInput = z.strictObject({
  content: Text(2000).min(1, '请填写评论内容'),
  /** @ these people: each gets a DingTalk card linking to the record (each must be able to see it) */
  mentionIds: z.array(Id).max(20, '一次最多 @ 20 人').optional(),
})
export const Comment = z.object({
  id: Id,
  recordType: z.string(),
  recordId: Id,
  content: z.string(),
  mentionIds: z.array(Id).optional(),
  createdBy: Id,
  createdAt: Timestamp,
})
export type Comment = z.infer<typeof Comment>
export const Likes = z.object({ count: z.int(), likedByMe: z.boolean() })

export const SearchQuery = z.strictObject({
  q: z.string().trim().min(2, '请至少输入 2 个字符').max(50),
  limit: z.coerce.number().int().min(1).max(50).default(20),
})
export const SearchHit = z.object({
  collection: z.enum(['customers', 'contacts', 'leads', 'opportunities', 'contracts']),
  id: Id,
  name: z.string(),
  customerId: Id.nullable(),
  /** custom: the text of a custom field the tenant marks searchable (字段管理) */
  reason: z.enum(['name', 'phone', 'custom']),
})
export const SearchResult = z.object({ items: z.array(SearchHit) })
export type SearchResult = z.infer<typeof SearchResult>
