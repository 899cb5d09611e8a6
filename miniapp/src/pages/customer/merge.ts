import type { Customer } from '../../../../shared/schemas/index.js'
import {
  MERGE_MAX_SOURCES,
  mergeChoices,
  mergeConfirmText,
  mergeCustomChoices,
  mergeInput,
  mergeValueText,
  type MergeChoosable,
} from '../../../../shared/view/merge.js'
import type { RecordView } from '../../../../shared/view/record-view.js'
import { recordViews } from '../../../../shared/view/registry.js'
import { api } from '../../api/session.js'
import { ddApi, definePage, type PageInstance } from '../../host.js'
import { errorText } from '../../lib/errors.js'
import { viewWithFields } from '../../lib/fields.js'
import { loadNames, nameOf } from '../../lib/names.js'
import { confirmAction, toast } from '../../lib/pickers.js'
import { markStale } from '../../lib/stale.js'

/** A customer as a row here: its name, its category and phone, whether it is picked. */
interface Candidate {
  id: string
  title: string
  brief: string
  picked: boolean
}

interface ChoiceRow {
  /** a built-in field, or `custom.<key>` for a custom one (字段管理) */
  field: MergeChoosable | `custom.${string}`
  label: string
  options: { id: string; text: string; on: boolean }[]
}

interface MergeData {
  id: string
  target: Candidate | null
  /** the customers to merge in (picked), then the others the search found */
  candidates: Candidate[]
  /** 可能重复 (查重 of the kept customer's name) until the user searches */
  searched: boolean
  q: string
  picked: number
  choices: ChoiceRow[]
  loading: boolean
  searching: boolean
  merging: boolean
  error: string
}
type MergeThis = PageInstance<MergeData>

const briefOf = (c: Customer) => [mergeValueText(c, 'category'), c.phone].filter(Boolean).join(' · ')

// the page's customers by id and the choices made, per page instance (not template data)
interface State {
  target?: Customer
  known: Map<string, Customer>
  sources: Customer[]
  chosen: Partial<Record<MergeChoosable, string>>
  /** custom key → whose value stays */
  customChosen: Record<string, string>
}
const states = new WeakMap<object, State>()
const stateOf = (page: MergeThis): State => {
  let state = states.get(page)
  if (!state) states.set(page, (state = { known: new Map(), sources: [], chosen: {}, customChosen: {} }))
  return state
}

const CUSTOM = 'custom.'
/** the customer view with the tenant's fields (字段管理), as the form and detail show them */
const customerView = () => viewWithFields(recordViews.customers as unknown as RecordView)

/** Redraws the picked customers, the found ones and the fields to choose from. */
function show(page: MergeThis, found: Customer[]) {
  const { target, sources, chosen, customChosen, known } = stateOf(page)
  if (!target) return
  for (const c of found) known.set(c.id, c)
  const pickedIds = new Set(sources.map((s) => s.id))
  const row = (c: Customer): Candidate => ({
    id: c.id,
    title: c.name,
    brief: briefOf(c),
    picked: pickedIds.has(c.id),
  })
  const others = found.filter((c) => c.id !== target.id && !pickedIds.has(c.id))
  page.setData({
    candidates: [...sources.map(row), ...others.map(row)],
    picked: sources.length,
    choices: [
      ...mergeChoices(target, sources).map((choice) => ({
        field: choice.field,
        label: choice.label,
        options: choice.options.map((o) => ({ ...o, on: (chosen[choice.field] ?? target.id) === o.id })),
      })),
      ...mergeCustomChoices(target, sources, customerView().fields, nameOf).map((choice) => ({
        field: `${CUSTOM}${choice.key}` as const,
        label: choice.label,
        options: choice.options.map((o) => ({ ...o, on: (customChosen[choice.key] ?? target.id) === o.id })),
      })),
    ],
  })
}

/** the names custom fields hold (人员, 部门), so their values read as names */
const withNames = async (customers: Customer[]) => {
  const { fields } = customerView()
  await Promise.all(customers.map((c) => loadNames(fields, c as unknown as Record<string, unknown>)))
  return customers
}

