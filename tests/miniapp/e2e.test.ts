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
