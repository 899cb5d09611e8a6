import { describe, expect, it } from 'vitest'
import * as z from 'zod'
import { functions } from '../../functions/registry.js'
import { ApiError } from '../../shared/api/client.js'
import {
  checkForm,
  contactView,
  customFieldView,
  customerView,
  dateRangePresets,
  displayValue,
  followUpView,
  formFields,
  formValues,
  opportunityView,
  recordViews,
  reminderView,
  saveErrors,
  targetView,
  fieldOf,
  type RecordView,
} from '../../shared/view/index.js'

/** The shared views both apps build their screens from: fields, columns and the form round trip. */
describe('shared record views', () => {
  it('names a field for every column of every view', () => {
    const missing = Object.values(recordViews).flatMap((view) =>
      view.columns
        .filter((name) => !fieldOf(view as never, name))
        .map((name) => `${view.collection}.${name}`),
    )
    expect(missing).toEqual([])
  })

  it('declares only fields its create or update schema knows, besides read-only ones', () => {
    const unknown = Object.values(recordViews).flatMap((view) =>
      view.fields
        .filter((f) => !f.readOnly && !(f.name in view.input.shape))
        .map((f) => `${view.collection}.${f.name}`),
    )
    expect(unknown).toEqual([])
  })

  it('sends a list only parameters its API route declares, the deal filters users expect among them', async () => {
    const declared = new Map<string, string[]>()
    for (const fn of Object.values(functions))
      for (const { method, path, query } of (await fn.load()).handler.routes)
        if (method === 'GET' && query) {
          const schema = z.toJSONSchema(query, { io: 'input', unrepresentable: 'any' }) as {
            properties?: object
          }
          declared.set(path, Object.keys(schema.properties ?? {}))
        }
    const sent: string[] = []
    for (const view of Object.values(recordViews) as RecordView<never>[]) {
      const list = view.collection
      sent.push(`${list} q`, ...(view.filters ?? []).map((f) => `${list} ${f.name}`))
      sent.push(...(view.pickFilters ?? []).map((f) => `${list} ${f.name}`))
      sent.push(...(view.dateFilters ?? []).flatMap((f) => [`${list} ${f.from}`, `${list} ${f.to}`]))
      // a sortable column header sends the list's `sort`
      if (view.sorts) sent.push(`${list} sort`)
      // a detail's child tab lists the child by this record; a picker narrows by the form's value
      sent.push(...(view.tabs ?? []).filter((tab) => tab.childKey).map((tab) => `${tab.key} ${tab.childKey}`))
      sent.push(...view.fields.filter((f) => f.ref && f.scopeBy).map((f) => `${f.ref} ${f.scopeBy}`))
    }
    const undeclared = sent.filter((line) => {
      const [list, name] = line.split(' ')
      return !declared.get(`/api/${list}`)?.includes(name)
    })
    expect(undeclared).toEqual([])
    expect(sent).toEqual(expect.arrayContaining(['opportunities importance', 'payment-plans overdue']))
  })

  it('shows the customer list with the H3Yun PC columns', () => {
    expect(customerView.columns.map((name) => fieldOf(customerView, name)?.label)).toEqual([
      '客户名称',
      '所属部门',
      '客户经理',
      '协助跟进人',
      '客户分类',
      '客户来源',
      '已成交合同金额',
      '最近跟进日期',
      '创建时间',
    ])
  })

  it('turns a follow-up form into the API input, the China time of day becoming +08:00', () => {
    const values = {
      ...formValues(followUpView, { customerId: 'C1' }),
      content: '电话沟通报价',
      followedAt: '2026-12-01 09:30',
      nextFollowUpAt: '2026-12-08T10:00',
      location: { lat: 31.2, lng: 121.5, label: '上海' },
    }
    const check = checkForm(followUpView, values)
    expect(check).toEqual({
      ok: true,
      value: expect.objectContaining({
        customerId: 'C1',
        method: 'phone',
        followedAt: '2026-12-01T09:30:00+08:00',
        nextFollowUpAt: '2026-12-08T10:00:00+08:00',
        location: { lat: 31.2, lng: 121.5, label: '上海' },
      }),
    })
  })

  it('answers with the schema’s Chinese message for a missing required field', () => {
    const check = checkForm(contactView, { ...formValues(contactView), customerId: 'C1' })
    expect(check).toEqual({ ok: false, errors: { name: '请填写联系人姓名' } })
  })

  it('leaves create-only fields out of an edit and checks it with the update schema', () => {
    const record = {
      id: 'O1',
      name: '云会议',
      customerId: 'C1',
      stageId: 'S1',
      amount: 100,
      importance: 'high',
    }
    expect(formFields(opportunityView, true).map((f) => f.name)).not.toContain('stageId')
    const check = checkForm(opportunityView, formValues(opportunityView, record), { editing: true })
    expect(check.ok && check.value).toEqual(expect.not.objectContaining({ customerId: 'C1' }))
    expect(check.ok && check.value.amount).toBe(100)
  })

  it('puts a refused save’s messages on the fields their paths start with, the rest above the button', () => {
    const scan = customFieldView({
      ...{ key: 'cf_scan0001', label: '名片扫描件', type: 'attachments', order: 10, required: false },
      ...{ showInList: false, searchable: false, builtIn: false, removed: false },
    })
    const view = { ...customerView, fields: [...customerView.fields, scan] }
    const shown = formFields(view)
      .map((f) => f.name)
      .filter((name) => name !== 'ownerId')
    const refused = (status: number, code: string, ...details: [(string | number)[], string][]) =>
      saveErrors(
        view,
        new ApiError(
          status,
          code,
          'API 的消息',
          details.map(([path, message]) => ({ path, message })),
        ),
        shown,
        'API 的消息',
      )
    const gone = '附件不存在或无权使用'
    expect(refused(422, 'attachment.not_found', [['attachments', 1], gone])).toEqual({
      errors: { attachments: gone },
      message: '',
    })
    expect(refused(422, 'attachment.not_found', [['custom', 'cf_scan0001', 0], gone])).toEqual({
      errors: { 'custom.cf_scan0001': gone },
      message: '',
    })
    expect(
      refused(
        400,
        'validation.failed',
        [['name'], '请填写客户名称'],
        [['custom', 'cf_scan0001'], '格式不对'],
      ),
    ).toEqual({ errors: { name: '请填写客户名称', 'custom.cf_scan0001': '格式不对' }, message: '' })
    // a field of the record the form does not show: its label above the button
    expect(refused(400, 'validation.failed', [['ownerId'], '不能为空'])).toEqual({
      errors: {},
      message: '客户经理：不能为空',
    })
    // a path naming no field, no path at all, a 5xx, a failure that is no API answer: the app's message
    expect(refused(422, 'attachment.not_found', [['lines', 0, 'attachments', 0], gone])).toEqual({
      errors: {},
      message: 'API 的消息',
    })
    expect(refused(409, 'record.version_conflict')).toEqual({ errors: {}, message: 'API 的消息' })
    expect(refused(500, 'internal', [['attachments', 0], gone])).toEqual({
      errors: {},
      message: 'API 的消息',
    })
    expect(saveErrors(view, new TypeError('fetch failed'), shown, '网络异常')).toEqual({
      errors: {},
      message: '网络异常',
    })
  })

  it('sends a reminder’s numeric choice as a number and its assignees as a list', () => {
    const values = {
      ...formValues(reminderView, { recordType: 'customer', recordId: 'C1', assigneeIds: ['sales1'] }),
      title: '回访',
      dueAt: '2026-12-01 15:00',
      remindBeforeMinutes: '30',
    }
    const check = checkForm(reminderView, values)
    expect(check.ok && check.value).toMatchObject({ remindBeforeMinutes: 30, assigneeIds: ['sales1'] })
  })

  it('sends twelve monthly targets in fen and shows their sum for the year', () => {
    const months = Array.from({ length: 12 }, (_, i) => (i < 6 ? '10000' : ''))
    const values = { ...formValues(targetView), subjectId: 'sales1', months }
    const check = checkForm(targetView, values)
    expect(check.ok && check.value.months).toEqual([...Array(6).fill(1_000_000), ...Array(6).fill(0)])
    expect(displayValue(fieldOf(targetView, 'months')!, check.ok ? check.value.months : [])).toBe(
      '¥60,000.00（全年）',
    )
  })

  it('shows ids by the names the lookup gives, and the id while the name is unknown', () => {
    const owner = fieldOf(customerView, 'collaboratorIds')!
    const names = (_f: unknown, id: string) => (id === 'sales1' ? '王靓依' : undefined)
    expect(displayValue(owner, ['sales1', 'sales9'], names)).toBe('王靓依、sales9')
  })

  it('offers past ranges ending today and a 30 天以前 range for 最近跟进日期', () => {
    expect(dateRangePresets('past', '2026-03-01')).toEqual([
      { key: 'today', label: '今天', from: '2026-03-01', to: '2026-03-01' },
      { key: '7d', label: '近 7 天', from: '2026-02-23', to: '2026-03-01' },
      { key: '30d', label: '近 30 天', from: '2026-01-31', to: '2026-03-01' },
      { key: 'over30d', label: '30 天以前', to: '2026-01-30' },
    ])
  })
})
