import { activityActionLabels, labelOf } from '../../../shared/view/labels.js'
import type { SocialCollection } from '../../../shared/contract/index.js'
import { formatCount, formatDateTime } from '../../../shared/view/format.js'
import { valueOf } from '../../../shared/view/custom-fields.js'
import { pickAttachments, viewWithFields } from './fields.js'
import {
  clearedFields,
  displayValue,
  type FormValue,
  type FormValues,
  type RecordView,
  rowRefFields,
} from '../../../shared/view/record-view.js'
import { isCollection, miniPage } from '../../../shared/nouns.js'
import type { RecordApproval } from '../../../shared/schemas/index.js'
import { approvalBadge } from '../../../shared/view/approvals.js'
import {
  recordActions,
  type ActionInput,
  type Ask,
  type Choice,
  type Destination,
  type RecordAction,
  viewerOf,
} from '../../../shared/view/record-actions.js'
import { actionBar } from '../../../shared/view/actions.js'
import { listPresets, type ViewCollection } from '../../../shared/view/registry.js'
import { mayCreate } from '../../../shared/view/clients.js'
import { api, currentUser } from '../api/session.js'
import { config } from '../config.js'
import { ddApi, type PageInstance } from '../host.js'
import { moduleOf } from '../modules/registry.js'
import { rowOf, type AnyRecord, type RecordModule, type RowView } from '../modules/types.js'
import { errorText } from './errors.js'
import { readForm, refusedForm, formState, valuesOf, withValue, type FormFieldView } from './form.js'
import { listPage, type ListActions, type ListSource, type ListThis, type ListTool } from './list-page.js'
import { exportList } from './data-tools.js'
import { importTargets, isExportable } from '../../../shared/view/data-tools.js'
import { choicesFor, loadNames, nameOf } from './names.js'
import { askText, chooseFrom, confirmAction, locate, pickDate, toast } from './pickers.js'
import { hasPeoplePicker, pickPeople } from './people.js'
import { markStale, takeStale } from './stale.js'

const preset = (module: RecordModule) => listPresets[module.view.collection as ViewCollection]

/** The 导入 page of a list (`?collection=&target=`). */
export const IMPORT_PAGE = '/pages/import/index'
/** The 查重 page (`?name=`). */
export const DUPLICATES_PAGE = '/pages/customer/duplicates'

/** 查重 (customers), 导入 and 导出 above a list, where the list has them (shared/view/data-tools.ts). */
function toolsOf(list: string): ListTool[] {
  const target = importTargets[list]
  return [
    ...(list === 'customers' || list === 'pool'
      ? [{ key: 'duplicates', label: '查重', url: DUPLICATES_PAGE }]
      : []),
    ...(target
      ? [
          {
            key: 'import',
            label: '导入',
            url: `${IMPORT_PAGE}?collection=${target.collection}${target.target ? `&target=${target.target}` : ''}`,
          },
        ]
      : []),
    ...(isExportable(list) ? [{ key: 'export', label: '导出' }] : []),
  ]
}

/** The list of a module: search, the shared view's filters, its rows, its detail and form pages. */
export const recordListPage = <M extends object = object>(
  module: RecordModule,
  options: Partial<ListSource<AnyRecord>> = {},
  methods?: M & ThisType<ListThis & ListActions & M>,
) =>
  listPage(
    {
      title: preset(module)?.title ?? module.view.noun,
      searchPlaceholder: module.view.searchPlaceholder,
      fetch: async (args) => {
        const page = await module.api(api()).list({ ...args, ...preset(module)?.filter })
        // whose each row is (客户, 合同...) by name: one batched call for the page
        const refs = rowRefFields(module.view)
        if (refs.length) await Promise.all(page.items.map((record) => loadNames(refs, record)))
        return page
      },
      row: (record) => rowOf(module, record),
      detailPage: module.pages.detail,
      formPage: module.pages.form,
      mayCreate: () => mayCreate(module.view.collection as ViewCollection, currentUser()?.role),
      staleKey: module.view.collection,
      tools: toolsOf(module.view.collection),
      exportList: (query) => {
        const list = module.view.collection
        return isExportable(list)
          ? exportList(list, { ...query, ...preset(module)?.filter })
          : Promise.resolve()
      },
      filters: module.view.filters,
      pickFilters: module.view.pickFilters,
      dateFilters: module.view.dateFilters,
      ...options,
    },
    methods,
  )

