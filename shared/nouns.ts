/**
 * The record types of the CRM, declared once: the backend (card links, labels in messages, the recycle
 * bin), the API contract and both apps (modules, pages, record pickers) read them from here instead of
 * spelling the list out again.
 */

/**
 * Who sees a record (API.md "Roles and data scope"):
 * - `owner`: its owner and collaborators, the managers of the owner's department, admins; ownerless = 公海
 * - `assignee`: a lead's assignee, the managers of their department, admins
 * - `customer`: whoever sees the customer it belongs to (contacts, follow-ups)
 * - `contract`: whoever sees the contract it belongs to (plans, payments, invoices)
 * - `participants`: a reminder's creator and assignees, admins
 * - `subject`: a target of the caller, of a department they manage; admins all
 * - `everyone`: the catalogue (products, competitors)
 */
export type ScopeRule =
  'owner' | 'assignee' | 'customer' | 'contract' | 'participants' | 'subject' | 'everyone'

export interface Noun {
  /** what users call it (客户) */
  label: string
  /**
   * one record's name in code and pages: the mini-program's page folder (`pages/<one>/detail`) and the
   * `recordType` of reminders and messages
   */
  one: string
  scope: ScopeRule
  /** 评论 and 赞 (`/api/<collection>/{id}/comments`, `/likes`) */
  social: boolean
  /** 动态 (`/api/<collection>/{id}/timeline`) */
  timeline: boolean
}

const noun = (label: string, one: string, scope: ScopeRule, has: { social?: true; timeline?: true } = {}) =>
  ({ label, one, scope, social: !!has.social, timeline: !!has.timeline }) satisfies Noun

/** every business record has 动态, 评论 and 赞 (API.md "The whole record everywhere") */
const social = { social: true, timeline: true } as const

/** Keyed by the collection's URL name: `/api/<collection>`, the H5 route, the recycle bin's `collection`. */
export const nouns = {
  leads: noun('线索', 'lead', 'assignee', social),
  customers: noun('客户', 'customer', 'owner', social),
  contacts: noun('联系人', 'contact', 'customer', social),
  followups: noun('跟进记录', 'followup', 'customer', social),
  opportunities: noun('商机', 'opportunity', 'owner', social),
  contracts: noun('合同', 'contract', 'owner', social),
  'payment-plans': noun('回款计划', 'payment-plan', 'contract', social),
  payments: noun('回款', 'payment', 'contract', social),
  invoices: noun('发票', 'invoice', 'contract', social),
  targets: noun('销售目标', 'target', 'subject', social),
  reminders: noun('任务提醒', 'reminder', 'participants'),
  products: noun('产品', 'product', 'everyone'),
  competitors: noun('竞争对手', 'competitor', 'everyone'),
} as const satisfies Record<string, Noun>

export type Collection = keyof typeof nouns
export const collections = Object.keys(nouns) as Collection[]

export const isCollection = (name: string): name is Collection => Object.hasOwn(nouns, name)

/** The collection whose records are called `one` (`'payment-plan'` → `'payment-plans'`). */
export const collectionOf = (one: string): Collection | undefined =>
  collections.find((collection) => nouns[collection].one === one)

/** A collection's label, or the name itself for one the registry does not know. */
export const nounLabel = (collection: string): string =>
  isCollection(collection) ? nouns[collection].label : collection

/**
 * What users call a thing an error names by its code's first part (`customer`, `payment_plan`,
 * `opportunities`): the record noun's label (客户, 回款计划), or the name itself for one it does not know.
 */
export const thingLabel = (thing: string): string => {
  const one = thing.replace(/_/g, '-')
  const collection = isCollection(one) ? one : collectionOf(one)
  return collection ? nouns[collection].label : (THINGS[thing] ?? thing)
}
/** things that are not records, named in errors */
const THINGS: Record<string, string> = { user: '用户', dept: '部门', outbox: '消息', collection: '数据类型' }

/** A mini-program page of a record type (`pages/customer/detail`), the path DingTalk cards open. */
export const miniPage = (collection: Collection, page: 'list' | 'detail' | 'form' = 'detail') =>
  `pages/${nouns[collection].one}/${page}`

/** What a DingTalk card opens: the record's detail page in the mini-program. */
export const recordLink = (collection: Collection, id: string, query: Record<string, string> = {}) => ({
  page: miniPage(collection),
  query: { id, ...query },
})

/** The H5 app's route of a list or of one record (`/customers`, `/customers/<id>`). */
export const h5Path = (collection: Collection, id?: string) =>
  id === undefined ? `/${collection}` : `/${collection}/${encodeURIComponent(id)}`
