import { describe, expect, it } from 'vitest'
import { reportRanges } from '../../shared/view/reports.js'
import { LOGIN } from './fake-api.js'
import { BUILT_IN_FIELDS } from '../../shared/schemas/fields.js'
import { customer, customField, fakeCrm } from './fake-crm.js'
import { fakeDd, loadPage, type HttpAnswer, type HttpCall } from './host.js'

/**
 * The mini-program at parity with H5 (issue 20): load states, 销售业绩 and report choices, 客户合并, 查重,
 * 协助跟进人, 导入 / 导出, the admin settings read-only, the detail's 更多.
 */

const PAGES = '../../miniapp/src/pages'
type Options = Parameters<typeof fakeDd>[0]

/** A page on the fake CRM, signed in; `fail(request)` answers a request instead of the CRM (a 500...). */
async function open(
  page: string,
  {
    crm = fakeCrm(),
    role = 'member',
    fail,
    ...dd
  }: Options & {
    crm?: ReturnType<typeof fakeCrm>
    role?: 'member' | 'manager' | 'admin'
    fail?: (request: HttpCall) => HttpAnswer | undefined
  } = {},
) {
  const host = fakeDd({ http: (request) => fail?.(request) ?? crm.http(request), ...dd })
  host.dd.setStorageSync({ key: 'crm.session', data: { ...LOGIN, user: { ...LOGIN.user, role } } })
  host.calls.length = 0
  return { host, crm, page: await loadPage(`${PAGES}/${page}.ts`, host.dd) }
}

const tap = (dataset: Record<string, string>) => ({ currentTarget: { dataset } })
const pick = (field: string, value: number) => ({ currentTarget: { dataset: { field } }, detail: { value } })
const serverError: HttpAnswer = {
  status: 500,
  body: { error: { code: 'internal', message: '服务器开小差了' } },
}

describe('load states: loading, empty and failed are three states', () => {
  it('shows loading while a list loads, then 重试 after a 500, then the rows', async () => {
    let down = true
    const { page } = await open('invoice/list', {
      fail: (r) => (down && r.url.includes('/api/invoices') ? serverError : undefined),
    })
    const loading = page.callMethod('onLoad', {})
    expect(page.data).toMatchObject({ loading: true, empty: false, error: '' })
    await loading
    expect(page.data).toMatchObject({ loading: false, empty: false })
    expect(page.data.error).not.toBe('')
    down = false
    await page.callMethod('onRetry')
    // the fake has no invoices: empty only now that the answer was empty
    expect(page.data).toMatchObject({ loading: false, empty: true, error: '' })
  })

  it('says 共有 N 条记录 with a filter on', async () => {
    const { page } = await open('customer/list')
    await page.callMethod('onLoad', {})
    await page.callMethod('onFilterPick', {
      currentTarget: { dataset: { name: 'category' } },
      detail: { value: 1 },
    })
    expect(page.data.summary).toMatch(/^共有 \d+\+? 条记录$/)
  })

  it('shows a failed detail tab with 重试 instead of 暂无记录, and its rows after the retry', async () => {
    let down = true
    const { page } = await open('contract/detail', {
      fail: (r) => (down && r.url.includes('/api/payments') ? serverError : undefined),
    })
    await page.callMethod('onLoad', { id: 'K1' })
    const tabbing = page.callMethod('onTabTap', tap({ key: 'payments' }))
    expect(page.data).toMatchObject({ tabLoading: true, tabEmpty: false })
    await tabbing
    expect(page.data).toMatchObject({ tabLoading: false, tabEmpty: false, tabRows: [] })
    expect(page.data.tabError).not.toBe('')
    down = false
    await page.callMethod('onTabRetry')
    expect(page.data).toMatchObject({ tabError: '', tabEmpty: false, tabSummary: '共有 1 条记录' })
    expect(page.data.tabRows).toHaveLength(1)
  })
})

