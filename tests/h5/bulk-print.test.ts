import { describe, expect, it } from 'vitest'
import { PC, recordAction, SCREENSHOTS, useH5 } from './browser.js'
import path from 'node:path'

/**
 * The PC console's bulk toolbar (经理调整 of selected customers, with the summary of what was done and
 * what failed) and 打印 (a contract's A4 print page), in headless Chromium against the local stack.
 */
const h5 = useH5('bulk-print', { users: { sales1: '王靓依', mgr1: '刘琦' } })
const tag = Date.now().toString(36).slice(-5)

describe('bulk actions on the PC customer list', () => {
  it('reassigns the selected customers with 经理调整 and lists the one that failed with its reason', async () => {
    const names = [1, 2, 3].map((i) => `批量调整${tag}-${i}`)
    const made = []
    for (const name of names) made.push(await h5.post('sales1', '/api/customers', { name }))
    const pc = await h5.signIn('mgr1', '刘琦', PC)
    await pc.goto(h5.url(`/customers?q=${encodeURIComponent(`批量调整${tag}`)}`))
    for (const name of names) await pc.getByRole('checkbox', { name: `选择 ${name}` }).check()
    await pc.getByRole('toolbar', { name: '批量操作' }).getByText('已选 3 条').waitFor()
    // one of them is deleted meanwhile: it fails, the others are done
    await h5.t.http('DELETE', `/api/customers/${made[2].id}`, { token: h5.tokens.sales1 })
    await pc.getByRole('toolbar', { name: '批量操作' }).getByRole('button', { name: '经理调整' }).click()
    await pc
      .getByRole('dialog', { name: '经理调整：选择新的客户经理' })
      .getByRole('button', { name: /郑纬祺/ })
      .click()
    const summary = pc.getByRole('status').filter({ hasText: '已完成 2 条，失败 1 条' })
    await summary.waitFor()
    expect(await summary.innerText()).toContain(`${names[2]}：`)
    await h5.shot('mgr1', 'bulk-assigned')
    for (const customer of made.slice(0, 2)) {
      const { json } = await h5.t.http('GET', `/api/customers/${customer.id}`, { token: h5.tokens.mgr1 })
      expect(json.ownerId).toBe('sales2')
    }
  })
})

describe('打印 a contract', () => {
  it('opens the A4 print page from the contract’s 打印 in a new tab, every section on it', async () => {
    const customer = await h5.post('sales1', '/api/customers', { name: `打印客户${tag}` })
    const product = await h5.post('sales1', '/api/products', { name: `打印产品${tag}`, price: 1999.9 })
    const contract = await h5.post('sales1', '/api/contracts', {
      number: `PR-${tag}`,
      name: `打印合同${tag}`,
      customerId: customer.id,
      signedAt: '2026-11-01',
      lines: [{ productId: product.id, quantity: 3, discount: 5 }],
    })
    await h5.post('sales1', '/api/payment-plans', {
      contractId: contract.id,
      dueDate: '2026-12-01',
      amount: 3000,
    })
    await h5.post('sales1', '/api/payments', {
      contractId: contract.id,
      receivedAt: '2026-11-05',
      amount: 2000,
    })
    await h5.post('sales1', '/api/invoices', {
      contractId: contract.id,
      title: `打印客户${tag}`,
      amount: 2000,
      issuedAt: '2026-11-06',
    })
    const page = await h5.signIn('sales1', '王靓依', PC)
    await page.goto(h5.url(`/contracts/${contract.id}`))
    await page.locator('.detail-title', { hasText: `打印合同${tag}` }).waitFor()
    const [tab] = await Promise.all([page.context().waitForEvent('page'), recordAction(page, '打印')])
    await tab.waitForURL(/\/print\?ticket=/)
    await tab.locator('h1', { hasText: `合同：打印合同${tag}` }).waitFor()
    await tab.emulateMedia({ media: 'print' })
    await tab.setViewportSize({ width: 794, height: 1123 }) // A4 at 96 dpi
    for (const title of ['产品明细', '回款计划', '回款记录', '开票记录'])
      await tab.locator('h2', { hasText: title }).waitFor()
    expect(await tab.locator('footer').innerText()).toContain('打印时间')
    expect(await tab.locator('.toolbar').isVisible()).toBe(false) // not on paper
    await tab.screenshot({ path: path.join(SCREENSHOTS, 'bulk-print-contract-print.png'), fullPage: true })
  })
})
