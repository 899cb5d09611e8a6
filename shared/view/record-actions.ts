import type { ApiClient } from '../api/client.js'
import { nouns, type Collection } from '../nouns.js'
import type { Category, Me, Stage } from '../schemas/index.js'
import { recordClient, type AnyRecord } from './clients.js'
import { customerCategoryLabels, recordTypeCollections, recordTypeLabels } from './labels.js'
import { recordViews } from './registry.js'

/**
 * The buttons of a record's detail, the same in both apps: which ones the caller sees, what each asks
 * (a reason, a user, a choice), the API call it makes and where it leaves the user. The apps only render
 * them: a button, their own dialogs for `confirm` and `ask`, their own routes for a `Destination`.
 */

/** What the session knows of the caller. */
export type Viewer = Pick<Me, 'id' | 'role' | 'deptIds'>

/** The caller, or before the session is known a member who owns nothing (the API decides anyway). */
export const viewerOf = (me: Viewer | undefined): Viewer => me ?? { id: '', role: 'member', deptIds: [] }

/**
 * A place in the app: a record's detail, its edit form, a new record's form (`back`: saved, it comes back
 * to this record, on its `tab`, where the app can).
 */
export type Destination =
  | { open: Collection; id: string }
  | { edit: Collection; id: string }
  | { create: Collection; preset: Record<string, string | number>; back?: { tab?: string } }
  /** 客户合并 (only the H5 app has the page) */
  | { merge: string }

export interface Choice {
  value: string
  label: string
  /** a note beside the label where there is room (a stage's 赢率) */
  detail?: string
  danger?: boolean
  /** picking it also asks a reason (推进 to 输单) */
  reason?: { title: string; message: string }
}

/** What a verb asks before it runs. */
export type Ask =
  | { kind: 'reason'; title: string; message: string }
  | { kind: 'user'; title: string }
  | { kind: 'choice'; title: string; choices(api: ApiClient): Promise<Choice[]> }
  /**
   * several people at once (协助跟进人): those already chosen come ticked, `exclude` may not be chosen;
   * dropping someone already chosen asks `removal` first (`names`: theirs, joined)
   */
  | {
      kind: 'users'
      title: string
      selected: readonly string[]
      max: number
      exclude?: readonly string[]
      removal?: { title: string; ok: string; message(names: string): string }
    }

/** The answers to `ask`: the user or choice picked (its id and label), the reason typed. */
export interface ActionInput {
  /** the people picked (`users`) */
  values?: string[]
  value?: string
  label?: string
  reason?: string
}

export interface Outcome {
  /** the toast */
  done: string
  /** show the record again, go back to the list, or open another record in its place */
  then: 'reload' | 'list' | { open: Collection; id: string }
}

export interface RecordAction {
  key: string
  label: string
  tone: 'primary' | 'default' | 'danger'
  /** the caller may see the button but not take the action (the API would refuse it): why */
  disabledReason?: string
  confirm?: { title: string; message: string; ok: string }
  ask?: Ask
  /** a link… */
  to?: Destination
  /** …or a verb */
  run?(api: ApiClient, input: ActionInput): Promise<Outcome>
}

// ---------------------------------------------------------------- who may (functions/domain/scope.ts)

interface Scoped {
  ownerId?: string | null
  collaboratorIds?: readonly string[]
  deptId?: string | null
  createdBy?: string
}

const owns = (viewer: Viewer, record: Scoped) => !!record.ownerId && record.ownerId === viewer.id

/**
 * canManage as the client can tell it: the session does not carry a manager's sub-departments, but a
 * record a manager sees without merely assisting on it is within them (the API checks again anyway).
 */
function manages(viewer: Viewer, record: Scoped): boolean {
  if (viewer.role === 'admin') return true
  if (viewer.role !== 'manager') return false
  return (
    !record.ownerId ||
    owns(viewer, record) ||
    (!!record.deptId && viewer.deptIds.includes(record.deptId)) ||
    !record.collaboratorIds?.includes(viewer.id)
  )
}

const changes = (viewer: Viewer, record: Scoped) => owns(viewer, record) || manages(viewer, record)
const works = (viewer: Viewer, record: Scoped) =>
  changes(viewer, record) || (!!record.ownerId && !!record.collaboratorIds?.includes(viewer.id))

/** true: allowed; 'hidden': the role never may here (a member and 分配); else the reason it is refused. */
type Rule = (viewer: Viewer, record: Scoped) => true | 'hidden' | string

