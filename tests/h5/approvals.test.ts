import { describe, expect, it } from 'vitest'
import { PC, useH5 } from './browser.js'

/**
 * 审批 in headless Chromium against the real local stack: the admin sets a flow in 设置 → 审批流程;
 * sales1's big contract shows 审批中; mgr1 finds it in 待我审批, reads the record through the approval
 * and rejects it with a comment; sales1 sees the rejection with the comment in 我发起的.
 */
const h5 = useH5('approvals', { users: { admin: '王二', sales1: '王靓依', mgr1: '刘琦' } })
const { url, pages, post, shot } = h5

const s = {} as { contractId: string; approvalId: string }

describe('H5 审批', () => {
  it('lets the admin add a flow in 设置 → 审批流程 (contracts ≥ 100 000, the submitter’s leader)', async () => {
    const page = await h5.signIn('admin', '王二', PC)
    await page.goto(url('/settings/approvals'))
    await page.getByText('＋ 添加审批流程').click()
    await page.locator('input[name="flows.0.name"]').fill('大额合同审批')
    await page.locator('select[name="flows.0.condition.field"]').selectOption('amount')
    await page.locator('select[name="flows.0.condition.op"]').selectOption('gte')
    await page.locator('input[name="flows.0.condition.value"]').fill('100000')
    await page.locator('select[name="flows.0.steps.0.type"]').selectOption('manager')
    await shot('admin', '01-flow-form')
    await page.getByRole('button', { name: '保存' }).click()
    await page.getByText('审批流程已保存').waitFor()
    const { json } = await h5.t.http('GET', '/api/settings/approvals', { token: h5.tokens.admin })
    expect(json).toMatchObject({
      version: 1,
      flows: [{ name: '大额合同审批', condition: { field: 'amount', op: 'gte', value: 100000 } }],
    })
  })

  it('shows sales1’s big contract 审批中', async () => {
    const customer = await post('sales1', '/api/customers', { name: 'H5 审批客户' })
    const contract = await post('sales1', '/api/contracts', {
      number: 'H5-SP-1',
      name: 'H5 大合同',
      customerId: customer.id,
      amount: 150000,
      signedAt: '2026-11-18',
    })
    s.contractId = contract.id
    s.approvalId = (contract.approval as { id: string }).id
    const page = pages.sales1
    await page.goto(url(`/contracts/${s.contractId}`))
    await expect(page.locator('.detail-title .approval-badge').innerText()).resolves.toBe('审批中')
    await shot('sales1', '02-pending-badge')
    await page.goto(url('/contracts'))
    await page.locator('.approval-badge', { hasText: '审批中' }).first().waitFor()
  })

  it('lets mgr1 open it from 待我审批 and reject it with a comment', async () => {
    const page = pages.mgr1
    await page.goto(url('/approvals'))
    const row = page.locator('.approval-list .dtm-list-item', { hasText: 'H5-SP-1 H5 大合同' })
    await row.click()
    await page.waitForURL(url(`/approvals/${s.approvalId}`))
    await expect(page.locator('.detail-fields').innerText()).resolves.toContain('¥150,000.00')
    await expect(page.locator('.approval-step').first().innerText()).resolves.toContain('刘琦')
    await page.getByRole('button', { name: '驳回' }).click()
    await page.getByText('请填写驳回理由').waitFor()
    await page.locator('textarea[name=comment]').fill('金额需复核')
    await page.getByRole('button', { name: '驳回' }).click()
    await page.getByText('已驳回').first().waitFor()
    await expect(page.locator('.approval-decision').innerText()).resolves.toContain('刘琦 驳回：金额需复核')
    await shot('mgr1', '03-rejected')
  })

  it('shows sales1 the rejection in 我发起的, and the record 已驳回', async () => {
    const page = pages.sales1
    await page.goto(url('/approvals?box=mine'))
    const row = page.locator('.approval-list .dtm-list-item', { hasText: 'H5 大合同' })
    await expect(row.locator('.approval-badge').innerText()).resolves.toBe('已驳回')
    await page.goto(url(`/contracts/${s.contractId}`))
    await expect(page.locator('.detail-title .approval-badge').innerText()).resolves.toBe('已驳回')
    expect(h5.errors()).toEqual([])
  })
})
