import { describe, expect, it } from 'vitest'
import { PC, PHONE, useH5 } from './browser.js'

/**
 * The whole record in headless Chromium against the real local stack: a contract's 动态 tab shows its
 * payments and takes a comment; 工作台 shows the work's 动态; a customer's tab on a PC pages with 加载更多.
 * Records are made through the API first; every assertion is on what the page shows.
 */
const h5 = useH5('records', { users: { sales1: '王靓依' } })
const { url, pages, post, shot } = h5
const tag = Date.now().toString(36).slice(-5)

describe('H5 动态', () => {
  it('shows a contract’s payments under its 动态 tab and posts a comment there', async () => {
    const customer = await post('sales1', '/api/customers', { name: `动态合同客户 ${tag}` })
    const contract = await post('sales1', '/api/contracts', {
      number: `DT-${tag}`,
      name: `动态合同 ${tag}`,
      customerId: customer.id,
      amount: 5000,
      signedAt: '2026-11-01',
    })
    await post('sales1', '/api/payments', { contractId: contract.id, receivedAt: '2026-11-10', amount: 2000 })
    const page = pages.sales1
    await page.goto(url(`/contracts/${contract.id}`))
    await page.locator('.detail-title', { hasText: `动态合同 ${tag}` }).waitFor()
    await page.getByRole('tab', { name: '动态' }).click()
    await page.locator('.activity-summary', { hasText: '创建了回款「2026-11-10 ¥2000」' }).waitFor()
    await page.locator('.comment-input').fill('回款已到账，请财务确认')
    await page.getByRole('button', { name: '评论', exact: true }).click()
    await page
      .locator('.activity-commented .activity-summary', { hasText: '回款已到账，请财务确认' })
      .waitFor()
    await page.locator('.activity-commented .activity-head', { hasText: '王靓依' }).first().waitFor()
    await shot('sales1', '01-contract-timeline-comment')
  })

  it('shows the work’s 动态 on 工作台, each line opening its record', async () => {
    const customer = await post('sales1', '/api/customers', { name: `工作台动态客户 ${tag}` })
    const page = pages.sales1
    await page.goto(url('/'))
    const line = page.locator('.feed-items li', { hasText: `创建了客户「工作台动态客户 ${tag}」` })
    await line.waitFor()
    await line.getByRole('link').click()
    await page.waitForURL(url(`/customers/${customer.id}`))
    await shot('sales1', '02-home-feed')
  })

  it('shows a customer’s first 50 contacts in its 联系人 table on a PC, and the rest after 加载更多', async () => {
    const customer = await post('sales1', '/api/customers', { name: `翻页客户 ${tag}` })
    // one more than the tab's page of 50, made ten at a time
    const total = 51
    for (let from = 0; from < total; from += 10)
      await Promise.all(
        Array.from({ length: Math.min(10, total - from) }, (_, i) =>
          post('sales1', '/api/contacts', { customerId: customer.id, name: `联系人 ${from + i}` }),
        ),
      )
    const page = pages.sales1
    await page.setViewportSize(PC)
    try {
      await page.goto(url(`/customers/${customer.id}?tab=contacts`))
      const tab = page.locator('.child-list')
      const rows = tab.locator('table.record-table tbody tr')
      const more = tab.getByRole('button', { name: '加载更多' })
      await more.waitFor()
      expect(await rows.count()).toBe(50)
      // the tab's kept count, from its first page
      expect(await tab.locator('.list-count').innerText()).toBe(`共有 ${total} 条记录`)
      await more.click()
      await more.waitFor({ state: 'detached', timeout: 10_000 })
      expect(await rows.count()).toBe(total)
      expect(await tab.locator('.list-count').innerText()).toBe(`共有 ${total} 条记录`)
      await shot('sales1', '03-customer-contacts-more')
    } finally {
      await page.setViewportSize(PHONE)
    }
  })
})