describe('统计分析: 销售业绩 and the report choices', () => {
  it('draws 销售业绩 per person and regroups it per department', async () => {
    const { page, host } = await open('report/index')
    await page.callMethod('onLoad', { chart: 'performance' })
    expect(page.data.choices.map((c: { label: string }) => c.label)).toEqual(['时间', '按'])
    expect(page.data.bars.map((b: { label: string; width: number }) => [b.label, b.width])).toEqual([
      ['王靓依', 100],
      ['郑纬祺', 50],
    ])
    expect(page.data.bars[0].value).toBe('合同 ¥200,000.00 · 回款 ¥100,000.00')
    await page.callMethod('onChoicePick', pick('groupBy', 1))
    expect(page.data.bars.map((b: { label: string }) => b.label)).toEqual(['销售一部'])
    expect(host.requests().at(-1)!.url.searchParams.get('groupBy')).toBe('dept')
  })

  it('asks the chosen period', async () => {
    const { page, host } = await open('report/index')
    await page.callMethod('onLoad', { chart: 'performance' })
    await page.callMethod('onChoicePick', pick('range', 0))
    const month = reportRanges()[0]
    expect(host.requests().at(-1)!.url.searchParams.get('from')).toBe(month.from)
    expect(page.data.heading).toBe('本月 · 人员')
  })

  it('asks another year of the targets', async () => {
    const { page, host } = await open('report/index')
    await page.callMethod('onLoad', {})
    const year = page.data.query.year as number
    await page.callMethod('onChoicePick', pick('year', 0))
    expect(host.requests().at(-1)!.url.searchParams.get('year')).toBe(String(year - 1))
  })

  it('shows a failed report with 重试', async () => {
    let down = true
    const { page } = await open('report/index', {
      fail: (r) => (down && r.url.includes('/api/reports') ? serverError : undefined),
    })
    await page.callMethod('onLoad', { chart: 'funnel' })
    expect(page.data.error).not.toBe('')
    down = false
    await page.callMethod('onRetry')
    expect(page.data).toMatchObject({ error: '', chart: 'funnel' })
    expect(page.data.bars).toHaveLength(5)
  })
})