// ---------------------------------------------------------------- detail

export interface TabData {
  key: string
  label: string
}

export interface ActivityRow {
  id: string
  text: string
  brief: string
}

/** A button under a detail: one of the record's shared actions (`key`), `onAction` runs it. */
export interface DetailAction {
  key: string
  label: string
  type: 'primary' | 'default' | 'warn' | 'refused'
}

const viewer = () => viewerOf(currentUser())

/** The 客户合并 page (`?id=`: the customer that stays). */
export const MERGE_PAGE = '/pages/customer/merge'

/** This app's page of a place an action leads to. */
function urlOf(to: Destination): string | undefined {
  if ('open' in to) return `/${miniPage(to.open)}?id=${encodeURIComponent(to.id)}`
  if ('edit' in to) return `/${miniPage(to.edit, 'form')}?id=${encodeURIComponent(to.id)}`
  if ('merge' in to) return `${MERGE_PAGE}?id=${encodeURIComponent(to.merge)}`
  const query = Object.entries(to.preset).map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
  return `/${miniPage(to.create, 'form')}?${query.join('&')}`
}

const buttonOf = (action: RecordAction): DetailAction => ({
  key: action.key,
  label: action.label,
  type: action.disabledReason ? 'refused' : action.tone === 'danger' ? 'warn' : action.tone,
})

/** The answers to an action's question (a reason, a user, a choice); undefined when cancelled. */
async function answer(ask: Ask | undefined): Promise<ActionInput | undefined> {
  const reason = async (title: string, message: string) => {
    const text = await askText(title, message)
    if (!text) toast(message)
    return text ? { reason: text } : undefined
  }
  if (!ask) return {}
  if (ask.kind === 'reason') return reason(ask.title, ask.message)
  if (ask.kind === 'users') return pickSeveral(ask)
  if (ask.kind === 'user' && hasPeoplePicker()) {
    const [user] = (await pickPeople({ title: ask.title, multiple: false })) ?? []
    return user && { value: user.id, label: user.name }
  }
  const choices =
    ask.kind === 'user'
      ? (await choicesFor({ name: 'userId', label: '', kind: 'user' }).catch(() => [])).map((u) => ({
          value: u.id,
          label: u.name,
        }))
      : await ask.choices(api())
  const index = await chooseFrom(
    ask.title,
    choices.map((c: Choice) => (c.detail ? `${c.label}（${c.detail}）` : c.label)),
  )
  const choice: Choice | undefined = choices[index]
  if (!choice) return undefined
  const picked = { value: choice.value, label: choice.label }
  if (!choice.reason) return picked
  const given = await reason(choice.reason.title, choice.reason.message)
  return given && { ...picked, ...given }
}

/**
 * Several people (协助跟进人): DingTalk's people picker, or the action sheet where it is missing; dropping
 * someone already chosen asks first. Undefined when cancelled (nothing changes).
 */
async function pickSeveral(ask: Extract<Ask, { kind: 'users' }>): Promise<ActionInput | undefined> {
  const picked = await pickPeople({
    title: ask.title,
    selected: ask.selected,
    exclude: ask.exclude,
    max: ask.max,
  })
  if (!picked) return undefined
  const values = picked.map((p) => p.id)
  const removed = ask.selected.filter((id) => !values.includes(id))
  if (removed.length && ask.removal) {
    await loadNames([PERSON], { ids: removed })
    const names = removed.map((id) => `「${nameOf(PERSON, id) ?? id}」`).join('、')
    const { title, ok, message } = ask.removal
    if (!(await confirmAction(title, message(names), ok))) return undefined
  }
  return { values }
}
const PERSON = { name: 'ids', label: '', kind: 'users' } as const

/**
 * Runs an action: a link opens its page; a verb asks what it needs, calls the API, marks the lists that
 * held the record stale, then shows the record again, goes back, or opens the record it led to.
 */
