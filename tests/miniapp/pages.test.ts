import { describe, expect, it } from 'vitest'
import { fakeApi, LOGIN, product } from './fake-api.js'
import { fakeDd, loadPage, settle, type HttpCall } from './host.js'

const PAGES = '../../miniapp/src/pages'
/** A product list page on a fake API, with a session already stored (as after the launch page). */
async function productList(api = fakeApi(), { signedIn = true } = {}) {
  const host = fakeDd({ http: api.http })
  if (signedIn) host.dd.setStorageSync({ key: 'crm.session', data: LOGIN })
  host.calls.length = 0
  const page = await loadPage(`${PAGES}/product/list.ts`, host.dd)
  return { host, page, api }
}

describe('product list page', () => {
  it('loads the first page of 20 products with the session token when it opens', async () => {
    const { host, page } = await productList()
    await page.callMethod('onLoad', {})
    expect(page.data.rows).toHaveLength(20)
    // title and brief come from the shared productView, as in the H5 app
    expect(page.data.rows[0]).toEqual({ id: 'P001', title: '产品 1', brief: 'C-1 · ¥10.50' })
    expect(page.data).toMatchObject({ hasMore: true, loaded: true, empty: false, error: '' })
    const [request] = host.requests()
    expect(request.url.pathname).toBe('/api/products')
    expect(request.url.searchParams.get('limit')).toBe('20')
    expect(request.headers.authorization).toBe('Bearer token-1')
  })

  it('appends the second page when the user reaches the bottom', async () => {
    const { host, page } = await productList()
    await page.callMethod('onLoad', {})
    await page.callMethod('onReachBottom')
    expect(page.data.rows.map((r: { id: string }) => r.id).slice(18, 22)).toEqual([
      'P019',
      'P020',
      'P021',
      'P022',
    ])
    expect(page.data.rows).toHaveLength(40)
    expect(host.requests()[1].url.searchParams.get('cursor')).toBe('20')
  })

  it('stops asking for more once the last page has arrived', async () => {
    const { host, page } = await productList()
    await page.callMethod('onLoad', {})
    await page.callMethod('onReachBottom')
    await page.callMethod('onReachBottom')
    await page.callMethod('onReachBottom')
    expect(page.data.rows).toHaveLength(45)
    expect(page.data.hasMore).toBe(false)
    expect(host.requests()).toHaveLength(3)
  })

  it('reloads page one on pull-down and then stops the refresh indicator', async () => {
    const { host, page } = await productList()
    await page.callMethod('onLoad', {})
    await page.callMethod('onReachBottom')
    await page.callMethod('onPullDownRefresh')
    expect(page.data.rows).toHaveLength(20)
    expect(host.requests()[2].url.searchParams.has('cursor')).toBe(false)
    expect(host.callsTo('stopPullDownRefresh')).toHaveLength(1)
  })

  it('shows the empty state when there are no products', async () => {
    const api = fakeApi()
    api.empty()
    const { page } = await productList(api)
    await page.callMethod('onLoad', {})
    expect(page.data).toMatchObject({ rows: [], empty: true, hasMore: false, loaded: true })
  })

  it('searches with the typed words from page one', async () => {
    const { host, page } = await productList()
    await page.callMethod('onLoad', {})
    await page.callMethod('onSearchSubmit', '产品 4')
    expect(page.data.rows.map((r: { title: string }) => r.title)).toEqual([
      '产品 4',
      '产品 40',
      '产品 41',
      '产品 42',
      '产品 43',
      '产品 44',
      '产品 45',
    ])
    expect(host.requests()[1].url.searchParams.get('q')).toBe('产品 4')
  })

  it('opens the detail page of a tapped row with its id', async () => {
    const { host, page } = await productList()
    await page.callMethod('onLoad', {})
    await page.callMethod('onItemTap', 'P003')
    expect(host.callsTo('navigateTo')).toEqual([{ url: '/pages/product/detail?id=P003' }])
  })

  it('logs in again exactly once after a 401 and retries the request with the new token', async () => {
    const api = fakeApi({ validToken: 'token-2' })
    const { host, page } = await productList(api)
    await page.callMethod('onLoad', {})
    expect(host.callsTo('getAuthCode')).toEqual([expect.objectContaining({ corpId: 'ding-demo' })])
    const paths = host.requests().map((r) => `${r.method} ${r.url.pathname} ${r.headers.authorization ?? ''}`)
    expect(paths).toEqual([
      'GET /api/products Bearer token-1',
      'POST /api/auth/login ',
      'GET /api/products Bearer token-2',
    ])
    expect(page.data.rows).toHaveLength(20)
  })

  it('shares one re-login between requests that meet the expired session together', async () => {
    const api = fakeApi({ validToken: 'token-2' })
    const { host, page } = await productList(api)
    await Promise.all([page.callMethod('onLoad', {}), page.callMethod('onSearchSubmit', '产品 1')])
    expect(host.callsTo('getAuthCode')).toHaveLength(1)
  })

  it('shows the API message when the retried request is refused again, and no second login', async () => {
    const api = fakeApi()
    const http = (request: HttpCall) =>
      new URL(request.url).pathname === '/api/auth/login'
        ? api.http(request)
        : { status: 401, body: { error: { code: 'auth.invalid', message: '登录已过期，请重新登录' } } }
    const host = fakeDd({ http })
    const page = await loadPage(`${PAGES}/product/list.ts`, host.dd)
    await page.callMethod('onLoad', {})
    expect(page.data.error).toBe('登录已过期，请重新登录')
    expect(host.callsTo('getAuthCode')).toHaveLength(1)
  })

  it('logs in on its own when opened without a session (a card deep link)', async () => {
    const { host, page } = await productList(fakeApi(), { signedIn: false })
    await page.callMethod('onLoad', {})
    expect(host.callsTo('getAuthCode')).toHaveLength(1)
    expect(page.data.rows).toHaveLength(20)
  })
})

