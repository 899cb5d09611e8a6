import { describe, expect, it } from 'vitest'
import { useStack } from '../helpers/stack.js'
import { fakeDd, loadPage, type HttpCall } from './host.js'

const t = useStack()
const PAGES = '../../miniapp/src/pages'

/** `dd` for sales1 on the real local stack: httpRequest over fetch, getAuthCode from the emulator. */
function ddOnStack() {
  const http = async ({ method, url, headers, body }: HttpCall) => {
    const response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await response.text()
    return { status: response.status, body: text ? JSON.parse(text) : undefined }
  }
  const authCode = async () =>
    (await t.http('POST', '/dingtalk/__authcode', { body: { userId: 'sales1' } })).json.authCode
  return fakeDd({ http, authCode })
}

describe('the mini-program against the real local API', () => {
  it('signs sales1 in, lists products, creates one through the form and shows it', async () => {
    const host = ddOnStack()

    const launch = await loadPage(`${PAGES}/launch/index.ts`, host.dd, t.baseUrl)
    await launch.callMethod('onLoad', {})
    expect(launch.data.error).toBe('')
    expect(host.callsTo('reLaunch')).toEqual([{ url: '/pages/home/index' }])

    const list = await loadPage(`${PAGES}/product/list.ts`, host.dd, t.baseUrl)
    await list.callMethod('onLoad', {})
    expect(list.data).toMatchObject({ loaded: true, error: '' })
    const before = list.data.rows.length

    const form = await loadPage(`${PAGES}/product/form.ts`, host.dd, t.baseUrl)
    await form.callMethod('onLoad', {})
    await form.callMethod('onFieldChange', 'name', '小程序新建 云盘企业版')
    await form.callMethod('onFieldChange', 'price', '88.8')
    await form.callMethod('onFieldChange', 'unit', '年')
    await form.callMethod('onSubmit')
    expect(form.data.error).toBe('')
    const [{ url }] = host.callsTo('redirectTo')
    const id = new URL(url, 'https://miniapp').searchParams.get('id')!

    const stored = await t.http('GET', `/api/products/${id}`, { token: await t.login('sales1') })
    expect(stored.json).toMatchObject({
      name: '小程序新建 云盘企业版',
      price: 88.8,
      unit: '年',
      createdBy: 'sales1',
    })

    const detail = await loadPage(`${PAGES}/product/detail.ts`, host.dd, t.baseUrl)
    await detail.callMethod('onLoad', { id })
    expect(detail.data.title).toBe('小程序新建 云盘企业版')
    expect(detail.data.fields).toContainEqual({ label: '单价（元）', value: '¥88.80' })

    await list.callMethod('onPullDownRefresh')
    expect(list.data.rows.length).toBe(Math.min(before + 1, 20))
    expect(list.data.rows[0]).toMatchObject({ id, title: '小程序新建 云盘企业版' })
    // one DingTalk login for the whole walk: the token was kept and reused
    expect(host.callsTo('getAuthCode')).toHaveLength(1)
  })

  it('signs sales1 in, finds a customer in the list and writes a follow-up that the customer then shows', async () => {
    const host = ddOnStack()
    const token = await t.login('sales1')
    const created = await t.http('POST', '/api/customers', { token, body: { name: '小程序跟进 测试客户' } })
    expect(created.status).toBe(201)
    const customerId = created.json.id as string

    const launch = await loadPage(`${PAGES}/launch/index.ts`, host.dd, t.baseUrl)
    await launch.callMethod('onLoad', {})
    expect(launch.data.error).toBe('')

    const list = await loadPage(`${PAGES}/customer/list.ts`, host.dd, t.baseUrl)
    await list.callMethod('onLoad', {})
    expect(list.data.error).toBe('')
    expect(list.data.summary).toMatch(/^共有 \d+ 条记录$/)
    await list.callMethod('onSearchSubmit', '小程序跟进')
    expect(list.data.rows.map((r: { id: string }) => r.id)).toEqual([customerId])

    const form = await loadPage(`${PAGES}/followup/form.ts`, host.dd, t.baseUrl)
    await form.callMethod('onLoad', { customerId })
    await form.callMethod('onFieldChange', 'method', 'visit')
    await form.callMethod('onFieldChange', 'content', '在小程序里写的跟进')
    await form.callMethod('onFieldChange', 'followedAt', '2026-03-02 10:00')
    await form.callMethod('onSubmit')
    expect(form.data.error).toBe('')
    const [{ url }] = host.callsTo('redirectTo')
    const followUpId = new URL(url, 'https://miniapp').searchParams.get('id')!

    const stored = await t.http('GET', `/api/followups/${followUpId}`, { token })
    expect(stored.json).toMatchObject({
      customerId,
      method: 'visit',
      content: '在小程序里写的跟进',
      createdBy: 'sales1',
    })
    const customer = await t.http('GET', `/api/customers/${customerId}`, { token })
    expect(Date.parse(customer.json.lastFollowUpAt)).toBe(Date.parse('2026-03-02T10:00:00+08:00'))
  })

  it('names whose each row is: a contact shows its 客户, fetched for the whole page at once', async () => {
    const token = await t.login('sales1')
    const customer = await t.http('POST', '/api/customers', { token, body: { name: '行内客户名有限公司' } })
    await t.http('POST', '/api/contacts', {
      token,
      body: { customerId: customer.json.id, name: '行内联系人', title: '采购经理' },
    })
    const host = ddOnStack()
    const launch = await loadPage(`${PAGES}/launch/index.ts`, host.dd, t.baseUrl)
    await launch.callMethod('onLoad', {})
    const list = await loadPage(`${PAGES}/contact/list.ts`, host.dd, t.baseUrl)
    await list.callMethod('onLoad', {})
    const row = list.data.rows.find((r: { title: string }) => r.title === '行内联系人')
    expect(row.brief).toBe('行内客户名有限公司 · 主联系人 · 采购经理')
    const nameCalls = host.callsTo('httpRequest').filter((c: { url: string }) => c.url.includes('/api/names'))
    expect(nameCalls).toHaveLength(1)
    expect(host.callsTo('httpRequest').some((c: { url: string }) => c.url.includes('/api/customers/'))).toBe(
      false,
    )
  })

  it('finds a customer on the 全文检索 page by name and opens its detail', async () => {
    const token = await t.login('sales1')
    const customer = await t.http('POST', '/api/customers', {
      token,
      body: { name: '小程序检索目标有限公司' },
    })
    const host = ddOnStack()
    const launch = await loadPage(`${PAGES}/launch/index.ts`, host.dd, t.baseUrl)
    await launch.callMethod('onLoad', {})
    const search = await loadPage(`${PAGES}/search/index.ts`, host.dd, t.baseUrl)
    await search.callMethod('onLoad', {})
    expect(search.data).toMatchObject({ rows: [], empty: true })
    expect(host.callsTo('httpRequest').some((c: { url: string }) => c.url.includes('/api/search'))).toBe(
      false,
    )
    await search.callMethod('onSearchSubmit', '检索目标')
    expect(search.data.rows).toEqual([
      { id: `customers/${customer.json.id}`, title: '小程序检索目标有限公司', brief: '客户 · 名称匹配' },
    ])
    expect(search.data.summary).toBe('共有 1 条记录')
    await search.callMethod('onItemTap', `customers/${customer.json.id}`)
    expect(host.callsTo('navigateTo').at(-1)).toEqual({
      url: `/pages/customer/detail?id=${customer.json.id}`,
    })
  })

  it('opens a customer’s print page in the web-view from 打印, and the page opens without a header', async () => {
    const host = ddOnStack()
    const token = await t.login('sales1')
    const { json: customer } = await t.http('POST', '/api/customers', {
      token,
      body: { name: '小程序打印客户' },
    })
    const launch = await loadPage(`${PAGES}/launch/index.ts`, host.dd, t.baseUrl)
    await launch.callMethod('onLoad', {})
    const detail = await loadPage(`${PAGES}/customer/detail.ts`, host.dd, t.baseUrl)
    await detail.callMethod('onLoad', { id: customer.id })
    expect(detail.data.printable).toBe(true)
    await detail.callMethod('onPrint')
    const [{ url }] = host.callsTo('navigateTo')
    const target = new URL(url, 'https://miniapp')
    expect(target.pathname).toBe('/pages/web/index')
    const web = await loadPage(`${PAGES}/web/index.ts`, host.dd, t.baseUrl)
    await web.callMethod('onLoad', { url: target.searchParams.get('url')! })
    const page = await fetch(web.data.url) // as the web-view opens it: no Authorization header
    expect([page.status, (await page.text()).includes('客户：小程序打印客户')]).toEqual([200, true])
  })
})
