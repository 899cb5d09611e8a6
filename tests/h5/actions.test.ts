import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { dialogButton, recordAction, useH5 } from './browser.js'

/**
 * The business actions of the H5 screens in headless Chromium against the real local stack: 公海 领取,
 * 返回公海, 经理调整, 分类调整, 线索 标记无效, a 任务提醒 from a customer, 查重 on the customer form, a
 * payment plan and an invoice on a contract, clearing an optional field in an edit form, and a customer's
 * 协助跟进人 (added from the picker, removed after a confirmation, read-only for a helper). The records
 * each test acts on are made through the API first; every assertion is on what the page shows.
 */
const h5 = useH5('actions', { users: { sales1: '王靓依', mgr1: '刘琦' } })
const { url, pages, post, shot } = h5
const tag = Date.now().toString(36).slice(-5)

const field = (page: Page, label: string) => page.locator('.detail-fields .dtm-list-item', { hasText: label })
const openDetail = async (page: Page, pathname: string, title: string) => {
  await page.goto(url(pathname))
  await page.locator('.detail-title', { hasText: title }).waitFor()
}

describe('H5 business actions', () => {
  it('lets sales1 claim a customer from the 公海 list, which then shows under 我的客户', async () => {
    const name = `公海领取测试 ${tag}`
    await post('mgr1', '/api/pool', { name })
    const page = pages.sales1
    await page.goto(url(`/pool?q=${encodeURIComponent(name)}`))
    const row = page.locator('.record-list .dtm-list-item', { hasText: name })
    await row.getByRole('button', { name: '领取' }).click()
    await page.getByText('已领取，客户已加入我的客户').waitFor()
    await page.getByText('没有找到匹配的记录').waitFor()
    await page.goto(url(`/customers?q=${encodeURIComponent(name)}`))
    await page.locator('.record-list').getByText(name).waitFor()
    await shot('sales1', '01-claimed')
  })

  it('returns a customer to the 公海 only once a reason is given, and the pool shows the reason', async () => {
    const name = `退回公海测试 ${tag}`
    const customer = await post('sales1', '/api/customers', { name })
    const page = pages.sales1
    await openDetail(page, `/customers/${customer.id}`, name)
    await recordAction(page, '返回公海')
    await page.getByRole('dialog').getByText(`请填写将「${name}」退回公海的原因`).waitFor()
    await page.getByRole('dialog').locator('input').fill('客户暂无预算')
    await shot('sales1', '02-release-reason')
    await dialogButton(page, '确定').click()
    await page.getByText('已退回公海').waitFor()
    await page.waitForURL(url('/customers'))
    await page.goto(url(`/pool?q=${encodeURIComponent(name)}`))
    const row = page.locator('.record-list .dtm-list-item', { hasText: name })
    await expect(row.innerText()).resolves.toContain('客户暂无预算')
  })

  it('keeps the customer when 返回公海 is cancelled', async () => {
    const name = `取消退回测试 ${tag}`
    const customer = await post('sales1', '/api/customers', { name })
    const page = pages.sales1
    await openDetail(page, `/customers/${customer.id}`, name)
    await recordAction(page, '返回公海')
    await dialogButton(page, '取消').click()
    await page.reload()
    await page.locator('.detail-title', { hasText: name }).waitFor()
    // the owner's name comes with the names cache, which may still be loading after the reload
    await expect.poll(() => field(page, '客户经理').innerText()).toContain('王靓依')
  })

  it('lets mgr1 reassign a customer of sales1 to sales2 with 经理调整', async () => {
    const name = `经理调整测试 ${tag}`
    const customer = await post('sales1', '/api/customers', { name })
    const page = pages.mgr1
    await openDetail(page, `/customers/${customer.id}`, name)
    await recordAction(page, '经理调整')
    await page
      .getByRole('dialog', { name: '经理调整：选择新的客户经理' })
      .getByRole('button', { name: /郑纬祺/ })
      .click()
    await page.getByText('已调整客户经理').waitFor()
    await field(page, '客户经理').getByText('郑纬祺').waitFor()
    await shot('mgr1', '03-reassigned')
  })

  it('changes a customer’s category with 分类调整', async () => {
    const name = `分类调整测试 ${tag}`
    const customer = await post('sales1', '/api/customers', { name, category: 'C' })
    const page = pages.sales1
    await openDetail(page, `/customers/${customer.id}`, name)
    await recordAction(page, '分类调整')
    await page.locator('.dtm-action-sheet-item', { hasText: 'A 类客户' }).click()
    await page.getByText('已调整分类').waitFor()
    await field(page, '客户分类').getByText('A 类客户').waitFor()
  })

  it('marks a lead 无效 through 标记无效 with the reason, which shows as its 跟进结果', async () => {
    const title = `无效线索测试 ${tag}`
    const lead = await post('sales1', '/api/leads', { title })
    const page = pages.sales1
    await openDetail(page, `/leads/${lead.id}`, title)
    await recordAction(page, '标记无效')
    await page.getByRole('dialog').locator('input').fill('号码为空号')
    await dialogButton(page, '确定').click()
    await page.getByText('已标记为无效').waitFor()
    await field(page, '状态').getByText('无效').waitFor()
    await expect(field(page, '跟进结果').innerText()).resolves.toContain('号码为空号')
    await expect(page.getByRole('button', { name: '转为新客户' }).count()).resolves.toBe(0)
  })

  it('creates a 任务提醒 from a customer and lists it under 我的提醒', async () => {
    const name = `提醒测试客户 ${tag}`
    const customer = await post('sales1', '/api/customers', { name })
    const page = pages.sales1
    await openDetail(page, `/customers/${customer.id}`, name)
    await recordAction(page, '提醒')
    await page.waitForURL(/\/reminders\/new\?/)
    await expect(page.locator('input[name=title]').inputValue()).resolves.toBe(`跟进客户：${name}`)
    await page.locator('textarea[name=content]').fill('带上新版报价单')
    await page.locator('input[name=dueAt]').fill('2030-02-01T09:30')
    await shot('sales1', '04-reminder-form')
    await page.getByRole('button', { name: '保存' }).click()
    await page.waitForURL(url(`/customers/${customer.id}`))
    await page.goto(url('/reminders'))
    await expect(page.locator('.dtm-nav-bar').innerText()).resolves.toContain('我的提醒')
    const item = page.locator('.record-list .dtm-list-item', { hasText: `跟进客户：${name}` })
    await expect(item.innerText()).resolves.toContain('2030-02-01 09:30')
    await shot('sales1', '05-my-reminders')
  })

  it('shows 查重 hints on the new-customer form for a name like an existing customer', async () => {
    const existing = `${tag}杭州查重示例科技有限公司`
    await post('mgr1', '/api/pool', { name: existing })
    const page = pages.sales1
    await page.goto(url('/customers/new'))
    await page.locator('input[name=name]').fill(`${tag}杭州查重示例科技`)
    const hints = page.getByRole('status')
    await hints.getByText('查重：发现 1 个可能重复的客户').waitFor()
    await expect(hints.innerText()).resolves.toContain(existing)
    await expect(hints.innerText()).resolves.toContain('在公海中')
    await shot('sales1', '06-duplicate-hints')
  })

  describe('on a contract', () => {
    let contractId = ''
    const CONTRACT = `动作测试合同 ${tag}`

    beforeAll(async () => {
      const customer = await post('sales1', '/api/customers', { name: `合同动作客户 ${tag}` })
      const contract = await post('sales1', '/api/contracts', {
        number: `ACT-${tag}`,
        name: CONTRACT,
        customerId: customer.id,
        amount: 50000,
        signedAt: '2026-05-01',
      })
      contractId = contract.id
    })

    it('adds a payment plan from the 回款计划 tab, listed there with its date and amount', async () => {
      const page = pages.sales1
      await openDetail(page, `/contracts/${contractId}`, CONTRACT)
      await page.getByRole('tab', { name: '回款计划' }).click()
      await page.getByRole('link', { name: '新建回款计划' }).click()
      await page.locator('input[name=dueDate]').fill('2030-03-31')
      await page.locator('input[name=amount]').fill('20000')
      await page.getByRole('button', { name: '保存' }).click()
      await page.waitForURL(/\/contracts\/[0-9A-Z]{26}\?tab=payment-plans$/)
      await page.locator('.child-list').getByText('2030-03-31 计划回款 ¥20,000.00').waitFor()
      await shot('sales1', '07-contract-plan')
    })

    it('issues an invoice with 开票, which raises the contract’s 已开票 amount', async () => {
      const page = pages.sales1
      await openDetail(page, `/contracts/${contractId}`, CONTRACT)
      await recordAction(page, '开票')
      await page.locator('input[name=title]').fill(`合同动作客户 ${tag}`)
      await page.locator('input[name=amount]').fill('12500.5')
      await page.locator('input[name=issuedAt]').fill('2026-05-02')
      await page.getByRole('button', { name: '保存' }).click()
      await page.waitForURL(/\/contracts\/[0-9A-Z]{26}\?tab=invoices$/)
      await page.locator('.amount-cell', { hasText: '已开票' }).getByText('¥12,500.50').waitFor()
      await page.locator('.child-list').getByText(`合同动作客户 ${tag}`).waitFor()
      await shot('sales1', '08-contract-invoice')
    })
  })

  it('saves a customer whose remark was emptied in the edit form, and the detail no longer shows it', async () => {
    const name = `清空字段测试 ${tag}`
    const customer = await post('sales1', '/api/customers', { name, remark: '旧备注内容' })
    const page = pages.sales1
    await openDetail(page, `/customers/${customer.id}`, name)
    await expect(field(page, '备注').innerText()).resolves.toContain('旧备注内容')
    await recordAction(page, '编辑')
    await page.locator('textarea[name=remark]').fill('')
    await page.getByRole('button', { name: '保存' }).click()
    await page.getByText('已保存').waitFor()
    await page.waitForURL(url(`/customers/${customer.id}`))
    await page.locator('.detail-title', { hasText: name }).waitFor()
    await expect(field(page, '备注').innerText()).resolves.not.toContain('旧备注内容')
    await shot('sales1', '09-remark-cleared')
  })

  describe('协助跟进人', () => {
    const collaborators = (page: Page) => page.getByRole('region', { name: '协助跟进人' })
    const saved = async (id: string) =>
      (await h5.t.http('GET', `/api/customers/${id}`, { token: h5.tokens.sales1 })).json.collaboratorIds ?? []

    it('adds people from the picker and removes one after a confirmation', async () => {
      const name = `协助跟进测试 ${tag}`
      const customer = await post('sales1', '/api/customers', { name })
      const page = pages.sales1
      await openDetail(page, `/customers/${customer.id}`, name)
      const section = collaborators(page)
      await section.getByText('暂无').waitFor()
      await section.getByRole('button', { name: '＋ 添加' }).click()
      const sheet = page.getByRole('dialog', { name: '添加协助跟进人' })
      await sheet.locator('.option', { hasText: '郑纬祺' }).click()
      await sheet.getByRole('button', { name: '确定（1）' }).click()
      await page.getByText('已设置 1 位协助跟进人').waitFor()
      await section.locator('.collaborator', { hasText: '郑纬祺' }).waitFor()
      expect(await saved(customer.id)).toEqual(['sales2'])
      await shot('sales1', '10-collaborators')
      await section.getByRole('button', { name: '移除 郑纬祺' }).click()
      await dialogButton(page, '移除').click()
      await page.getByText('已清空协助跟进人').waitFor()
      await section.getByText('暂无').waitFor()
      expect(await saved(customer.id)).toEqual([])
    })

    it('shows a helper who may not change them the names only', async () => {
      const name = `协助只读测试 ${tag}`
      const customer = await post('mgr1', '/api/customers', { name, collaboratorIds: ['sales1'] })
      const page = pages.sales1
      await openDetail(page, `/customers/${customer.id}`, name)
      const section = collaborators(page)
      await section.locator('.collaborator', { hasText: '王靓依' }).waitFor()
      expect(await section.getByRole('button').count()).toBe(0)
    })
  })

  it('reported no console errors, page errors or failed requests during the run', () => {
    expect(h5.errors()).toEqual([])
  })
})