export async function runAction(
  action: RecordAction,
  collection: string,
  reload: () => Promise<void>,
): Promise<void> {
  if (action.disabledReason) return toast(action.disabledReason)
  if (action.to) {
    const url = urlOf(action.to)
    if (url) ddApi().navigateTo({ url })
    return
  }
  if (!action.run) return
  if (action.confirm) {
    const { title, message, ok } = action.confirm
    if (!(await confirmAction(title, message, ok))) return
  }
  const input = await answer(action.ask)
  if (!input) return
  try {
    const { done, then } = await action.run(api(), input)
    markStale(collection)
    if (collection === 'customers') markStale('pool')
    toast(done, 'success')
    if (then === 'reload') await reload()
    else if (then === 'list') ddApi().navigateBack()
    else {
      markStale(then.open)
      ddApi().redirectTo({ url: urlOf(then)! })
    }
  } catch (error) {
    toast(errorText(error), 'fail')
  }
}

export interface DetailData {
  id: string
  title: string
  /** 审批中 / 已驳回 / 已撤回 while a governed record is not in effect */
  badge: string
  noun: string
  record: AnyRecord | null
  fields: { label: string; value: string }[]
  tabs: TabData[]
  tab: string
  /** the open child tab's rows, or the 动态 entries */
  tabRows: RowView[]
  /** the open tab's three states: loading, failed (the error, with 重试), empty */
  tabLoading: boolean
  tabError: string
  tabEmpty: boolean
  /** "共有 N 条" under a child tab */
  tabSummary: string
  timeline: ActivityRow[]
  likes: { count: number; likedByMe: boolean }
  comment: string
  /** figures above the tabs (a contract's 合同金额 / 已回款 / 已开票) */
  amounts: { label: string; value: string }[]
  /** a progress line (an opportunity's stages): state done · current · todo · lost */
  steps: { id: string; name: string; state: string }[]
  /** every record action the caller sees, in the bar's order (the primary, then 更多's, 打印 aside) */
  actions: DetailAction[]
  /** the one filled button (shared/view/actions.ts), and whether 更多 has anything */
  primary: DetailAction | null
  more: DetailAction[]
  /** 打印 is offered (contracts, customers, opportunities have a print page) */
  printable: boolean
  loading: boolean
  error: string
  /** the record has been shown at least once */
  loaded: boolean
}

/** The collections with an A4 print page (`GET /api/<collection>/{id}/print`). */
const PRINTABLE = ['contracts', 'customers', 'opportunities'] as const
type Printable = (typeof PRINTABLE)[number]
const isPrintable = (collection: string): collection is Printable =>
  (PRINTABLE as readonly string[]).includes(collection)

/** The web-view page that shows a print page (its URL carries a ticket: a web-view sends no header). */
export const PRINT_PAGE = '/pages/web/index'

export type DetailThis = PageInstance<DetailData> & DetailActions

export interface DetailActions {
  /** reloads the record (after an action changed it) */
  reload(): Promise<void>
}

export const fieldRows = (view: RecordView, record: AnyRecord) =>
  view.fields
    .filter((f) => !f.hidden)
    .map((f) => ({ label: f.label, value: displayValue(f, valueOf(record, f), nameOf) }))

export function activityRow(a: {
  id: string
  action: string
  summary: string
  actorId: string
  actorName?: string
  at: string
}): ActivityRow {
  const actor = a.actorName ?? nameOf({ name: 'actorId', label: '', kind: 'user' }, a.actorId) ?? a.actorId
  return {
    id: a.id,
    text: a.summary || labelOf(activityActionLabels, a.action),
    brief: `${actor} · ${formatDateTime(a.at)}`,
  }
}

export interface DetailOptions<M> {
  /** actions of this app beside the shared table's (协助跟进人 on a customer) */
  extraActions?(record: AnyRecord): (RecordAction | undefined)[]
  /** after the record arrived (extra loads: stages, amounts...) */
  afterLoad?(page: DetailThis & M, record: AnyRecord): Promise<void> | void
  methods?: M & ThisType<DetailThis & M>
}

/**
 * A record's detail page, opened with `?id=` (from a list, or a DingTalk card's deep link: without a
 * session the first request logs in through the 401 retry). Tabs as the shared view declares them.
 */
