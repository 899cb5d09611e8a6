import { isCollection, miniPage, nounLabel, type Collection } from '../nouns.js'
import type { SearchResult } from '../schemas/index.js'

/**
 * 全文检索, as both apps show it: what to type, when a query is too short, and each hit as a row (its
 * record type as a tag, why it matched) that opens the record's detail.
 */
export type SearchHit = SearchResult['items'][number]

export const SEARCH_PLACEHOLDER = '搜索客户、联系人、线索、商机、合同的名称或电话'

/** the API's own rule, said before a call is made */
export const searchProblem = (q: string): string | undefined =>
  q.trim().length < 2 ? '请至少输入 2 个字符' : undefined

export interface SearchRow {
  /** `customers/01J…`: unique across record types */
  key: string
  collection: Collection
  id: string
  title: string
  /** 客户, 联系人 … */
  tag: string
  brief: string
}

const reasonLabels: Record<SearchHit['reason'], string> = {
  name: '名称匹配',
  phone: '电话匹配',
  custom: '字段匹配',
}

export const searchRow = (hit: SearchHit): SearchRow => ({
  key: `${hit.collection}/${hit.id}`,
  collection: hit.collection as Collection,
  id: hit.id,
  title: hit.name,
  tag: nounLabel(hit.collection),
  brief: `${nounLabel(hit.collection)} · ${reasonLabels[hit.reason]}`,
})

/** The mini-program page a hit opens (`/pages/customer/detail?id=…`); undefined for an unknown type. */
export function searchHitPage(key: string): string | undefined {
  const slash = key.indexOf('/')
  const collection = key.slice(0, slash)
  if (slash < 0 || !isCollection(collection)) return undefined
  return `/${miniPage(collection)}?id=${encodeURIComponent(key.slice(slash + 1))}`
}
