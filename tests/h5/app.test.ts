import { readFileSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import type { Page } from 'playwright-core'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { actionCard, miniAppLink, robotActionCard } from '../../functions/dingtalk/messages.js'
import { commit } from '../../functions/db/commit.js'
import { todoCreate } from '../../functions/domain/notifications/todos.js'
import { DEMO_CORP_ID, DEMO_ROBOT_CODE } from '../../local/emulator/index.js'
import { dingtalk } from '../../functions/dingtalk/client.js'
import { now } from '../../functions/core/clock.js'
import { addDays, chinaToday } from '../../shared/view/format.js'
import { newContext, PC, PHONE, recordAction, screenshot, useH5 } from './browser.js'

/**
 * The H5 app in Debian's headless Chromium against the real local stack (DynamoDB Local, the API handlers,
 * the DingTalk emulator), as one salesperson's session: sales1 is signed in on one phone-size page the
 * tests share, and each test makes (through the API) what it starts from and goes to the screen it checks,
 * so any of them runs alone (`-t`) or in any order. Signing in has a test of its own, on a page of its own.
 */
const h5 = useH5('app', { users: { sales1: '王靓依' } })
const { url } = h5

let page: Page
const tag = Date.now().toString(36)
/** a product of the test's own, made through the API: `云会议 <edition> <tag>` at ¥1,999.90 */
const newProduct = async (edition: string) => {
  const name = `云会议 ${edition} ${tag}`
  const { id } = await h5.post('sales1', '/api/products', { name, code: 'MEET-Y', price: 1999.9 })
  return { id, name }
}

const save = () => page.getByRole('button', { name: '保存' }).click()
const searchFor = async (text: string) => {
  const box = page.locator('.dtm-search-bar input[type=search], .dtm-search-bar input').first()
  await box.fill(text)
  await box.press('Enter')
}
/** On the new-product form: the name, a code and a price, then 保存. */
const fillProduct = async (name: string, price: string) => {
  await page.locator('input[name=name]').fill(name)
  await page.locator('input[name=code]').fill('MEET-Y')
  await page.locator('input[name=price]').fill(price)
  await save()
}

beforeAll(() => {
  page = h5.pages.sales1
})

// each test starts on a phone-size screen, whatever the one before left
beforeEach(() => page.setViewportSize(PHONE))

// no test leaves a console error, page error or failed request on the file's pages (its own, not the
// ones before it: those failed already)
let reported = 0
afterEach(() => {
  const errors = h5.errors().slice(reported)
  reported += errors.length
  expect(errors).toEqual([])
})

describe('H5 app in headless Chromium', () => {
  it('loads at most 150 KB of gzipped JavaScript and CSS for the login and home screens', async () => {
    const fresh = await newContext(h5.browser)
    const first = await fresh.newPage()
    const scripts = new Set<string>()
    first.on('response', (response) => {
      const { pathname } = new URL(response.url())
      if (/\.(js|css)$/.test(pathname)) scripts.add(pathname)
    })
    await first.goto(url('/'))
    await first.getByRole('button', { name: '钉钉扫码登录' }).click()
    await first.getByText('王靓依').click()
    await first.getByText('工作台').waitFor()
    const gzipped = [...scripts].reduce(
      (sum, file) => sum + gzipSync(readFileSync(path.join(h5.dist, file))).length,
      0,
    )
    console.log(
      `首屏（登录 + 工作台）JavaScript + CSS：${scripts.size} 个文件，gzip 后 ${(gzipped / 1024).toFixed(1)} KB`,
    )
    await fresh.close()
    expect(gzipped).toBeLessThanOrEqual(150 * 1024)
  })

  it('signs sales1 in by 钉钉扫码登录 through DingTalk’s page, back where they were going', async () => {
    // a page of its own, not signed in
    const login = await h5.open('login')
    await login.goto(url('/products'))
    await login.waitForURL(/\/login\?next=/)
    await screenshot(login, '01-login')
    await login.getByRole('button', { name: '钉钉扫码登录' }).click()
    // the emulator's DingTalk page: the demo organisation in place of the QR code
    await login.getByText('郑纬祺').waitFor()
    await screenshot(login, '01-login-dingtalk')
    await login.getByText('王靓依').click()
    await login.waitForURL(url('/products'))
    await login.goto(url('/'))
    await expect(login.locator('.home-name').innerText()).resolves.toBe('王靓依')
    await screenshot(login, '02-home')
  })

  it('shows every module on the home grid, none of them marked 即将上线', async () => {
    await page.goto(url('/'))
    await page.locator('.module-label').first().waitFor()
    const labels = await page.locator('.module-label').allInnerTexts()
    expect(labels).toEqual(
      expect.arrayContaining(['线索', '公海', '客户', '商机', '合同', '回款', '产品', '回收站', '统计分析']),
    )
    await expect(page.locator('.module-soon-tag').count()).resolves.toBe(0)
  })

  it('shows my overdue reminder on 工作台, asking the API for my open ones due before the end of today', async () => {
    const api = async (pathname: string, body: unknown) =>
      (await h5.t.http('POST', pathname, { token: h5.tokens.sales1, body })).json as { id: string }
    const customer = await api('/api/customers', { name: `工作台客户 ${tag}` })
    const remind = (title: string, dueInDays: number) =>
      api('/api/reminders', {
        recordType: 'customer',
        recordId: customer.id,
        title,
        assigneeIds: ['sales1'],
        dueAt: new Date(now() + dueInDays * 86_400_000).toISOString(),
      })
    await remind('两天前该回访', -2)
    for (let i = 0; i < 3; i++) await remind(`下个月的事 ${i}`, 30)
    const asked: URL[] = []
    const onRequest = (request: { url(): string }) => {
      const requested = new URL(request.url())
      if (requested.pathname === '/api/reminders') asked.push(requested)
    }
    page.on('request', onRequest)
    await page.goto(url('/'))
    await page.locator('.home-reminders').getByText('两天前该回访').waitFor()
    page.off('request', onRequest)
    const tomorrow = addDays(chinaToday(now()), 1)
    expect(asked.map((u) => [u.searchParams.get('mine'), u.searchParams.get('dueBefore')])).toEqual([
      ['true', new Date(`${tomorrow}T00:00:00+08:00`).toISOString()],
    ])
    await expect(page.locator('.home-reminders').innerText()).resolves.not.toContain('下个月的事')
  })

  it('lists the leads assigned to me on 工作台 through the open leads of my assignee index', async () => {
    const asked: URL[] = []
    const onRequest = (request: { url(): string }) => {
      const requested = new URL(request.url())
      if (requested.pathname === '/api/leads') asked.push(requested)
    }
    page.on('request', onRequest)
    await page.goto(url('/'))
    await page.locator('.home-leads li').first().waitFor()
    page.off('request', onRequest)
    expect(asked.map((u) => [u.searchParams.get('assigneeId'), u.searchParams.get('open')])).toEqual([
      ['sales1', 'true'],
    ])
  })

  it('shows the schema’s Chinese message for a price with three decimals and sends nothing', async () => {
    const posts: string[] = []
    const onRequest = (request: { method(): string; url(): string }) => {
      if (request.method() === 'POST' && request.url().includes('/api/products')) posts.push(request.url())
    }
    page.on('request', onRequest)
    await page.goto(url('/'))
    await page.locator('[data-module=products]').click()
    await page.getByRole('link', { name: '新建' }).click()
    await fillProduct(`云会议 年度版 ${tag}`, '12.345')
    await page.getByText('金额最多两位小数').waitFor()
    await screenshot(page, '03-form-error')
    page.off('request', onRequest)
    expect(posts).toEqual([])
    expect(page.url()).toBe(url('/products/new'))
  })

  it('creates the product once the price is valid and opens its detail with the price in yuan', async () => {
    const name = `云会议 新建版 ${tag}`
    await page.goto(url('/products/new'))
    await fillProduct(name, '12.345')
    await page.getByText('金额最多两位小数').waitFor()
    await page.locator('input[name=price]').fill('1999.9')
    await save()
    await page.waitForURL(/\/products\/[0-9A-Z]{26}$/)
    await expect(page.locator('.detail-title').innerText()).resolves.toBe(name)
    await expect(page.locator('.detail').innerText()).resolves.toContain('¥1,999.90')
    await screenshot(page, '04-created')
  })

  it('finds the product by searching part of its name', async () => {
    const { name } = await newProduct('检索版')
    await page.goto(url('/products'))
    await searchFor(`检索版 ${tag}`)
    await page.waitForURL(/\?q=/)
    await page.locator('.record-list').getByText(name).waitFor()
    await screenshot(page, '05-search')
  })

  it('renders the list as a table with the view’s columns on a PC-size screen', async () => {
    const { name } = await newProduct('表格版')
    // the phone's list of the product searched for, then the screen widened to a PC's
    await page.goto(url(`/products?q=${encodeURIComponent(name)}`))
    await page.locator('.record-list').getByText(name).waitFor()
    await page.setViewportSize(PC)
    const table = page.locator('table.record-table')
    await table.waitFor()
    await expect(table.locator('th').allInnerTexts()).resolves.toEqual([
      '产品名称',
      '产品编号',
      '单位',
      '单价（元）',
      '启用',
      '更新时间',
    ])
    await expect(table.locator('tbody tr').first().innerText()).resolves.toContain('¥1,999.90')
    await screenshot(page, 'pc-product-list')
    await table.getByText(name).click()
    await page.locator('.detail-title').waitFor()
    await screenshot(page, 'pc-product-detail')
    await page.setViewportSize(PHONE)
    await page.goBack()
    await page.locator('.record-list').getByText(name).waitFor()
    await screenshot(page, 'phone-product-list')
  })

  it('edits the product and shows the new name and price on its detail', async () => {
    const { name } = await newProduct('编辑版')
    const renamed = `${name}（旗舰）`
    await page.goto(url(`/products?q=${encodeURIComponent(name)}`))
    await page.locator('.record-list').getByText(name).click()
    await page.locator('.detail-title').waitFor()
    await screenshot(page, 'phone-product-detail')
    await page.getByRole('link', { name: '编辑' }).click()
    await page.locator('input[name=name]').fill(renamed)
    await page.locator('input[name=price]').fill('2999')
    await save()
    await page.locator('.detail-title', { hasText: renamed }).waitFor()
    await expect(page.locator('.detail').innerText()).resolves.toContain('¥2,999.00')
    await screenshot(page, '06-edited')
  })

  it('deletes the product only after the confirmation is accepted', async () => {
    const { id, name } = await newProduct('删除版')
    await page.goto(url(`/products/${id}`))
    await recordAction(page, '删除')
    const dialog = page.getByRole('dialog')
    await dialog.getByText(`确定删除「${name}」吗？`).waitFor()
    await screenshot(page, '07-confirm-delete')
    await dialog.getByRole('button', { name: '取消' }).click()
    await dialog.waitFor({ state: 'detached' })
    expect(page.url()).toMatch(/\/products\/[0-9A-Z]{26}$/)

    await recordAction(page, '删除')
    await page.getByRole('dialog').getByRole('button', { name: '删除' }).click()
    await page.waitForURL(url('/products'))
    await searchFor(name)
    await page.getByText('没有找到匹配的记录').waitFor()
  })

  it('restores the product from the recycle bin so it is listed again', async () => {
    const { id, name } = await newProduct('恢复版')
    const removed = await h5.t.http('DELETE', `/api/products/${id}`, { token: h5.tokens.sales1 })
    expect(removed.status).toBe(204)
    await page.goto(url('/'))
    await page.locator('[data-module=recycle-bin]').click()
    const entry = page.locator('.bin-list .dtm-list-item', { hasText: name })
    await expect(entry.innerText()).resolves.toContain('产品 · 删除于')
    await screenshot(page, '08-recycle-bin')
    await entry.getByRole('button', { name: '恢复' }).click()
    await entry.waitFor({ state: 'detached' })
    await page.goto(url(`/products?q=${encodeURIComponent(name)}`))
    await page.locator('.record-list').getByText(name).waitFor()
  })

  it('validates competitors with their own schema through the same generic form', async () => {
    await page.goto(url('/competitors/new'))
    await save()
    await page.getByText('请填写竞争对手名称').waitFor()
    await page.locator('input[name=name]').fill('友商甲')
    await save()
    await page.locator('.detail-title', { hasText: '友商甲' }).waitFor()
  })

  it('shows a work notification delivered to sales1 in the emulator inbox', async () => {
    await dingtalk().sendWorkNotification({
      userIds: ['sales1'],
      msg: actionCard({
        title: '跟进提醒：华东制造',
        markdown: '### 跟进提醒\n今天 15:00 回访华东制造',
        singleTitle: '查看客户',
        singleUrl: miniAppLink('pages/customer/detail', { id: 'demo' }),
      }),
    })
    await page.goto(url('/'))
    await page.getByRole('link', { name: /钉钉模拟器收件箱/ }).click()
    const card = page.locator('.inbox-card', { hasText: '跟进提醒：华东制造' })
    await card.waitFor()
    await expect(card.innerText()).resolves.toContain('工作通知')
    await screenshot(page, '09-inbox')
  })

  it("shows a group chat's cards and a user's to-dos in the emulator inbox", async () => {
    await dingtalk().sendGroupMessage({
      robotCode: DEMO_ROBOT_CODE,
      openConversationId: 'cid-demo-sales1',
      ...robotActionCard({
        title: '线索分配：华东代理',
        markdown: '### 线索分配\n—— 王靓依（销售一部）',
        singleTitle: '查看详情',
        singleUrl: miniAppLink('pages/lead/detail', { id: 'demo' }),
      }),
    })
    await commit(
      todoCreate({
        tenantId: DEMO_CORP_ID,
        sourceId: `inbox.${Date.now().toString(36)}`,
        userIds: ['sales1'],
        subject: '任务提醒：回访华东制造',
        dueAt: new Date(now() + 86_400_000).toISOString(),
        link: { page: 'pages/customer/detail', query: { id: 'demo' } },
      }),
    )
    await h5.t.http('POST', '/__dev/scheduler/run', { body: {} })
    await page.goto(url('/inbox'))
    await page.getByRole('button', { name: '群聊' }).click()
    await page.getByRole('button', { name: '销售一部群' }).click()
    await page.locator('.inbox-card', { hasText: '线索分配：华东代理' }).waitFor()
    await page.getByRole('button', { name: '待办' }).click()
    await page.getByRole('button', { name: '王靓依' }).click()
    const todo = page.locator('.inbox-todo', { hasText: '任务提醒：回访华东制造' })
    await todo.waitFor()
    await expect(todo.innerText()).resolves.toContain('执行人：王靓依')
    await screenshot(page, '09b-inbox-todos')
  })

  it('sends a user whose session is no longer valid back to the login page', async () => {
    // its own page, whose errors are not collected: the 401 it provokes is logged by Chromium
    const other = await page.context().newPage()
    await other.goto(url('/login'))
    await other.evaluate(() =>
      sessionStorage.setItem(
        'crm.session',
        JSON.stringify({ token: 'expired', user: { id: 'sales1', name: '王靓依' }, local: true }),
      ),
    )
    await other.goto(url('/products'))
    await other.waitForURL(/\/login/)
    await other.getByRole('button', { name: '钉钉扫码登录' }).waitFor()
    await other.close()
  })
})