export function recordDetailPage<M extends object = object>(
  module: RecordModule,
  options: DetailOptions<M> = {},
) {
  const { view } = module
  const tabs: TabData[] = (view.tabs ?? []).map((t) => ({ key: t.key, label: t.label }))
  // a pool record opens here as a customer without an owner
  const noun = isCollection(view.collection) ? view.collection : 'customers'
  const actionsOf = new WeakMap<object, RecordAction[]>()

  async function load(page: DetailThis & M) {
    page.setData({ loading: true, error: '' })
    try {
      const record = await module.api(api()).get(page.data.id)
      const shown = viewWithFields(view)
      await loadNames(shown.fields, record)
      const actions = [
        ...recordActions(noun, record, viewer()),
        ...(options.extraActions?.(record) ?? []).filter((a): a is RecordAction => Boolean(a)),
      ].filter((a) => !a.to || urlOf(a.to))
      // one primary button, the rest under 更多 (打印 before the destructive ones), as on H5
      const print: RecordAction | undefined = isPrintable(view.collection)
        ? { key: 'print', label: '打印', tone: 'default' }
        : undefined
      const bar = actionBar(print ? [...actions, print] : actions)
      actionsOf.set(page, actions)
      page.setData({
        record,
        title: view.title(record),
        badge: approvalBadge(record.approval as RecordApproval | undefined) ?? '',
        fields: fieldRows(shown, record),
        actions: [...(bar.primary ? [bar.primary] : []), ...bar.more]
          .filter((a) => a !== print)
          .map(buttonOf),
        primary: bar.primary ? buttonOf(bar.primary) : null,
        more: bar.more.map(buttonOf),
        loading: false,
        loaded: true,
      })
      await options.afterLoad?.(page, record)
      if (page.data.tab !== 'info') await openTab(page, page.data.tab)
    } catch (error) {
      page.setData({ loading: false, error: errorText(error) })
    }
  }

  async function openTab(page: DetailThis, key: string) {
    page.setData({ tab: key, tabRows: [], tabEmpty: false, tabError: '', tabSummary: '' })
    if (key === 'info') return
    page.setData({ tabLoading: true })
    const { id } = page.data
    try {
      if (key === 'timeline') {
        const client = api()
        const [timeline, likes] = await Promise.all([
          // every record collection has 动态 (shared/nouns.ts `timeline`)
          client.social[view.collection as SocialCollection].timeline(id, { limit: 20 }),
          client.social[view.collection as SocialCollection].likes(id),
        ])
        await loadNames([{ name: 'actorId', label: '', kind: 'user' }], {
          actorId: timeline.items[0]?.actorId,
        })
        const rows = timeline.items.map(activityRow)
        page.setData({ timeline: rows, likes, tabEmpty: rows.length === 0, tabLoading: false })
        return
      }
      const tab = view.tabs?.find((t) => t.key === key)
      const child = moduleOf(key)
      if (!tab?.childKey || !child) return page.setData({ tabLoading: false })
      const result = await child.api(api()).list({ [tab.childKey]: id, limit: 20 })
      const refs = rowRefFields(child.view, tab.childKey)
      if (refs.length) await Promise.all(result.items.map((record) => loadNames(refs, record)))
      const rows = result.items.map((r) => rowOf(child, r, tab.childKey))
      const total = result.total ?? undefined
      page.setData({
        tabRows: rows,
        tabEmpty: rows.length === 0,
        tabLoading: false,
        tabSummary: rows.length
          ? (formatCount(total) ?? `共有 ${rows.length}${result.nextCursor ? '+' : ''} 条记录`)
          : '',
      })
    } catch (error) {
      // an answer for a tab the user already left is dropped
      if (page.data.tab === key) page.setData({ tabLoading: false, tabError: errorText(error) })
    }
  }

  /** an action of the bar by its key: 打印, or one of the record's actions */
  function act(page: DetailThis & M, key: string) {
    if (key === 'print') return print(page)
    const action = actionsOf.get(page)?.find((a) => a.key === key)
    if (action) return runAction(action, noun, () => load(page))
  }

  /** 打印: the record's print page in a web-view (its URL carries a ticket: a web-view sends no header) */
  async function print(page: DetailThis) {
    const collection = view.collection
    if (!isPrintable(collection)) return
    try {
      const { path } = await api()[collection].printLink(page.data.id)
      const url = encodeURIComponent(`${config.apiBaseUrl}${path}`)
      ddApi().navigateTo({ url: `${PRINT_PAGE}?url=${url}` })
    } catch (error) {
      toast(errorText(error), 'fail')
    }
  }

  return {
    data: {
      id: '',
      title: '',
      badge: '',
      noun: view.noun,
      record: null,
      fields: [],
      tabs,
      tab: 'info',
      tabRows: [],
      tabLoading: false,
      tabError: '',
      tabEmpty: false,
      tabSummary: '',
      timeline: [],
      likes: { count: 0, likedByMe: false },
      comment: '',
      amounts: [],
      steps: [],
      actions: [],
      primary: null,
      more: [],
      printable: isPrintable(view.collection),
      loading: false,
      error: '',
      loaded: false,
    } as DetailData,
    onLoad(this: DetailThis & M, query: { id?: string } = {}) {
      if (!query.id) return this.setData({ error: `没有指定要查看的${view.noun}` })
      this.setData({ id: decodeURIComponent(query.id) })
      return load(this)
    },
    onShow(this: DetailThis & M) {
      // an edit saved on the form page, a follow-up added...: show the new values
      if (this.data.loaded && takeStale(`${view.collection}:${this.data.id}`)) return load(this)
    },
    reload(this: DetailThis & M) {
      return load(this)
    },
    onRetry(this: DetailThis & M) {
      return load(this)
    },
    /** a button under the detail: the record's action of that `key` */
    onAction(this: DetailThis & M, event: { currentTarget: { dataset: { key: string } } }) {
      return act(this, event.currentTarget.dataset.key)
    },
    /** 更多: the other actions in DingTalk's action sheet (a refused one says why when picked) */
    async onMore(this: DetailThis & M) {
      const { more } = this.data
      const index = await chooseFrom(
        '更多',
        more.map((a) => (a.type === 'refused' ? `${a.label}（不可用）` : a.label)),
      )
      if (index >= 0) return act(this, more[index].key)
    },
    /** 打印: the record's print page in a web-view (DingTalk's own print or share from there) */
    onPrint(this: DetailThis & M) {
      return print(this)
    },
    /** 重试 under a tab that failed to load */
    onTabRetry(this: DetailThis) {
      return openTab(this, this.data.tab)
    },
    onTabTap(this: DetailThis, event: { currentTarget: { dataset: { key: string } } }) {
      return openTab(this, event.currentTarget.dataset.key)
    },
    /** a row of a child tab: its own detail page */
    onTabRowTap(this: DetailThis, id: string) {
      const child = moduleOf(this.data.tab)
      if (child) ddApi().navigateTo({ url: `${child.pages.detail}?id=${encodeURIComponent(id)}` })
    },
    /** 新建 in a child tab: its form, linked to this record */
    onTabCreate(this: DetailThis) {
      const tab = view.tabs?.find((t) => t.key === this.data.tab)
      const child = moduleOf(this.data.tab)
      if (tab?.childKey && child)
        ddApi().navigateTo({ url: `${child.pages.form}?${tab.childKey}=${encodeURIComponent(this.data.id)}` })
    },
    async onLike(this: DetailThis) {
      try {
        const social = api().social[view.collection as SocialCollection]
        const id = this.data.id
        const likes = await (this.data.likes.likedByMe ? social.unlike(id) : social.like(id))
        this.setData({ likes })
      } catch (error) {
        toast(errorText(error), 'fail')
      }
    },
    onCommentInput(this: DetailThis, event: { detail: { value: string } }) {
      this.setData({ comment: event.detail.value })
    },
    async onComment(this: DetailThis) {
      const content = this.data.comment.trim()
      if (!content) return toast('请填写评论内容')
      try {
        await api().social[view.collection as SocialCollection].comment(this.data.id, { content })
        this.setData({ comment: '' })
        await openTab(this, 'timeline')
      } catch (error) {
        toast(errorText(error), 'fail')
      }
    },
    ...options.methods,
  }
}

