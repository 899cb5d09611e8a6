import { describe, expect, it } from 'vitest'
import { LOGIN } from './fake-api.js'
import { fakeCrm } from './fake-crm.js'
import { fakeDd, loadPage, type HttpAnswer, type HttpCall } from './host.js'

/**
 * 工作台 动态 in the mini-program (shared/view/feed.ts): a section of the home page (loading, its rows,
 * nothing yet, failed with 重试) and the page of all of it (全部 / 我的), each row opening its record.
 */
const PAGES = '../../miniapp/src/pages'

const activity = (n: number, recordType = 'contracts') => ({
  id: `A${n}`,
  recordType,
  recordId: `R${n}`,
  action: 'created',
  summary: `创建了发票「水电费等 ¥${n}」`,
  actorId: 'admin',
  actorName: '王二',
  at: '2026-03-01T02:00:00Z',
})

/** The fake CRM with `/api/feed` answered by `feed` (the requests it got are kept). */
async function open(page: string, feed: (url: URL) => HttpAnswer) {
  const crm = fakeCrm()
  const asked: URL[] = []
  const host = fakeDd({
    http: (request: HttpCall) => {
      const url = new URL(request.url)
      if (url.pathname !== '/api/feed') return crm.http(request)
      asked.push(url)
      return feed(url)
    },
  })
  host.dd.setStorageSync({ key: 'crm.session', data: LOGIN })
  host.calls.length = 0
  return { host, asked, page: await loadPage(`${PAGES}/${page}.ts`, host.dd) }
}

const ok = (items: unknown[], nextCursor: string | null = null): HttpAnswer => ({
  status: 200,
  body: { items, nextCursor },
})
const down: HttpAnswer = { status: 503, body: { error: { code: 'internal', message: '服务暂时不可用' } } }

describe('工作台动态 on the home page', () => {
  it('shows the newest activity by name, and a tap opens its record', async () => {
    const { page, host, asked } = await open('home/index', () => ok([activity(1), activity(2, 'customers')]))
    expect(page.data.feed.state).toBe('loading')
    await page.callMethod('onLoad', {})
    expect(asked[0].searchParams.get('limit')).toBe('5')
    expect(page.data.feed.state).toBe('ready')
    expect(page.data.feed.rows[0]).toEqual({
      id: 'contracts/R1/A1',
      title: '王二 创建了发票「水电费等 ¥1」',
      brief: '2026-03-01 10:00 · 合同',
    })
    await page.callMethod('onFeedTap', { currentTarget: { dataset: { id: page.data.feed.rows[1].id } } })
    expect(host.callsTo('navigateTo')).toEqual([{ url: '/pages/customer/detail?id=R2' }])
  })

  it('says there is nothing yet when the feed is empty', async () => {
    const { page } = await open('home/index', () => ok([]))
    await page.callMethod('onLoad', {})
    expect(page.data.feed).toMatchObject({ state: 'empty', rows: [] })
    expect(page.data.feedEmpty).toBe('还没有动态')
  })

  it('shows a failed feed with 重试 while the rest of the board stands, and 重试 loads it', async () => {
    let up = false
    const { page } = await open('home/index', () => (up ? ok([activity(1)]) : down))
    await page.callMethod('onLoad', {})
    expect(page.data.feed).toMatchObject({ state: 'failed', error: '服务暂时不可用' })
    expect(page.data.error).toBe('')
    expect(page.data.leads.length).toBeGreaterThan(0)
    up = true
    await page.callMethod('onFeedRetry')
    expect(page.data.feed.state).toBe('ready')
    expect(page.data.feed.rows).toHaveLength(1)
  })
})

describe('the 动态 page', () => {
  it('pages the feed, narrows it to 我的, and retries a failed load', async () => {
    let fail = false
    const { page, host, asked } = await open('feed/index', (url) =>
      fail ? down : url.searchParams.get('cursor') ? ok([activity(3)]) : ok([activity(1), activity(2)], 'c2'),
    )
    await page.callMethod('onLoad', {})
    expect(page.data.rows.map((r: { title: string }) => r.title)).toEqual([
      '王二 创建了发票「水电费等 ¥1」',
      '王二 创建了发票「水电费等 ¥2」',
    ])
    await page.callMethod('onReachBottom')
    expect(page.data.rows).toHaveLength(3)
    await page.callMethod('onFilterPick', {
      currentTarget: { dataset: { name: 'mine' } },
      detail: { value: 1 },
    })
    expect(asked.at(-1)!.searchParams.get('mine')).toBe('true')
    fail = true
    await page.callMethod('onPullDownRefresh')
    expect(page.data.error).toBe('服务暂时不可用')
    fail = false
    await page.callMethod('onRetry')
    expect(page.data.error).toBe('')
    await page.callMethod('onItemTap', page.data.rows[0].id)
    expect(host.callsTo('navigateTo')).toEqual([{ url: '/pages/contract/detail?id=R1' }])
  })
})