describe('客户合并', () => {
  it('offers the likely duplicates, merges the picked one with the chosen 客户分类, and goes back', async () => {
    const { page, crm, host } = await open('customer/merge')
    await page.callMethod('onLoad', { id: 'C001' })
    expect(page.data.target).toMatchObject({ title: '客户 1' })
    expect(page.data.candidates.map((c: { title: string }) => c.title)).toEqual(['客户 10', '客户 11'])
    await page.callMethod('onCandidateTap', tap({ id: 'C010' }))
    expect(page.data.picked).toBe(1)
    const category = page.data.choices.find((c: { field: string }) => c.field === 'category')
    expect(category.options.map((o: { text: string; on: boolean }) => [o.text, o.on])).toEqual([
      ['B 类客户', true],
      ['C 类客户', false],
    ])
    await page.callMethod('onChoiceTap', tap({ field: 'category', id: 'C010' }))
    await page.callMethod('onMerge')
    expect(crm.posted.at(-1)).toEqual({
      path: 'POST /api/customers/merge',
      body: { targetId: 'C001', sourceIds: ['C010'], fields: { category: 'C010' } },
    })
    expect(host.callsTo('navigateBack')).toHaveLength(1)
  })

  it('offers a custom field’s values (字段管理) and sends the one chosen as custom', async () => {
    const star = customField('cf_star0001', '客户星级', 'select', {
      options: [
        { value: 'five', label: '五星' },
        { value: 'four', label: '四星' },
      ],
    })
    const { page, crm, host } = await open('customer/merge', {
      crm: fakeCrm({ first: { custom: { cf_star0001: 'five' } } }),
      fail: (r) =>
        r.url.endsWith('/api/customers/C010')
          ? { status: 200, body: customer(10, { custom: { cf_star0001: 'four' } }) }
          : undefined,
    })
    host.dd.setStorageSync({
      key: 'crm.fields',
      data: {
        version: 1,
        collections: { ...BUILT_IN_FIELDS, customers: [...BUILT_IN_FIELDS.customers, star] },
      },
    })
    await page.callMethod('onLoad', { id: 'C001' })
    await page.callMethod('onCandidateTap', tap({ id: 'C010' }))
    const choice = page.data.choices.find((c: { label: string }) => c.label === '客户星级')
    expect(choice.options.map((o: { text: string; on: boolean }) => [o.text, o.on])).toEqual([
      ['五星', true],
      ['四星', false],
    ])
    await page.callMethod('onChoiceTap', tap({ field: choice.field, id: 'C010' }))
    await page.callMethod('onMerge')
    expect(crm.posted.at(-1)?.body).toMatchObject({ fields: {}, custom: { cf_star0001: 'C010' } })
  })

  it('merges nothing when the confirmation is cancelled', async () => {
    const { page, crm } = await open('customer/merge', { confirm: false })
    await page.callMethod('onLoad', { id: 'C001' })
    await page.callMethod('onCandidateTap', tap({ id: 'C011' }))
    await page.callMethod('onMerge')
    expect(crm.posted).toEqual([])
  })

  it('finds other customers by name to pick', async () => {
    const { page, host } = await open('customer/merge')
    await page.callMethod('onLoad', { id: 'C001' })
    await page.callMethod('onSearchInput', { detail: { value: '客户 4' } })
    await page.callMethod('onSearch')
    expect(host.requests().at(-1)!.url.searchParams.get('q')).toBe('客户 4')
    expect(page.data.candidates.map((c: { title: string }) => c.title)).toContain('客户 45')
  })

  it('shows a failed load with 重试', async () => {
    const { page } = await open('customer/merge')
    await page.callMethod('onLoad', { id: 'C999' })
    expect(page.data.error).toBe('记录不存在')
    expect(page.data.target).toBeNull()
  })

  it('is where a customer detail’s 客户合并 leads', async () => {
    const { page, host } = await open('customer/detail')
    await page.callMethod('onLoad', { id: 'C001' })
    await page.callMethod('onAction', tap({ key: 'merge' }))
    expect(host.callsTo('navigateTo').at(-1).url).toBe('/pages/customer/merge?id=C001')
  })
})

describe('查重', () => {
  it('lists customers with a similar name, whose they are, and says so when none match', async () => {
    const { page, host } = await open('customer/duplicates')
    await page.callMethod('onLoad', {})
    expect(page.data).toMatchObject({ searched: false, rows: [] })
    await page.callMethod('onNameInput', { detail: { value: '客户 10' } })
    const searching = page.callMethod('onSearch')
    expect(page.data.loading).toBe(true)
    await searching
    expect(page.data.rows.map((r: { title: string; brief: string }) => [r.title, r.brief])).toEqual([
      ['客户 10', '名称相近 · 客户经理 王靓依'],
      ['客户 100', '名称相近 · 在公海中'],
      ['客户 101', '名称相近 · 在公海中'],
    ])
    await page.callMethod('onHitTap', tap({ id: 'C100' }))
    expect(host.callsTo('navigateTo').at(-1).url).toBe('/pages/customer/detail?id=C100')
    await page.callMethod('onNameInput', { detail: { value: '没有的名字' } })
    await page.callMethod('onSearch')
    expect(page.data).toMatchObject({ searched: true, rows: [], loading: false })
  })

  it('starts with ?name= and shows a failure with 重试', async () => {
    let down = true
    const { page } = await open('customer/duplicates', {
      fail: (r) => (down && r.url.includes('duplicates') ? serverError : undefined),
    })
    await page.callMethod('onLoad', { name: encodeURIComponent('客户 10') })
    expect(page.data.error).not.toBe('')
    down = false
    await page.callMethod('onRetry')
    expect(page.data.rows).toHaveLength(3)
  })

  it('is linked above the customer list, with 导入 and 导出', async () => {
    const { page, host } = await open('customer/list')
    expect(page.data.tools.map((t: { label: string }) => t.label)).toEqual(['查重', '导入', '导出'])
    await page.callMethod('onTool', tap({ key: 'duplicates' }))
    expect(host.callsTo('navigateTo').at(-1).url).toBe('/pages/customer/duplicates')
  })
})

