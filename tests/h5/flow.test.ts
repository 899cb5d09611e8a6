import { describe, expect, it } from 'vitest'
import { now } from '../../functions/core/clock.js'
import { chinaToday } from '../../shared/view/format.js'
import { dialogButton, PC, PHONE, recordAction, screenshot, useH5 } from './browser.js'

/**
 * The whole sales flow in headless Chromium against the real local stack, one browser context per demo
 * user: sales1 creates a lead, mgr1 assigns it to sales2, the scheduler delivers the card, sales2 opens it
 * from the emulator inbox, converts the lead and takes the customer to a won deal, a contract and a
 * payment; admin sees the money in the reports. The steps run in order; each `it` checks one of them.
 */
const h5 = useH5('flow')
const { t, url, pages, shot, signIn } = h5
const tag = Date.now().toString(36).slice(-5)
const LEAD = `苏州精工机械 采购 CRM ${tag}`
const COMPANY = `苏州精工机械有限公司${tag}`
const OPPORTUNITY = `精工 CRM 专业版 ${tag}`
const CONTRACT_NUMBER = `HT-${tag}`
let customerUrl = ''

describe('the sales flow in the H5 app', () => {
  it('lets sales1 create a lead from the 工作台 quick add', async () => {
    const page = await signIn('sales1', '王靓依')
    await page.getByRole('button', { name: '快速新建' }).click()
    await page.locator('.dtm-action-sheet-item', { hasText: '新建线索' }).click()
    await page.waitForURL(url('/leads/new'))
    await page.locator('input[name=title]').fill(LEAD)
    await page.locator('input[name=companyName]').fill(COMPANY)
    await page.locator('input[name=contactName]').fill('陈经理')
    await page.locator('input[name=contactInfo]').fill('138 1234 5678')
    await page.getByRole('radio', { name: '展会' }).click()
    await shot('sales1', '01-lead-form')
    await page.getByRole('button', { name: '保存' }).click()
    await page.locator('.detail-title', { hasText: LEAD }).waitFor()
    await expect(page.locator('.detail').innerText()).resolves.toContain('新线索')
    await shot('sales1', '02-lead-created')
  })

  it('lets mgr1 find the lead and assign it to sales2 with the user picker', async () => {
    const page = await signIn('mgr1', '刘琦')
    await page.goto(url(`/leads?q=${encodeURIComponent(LEAD)}`))
    await page.locator('.record-list').getByText(LEAD).click()
    await page.locator('.detail-title', { hasText: LEAD }).waitFor()
    await recordAction(page, '分配')
    const sheet = page.getByRole('dialog', { name: '分配线索给' })
    await sheet.getByRole('button', { name: /郑纬祺/ }).click()
    await page.getByText('已分配，对方将收到钉钉通知').waitFor()
    await page.locator('.detail-fields .dtm-list-item', { hasText: '负责人' }).getByText('郑纬祺').waitFor()
    await shot('mgr1', '03-lead-assigned')
  })

  it('delivers the assignment card to sales2 when the scheduler runs', async () => {
    const inAMinute = new Date(now() + 60_000).toISOString()
    for (let i = 0; i < 2; i++) {
      const { status } = await t.http('POST', '/__dev/scheduler/run', { body: { now: inAMinute } })
      expect(status).toBe(200)
    }
    const page = await signIn('sales2', '郑纬祺')
    await page.locator('.home-leads').getByText(LEAD).waitFor()
    await shot('sales2', '04-home-with-lead')
    await page.getByRole('link', { name: /钉钉模拟器收件箱/ }).click()
    const card = page.locator('.inbox-card', { hasText: LEAD })
    await card.waitFor()
    await shot('sales2', '05-inbox-card')
    await card.getByRole('link', { name: '查看详情 ›' }).click()
    await page.locator('.detail-title', { hasText: LEAD }).waitFor()
  })

  it('lets sales2 convert the lead into a customer after confirming', async () => {
    const page = pages.sales2
    await page.getByRole('button', { name: '转为新客户' }).click()
    await dialogButton(page, '转换').click()
    await page.waitForURL(/\/customers\/[0-9A-Z]{26}$/)
    await page.locator('.detail-title', { hasText: COMPANY }).waitFor()
    customerUrl = new URL(page.url()).pathname
    await expect(page.locator('.detail-fields').innerText()).resolves.toContain('郑纬祺')
    await shot('sales2', '06-customer-converted')
  })

  it('lets sales2 write a follow-up that shows on the customer’s 跟进 tab', async () => {
    const page = pages.sales2
    await page.getByRole('link', { name: '写跟进' }).click()
    await page.waitForURL(/\/followups\/new\?customerId=/)
    await page.getByRole('radio', { name: '拜访' }).click()
    await page.locator('textarea[name=content]').fill('上门演示专业版，客户认可报表功能，下周报价')
    await page.locator('input[name=nextFollowUpAt]').fill('2030-01-08T10:00')
    await shot('sales2', '07-followup-form')
    await page.getByRole('button', { name: '保存' }).click()
    await page.waitForURL(/\/customers\/[0-9A-Z]{26}\?tab=followups$/)
    await page.locator('.child-list').getByText('拜访跟进').waitFor()
    await shot('sales2', '08-customer-followups')
  })

  it('lets sales2 add an opportunity from the customer’s 商机 tab', async () => {
    const page = pages.sales2
    await page.getByRole('tab', { name: '商机' }).click()
    await page.getByRole('link', { name: '新建商机' }).click()
    await page.locator('input[name=name]').fill(OPPORTUNITY)
    await page.locator('input[name=amount]').fill('69800')
    await page.locator('input[name=expectedCloseDate]').fill('2030-01-31')
    await page.getByRole('button', { name: '保存' }).click()
    await page.waitForURL(/\?tab=opportunities$/)
    await page.locator('.child-list').getByText(OPPORTUNITY).click()
    await page.locator('.detail-title', { hasText: OPPORTUNITY }).waitFor()
    await expect(page.locator('.stage-current').innerText()).resolves.toContain('初步沟通')
    await shot('sales2', '09-opportunity')
  })

  it('moves the opportunity to 赢单 with 推进', async () => {
    const page = pages.sales2
    await page.getByRole('button', { name: '推进' }).click()
    await page.locator('.dtm-action-sheet-item', { hasText: '赢单' }).click()
    await page.getByText('已推进到「赢单」').waitFor()
    await page.locator('.stage-current', { hasText: '赢单' }).waitFor()
    await shot('sales2', '10-opportunity-won')
  })

  it('asks for a reason before an opportunity can be lost, and sends nothing without one', async () => {
    const page = pages.sales2
    const moves: string[] = []
    const onRequest = (request: { method(): string; url(): string }) => {
      if (request.method() === 'POST' && request.url().endsWith('/stage')) moves.push(request.url())
    }
    page.on('request', onRequest)
    await page.getByRole('button', { name: '重新推进' }).click()
    await page.locator('.dtm-action-sheet-item', { hasText: '输单' }).click()
    await page.getByRole('dialog').getByText('请填写输单原因').waitFor()
    await dialogButton(page, '取消').click()
    page.off('request', onRequest)
    expect(moves).toEqual([])
    await expect(page.locator('.stage-current').innerText()).resolves.toContain('赢单')
  })

  it('creates a contract from the won opportunity with its customer and amount filled in', async () => {
    const page = pages.sales2
    await recordAction(page, '新建合同')
    await expect(page.locator('input[name=name]').inputValue()).resolves.toBe(OPPORTUNITY)
    await expect(page.locator('input[name=amount]').inputValue()).resolves.toBe('69800')
    await page.locator('input[name=number]').fill(CONTRACT_NUMBER)
    await page.locator('input[name=signedAt]').fill(chinaToday(now()))
    await shot('sales2', '11-contract-form')
    await page.getByRole('button', { name: '保存' }).click()
    await page.waitForURL(/\/contracts\/[0-9A-Z]{26}$/)
    await page.locator('.amount-cell', { hasText: '合同金额' }).getByText('¥69,800.00').waitFor()
    await shot('sales2', '12-contract')
  })

  it('records a payment that shows on the contract’s 回款 tab and in its amounts', async () => {
    const page = pages.sales2
    await page.getByRole('link', { name: '登记回款' }).click()
    await page.locator('input[name=amount]').fill('30000')
    await page.locator('input[name=receivedAt]').fill(chinaToday(now()))
    await page.getByRole('button', { name: '保存' }).click()
    await page.waitForURL(/\/contracts\/[0-9A-Z]{26}\?tab=payments$/)
    await page.locator('.amount-cell', { hasText: '已回款' }).getByText('¥30,000.00').waitFor()
    await page.locator('.amount-cell', { hasText: '未回款' }).getByText('¥39,800.00').waitFor()
    await page.locator('.child-list').getByText('回款 ¥30,000.00').waitFor()
    await shot('sales2', '13-contract-payment')
  })

  it('shows the customer’s timeline with a comment and a like', async () => {
    const page = pages.sales2
    await page.goto(url(`${customerUrl}?tab=timeline`))
    await page.locator('.activity').first().waitFor()
    await page.locator('.comment-input').fill('客户已回款首笔，跟进交付')
    await page.getByRole('button', { name: '评论' }).click()
    await page.locator('.activity-summary', { hasText: '客户已回款首笔，跟进交付' }).waitFor()
    await page.getByRole('button', { name: /^赞/ }).click()
    await page.getByRole('button', { name: '已赞 1' }).waitFor()
    await shot('sales2', '14-customer-timeline')
  })

  it('@mentions the manager in a comment, who is then named on it', async () => {
    const page = pages.sales2
    await page.getByRole('button', { name: '提及同事' }).click()
    await page.locator('.option', { hasText: '刘琦' }).click()
    await page.getByRole('button', { name: '确定（1）' }).click()
    await page.locator('.mention', { hasText: '@刘琦' }).waitFor()
    await page.locator('.comment-input').fill('请经理看一下交付计划')
    await page.getByRole('button', { name: '评论' }).click()
    await page.locator('.activity-summary', { hasText: '请经理看一下交付计划' }).waitFor()
    expect(await page.locator('.mention').count()).toBe(0)
    const customerId = customerUrl.split('/').pop()!.split('?')[0]
    const { json } = await t.http('GET', `/api/customers/${customerId}/comments`, {
      token: await t.login('sales2'),
    })
    const sent = json.items.find((c: { content: string }) => c.content === '请经理看一下交付计划')
    expect(sent.mentionIds).toEqual(['mgr1'])
  })

  it('lists the customer with its won amount and PC columns, at phone and PC size', async () => {
    const page = pages.sales2
    await page.goto(url(`/customers?q=${encodeURIComponent(COMPANY)}`))
    await page.locator('.record-list').getByText(COMPANY).waitFor()
    await screenshot(page, 'phone-customer-list')
    await page.goto(url(customerUrl))
    await page.locator('.detail-title', { hasText: COMPANY }).waitFor()
    await screenshot(page, 'phone-customer-detail')

    await page.setViewportSize(PC)
    await page.goto(url('/customers'))
    const table = page.locator('table.record-table')
    await table.locator('tbody tr', { hasText: COMPANY }).waitFor()
    await expect(table.locator('th:not(.select-cell)').allInnerTexts()).resolves.toEqual([
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
    const row = table.locator('tbody tr', { hasText: COMPANY })
    await row.getByText('¥69,800.00').waitFor()
    await row.getByText('销售一部').waitFor()
    await expect(page.locator('.list-count').innerText()).resolves.toMatch(/^共有 \d+ 条记录$/)
    await screenshot(page, 'pc-customer-list')
    await row.getByRole('link', { name: COMPANY }).click()
    await page.locator('.detail-title', { hasText: COMPANY }).waitFor()
    // on a PC the fields stand two a row: 客户名称 beside 客户分类, 备注 the whole width below
    const box = (label: string) =>
      page.locator('.detail-fields .dtm-list-item', { hasText: label }).first().boundingBox()
    const [name, category, remark] = await Promise.all([box('客户名称'), box('客户分类'), box('备注')])
    expect(category!.y).toBe(name!.y)
    expect(category!.x).toBeGreaterThan(name!.x + name!.width)
    expect(remark!.width).toBeGreaterThan(name!.width + category!.width)
    await screenshot(page, 'pc-customer-detail')
    await page.setViewportSize(PHONE)
  })

  it('shows admin the contract and the payment in the reports', async () => {
    const page = await signIn('admin', '王二')
    await page.goto(url('/reports?tab=performance'))
    const row = page.locator('.report-table tbody tr', { hasText: '郑纬祺' })
    await row.waitFor()
    await expect(row.innerText()).resolves.toContain('¥69,800.00')
    await expect(row.innerText()).resolves.toContain('¥30,000.00')
    await shot('admin', '15-report-performance')
    await page.getByRole('tab', { name: '简报' }).click()
    await page.locator('.briefing-cell', { hasText: '合同金额' }).waitFor()
    await shot('admin', '16-report-briefing')
    await page.getByRole('tab', { name: '销售漏斗' }).click()
    await page.locator('[role=img][aria-label^="销售漏斗"]').waitFor()
    await shot('admin', '17-report-funnel')
    await page.getByRole('tab', { name: '回款分析' }).click()
    await page.locator('svg[aria-label*="回款分析"]').waitFor()
    await shot('admin', '18-report-payments')
  })

  it('reported no console errors, page errors or failed requests during the run', () => {
    expect(h5.errors()).toEqual([])
  })
})
