/**
 * The PC console at 1440×900: the module menu grouped as the manual groups it switches modules in place
 * and marks the current one, collapses (and stays so), 全文检索 in the top bar finds and opens a record,
 * and a phone keeps its screens without the menu.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { newContext, PC, useH5 } from './browser.js'

const PHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148'

const h5 = useH5('console', { users: { sales1: '王靓依' } })
let pc: Page
let phone: Page
let deal: { id: string }

beforeAll(async () => {
  const customer = await h5.post('sales1', '/api/customers', { name: '控制台检索测试有限公司' })
  deal = await h5.post('sales1', '/api/opportunities', {
    name: '看板拖动测试商机',
    customerId: customer.id,
    amount: 12_345,
  })
  phone = h5.pages.sales1
  pc = await h5.signIn('sales1', '王靓依', PC)
  h5.pages.pc = pc
  h5.pages.sales1 = phone
})

const menuItem = (label: string) => pc.locator('.console-menu .console-item', { hasText: label })

describe('the PC console', () => {
  it('groups the modules as the manual does, 设置 only for admins', async () => {
    const groups = await pc.locator('.console-group h4').allTextContents()
    expect(groups).toEqual(['业务管理', '基础设置', '统计分析'])
    expect(await pc.locator('.console-group').first().locator('.console-label').allTextContents()).toContain(
      '商机',
    )
    expect(await menuItem('设置').count()).toBe(0)
    await h5.shot('pc', 'home')
  })

  it('lays 工作台 out for a PC: 工作动态 beside the reminders and leads, no second module grid', async () => {
    const section = (title: string) =>
      pc.locator('.home-section', { has: pc.getByRole('heading', { name: title }) }).boundingBox()
    await pc.getByRole('heading', { name: '工作动态' }).waitFor()
    const [feed, reminders, leads] = await Promise.all([
      section('工作动态'),
      section('我的待办提醒'),
      section('分配给我的线索'),
    ])
    expect(reminders!.x).toBeGreaterThan(feed!.x + feed!.width)
    expect(reminders!.y).toBe(feed!.y)
    expect(leads!.y).toBeGreaterThan(reminders!.y)
    expect(await pc.locator('.module-grid').isVisible()).toBe(false)
  })

  it('lays a record form out for a PC: fields two a row, 备注 and 附件 the whole width', async () => {
    await pc.goto(h5.url('/customers/new'))
    const row = (name: string) => pc.locator(`.record-form .field-${name}`).boundingBox()
    await pc.locator('.record-form .field-name').waitFor()
    const [name, category, remark] = await Promise.all([row('name'), row('category'), row('remark')])
    expect(category!.y).toBe(name!.y)
    expect(category!.x).toBeGreaterThan(name!.x + name!.width)
    expect(remark!.width).toBeGreaterThan(name!.width + category!.width)
    await h5.shot('pc', 'customer-form')
  })

  it('switches modules in place and marks the current one', async () => {
    await menuItem('合同').click()
    await pc.waitForURL(/\/contracts$/)
    await expect.poll(() => menuItem('合同').getAttribute('class')).toContain('active')
    expect(await menuItem('客户').getAttribute('class')).not.toContain('active')
    // the menu stays beside the screen
    expect(await pc.locator('.console-menu').isVisible()).toBe(true)
    await menuItem('客户').click()
    await pc.waitForURL(/\/customers$/)
    await expect.poll(() => menuItem('客户').getAttribute('class')).toContain('active')
    await h5.shot('pc', 'customers')
  })

  it('moves an opportunity to the next stage when its card is dragged on the 商机看板', async () => {
    await menuItem('商机看板').click()
    await pc.waitForURL(/\/opportunities\/board$/)
    await expect.poll(() => menuItem('商机看板').getAttribute('class')).toContain('active')
    expect(await pc.locator('[data-module="opportunities"]').getAttribute('class')).not.toContain('active')
    const first = pc.locator('.board-column[data-stage="初步沟通"]')
    const next = pc.locator('.board-column[data-stage="见面拜访"]')
    const card = first.locator('.board-card', { hasText: '看板拖动测试商机' })
    await card.waitFor()
    expect(await first.locator('.board-sum').textContent()).toContain('¥12,345.00')
    await card.dragTo(next)
    await next.locator('.board-card', { hasText: '看板拖动测试商机' }).waitFor()
    expect(await first.locator('.board-card', { hasText: '看板拖动测试商机' }).count()).toBe(0)
    const { json } = await h5.t.http('GET', `/api/opportunities/${deal.id}`, { token: h5.tokens.sales1 })
    expect(json.stageId).toBe('s2')
    await h5.shot('pc', 'board')
  })

  it('collapses to icons and stays collapsed after a reload', async () => {
    await pc.getByRole('button', { name: '« 收起菜单' }).click()
    expect(await pc.locator('.console').getAttribute('class')).toContain('console-collapsed')
    expect(await pc.locator('.console-label').first().isVisible()).toBe(false)
    await pc.reload()
    await pc.locator('.console-collapsed').waitFor()
    await pc.getByRole('button', { name: '»' }).click()
    expect(await pc.locator('.console').getAttribute('class')).not.toContain('console-collapsed')
  })

  it('finds a customer with 全文检索 and opens it', async () => {
    await pc.getByRole('searchbox', { name: '全文检索' }).fill('控制台检索')
    await pc.getByRole('button', { name: '搜索' }).click()
    const hit = pc.locator('.console-search-panel a', { hasText: '控制台检索测试有限公司' })
    await hit.click()
    await pc.waitForURL(/\/customers\/[^/]+$/)
    expect(await pc.locator('.console-search-panel').count()).toBe(0)
  })

  it('says so when 全文检索 finds nothing', async () => {
    await pc.getByRole('searchbox', { name: '全文检索' }).fill('查无此名称')
    await pc.getByRole('button', { name: '搜索' }).click()
    await pc.locator('.console-search-panel', { hasText: '没有找到「查无此名称」' }).waitFor()
  })

  it('offers a member no 新建 where the API would refuse them (销售目标), and 新建 elsewhere', async () => {
    await menuItem('销售目标').click()
    await pc.waitForURL(/\/targets$/)
    await pc.locator('.console-main').getByText('销售目标').first().waitFor()
    await pc.getByText('加载中…').waitFor({ state: 'detached' })
    expect(await pc.getByRole('link', { name: '新建' }).count()).toBe(0)
    await menuItem('客户').click()
    await pc.getByRole('link', { name: '新建' }).waitFor()
  })

  it('shows a failed list load with 重试, not as an empty list, and recovers', async () => {
    await pc.route('**/api/invoices?**', (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: '{"error":{"code":"internal","message":"服务暂时不可用"}}',
      }),
    )
    await menuItem('发票').click()
    await pc.locator('.failed-state', { hasText: '服务暂时不可用' }).waitFor()
    expect(await pc.getByText('还没有发票').count()).toBe(0)
    await h5.shot('pc', 'invoices-failed')
    await pc.unroute('**/api/invoices?**')
    await pc.getByRole('button', { name: '重试' }).click()
    await pc.getByText('还没有发票').waitFor()
    expect(await pc.locator('.failed-state').count()).toBe(0)
  })

  it('leaves 退出 to the top bar on a PC, to the home screen on a phone browser, to nobody inside DingTalk', async () => {
    await pc.goto(h5.url('/'))
    await pc.locator('.home-name').waitFor()
    expect(await pc.getByRole('button', { name: '退出' }).count()).toBe(1)
    expect(await phone.locator('.dtm-nav-bar').getByRole('button', { name: '退出' }).count()).toBe(1)
    // DingTalk's client: its own user agent, the session it logged in silently
    const inDingTalk = await newContext(h5.browser, { userAgent: `${PHONE_UA} DingTalk/7.6.0` })
    const stored = await phone.evaluate(() => sessionStorage.getItem('crm.session'))
    await inDingTalk.addInitScript((value) => sessionStorage.setItem('crm.session', value!), stored)
    const page = await inDingTalk.newPage()
    await page.goto(h5.url('/'))
    await page.locator('.home-name').waitFor()
    expect(await page.getByRole('button', { name: '退出' }).count()).toBe(0)
    // DingTalk's own bar carries the title: no second bar of ours, and pinch-zoom stays allowed
    expect(await page.locator('.dtm-nav-bar').count()).toBe(0)
    await page.goto(h5.url('/customers'))
    await expect.poll(() => page.title()).toBe('客户')
    expect(await page.locator('.page-actions').getByText('新建').count()).toBe(1)
    expect(await page.locator('meta[name=viewport]').getAttribute('content')).not.toContain(
      'user-scalable=no',
    )
    await inDingTalk.close()
  })

  it('shows the user and 退出, which signs out', async () => {
    expect(await pc.locator('.console-user').textContent()).toContain('王靓依')
    await pc.getByRole('button', { name: '退出' }).click()
    await pc.waitForURL(/\/login/)
  })

  it('is not there on a phone', async () => {
    expect(await phone.locator('.console-menu').count()).toBe(0)
    expect(await phone.locator('.home-name').isVisible()).toBe(true)
  })

  it('has a 全文检索 screen of its own on a phone, which finds a customer and opens it', async () => {
    await phone.goto(h5.url('/'))
    await phone.getByRole('button', { name: '全文检索' }).click()
    await phone.waitForURL(/\/search$/)
    await phone.getByText('输入名称或电话搜索').waitFor()
    const box = phone.locator('.dtm-search-bar input')
    await box.fill('控制台检索')
    await box.press('Enter')
    const hit = phone.locator('.search-results .dtm-list-item', { hasText: '控制台检索测试有限公司' })
    await hit.waitFor()
    expect(await hit.textContent()).toContain('客户')
    expect(await phone.getByText('共有 1 条记录').count()).toBe(1)
    await hit.click()
    await phone.waitForURL(/\/customers\/[0-9A-Z]+$/)
  })

  it('refuses a stranger’s 钉钉扫码登录 with a clear message, and lets them try again', async () => {
    const stranger = await h5.open('stranger', PC)
    await stranger.goto(h5.url('/login'))
    await stranger.getByRole('button', { name: '钉钉扫码登录' }).click()
    await stranger.locator('.login-users a', { hasText: '不在' }).click()
    await stranger.locator('.error-text', { hasText: '你不是本企业的成员' }).waitFor()
    await h5.shot('stranger', 'stranger-refused')
    expect(await stranger.getByRole('button', { name: '钉钉扫码登录' }).isVisible()).toBe(true)
    expect(await stranger.evaluate(() => sessionStorage.getItem('crm.session'))).toBeNull()
  })

  it('reports no errors but the stranger’s refused login and the failed load made on purpose', () => {
    const refused = (line: string) => /auth\/login\/oauth|403|500/.test(line)
    expect(h5.errors().filter((line) => !refused(line))).toEqual([])
    expect(h5.errors().filter(refused).length).toBeLessThanOrEqual(3)
  })
})
