/**
 * A detail page's action bar, the same in both apps: one primary button, the rest under 更多 (an
 * ActionSheet on a phone, a dropdown on a PC). Destructive actions come last in 更多 and are never the
 * primary; an action the caller may not take stays listed with its reason (a tap says why), after those
 * they may take. The apps render `primary` as the one filled button and `more` as the menu's items.
 */

/** What the bar needs of an action (a `RecordAction` from record-actions.ts, or an app's own). */
export interface BarAction {
  key: string
  label: string
  tone: 'primary' | 'default' | 'danger'
  /** the caller may see it but not take it: why */
  disabledReason?: string
}

export interface ActionBar<A extends BarAction> {
  /** the one filled button; none when the caller may take no action but destructive ones */
  primary?: A
  /** 更多: allowed first (in their order), then refused ones, then destructive ones */
  more: A[]
}

export interface ActionBarOptions {
  /**
   * actions the page shows elsewhere (商机's 推进 beside its stage steps): left out of the bar; when one
   * of them is the primary, the bar has none of its own (one filled button per page)
   */
  shownElsewhere?: readonly string[]
  /**
   * the primary when no action says it is one (编辑 by default): a record with only 编辑 and 删除
   * still gets one button to press
   */
  fallback?: readonly string[]
}

const allowed = (action: BarAction) => !action.disabledReason

/**
 * Orders actions into the bar: the primary is the first allowed action of tone `primary`, else the first
 * allowed of `fallback`, else the first allowed non-destructive one; everything else goes under 更多.
 */
export function actionBar<A extends BarAction>(
  actions: readonly A[],
  { shownElsewhere = [], fallback = ['edit'] }: ActionBarOptions = {},
): ActionBar<A> {
  const shown = actions.filter((a) => !shownElsewhere.includes(a.key))
  const safe = shown.filter((a) => a.tone !== 'danger' && allowed(a))
  const primaryElsewhere = actions.some((a) => shownElsewhere.includes(a.key) && a.tone === 'primary')
  const primary = primaryElsewhere
    ? undefined
    : (safe.find((a) => a.tone === 'primary') ??
      fallback.map((key) => safe.find((a) => a.key === key)).find(Boolean) ??
      safe[0])
  const rest = shown.filter((a) => a !== primary)
  const rank = (a: BarAction) => (a.tone === 'danger' ? 2 : allowed(a) ? 0 : 1)
  // Array.prototype.sort is stable: each group keeps the table's order
  const more = [...rest].sort((a, b) => rank(a) - rank(b))
  return { primary, more }
}

/** The label of 更多's item: a refused action says why beside its name. */
export const moreItemLabel = (action: BarAction): { label: string; note?: string } =>
  action.disabledReason ? { label: action.label, note: action.disabledReason } : { label: action.label }