const anyone: Rule = () => true
/** reassigning: managers and admins only (the routes' `roles`) */
const managers =
  (refused: string): Rule =>
  (viewer, record) =>
    viewer.role === 'member' ? 'hidden' : manages(viewer, record) || refused
/** the owner or whoever manages it; a pool record only managers touch */
const changers =
  (refused: string): Rule =>
  (viewer, record) =>
    changes(viewer, record) || (record.ownerId ? refused : 'hidden')
const workers =
  (refused: string): Rule =>
  (viewer, record) =>
    works(viewer, record) || refused
/** a lead: its assignee (as the owner), whoever manages them, or whoever entered it */
const leadChangers =
  (refused: string): Rule =>
  (viewer, record) =>
    changes(viewer, record) || record.createdBy === viewer.id || refused

// ---------------------------------------------------------------- the table

interface Spec extends Omit<RecordAction, 'disabledReason'> {
  who?: Rule
}

const yes = (done: string, then: Outcome['then'] = 'reload'): Outcome => ({ done, then })
const str = (value: unknown) => (typeof value === 'string' ? value : '')

const categoryChoices = Object.entries(customerCategoryLabels).map(([value, label]) => ({ value, label }))

/** The stages one may move to from `currentId`, in their order; 输单 asks the reason. */
const stageChoices = (stages: readonly Stage[], currentId: string): Choice[] =>
  [...stages]
    .sort((a, b) => a.order - b.order)
    .filter((s) => s.id !== currentId)
    .map((s) => ({
      value: s.id,
      label: s.name,
      detail: `${s.probability}%`,
      ...(s.kind === 'lost' && { danger: true, reason: { title: '输单', message: '请填写输单原因' } }),
    }))

/** 提醒: a 任务提醒 about this record, for me; its form comes back here. */
const remind = (collection: Collection, record: AnyRecord, title: string, viewer: Viewer): Spec => ({
  key: 'remind',
  label: '提醒',
  tone: 'default',
  to: {
    create: 'reminders',
    preset: {
      recordType: nouns[collection].one,
      recordId: record.id,
      recordName: title.slice(0, 100),
      title: `跟进${nouns[collection].label}：${title}`.slice(0, 50),
      assigneeIds: viewer.id,
    },
    back: {},
  },
})

const edit = (collection: Collection, record: AnyRecord, who: Rule = anyone): Spec => ({
  key: 'edit',
  label: '编辑',
  tone: 'default',
  to: { edit: collection, id: record.id },
  who,
})

const remove = (collection: Collection, record: AnyRecord, title: string, who: Rule = anyone): Spec => ({
  key: 'delete',
  label: '删除',
  tone: 'danger',
  confirm: {
    title: `删除${nouns[collection].label}`,
    message: `确定删除「${title}」吗？删除后可在回收站恢复。`,
    ok: '删除',
  },
  run: async (api) => {
    await recordClient(api, collection).remove(record.id)
    return yes('已删除，可在回收站恢复', 'list')
  },
  who,
})

/** A collection's own buttons (编辑 and 删除 follow them unless it says otherwise). */
type Specs = (record: AnyRecord, title: string, viewer: Viewer) => Spec[]

const customerActions: Specs = (record, title, viewer) => {
  const { id } = record
  // a pool customer is 分配'd, an owned one 经理调整'd: the same verb
  const assign = (label: string, ask: string, done: string): Spec => ({
    key: 'assign',
    label,
    tone: 'default',
    ask: { kind: 'user', title: ask },
    run: async (api, { value }) => (await api.customers.assign(id, { ownerId: value! }), yes(done)),
    who: managers('只有经理或管理员可以调整负责人'),
  })
  if (!record.ownerId)
    return [
      {
        key: 'claim',
        label: '领取',
        tone: 'primary',
        run: async (api) => (await api.customers.claim(id), yes('已领取，客户已加入我的客户')),
      },
      assign('分配', '分配给', '已分配'),
      edit('customers', record, changers('公海客户只有经理或管理员可以修改')),
      remove('customers', record, title, changers('只有负责人或其上级可以删除客户')),
    ]
  return [
    {
      key: 'followUp',
      label: '写跟进',
      tone: 'primary',
      to: { create: 'followups', preset: { customerId: id }, back: { tab: 'followups' } },
      who: workers('只有负责人、协助跟进人或其上级可以写跟进'),
    },
    remind('customers', record, title, viewer),
    {
      key: 'category',
      label: '分类调整',
      tone: 'default',
      ask: { kind: 'choice', title: '分类调整', choices: async () => categoryChoices },
      run: async (api, { value }) => (
        await api.customers.setCategory(id, { category: value as Category }),
        yes('已调整分类')
      ),
      who: changers('只有负责人或其上级可以调整分类'),
    },
    assign('经理调整', '经理调整：选择新的客户经理', '已调整客户经理'),
    {
      key: 'release',
      label: '返回公海',
      tone: 'default',
      ask: { kind: 'reason', title: '返回公海', message: `请填写将「${title}」退回公海的原因` },
      run: async (api, { reason }) => (
        await api.customers.release(id, { reason: reason! }),
        yes('已退回公海', 'list')
      ),
      who: changers('只有负责人或其上级可以将客户退回公海'),
    },
    {
      key: 'merge',
      label: '客户合并',
      tone: 'default',
      to: { merge: id },
      who: changers('只有负责人或其上级可以合并客户'),
    },
    edit('customers', record, changers('只有负责人或其上级可以修改客户')),
    remove('customers', record, title, changers('只有负责人或其上级可以删除客户')),
  ]
}

