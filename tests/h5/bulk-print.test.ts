import { describe, expect, it } from 'vitest'
import { PC, useH5 } from './browser.js'

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