// ---------------------------------------------------------------- form

export interface FormData {
  id: string
  version: number
  noun: string
  fields: FormFieldView[]
  fixed: Record<string, FormValue>
  /** notes under the form (查重: customers with a similar name) */
  hints: { id: string; text: string }[]
  loading: boolean
  submitting: boolean
  error: string
}

export type FormThis = PageInstance<FormData>

/** Any printable key unique enough for one device: retries of one submit carry the same one. */
const newIdempotencyKey = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`

/** The query's values for the view's fields (`?customerId=…` from a customer's 新建跟进). */
function presetOf(view: RecordView, query: Record<string, string | undefined>): Record<string, FormValue> {
  const preset: Record<string, FormValue> = {}
  for (const field of view.fields) {
    const raw = query[field.name]
    if (raw === undefined || raw === '') continue
    const value = decodeURIComponent(raw)
    preset[field.name] = field.kind === 'users' ? value.split(',') : value
  }
  return preset
}

export interface FormOptions<M> {
  /** a new record's starting values besides the view's (跟进时间 = now, 提醒对象 = me) */
  defaults?(): Record<string, FormValue>
  /** a field changed (the customer form's 查重) */
  onChanged?(page: FormThis & M, name: string, value: FormValue): void
  methods?: M & ThisType<FormThis & M>
}

/**
 * New record (`?<field>=` presets) or edit (`?id=`): checked with the shared schema before anything is
 * sent, then the detail page.
 */
export function recordFormPage<M extends object = object>(
  module: RecordModule,
  options: FormOptions<M> = {},
) {
  // the view with the tenant's custom fields, as stored at sign-in (字段管理)
  const viewOf = () => viewWithFields(module.view)
  const idempotencyKeys = new WeakMap<object, string>()
  /** an edited record's values as the form opened with them: a field emptied since is sent as null */
  const openedWith = new WeakMap<object, FormValues>()
  const state = (page: FormThis) => ({ fields: page.data.fields, fixed: page.data.fixed })

  async function load(page: FormThis) {
    const view = viewOf()
    page.setData({ loading: true, error: '' })
    try {
      const record = await module.api(api()).get(page.data.id)
      await loadNames(view.fields, record)
      const form = formState(view, { record })
      openedWith.set(page, valuesOf(form))
      page.setData({ ...form, version: record.version, loading: false })
    } catch (error) {
      page.setData({ loading: false, error: errorText(error) })
    }
  }

  function setValue(page: FormThis & M, name: string, value: FormValue) {
    const view = viewOf()
    page.setData({ fields: withValue(view, page.data.fields, name, value) })
    options.onChanged?.(page, name, value)
  }

  return {
    data: {
      id: '',
      version: 0,
      noun: module.view.noun,
      ...formState(module.view),
      hints: [],
      loading: false,
      submitting: false,
      error: '',
    } as FormData,
    async onLoad(this: FormThis, query: Record<string, string | undefined> = {}) {
      idempotencyKeys.set(this, newIdempotencyKey())
      if (query.id) {
        this.setData({ id: query.id })
        return load(this)
      }
      const view = viewOf()
      const preset = { ...options.defaults?.(), ...presetOf(view, query) }
      if (Object.keys(preset).length) await loadNames(view.fields, preset)
      // (with custom fields the form differs from the built-in one it started as)
      if (Object.keys(preset).length || view.custom) this.setData(formState(view, { preset }))
    },
    onRetry(this: FormThis) {
      return load(this)
    },
    onFieldChange(this: FormThis & M, name: string, value: FormValue) {
      setValue(this, name, value)
    },
    /** a picker row: dates, 定位, users, departments, stages, linked records */
    async onTapField(this: FormThis & M, name: string) {
      const view = viewOf()
      const field = view.fields.find((f) => f.name === name)
      const current = valuesOf(state(this))[name]
      if (!field) return
      if (field.kind === 'attachments') {
        // the row shows the upload's progress, then the photos picked here
        const mark = (extra: Partial<FormFieldView>) =>
          this.setData({
            fields: state(this).fields.map((f) => (f.name === name ? { ...f, ...extra } : f)),
          })
        const shown = state(this).fields.find((f) => f.name === name)?.previews ?? []
        try {
          const { ids, paths } = await pickAttachments(({ index, count, percent }) =>
            mark({ progress: percent, progressText: `上传中 ${index}/${count} · ${percent}%` }),
          )
          if (ids.length) setValue(this, name, [...(Array.isArray(current) ? current : []), ...ids])
          mark({ progress: undefined, progressText: '', previews: [...shown, ...paths] })
        } catch (error) {
          mark({ progress: undefined, progressText: '' })
          toast(errorText(error), 'fail')
        }
        return
      }
      if (field.kind === 'multiselect') {
        const options = Object.entries(field.offered ?? field.options ?? {})
        const chosen = Array.isArray(current) ? current : []
        const index = await chooseFrom(
          `选择${field.label}`,
          options.map(([value, label]) => (chosen.includes(value) ? `✓ ${label}` : label)),
        )
        if (index < 0) return
        const value = options[index][0]
        setValue(this, name, chosen.includes(value) ? chosen.filter((c) => c !== value) : [...chosen, value])
        return
      }
      if (field.kind === 'date' || field.kind === 'datetime') {
        const picked = await pickDate(field.kind, typeof current === 'string' ? current : '')
        if (picked) setValue(this, name, picked)
        return
      }
      if (field.kind === 'location') {
        const place = await locate()
        if (place) setValue(this, name, place)
        else toast('无法获取位置，请检查定位权限')
        return
      }
      if ((field.kind === 'user' || field.kind === 'users') && hasPeoplePicker()) {
        // DingTalk's people picker; without it, the sheet below
        const several = field.kind === 'users'
        const picked = await pickPeople({
          title: `选择${field.label}`,
          multiple: several,
          selected: several && Array.isArray(current) ? current : [],
        })
        if (picked && (several || picked.length))
          setValue(this, name, several ? picked.map((p) => p.id) : picked[0].id)
        return
      }
      try {
        const choices = await choicesFor(field, valuesOf(state(this)))
        if (!choices.length) return toast(`没有可选的${field.label}`)
        const chosen = Array.isArray(current) ? current : []
        const labels = choices.map((c) => (chosen.includes(c.id) ? `✓ ${c.name}` : c.name))
        const index = await chooseFrom(`选择${field.label}`, labels)
        if (index < 0) return
        const id = choices[index].id
        if (field.kind === 'users')
          setValue(this, name, chosen.includes(id) ? chosen.filter((c) => c !== id) : [...chosen, id])
        else setValue(this, name, id)
      } catch (error) {
        toast(errorText(error), 'fail')
      }
    },
    async onSubmit(this: FormThis) {
      if (this.data.submitting) return
      const view = viewOf()
      const editing = Boolean(this.data.id)
      const form = readForm(view, state(this), editing, openedWith.get(this))
      if (!form.ok) {
        this.setData({ fields: form.fields, error: form.message })
        return
      }
      this.setData({ submitting: true, error: '' })
      const records = module.api(api())
      try {
        const { id, version } = this.data
        const saved = id
          ? await records.update(id, {
              ...form.value,
              ...clearedFields(view, openedWith.get(this) ?? {}, valuesOf(state(this))),
              version,
            })
          : await records.create(form.value, { idempotencyKey: idempotencyKeys.get(this) })
        markStale(view.collection)
        markStale(`${view.collection}:${saved.id}`)
        for (const field of view.fields)
          if (field.kind === 'ref' && field.ref && typeof form.value[field.name] === 'string')
            markStale(`${field.ref}:${form.value[field.name] as string}`)
        toast('已保存', 'success')
        if (id) ddApi().navigateBack()
        else ddApi().redirectTo({ url: `${module.pages.detail}?id=${encodeURIComponent(saved.id)}` })
      } catch (error) {
        const refused = refusedForm(view, state(this), error, errorText(error))
        this.setData({ fields: refused.fields, error: refused.message })
      } finally {
        this.setData({ submitting: false })
      }
    },
    ...options.methods,
  }
}