const leadActions: Specs = (record, title, viewer) => {
  const { id } = record
  const remove_ = remove('leads', record, title, leadChangers('无权删除该线索'))
  // converted: the API refuses to edit, assign or convert it again; its customer instead
  if (record.status === 'converted')
    return [
      {
        key: 'openCustomer',
        label: '查看客户',
        tone: 'primary',
        to: { open: 'customers', id: str(record.convertedCustomerId) },
      },
      remove_,
    ]
  const open = record.status === 'new' || record.status === 'following'
  const assign: Spec = {
    key: 'assign',
    label: '分配',
    tone: 'default',
    ask: { kind: 'user', title: '分配线索给' },
    run: async (api, { value }) => (
      await api.leads.assign(id, { assigneeId: value! }),
      yes('已分配，对方将收到钉钉通知')
    ),
    who: managers('只有经理或管理员可以分配线索'),
  }
  const edit_ = edit('leads', record, leadChangers('无权修改该线索'))
  // 无效 (marked so): assigning it again reopens it
  if (!open) return [assign, edit_, remove_]
  return [
    {
      key: 'convert',
      label: '转为新客户',
      tone: 'primary',
      confirm: {
        title: '转为新客户',
        message: `将线索「${title}」转为新客户，并创建第一个联系人？`,
        ok: '转换',
      },
      run: async (api) => {
        const { customerId } = await api.leads.convert(id)
        return yes('已转为新客户', { open: 'customers', id: customerId })
      },
      who: leadChangers('无权转换该线索'),
    },
    assign,
    {
      key: 'invalid',
      label: '标记无效',
      tone: 'default',
      ask: { kind: 'reason', title: '标记无效', message: '请填写无效原因' },
      run: async (api, { reason }) => (
        await api.leads.markInvalid(id, { reason: reason! }),
        yes('已标记为无效')
      ),
      who: leadChangers('无权处理该线索'),
    },
    remind('leads', record, title, viewer),
    edit_,
    remove_,
  ]
}

const opportunityActions: Specs = (record, title, viewer) => [
  {
    key: 'advance',
    label: '推进',
    tone: 'primary',
    ask: {
      kind: 'choice',
      title: '推进到',
      choices: async (api) => stageChoices(await api.stages.list(), str(record.stageId)),
    },
    run: async (api, { value, label, reason }) => {
      await api.opportunities.moveStage(record.id, { stageId: value!, lostReason: reason })
      return yes(`已推进到「${label}」`)
    },
    who: changers('只有负责人或其上级可以推进商机'),
  },
  {
    key: 'newContract',
    label: '新建合同',
    tone: 'default',
    to: {
      create: 'contracts',
      preset: {
        customerId: str(record.customerId),
        opportunityId: record.id,
        name: title,
        amount: Number(record.amount ?? 0),
      },
    },
  },
  remind('opportunities', record, title, viewer),
  edit('opportunities', record, changers('只有负责人或其上级可以修改商机')),
  remove('opportunities', record, title, changers('只有负责人或其上级可以删除商机')),
]

const contractActions: Specs = (record, title, viewer) => [
  {
    key: 'payment',
    label: '登记回款',
    tone: 'primary',
    to: { create: 'payments', preset: { contractId: record.id }, back: { tab: 'payments' } },
  },
  {
    key: 'invoice',
    label: '开票',
    tone: 'default',
    to: { create: 'invoices', preset: { contractId: record.id }, back: { tab: 'invoices' } },
  },
  remind('contracts', record, title, viewer),
  edit('contracts', record, changers('只有负责人或其上级可以修改合同')),
  remove('contracts', record, title, changers('只有负责人或其上级可以删除合同')),
]

