import { describe, expect, it } from 'vitest'
import { reportRanges } from '../../shared/view/reports.js'
import { LOGIN } from './fake-api.js'
import { fakeCrm } from './fake-crm.js'
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