async function load(page: MergeThis) {
  page.setData({ loading: true, error: '' })
  try {
    const target = await api().customers.get(page.data.id)
    const state = stateOf(page)
    state.target = target
    page.setData({ target: { id: target.id, title: target.name, brief: briefOf(target), picked: false } })
    // 查重 of its own name suggests the likely duplicates first
    const hits = await api()
      .customers.duplicates({ name: target.name })
      .catch(() => ({ items: [] }))
    const found = await Promise.all(
      hits.items
        .filter((h) => h.id !== target.id)
        .slice(0, MERGE_MAX_SOURCES)
        .map((h) =>
          api()
            .customers.get(h.id)
            .catch(() => undefined),
        ),
    )
    const customers = await withNames([target, ...found.filter((c): c is Customer => Boolean(c))])
    page.setData({ loading: false })
    show(page, customers.slice(1))
  } catch (error) {
    page.setData({ loading: false, error: errorText(error) })
  }
}

/**
 * 客户合并 (from a customer's 更多): this customer stays; those picked here merge into it (their contacts,
 * follow-ups, deals... move over) and go to the recycle bin. For each field that differs, the user picks
 * whose value stays (this customer's by default), the tenant's custom fields (字段管理) too. The logic:
 * shared/view/merge.ts, as the H5 page's.
 */
definePage({
  data: {
    id: '',
    target: null,
    candidates: [],
    searched: false,
    q: '',
    picked: 0,
    choices: [],
    loading: false,
    searching: false,
    merging: false,
    error: '',
  } as MergeData,
  onLoad(query: { id?: string } = {}) {
    if (!query.id) return this.setData({ error: '没有指定要保留的客户' })
    this.setData({ id: decodeURIComponent(query.id) })
    return load(this)
  },
  onRetry() {
    return load(this)
  },
  onSearchInput(event: { detail: { value: string } }) {
    this.setData({ q: event.detail.value })
  },
  /** 搜索: customers by name (the caller's scope), to pick from */
  async onSearch() {
    this.setData({ searching: true })
    try {
      const { items } = await api().customers.list({ q: this.data.q.trim() || undefined, limit: 20 })
      this.setData({ searching: false, searched: true })
      show(this, await withNames(items))
    } catch (error) {
      this.setData({ searching: false })
      toast(errorText(error), 'fail')
    }
  },
  /** a candidate tapped: picked or put back */
  onCandidateTap(event: { currentTarget: { dataset: { id: string } } }) {
    const state = stateOf(this)
    const { id } = event.currentTarget.dataset
    const customer = state.known.get(id)
    if (!customer) return
    if (state.sources.some((s) => s.id === id)) {
      state.sources = state.sources.filter((s) => s.id !== id)
      for (const [field, from] of Object.entries(state.chosen))
        if (from === id) delete state.chosen[field as MergeChoosable]
      for (const [key, from] of Object.entries(state.customChosen))
        if (from === id) delete state.customChosen[key]
    } else if (state.sources.length >= MERGE_MAX_SOURCES) {
      return toast(`一次最多合并 ${MERGE_MAX_SOURCES} 个客户`)
    } else state.sources = [...state.sources, customer]
    const rest = this.data.candidates.flatMap((c) => {
      const known = state.known.get(c.id)
      return known ? [known] : []
    })
    show(this, rest)
  },
  /** whose value of a field stays */
  onChoiceTap(event: { currentTarget: { dataset: { field: ChoiceRow['field']; id: string } } }) {
    const { field, id } = event.currentTarget.dataset
    const state = stateOf(this)
    if (field.startsWith(CUSTOM))
      state.customChosen = { ...state.customChosen, [field.slice(CUSTOM.length)]: id }
    else state.chosen = { ...state.chosen, [field]: id }
    show(
      this,
      this.data.candidates.flatMap((c) => state.known.get(c.id) ?? []),
    )
  },
  async onMerge() {
    const { target, sources, chosen, customChosen } = stateOf(this)
    if (!target || !sources.length || this.data.merging) return
    if (!(await confirmAction('确认合并客户', mergeConfirmText(target, sources), '合并'))) return
    this.setData({ merging: true })
    try {
      const result = await api().customers.merge(mergeInput(target, sources, chosen, customChosen))
      markStale('customers')
      markStale('pool')
      markStale(`customers:${target.id}`)
      toast(`已合并 ${result.mergedIds.length} 个客户`, 'success')
      ddApi().navigateBack()
    } catch (error) {
      toast(errorText(error), 'fail')
    } finally {
      this.setData({ merging: false })
    }
  },
})