describe('导出', () => {
  it('downloads the list as filtered, with the session, and opens it in DingTalk to forward', async () => {
    const { page, host } = await open('customer/list', { choose: [0] })
    await page.callMethod('onLoad', {})
    await page.callMethod('onFilterPick', {
      currentTarget: { dataset: { name: 'category' } },
      detail: { value: 1 },
    })
    await page.callMethod('onTool', tap({ key: 'export' }))
    const [download] = host.callsTo('downloadFile')
    const url = new URL(download.url)
    expect(url.pathname).toBe('/api/exports/customers')
    expect(Object.fromEntries(url.searchParams)).toEqual({ category: 'A', format: 'xlsx' })
    expect(download.header).toEqual({ authorization: 'Bearer token-1' })
    expect(host.callsTo('openDocument')).toEqual([
      expect.objectContaining({ filePath: 'dd://download/1', fileType: 'xlsx' }),
    ])
  })

  it('says why when the download fails', async () => {
    const { page, host } = await open('contract/list', { choose: [1], download: () => 500 })
    await page.callMethod('onLoad', {})
    await page.callMethod('onTool', tap({ key: 'export' }))
    expect(new URL(host.callsTo('downloadFile')[0].url).searchParams.get('format')).toBe('csv')
    expect(host.callsTo('openDocument')).toHaveLength(0)
    expect(host.callsTo('showToast').at(-1)).toMatchObject({ type: 'fail' })
  })
})

describe('导入', () => {
  const job = (extra: Record<string, unknown> = {}) => ({
    id: 'J1',
    collection: 'customers',
    status: 'done',
    policy: 'update',
    target: 'pool',
    fileName: '客户.xlsx',
    total: 12,
    processed: 12,
    created: 9,
    updated: 1,
    skipped: 0,
    failed: 2,
    errors: [
      { row: 3, message: '请填写客户名称' },
      { row: 7, message: '电话格式不正确' },
    ],
    errorReportUrl: '/api/imports/J1/errors.xlsx',
    message: null,
    createdAt: '2026-03-01T01:00:00Z',
    updatedAt: '2026-03-01T01:00:00Z',
    ...extra,
  })
  const file = { path: 'dd://file/1', size: 20_480, name: '客户.xlsx' }

  it('uploads the chosen file with the policy and 公海, then shows the counts and failed rows', async () => {
    const { page, host } = await open('import/index', { file, upload: () => ({ status: 200, body: job() }) })
    await page.callMethod('onLoad', { collection: 'customers', target: 'pool' })
    expect(page.data).toMatchObject({ noun: '客户', target: 'pool', canChoose: true })
    await page.callMethod('onChooseFile')
    // as DingTalk documents chooseFile: count and multiSelection (no type filter)
    expect(host.callsTo('chooseFile')).toEqual([
      { count: 1, multiSelection: false, success: expect.any(Function), fail: expect.any(Function) },
    ])
    expect(page.data.file).toEqual({ path: 'dd://file/1', name: '客户.xlsx', size: '20 KB' })
    await page.callMethod('onPolicyTap', tap({ key: 'update' }))
    await page.callMethod('onStart')
    const [upload] = host.callsTo('uploadFile')
    expect(new URL(upload.url).pathname).toBe('/api/imports/customers')
    expect(upload).toMatchObject({
      filePath: 'dd://file/1',
      fileName: 'file',
      formData: { policy: 'update', target: 'pool' },
      header: { authorization: 'Bearer token-1' },
    })
    expect(page.data.job).toMatchObject({
      title: '导入完成：客户.xlsx',
      percent: 100,
      processed: '已处理 12 / 12 行',
      errors: ['第 3 行：请填写客户名称', '第 7 行：电话格式不正确'],
      hasErrors: true,
    })
    await page.callMethod('onOpenList')
    expect(host.callsTo('redirectTo').at(-1).url).toBe('/pages/pool/index')
  })

  it('follows a job still running until it is done', async () => {
    let reads = 0
    const { page } = await open('import/index', {
      file,
      upload: () => ({ status: 200, body: job({ status: 'running', processed: 5, created: 5, failed: 0 }) }),
      fail: (r) =>
        r.url.endsWith('/api/imports/J1')
          ? { status: 200, body: job(++reads === 1 ? { status: 'running', processed: 9 } : {}) }
          : undefined,
    })
    await page.callMethod('onLoad', { collection: 'leads' })
    await page.callMethod('onChooseFile')
    const running = page.callMethod('onStart')
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(page.data.job).toMatchObject({ status: 'running', percent: 42 })
    await running
    expect(reads).toBe(2)
    expect(page.data.job).toMatchObject({ status: 'done', percent: 100 })
  }, 10_000)

  it('shows the API message when the upload is refused', async () => {
    const { page, host } = await open('import/index', {
      file,
      upload: () => ({
        status: 400,
        body: { error: { code: 'import.unreadable', message: '无法读取文件' } },
      }),
    })
    await page.callMethod('onLoad', { collection: 'leads' })
    await page.callMethod('onChooseFile')
    await page.callMethod('onStart')
    expect(page.data.job).toBeNull()
    expect(host.callsTo('showToast').at(-1)).toEqual({ content: '无法读取文件', type: 'fail' })
  })

  it('points to the PC console where this DingTalk cannot pick a file', async () => {
    const { page } = await open('import/index', { file: false })
    await page.callMethod('onLoad', { collection: 'leads' })
    expect(page.data.canChoose).toBe(false)
  })

  it('gives the PC console’s 导入 link to copy where dd.canIUse says chooseFile is missing', async () => {
    const { page, host } = await open('import/index', { file, canIUse: { chooseFile: false } })
    await page.callMethod('onLoad', { collection: 'customers', target: 'pool' })
    expect(page.data).toMatchObject({
      canChoose: false,
      link: { url: 'http://api.test/import/customers?target=pool' },
    })
    await page.callMethod('onChooseFile')
    expect(host.callsTo('chooseFile')).toHaveLength(0)
    await page.callMethod('onCopyLink')
    expect(host.callsTo('setClipboard')[0].text).toBe('http://api.test/import/customers?target=pool')
    expect(host.callsTo('showToast').at(-1)).toEqual({ content: '已复制', type: 'success' })
  })
})

