import type { ApiClient } from '../api/client.js'
import type { Opportunity, Stage } from '../schemas/index.js'
import { formatMoney } from './format.js'

/**
 * 商机看板: a column per sales stage (in the admin's order) with its opportunities, their count and amount;
 * a card dropped on another column moves the opportunity through the stage verb (`POST /stage`), so the
 * rules, history and counters are those of 推进. Each column is its own list query (`?stageId=`), paged.
 */
export interface BoardColumn {
  stage: Stage
  items: Opportunity[]
  /** the next page of this column, if any: its count and amount are then "at least" */
  cursor: string | null
  loaded: boolean
  failed?: string
}

/** what narrows every column (the list's filters) */
export interface BoardFilter {
  q?: string
  ownerId?: string
  importance?: 'high' | 'medium' | 'low'
}

export const BOARD_PAGE = 20

export const boardColumns = (stages: Stage[]): BoardColumn[] =>
  [...stages]
    .sort((a, b) => a.order - b.order)
    .map((stage) => ({ stage, items: [], cursor: null, loaded: false }))

export async function loadColumn(
  api: ApiClient,
  column: BoardColumn,
  filter: BoardFilter,
  cursor?: string,
): Promise<BoardColumn> {
  const page = await api.opportunities.list({
    ...filter,
    stageId: column.stage.id,
    limit: BOARD_PAGE,
    cursor,
  })
  return {
    ...column,
    items: cursor ? [...column.items, ...page.items] : page.items,
    cursor: page.nextCursor,
    loaded: true,
    failed: undefined,
  }
}

/** The column's head: "3 个 · ¥1,200.00", or "20+ 个 · ≥ ¥…" while more pages are unread. */
export function columnSummary(column: BoardColumn): { count: string; amount: string } {
  const more = column.cursor !== null
  const amount = column.items.reduce((sum, o) => sum + (o.amount ?? 0), 0)
  return {
    count: `${column.items.length}${more ? '+' : ''} 个`,
    amount: `${more ? '≥ ' : ''}${formatMoney(amount)}`,
  }
}

/** A move to a lost stage asks why (the API refuses it without a reason). */
export const needsLostReason = (stage: Stage, opportunity: Opportunity): boolean =>
  stage.kind === 'lost' && !opportunity.lostReason

/** The board after a successful move: the card leaves its column and heads the target's. */
export function moveCard(columns: BoardColumn[], moved: Opportunity): BoardColumn[] {
  return columns.map((column) => {
    const rest = column.items.filter((o) => o.id !== moved.id)
    return column.stage.id === moved.stageId
      ? { ...column, items: [moved, ...rest] }
      : { ...column, items: rest }
  })
}