describe('launch page', () => {
  it('signs in with the DingTalk auth code and opens 工作台', async () => {
    const api = fakeApi()
    const host = fakeDd({ http: api.http, authCode: () => 'code-42' })
    const page = await loadPage(`${PAGES}/launch/index.ts`, host.dd)
    await page.callMethod('onLoad', {})
    expect(host.requests()[0].url.pathname).toBe('/api/auth/login')
    expect(JSON.parse(host.callsTo('httpRequest')[0].data)).toEqual({
      authCode: 'code-42',
      corpId: 'ding-demo',
    })
    expect(host.callsTo('reLaunch')).toEqual([{ url: '/pages/home/index' }])
  })

  it('shows why sign-in failed and signs in when the user taps 重试', async () => {
    const api = fakeApi()
    let attempts = 0
    const host = fakeDd({
      http: api.http,
      authCode: () => {
        if (++attempts === 1) throw new Error('用户未登录钉钉')
        return 'code-2'
      },
    })
    const page = await loadPage(`${PAGES}/launch/index.ts`, host.dd)
    await page.callMethod('onLoad', {})
    expect(page.data).toMatchObject({ signingIn: false, error: '钉钉免登失败：用户未登录钉钉' })
    expect(host.callsTo('reLaunch')).toHaveLength(0)
    await page.callMethod('onRetry')
    expect(page.data.error).toBe('')
    expect(host.callsTo('reLaunch')).toEqual([{ url: '/pages/home/index' }])
  })

  it('opens the page a deep link asked for after signing in', async () => {
    const host = fakeDd({ http: fakeApi().http })
    const page = await loadPage(`${PAGES}/launch/index.ts`, host.dd)
    await page.callMethod('onLoad', { redirect: encodeURIComponent('/pages/product/detail?id=P001') })
    expect(host.callsTo('reLaunch')).toEqual([{ url: '/pages/product/detail?id=P001' }])
  })
})

describe('工作台', () => {
  it('greets the signed-in user and opens the page of a tapped module', async () => {
    const host = fakeDd({ http: fakeApi().http })
    host.dd.setStorageSync({ key: 'crm.session', data: LOGIN })
    const page = await loadPage(`${PAGES}/home/index.ts`, host.dd)
    await page.callMethod('onLoad', {})
    expect(page.data.userName).toBe('王靓依')
    await page.callMethod('onModuleTap', { currentTarget: { dataset: { path: 'customers' } } })
    await page.callMethod('onModuleTap', { currentTarget: { dataset: { path: 'products' } } })
    expect(host.callsTo('navigateTo')).toEqual([
      { url: '/pages/customer/list' },
      { url: '/pages/product/list' },
    ])
  })

  it('has a page for every module of the shared grid', async () => {
    const { homeModules } = await import('../../miniapp/src/modules/index.js')
    expect(homeModules.filter((m) => !m.page).map((m) => m.label)).toEqual([])
  })
})