describe('detail actions: one primary, the rest under 更多', () => {
  const labels = (rows: { label: string }[]) => rows.map((r) => r.label)

  it('shows 写跟进 alone and puts 删除 last under 更多, after 打印', async () => {
    const { page } = await open('customer/detail')
    await page.callMethod('onLoad', { id: 'C001' })
    expect(page.data.primary).toMatchObject({ key: 'followUp', label: '写跟进', type: 'primary' })
    const more = labels(page.data.more)
    expect(more.slice(-2)).toEqual(['打印', '删除'])
    expect(more).toEqual(expect.arrayContaining(['客户合并', '协助跟进人', '返回公海', '编辑']))
    expect(page.data.more.find((a: { key: string }) => a.key === 'delete').type).toBe('warn')
  })

  it('runs the action picked under 更多', async () => {
    const { page, host } = await open('customer/detail', { choose: [] })
    await page.callMethod('onLoad', { id: 'C001' })
    const merge = page.data.more.findIndex((a: { key: string }) => a.key === 'merge')
    const { page: again, host: host2 } = await open('customer/detail', { choose: [merge] })
    await again.callMethod('onLoad', { id: 'C001' })
    await again.callMethod('onMore')
    expect(host2.callsTo('showActionSheet')[0]).toMatchObject({ title: '更多' })
    expect(host2.callsTo('navigateTo').at(-1).url).toBe('/pages/customer/merge?id=C001')
    // cancelled: nothing runs
    await page.callMethod('onMore')
    expect(host.callsTo('navigateTo')).toHaveLength(0)
  })

  it('sets 协助跟进人: ticks people in the sheet, then 完成', async () => {
    const probe = await open('customer/detail')
    await probe.page.callMethod('onLoad', { id: 'C001' })
    const index = probe.page.data.more.findIndex((a: { key: string }) => a.key === 'collaborators')
    // 更多 → 协助跟进人; then 郑纬祺 (items: 完成, 郑纬祺, 刘琦: not 王靓依, the owner), 刘琦, 刘琦 again
    // (untick), 完成
    const { page, crm, host } = await open('customer/detail', { choose: [index, 1, 2, 2, 0] })
    await page.callMethod('onLoad', { id: 'C001' })
    await page.callMethod('onMore')
    expect(crm.posted.at(-1)).toEqual({
      path: 'PUT /api/customers/C001/collaborators',
      body: { collaboratorIds: ['sales2'] },
    })
    expect(host.callsTo('showActionSheet').at(-1).items).toEqual(['完成（已选 1 人）', '✓ 郑纬祺', '刘琦'])
    expect(host.callsTo('showToast').at(-1)).toMatchObject({ content: '已设置 1 位协助跟进人' })
  })

  it('offers no 协助跟进人 on a pool customer', async () => {
    const { page } = await open('customer/detail', { role: 'manager' })
    await page.callMethod('onLoad', { id: 'C100' })
    expect(page.data.actions.map((a: { key: string }) => a.key)).not.toContain('collaborators')
  })

  /** the index of 协助跟进人 under 更多 on C001 */
  async function collaboratorsIndex(first: Record<string, unknown> = {}) {
    const probe = await open('customer/detail', { crm: fakeCrm({ first }) })
    await probe.page.callMethod('onLoad', { id: 'C001' })
    return probe.page.data.more.findIndex((a: { key: string }) => a.key === 'collaborators') as number
  }

  it('sets 协助跟进人 in DingTalk’s people picker, the current ones ticked, only CRM users kept', async () => {
    const first = { collaboratorIds: ['sales2'] }
    const { page, crm, host } = await open('customer/detail', {
      crm: fakeCrm({ first }),
      choose: [await collaboratorsIndex(first)],
      people: [
        { emplId: 'sales2', name: '郑纬祺' },
        { emplId: 'mgr1', name: '刘琦' },
        { emplId: 'visitor9', name: '访客' },
      ],
    })
    await page.callMethod('onLoad', { id: 'C001' })
    await page.callMethod('onMore')
    expect(host.callsTo('complexChoose')).toEqual([
      expect.objectContaining({
        title: '协助跟进人',
        multiple: true,
        maxUsers: 20,
        pickedUsers: ['sales2'],
        disabledUsers: ['sales1'],
        responseUserOnly: true,
      }),
    ])
    // only 更多 was an action sheet
    expect(host.callsTo('showActionSheet')).toHaveLength(1)
    expect(crm.posted.at(-1)).toEqual({
      path: 'PUT /api/customers/C001/collaborators',
      body: { collaboratorIds: ['sales2', 'mgr1'] },
    })
    expect(host.callsTo('showToast').map((t: { content: string }) => t.content)).toEqual([
      '访客 不是 CRM 的用户，未选入',
      '已设置 2 位协助跟进人',
    ])
  })

  it('asks before removing a 协助跟进人, and keeps them when the answer is no', async () => {
    const first = { collaboratorIds: ['sales2', 'mgr1'] }
    const index = await collaboratorsIndex(first)
    const people = [{ emplId: 'sales2', name: '郑纬祺' }]
    const refused = await open('customer/detail', {
      crm: fakeCrm({ first }),
      choose: [index],
      people,
      confirm: false,
    })
    await refused.page.callMethod('onLoad', { id: 'C001' })
    await refused.page.callMethod('onMore')
    expect(refused.host.callsTo('confirm').at(-1)).toMatchObject({
      title: '移除协助跟进人',
      content: '「刘琦」 将不再协助跟进「客户 1」',
      confirmButtonText: '移除',
    })
    expect(refused.crm.posted).toEqual([])

    const agreed = await open('customer/detail', { crm: fakeCrm({ first }), choose: [index], people })
    await agreed.page.callMethod('onLoad', { id: 'C001' })
    await agreed.page.callMethod('onMore')
    expect(agreed.crm.posted.at(-1)?.body).toEqual({ collaboratorIds: ['sales2'] })
  })

  it('keeps the action sheet where dd.canIUse says the people picker is missing, and changes nothing when cancelled', async () => {
    const index = await collaboratorsIndex()
    const { page, crm, host } = await open('customer/detail', {
      choose: [index, -1],
      people: [{ emplId: 'sales2', name: '郑纬祺' }],
      canIUse: { complexChoose: false },
    })
    await page.callMethod('onLoad', { id: 'C001' })
    await page.callMethod('onMore')
    expect(host.callsTo('complexChoose')).toHaveLength(0)
    expect(host.callsTo('showActionSheet').at(-1).items).toEqual(['完成（已选 0 人）', '郑纬祺', '刘琦'])
    expect(crm.posted).toEqual([])
  })

  it('picks the one person of 经理调整 in DingTalk’s people picker', async () => {
    const { page, crm, host } = await open('customer/detail', {
      role: 'manager',
      people: [{ emplId: 'sales2', name: '郑纬祺' }],
    })
    await page.callMethod('onLoad', { id: 'C001' })
    await page.callMethod('onAction', tap({ key: 'assign' }))
    expect(host.callsTo('complexChoose')[0]).toMatchObject({ multiple: false, maxUsers: 1 })
    expect(host.callsTo('showActionSheet')).toHaveLength(0)
    expect(crm.posted).toEqual([{ path: 'POST /api/customers/C001/assign', body: { ownerId: 'sales2' } }])
  })

  it('picks 协助跟进人 on the new customer form in DingTalk’s people picker', async () => {
    const { page, host } = await open('customer/form', { people: [{ emplId: 'mgr1', name: '刘琦' }] })
    await page.callMethod('onLoad', {})
    await page.callMethod('onTapField', 'collaboratorIds')
    expect(host.callsTo('complexChoose')[0]).toMatchObject({ title: '选择协助跟进人', multiple: true })
    expect(page.data.fields.find((f: { name: string }) => f.name === 'collaboratorIds')).toMatchObject({
      value: ['mgr1'],
      text: '刘琦',
    })
  })

  it('marks a lead 无效 through 标记无效 with the reason typed', async () => {
    const probe = await open('lead/detail')
    await probe.page.callMethod('onLoad', { id: 'L1' })
    expect(probe.page.data.primary).toMatchObject({ label: '转为新客户' })
    const index = probe.page.data.more.findIndex((a: { key: string }) => a.key === 'invalid')
    expect(probe.page.data.more[index]).toMatchObject({ label: '标记无效' })
    const { page, crm } = await open('lead/detail', { choose: [index], prompt: ['电话空号'] })
    await page.callMethod('onLoad', { id: 'L1' })
    await page.callMethod('onMore')
    expect(crm.posted.at(-1)).toEqual({ path: 'POST /api/leads/L1/invalid', body: { reason: '电话空号' } })
  })
})

