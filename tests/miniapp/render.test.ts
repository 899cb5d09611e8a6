// @vitest-environment jsdom
import { describe, expect, it } from 'vitest'
import { fakeApi, LOGIN } from './fake-api.js'
import { fakeCrm } from './fake-crm.js'
import { fakeDd, settle, type HttpCall } from './host.js'
import { renderPage, simulate } from './simulate.js'

const textOf = (node: { dom?: Element }) => node.dom?.textContent?.replace(/\s+/g, '') ?? ''

/** Taps a mini-ali-ui button found by its `className`. */
function tapButton(page: ReturnType<typeof simulate.render>, className: string) {
  page.querySelector(`.${className}`)!.querySelector('.am-button')!.dispatchEvent('tap')
}

const signedIn = (host: ReturnType<typeof fakeDd>) => {
  host.dd.setStorageSync({ key: 'crm.session', data: LOGIN })
  host.calls.length = 0
  return host
}

describe('pages rendered in jsdom through miniprogram-simulate', () => {
  it('shows the form error under 产品名称 when 保存 is tapped with the name empty', async () => {
    const host = fakeDd()
    const page = await renderPage('pages/product/form', host)
    await settle()
    expect(textOf(page)).not.toContain('请填写产品名称')
    tapButton(page, 'form-submit')
    await simulate.sleep(10)
    expect(textOf(page)).toContain('请填写产品名称')
    expect(host.callsTo('httpRequest')).toHaveLength(0)
  })

  it('shows the network error with 重试 on the product list, and the products after the tap', async () => {
    const api = fakeApi()
    let offline = true
    const host = signedIn(
      fakeDd({
        http: (request: HttpCall) => {
          if (offline) throw new Error('net::ERR_INTERNET_DISCONNECTED')
          return api.http(request)
        },
      }),
    )
    const page = await renderPage('pages/product/list', host)
    await simulate.sleep(10)
    expect(textOf(page)).toContain('网络连接失败，请检查网络后重试')
    expect(page.querySelector('.record-rows')!.querySelectorAll('.record-list-row')).toHaveLength(0)
    offline = false
    tapButton(page, 'retry')
    await simulate.sleep(10)
    expect(textOf(page)).not.toContain('网络连接失败')
    expect(textOf(page)).toContain('共有20+条记录')
    expect(page.querySelector('.record-rows')!.querySelectorAll('.record-list-row')).toHaveLength(20)
  })

  it('opens the detail page of the row tapped in the generic record list', async () => {
    const host = signedIn(fakeDd({ http: fakeApi().http }))
    const page = await renderPage('pages/product/list', host)
    await simulate.sleep(10)
    const list = page.querySelector('.record-rows')!
    const rows = list.querySelectorAll('.record-list-row')
    expect(rows).toHaveLength(20)
    rows[2].dispatchEvent('tap')
    await simulate.sleep(10)
    expect(host.callsTo('navigateTo')).toEqual([{ url: '/pages/product/detail?id=P003' }])
  })

  it('shows the empty state on the product list when there is nothing to list', async () => {
    const api = fakeApi()
    api.empty()
    const page = await renderPage('pages/product/list', signedIn(fakeDd({ http: api.http })))
    await simulate.sleep(10)
    expect(textOf(page)).toContain('还没有产品')
    expect(textOf(page)).not.toContain('共有')
  })

  it('shows my overdue reminder, my leads and the module grid on 工作台', async () => {
    const page = await renderPage('pages/home/index', signedIn(fakeDd({ http: fakeCrm().http })))
    await simulate.sleep(20)
    expect(textOf(page)).toContain('你好，王靓依')
    expect(textOf(page.querySelector('.home-reminders')!)).toContain('回访客户1')
    expect(textOf(page.querySelector('.home-reminders')!)).toContain('已逾期')
    expect(textOf(page.querySelector('.home-leads')!)).toContain('线索1')
    expect(page.querySelectorAll('.home-tile')).toHaveLength(17)
    expect(textOf(page)).not.toContain('即将上线')
  })

  it('takes a customer off the 公海 list when its 领取 is tapped', async () => {
    const page = await renderPage('pages/pool/index', signedIn(fakeDd({ http: fakeCrm().http })))
    await simulate.sleep(20)
    const rows = () => page.querySelector('.record-rows')!.querySelectorAll('.record-list-row')
    expect(rows()).toHaveLength(3)
    expect(textOf(page)).toContain('共有3条记录')
    page.querySelector('.record-rows')!.querySelectorAll('.record-list-action')[0].dispatchEvent('tap')
    await simulate.sleep(20)
    expect(rows()).toHaveLength(2)
    expect(textOf(page)).toContain('共有2条记录')
    expect(textOf(page)).not.toContain('客户100')
  })

  it('switches the customer detail to 动态 when that tab is tapped', async () => {
    const page = await renderPage('pages/customer/detail', signedIn(fakeDd({ http: fakeCrm().http })), {
      id: 'C001',
    })
    await simulate.sleep(20)
    expect(textOf(page)).toContain('客户经理王靓依')
    expect(textOf(page)).not.toContain('创建了客户')
    const tabs = page.querySelectorAll('.tab')
    tabs.find((tab) => textOf(tab) === '动态')!.dispatchEvent('tap')
    await simulate.sleep(20)
    expect(textOf(page)).toContain('创建了客户「客户1」')
    expect(textOf(page)).toContain('赞2')
    expect(textOf(page)).not.toContain('客户经理王靓依')
  })

  it('draws the funnel instead of the targets when 销售漏斗 is tapped', async () => {
    const page = await renderPage('pages/report/index', signedIn(fakeDd({ http: fakeCrm().http })))
    await simulate.sleep(20)
    expect(textOf(page)).toContain('郑纬祺')
    page.querySelector('.chart-funnel')!.dispatchEvent('tap')
    await simulate.sleep(20)
    expect(textOf(page)).toContain('商务谈判')
    expect(textOf(page)).not.toContain('郑纬祺')
    expect(page.querySelectorAll('.bar-row')).toHaveLength(5)
  })
})