const reminderActions: Specs = (record, title) => {
  const setStatus =
    (status: 'done' | 'cancelled' | 'pending', done: string) =>
    async (api: ApiClient): Promise<Outcome> => {
      await api.reminders.update(record.id, { status, version: record.version })
      return yes(done)
    }
  const recordType = str(record.recordType) as keyof typeof recordTypeCollections
  const about = recordTypeCollections[recordType]
  const active = record.status === 'pending' || record.status === 'sent'
  return [
    ...(about
      ? [
          {
            key: 'openRecord',
            label: `查看${recordTypeLabels[recordType]}`,
            tone: 'default',
            to: { open: about, id: str(record.recordId) },
          } satisfies Spec,
        ]
      : []),
    ...(active
      ? [
          { key: 'done', label: '完成', tone: 'primary', run: setStatus('done', '已完成') } satisfies Spec,
          {
            key: 'cancel',
            label: '取消提醒',
            tone: 'default',
            run: setStatus('cancelled', '已取消'),
          } satisfies Spec,
        ]
      : [
          {
            key: 'reopen',
            label: '重新打开',
            tone: 'default',
            run: setStatus('pending', '已重新打开'),
          } satisfies Spec,
        ]),
    edit('reminders', record),
    remove('reminders', record, title),
  ]
}

/** Records about a customer (联系人, 跟进): a reminder; the API judges the rest by their customer. */
const withReminder =
  (collection: Collection): Specs =>
  (record, title, viewer) => [
    remind(collection, record, title, viewer),
    edit(collection, record),
    remove(collection, record, title),
  ]

const table: Partial<Record<Collection, Specs>> = {
  customers: customerActions,
  leads: leadActions,
  contacts: withReminder('contacts'),
  followups: withReminder('followups'),
  opportunities: opportunityActions,
  contracts: contractActions,
  reminders: reminderActions,
}

/** The buttons of a record, in order; those the caller never may are left out. */
export function recordActions(collection: Collection, record: AnyRecord, viewer: Viewer): RecordAction[] {
  const title = recordViews[collection].title(record as never)
  const specs = table[collection]?.(record, title, viewer) ?? [
    edit(collection, record),
    remove(collection, record, title),
  ]
  // a lead's assignee stands where other records have their owner
  const scoped = collection === 'leads' ? { ...record, ownerId: record.assigneeId } : record
  return specs.flatMap(({ who = anyone, ...action }) => {
    const allowed = who(viewer, scoped as Scoped)
    if (allowed === 'hidden') return []
    return [allowed === true ? action : { ...action, disabledReason: allowed }]
  })
}

/** 公海's row button: 领取 (a pool row is a customer without an owner). */
export const claimAction = (id: string, viewer: Viewer): RecordAction =>
  recordActions('customers', { id, version: 0 }, viewer).find((a) => a.key === 'claim')!

/**
 * 协助跟进人: the people who help follow a customer up (they see it and write follow-ups), set by its owner
 * or whoever manages it; a pool customer has none. Apart from the table: the mini-program's detail offers
 * it under 更多, the H5 app's detail as a section (names, 添加, 移除) that runs it.
 */
export function collaboratorsAction(record: AnyRecord, viewer: Viewer): RecordAction | undefined {
  if (!record.ownerId) return undefined
  const allowed = changers('只有负责人或其上级可以设置协助跟进人')(viewer, record as Scoped)
  if (allowed === 'hidden') return undefined
  const selected = Array.isArray(record.collaboratorIds) ? (record.collaboratorIds as string[]) : []
  return {
    key: 'collaborators',
    label: '协助跟进人',
    tone: 'default',
    ...(allowed !== true && { disabledReason: allowed }),
    ask: {
      kind: 'users',
      title: '协助跟进人',
      selected,
      max: 20,
      // the owner follows it up already (the API drops them anyway)
      exclude: [record.ownerId as string],
      removal: {
        title: '移除协助跟进人',
        ok: '移除',
        message: (names) => `${names} 将不再协助跟进「${str(record.name)}」`,
      },
    },
    run: async (api, { values = [] }) => {
      await api.customers.setCollaborators(record.id, { collaboratorIds: values })
      return yes(values.length ? `已设置 ${values.length} 位协助跟进人` : '已清空协助跟进人')
    },
  }
}