describe('设置 (read-only on the phone)', () => {
  const pool = {
    dailyClaimLimit: 5,
    holdingCap: null,
    holdingCapExcludesWon: false,
    uniqueCustomerNames: true,
    maskPoolPhones: true,
    cooldownDays: 7,
    recycle: { A: { noFollowUpDays: 30, noWonDays: null } },
    exemptOpenOpportunity: true,
    warnDays: 3,
    version: 2,
  }
  const flows = {
    version: 1,
    flows: [
      {
        id: 'F1',
        name: '大额合同审批',
        collection: 'contracts',
        on: 'create',
        condition: { field: 'amount', op: 'gte', value: 100000 },
        steps: [{ approver: { type: 'manager' }, mode: 'or' }],
        enabled: true,
      },
    ],
  }
  const settings = (r: HttpCall): HttpAnswer | undefined =>
    r.url.endsWith('/api/settings/pool')
      ? { status: 200, body: pool }
      : r.url.endsWith('/api/settings/approvals')
        ? { status: 200, body: flows }
        : undefined

  it('lists the groups for an admin, with the PC console hint, and opens one', async () => {
    const { page, host } = await open('settings/index', { role: 'admin' })
    await page.callMethod('onLoad', {})
    expect(page.data.groups.map((g: { title: string }) => g.title)).toEqual([
      '公海规则',
      '销售阶段',
      '回款规则',
      '审批流程',
      '通知设置',
      '用户角色',
      '字段管理',
    ])
    await page.callMethod('onGroupTap', tap({ key: 'pool' }))
    await page.callMethod('onGroupTap', tap({ key: 'notifications' }))
    expect(host.callsTo('navigateTo').map((c: { url: string }) => c.url)).toEqual([
      '/pages/settings/index?group=pool',
      '/pages/settings/notifications',
    ])
  })

  it('shows 公海规则 in words', async () => {
    const { page } = await open('settings/index', { role: 'admin', fail: settings })
    await page.callMethod('onLoad', { group: 'pool' })
    const rows = page.data.sections.flatMap((s: { rows: unknown[] }) => s.rows)
    expect(rows).toEqual(
      expect.arrayContaining([
        { label: '每人每日领取上限', value: '5 个' },
        { label: '每人持有客户上限', value: '不限' },
        { label: 'A 类客户', value: '30 天未跟进退回公海' },
        { label: '回收前提醒', value: '提前 3 天' },
      ]),
    )
  })

  it('shows 审批流程 and 销售阶段', async () => {
    const { page } = await open('settings/index', { role: 'admin', fail: settings })
    await page.callMethod('onLoad', { group: 'approvals' })
    expect(page.data.sections[0]).toEqual({
      title: '大额合同审批',
      rows: [
        { label: '适用', value: '新建合同 · 条件：amount ≥ 100000' },
        { label: '第 1 步', value: '提交人的主管 · 或签（一人同意即可）' },
      ],
    })
    const stages = await open('settings/index', { role: 'admin' })
    await stages.page.callMethod('onLoad', { group: 'stages' })
    expect(stages.page.data.sections[0].rows[0]).toEqual({ label: '初步沟通', value: '赢率 10% · 进行中' })
  })

  it('shows a failed load with 重试', async () => {
    let down = true
    const { page } = await open('settings/index', {
      role: 'admin',
      fail: (r) => (down && r.url.includes('/api/settings/stages') ? serverError : undefined),
    })
    await page.callMethod('onLoad', { group: 'stages' })
    expect(page.data.error).not.toBe('')
    down = false
    await page.callMethod('onRetry')
    expect(page.data.sections[0].rows).toHaveLength(6)
  })

  it('copies the PC console’s link to the group, and opens it with dd.openLink', async () => {
    const { page, host } = await open('settings/index', { role: 'admin', fail: settings })
    await page.callMethod('onLoad', { group: 'pool' })
    expect(page.data.link).toEqual({ url: 'http://api.test/settings/pool', canOpen: true })
    await page.callMethod('onCopyLink')
    expect(host.callsTo('setClipboard')[0].text).toBe('http://api.test/settings/pool')
    expect(host.callsTo('showToast').at(-1)).toEqual({ content: '已复制', type: 'success' })
    await page.callMethod('onOpenLink')
    expect(host.callsTo('openLink')[0].url).toBe('http://api.test/settings/pool')
  })

  it('offers no 打开网页版 where this DingTalk has no openLink', async () => {
    const { page } = await open('settings/index', { role: 'admin', canIUse: { openLink: false } })
    await page.callMethod('onLoad', {})
    expect(page.data.link).toEqual({ url: 'http://api.test/settings', canOpen: false })
  })

  it('shows a member nothing', async () => {
    const { page, host } = await open('settings/index')
    await page.callMethod('onLoad', { group: 'pool' })
    expect(page.data.allowed).toBe(false)
    expect(host.requests()).toHaveLength(0)
  })
})
