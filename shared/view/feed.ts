import type { ApiClient } from '../api/client.js'
import { h5Path, isCollection, miniPage, nounLabel } from '../nouns.js'
import type { Activity } from '../schemas/index.js'
import { formatDateTime } from './format.js'

/**
 * 工作台 动态 (`GET /api/feed`) as both apps show it: each activity as a row naming who did what, when
 * and on what kind of record, opening that record; 全部 or 我的 (the caller's own records); the states
 * a section of it passes through (loading, the rows, nothing yet, failed with 重试).
 */
export const FEED_TITLE = '工作台动态'
export const FEED_EMPTY = '还没有动态'
/** how many activities 工作台 shows before 「查看全部」 */
export const FEED_ON_HOME = 5

export interface FeedRow {
  /** `<recordType>/<recordId>/<activityId>`: unique per row, and says what it opens */
  id: string
  title: string
  brief: string
}

export const feedRow = (a: Activity): FeedRow => ({
  id: `${a.recordType}/${a.recordId}/${a.id}`,
  title: `${a.actorName} ${a.summary}`,
  brief: [formatDateTime(a.at), nounLabel(a.recordType)].join(' · '),
})

/** The record a row opens: its collection and id (undefined for a record type the apps do not know). */
function recordOf(rowId: string) {
  const [collection, recordId] = rowId.split('/')
  return isCollection(collection) && recordId ? { collection, recordId } : undefined
}

/** The mini-program page a row opens (`/pages/contract/detail?id=…`). */
export function feedMiniPage(rowId: string): string | undefined {
  const record = recordOf(rowId)
  return record && `/${miniPage(record.collection)}?id=${encodeURIComponent(record.recordId)}`
}

/** The H5 route a row opens (`/contracts/<id>`). */
export function feedH5Path(rowId: string): string | undefined {
  const record = recordOf(rowId)
  return record && h5Path(record.collection, record.recordId)
}

/** 全部 · 我的: the feed's scopes and the query each stands for. */
export const FEED_SCOPES = [
  { label: '全部', mine: false },
  { label: '我的', mine: true },
] as const

/** A section of the feed: loading, failed (with its message and 重试), or its rows (none: `FEED_EMPTY`). */
export type FeedSection =
  | { state: 'loading'; rows: FeedRow[]; error: '' }
  | { state: 'failed'; rows: FeedRow[]; error: string }
  | { state: 'ready' | 'empty'; rows: FeedRow[]; error: '' }

export const feedLoading = (): FeedSection => ({ state: 'loading', rows: [], error: '' })

/** The newest `limit` activities as a section; a failure is the section's, the page around it stands. */
export async function feedSection(
  api: ApiClient,
  { limit = FEED_ON_HOME, mine = false } = {},
  errorText: (error: unknown) => string = () => '动态加载失败',
): Promise<FeedSection> {
  try {
    const page = await api.feed.list({ limit, ...(mine && { mine: true }) })
    const rows = page.items.map(feedRow)
    return { state: rows.length ? 'ready' : 'empty', rows, error: '' }
  } catch (error) {
    return { state: 'failed', rows: [], error: errorText(error) }
  }
}