describe('product detail and form', () => {
  it('shows a product opened by ?id= with money in yuan', async () => {
    const host = fakeDd({ http: fakeApi().http })
    const page = await loadPage(`${PAGES}/product/detail.ts`, host.dd)
    await page.callMethod('onLoad', { id: 'P002' })
    expect(page.data.title).toBe('产品 2')
    expect(page.data.fields).toContainEqual({ label: '单价（元）', value: '¥21.00' })
    expect(page.data.fields).toContainEqual({ label: '启用', value: '启用' })
  })

  it('says the product is gone when the id is unknown', async () => {
    const host = fakeDd({ http: fakeApi().http })
    const page = await loadPage(`${PAGES}/product/detail.ts`, host.dd)
    await page.callMethod('onLoad', { id: 'NOPE' })
    expect(page.data.error).toBe('产品不存在')
  })

  it('checks the form with the shared schema and sends nothing while the name is missing', async () => {
    const host = fakeDd({ http: fakeApi().http })
    const page = await loadPage(`${PAGES}/product/form.ts`, host.dd)
    await page.callMethod('onLoad', {})
    await page.callMethod('onFieldChange', 'price', '12.345')
    await page.callMethod('onSubmit')
    const errors = Object.fromEntries(page.data.fields.map((f: any) => [f.name, f.error]))
    expect(errors.name).toBe('请填写产品名称')
    expect(errors.price).toBe('金额最多两位小数')
    expect(host.callsTo('httpRequest')).toHaveLength(0)
  })

  it('creates a product with the price in yuan on the wire and opens its detail page', async () => {
    const api = fakeApi()
    const host = fakeDd({ http: api.http })
    const page = await loadPage(`${PAGES}/product/form.ts`, host.dd)
    await page.callMethod('onLoad', {})
    await page.callMethod('onFieldChange', 'name', '云会议 年度版')
    await page.callMethod('onFieldChange', 'price', '1999.9')
    await page.callMethod('onSubmit')
    expect(api.created).toEqual([{ name: '云会议 年度版', price: 1999.9, enabled: true }])
    const post = host
      .callsTo('httpRequest')
      .find((r) => r.method === 'POST' && r.url.endsWith('/api/products'))
    expect(post.headers['idempotency-key']).toMatch(/\w+-\w+/)
    expect(host.callsTo('redirectTo')).toEqual([{ url: '/pages/product/detail?id=NEW1' }])
  })
})

describe('recycle bin', () => {
  it('restores a tapped record after confirmation and takes it off the list', async () => {
    const entry = {
      collection: 'products',
      id: 'P009',
      label: '旧产品',
      deletedAt: '2026-03-01T02:00:00Z',
      deletedBy: 'sales1',
    }
    const restored: string[] = []
    const host = fakeDd({
      http: (request) => {
        const path = new URL(request.url).pathname
        if (path === '/api/recycle-bin') return { status: 200, body: { items: [entry], nextCursor: null } }
        restored.push(`${request.method} ${path}`)
        return { status: 200, body: product(9) }
      },
    })
    host.dd.setStorageSync({ key: 'crm.session', data: LOGIN })
    const page = await loadPage(`${PAGES}/recycle-bin/index.ts`, host.dd)
    await page.callMethod('onLoad', {})
    expect(page.data.rows).toEqual([
      { id: 'products/P009', title: '旧产品', brief: '产品 · 删除于 2026-03-01 10:00', extra: '恢复' },
    ])
    await page.callMethod('onItemTap', 'products/P009')
    expect(host.callsTo('confirm')).toHaveLength(1)
    expect(restored).toEqual(['POST /api/recycle-bin/products/P009/restore'])
    expect(page.data).toMatchObject({ rows: [], empty: true })
    await settle()
  })
})
