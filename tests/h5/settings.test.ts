import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { PC, PHONE, useH5 } from './browser.js'

/**
 * 设置 in headless Chromium against the real local stack: the admin edits 公海规则 and 销售阶段 through
 * the forms and the rest of the CRM follows (a claim beyond the new limit is refused, an opportunity shows
 * the renamed stage); a member sees no 设置; a save over someone else's newer save (公海规则 and 回款规则 by
 * their `version`, 销售阶段 by If-Match) is told to reload.
 */

const h5 = useH5('settings', { users: { admin: '王二', sales1: '王靓依' } })
const { t, url, pages, tokens, post, shot } = h5
const tag = Date.now().toString(36).slice(-5)

async function call(user: string, method: string, pathname: string, body?: unknown) {
  return t.http(method, pathname, { token: tokens[user], body }) as Promise<{
    status: number
    json: Record<string, unknown> & { error?: { code: string } }
  }>
}

const openPoolSettings = async (page: Page) => {
  await page.goto(url('/settings/pool'))
  await page.locator('input[name=dailyClaimLimit]').waitFor()
}

describe('H5 设置', () => {
  it('lists the settings groups behind 设置 on the admin’s home grid', async () => {
    const page = pages.admin
    await page.locator('[data-module=settings]').click()
    await page.waitForURL(url('/settings'))
    const items = page.locator('.settings-groups .dtm-list-item')
    await items.first().waitFor() // the page renders after the URL changes
    const groups = await items.allInnerTexts()
    expect(groups.map((g) => g.split('\n')[0])).toEqual([
      '公海规则',
      '销售阶段',
      '回款规则',
      '审批流程',
      '通知设置',
      '用户角色',
      '字段管理',
    ])
    await shot('admin', '01-home')
  })

  it('saves a new daily claim limit from the 公海规则 form, after which sales1’s second claim of the day is refused', async () => {
    const page = pages.admin
    await page.locator('.settings-groups .dtm-list-item', { hasText: '公海规则' }).click()
    await page.locator('input[name=dailyClaimLimit]').fill('1')
    await page.locator('input[name="recycle.A.noFollowUpDays"]').fill('30')
    await shot('admin', '02-pool-form')
    await page.getByRole('button', { name: '保存' }).click()
    await page.getByText('公海规则已保存').waitFor()

    const first = await post('admin', '/api/pool', { name: `领取上限一 ${tag}` })
    const second = await post('admin', '/api/pool', { name: `领取上限二 ${tag}` })
    await expect(call('sales1', 'POST', `/api/customers/${first.id}/claim`)).resolves.toMatchObject({
      status: 200,
    })
    const refused = await call('sales1', 'POST', `/api/customers/${second.id}/claim`)
    expect([refused.status, refused.json.error?.code]).toEqual([422, 'pool.claim_limit_reached'])
  })

  it('shows the schema’s message for a daily claim limit of 0 and sends nothing', async () => {
    const page = pages.admin
    await openPoolSettings(page)
    const puts: string[] = []
    const onRequest = (request: { method(): string; url(): string }) => {
      if (request.method() === 'PUT') puts.push(request.url())
    }
    page.on('request', onRequest)
    await page.locator('input[name=dailyClaimLimit]').fill('0')
    await page.getByRole('button', { name: '保存' }).click()
    await page.locator('.settings-row .form-error').first().waitFor()
    await expect(page.locator('.settings-row .form-error').first().innerText()).resolves.toContain('1')
    page.off('request', onRequest)
    expect(puts).toEqual([])
  })

  it('answers a save over a newer one with the message to reload, and 重新加载 shows the newer values', async () => {
    const page = pages.admin
    await openPoolSettings(page)
    // someone else saves after this page loaded
    const current = await call('admin', 'GET', '/api/settings/pool')
    const other = await call('admin', 'PUT', '/api/settings/pool', { ...current.json, cooldownDays: 7 })
    expect(other.status).toBe(200)

    await page.locator('input[name=cooldownDays]').fill('2')
    await page.getByRole('button', { name: '保存' }).click()
    await page.locator('.settings-stale', { hasText: '设置已被他人修改，请重新加载后再保存' }).waitFor()
    await shot('admin', '03-pool-stale')
    await page.locator('.settings-stale').getByRole('button', { name: '重新加载' }).click()
    await expect
      .poll(() => page.locator('input[name=cooldownDays]').inputValue(), { timeout: 5000 })
      .toBe('7')
  })

  it('shows 请填写阶段名称 under an emptied stage name and sends nothing', async () => {
    const page = pages.admin
    await page.goto(url('/settings/stages'))
    const puts: string[] = []
    const onRequest = (request: { method(): string; url(): string }) => {
      if (request.method() === 'PUT') puts.push(request.url())
    }
    page.on('request', onRequest)
    await page.locator('[data-stage=s3] input.stage-name').fill('')
    await page.getByRole('button', { name: '保存' }).click()
    await page.locator('[data-stage=s3] .form-error', { hasText: '请填写阶段名称' }).waitFor()
    page.off('request', onRequest)
    expect(puts).toEqual([])
  })

  it('saves a renamed stage and a new stage moved above 商务谈判, keeping the renamed stage’s id', async () => {
    const page = pages.admin
    await page.goto(url('/settings/stages'))
    await page.locator('[data-stage=s2] input.stage-name').fill(`方案演示${tag}`)
    await page.getByRole('button', { name: '＋ 添加阶段' }).click()
    const added = page.locator('[data-stage=new]')
    await added.locator('input.stage-name').fill(`需求确认${tag}`)
    await added.locator('input[type=number]').fill('50')
    await added.getByRole('button', { name: '上移' }).click()
    await shot('admin', '04-stages-form')
    await page.getByRole('button', { name: '保存' }).click()
    await page.getByText('销售阶段已保存').waitFor()

    const { json } = await call('admin', 'GET', '/api/settings/stages')
    const stages = json as unknown as { id: string; name: string }[]
    expect(stages.map((s) => (s.id === 's2' || s.name.includes(tag) ? s.name : s.id))).toEqual([
      's1',
      `方案演示${tag}`,
      's3',
      `需求确认${tag}`,
      's4',
      'won',
      'lost',
    ])
  })

  it('shows the renamed stage on the page of an opportunity that was already in it', async () => {
    const customer = await post('sales1', '/api/customers', { name: `阶段改名客户 ${tag}` })
    const opportunity = await post('sales1', '/api/opportunities', {
      name: `阶段改名商机 ${tag}`,
      customerId: customer.id,
      stageId: 's2',
    })
    const page = pages.sales1
    await page.goto(url(`/opportunities/${opportunity.id}`))
    const stage = page.locator('.detail-fields .dtm-list-item', { hasText: '销售阶段' })
    await stage.getByText(`方案演示${tag}`).waitFor()
    await shot('sales1', '05-opportunity-renamed-stage')
  })

  it('answers a stage save over a newer one (If-Match) with the message to reload, writing nothing, and 重新加载 shows the newer names', async () => {
    const page = pages.admin
    await page.goto(url('/settings/stages'))
    await page.locator('[data-stage=s3] input.stage-name').waitFor()
    // someone else renames 确定意向 after this page loaded
    const read = await call('admin', 'GET', '/api/settings/stages')
    const stages = read.json as unknown as { id: string; name: string }[]
    const newer = stages.map((s) => (s.id === 's3' ? { ...s, name: `他人改名${tag}` } : s))
    expect((await call('admin', 'PUT', '/api/settings/stages', newer)).status).toBe(200)

    await page.locator('[data-stage=s1] input.stage-name').fill(`不应保存${tag}`)
    await page.getByRole('button', { name: '保存' }).click()
    await page.locator('.settings-stale', { hasText: '设置已被他人修改，请重新加载后再保存' }).waitFor()
    await shot('admin', '05b-stages-stale')
    const after = (await call('admin', 'GET', '/api/settings/stages')).json as unknown as typeof stages
    expect(after.map((s) => s.name)).toEqual(newer.map((s) => s.name))
    await page.locator('.settings-stale').getByRole('button', { name: '重新加载' }).click()
    await expect
      .poll(() => page.locator('[data-stage=s3] input.stage-name').inputValue(), { timeout: 5000 })
      .toBe(`他人改名${tag}`)
  })

  it('saves a team group for 销售一部 from the 通知设置 form', async () => {
    const page = pages.admin
    await page.goto(url('/settings/notifications'))
    await page.getByRole('button', { name: '＋ 添加部门群' }).click()
    await page.locator('select[name="groups.0.deptId"] option', { hasText: '销售一部' }).waitFor({
      state: 'attached',
    })
    await page.locator('select[name="groups.0.deptId"]').selectOption({ label: '销售一部' })
    await page.locator('input[name="groups.0.robotCode"]').fill('ding-robot-sales')
    await page.locator('input[name="groups.0.openConversationId"]').fill(`cid-${tag}`)
    await shot('admin', '06-notifications-form')
    await page.getByRole('button', { name: '保存' }).click()
    await page.getByText('通知设置已保存').waitFor()
    const { json } = await call('admin', 'GET', '/api/settings/notifications')
    expect(json.groups).toEqual([
      { deptId: '201', robotCode: 'ding-robot-sales', openConversationId: `cid-${tag}` },
    ])
  })

  it('sends 销售一部 lead assignments to its group only, and test-sends a card to the group', async () => {
    const page = pages.admin
    await page.goto(url('/settings/notifications'))
    const choice = page.locator('select[name="routing.201.lead.assigned"]')
    await choice.waitFor()
    await choice.selectOption({ label: '发到部门群' })
    await page.locator('input[name="groups.0.robotCode"]').fill('ding-demo-key')
    await page.locator('input[name="groups.0.openConversationId"]').fill('cid-demo-sales1')
    await page.getByRole('button', { name: '测试发送' }).click()
    await page.getByText('已发送「测试消息 · 销售一部」到群').waitFor()
    await shot('admin', '06b-notifications-routing')
    await page.getByRole('button', { name: '保存' }).click()
    await page.getByText('通知设置已保存').waitFor()
    const { json } = await call('admin', 'GET', '/api/settings/notifications')
    expect(json.routing).toEqual([{ deptId: '201', events: { 'lead.assigned': 'group' } }])
    const { json: sent } = await t.http('GET', '/dingtalk/__messages?openConversationId=cid-demo-sales1')
    expect(sent.items.map((m: { title: string }) => m.title)).toContain('测试消息 · 销售一部')
  })

  it('saves 允许超额回款 from the 回款规则 form', async () => {
    const page = pages.admin
    await page.goto(url('/settings/deals'))
    await page.locator('.settings-row', { hasText: '允许超额回款' }).locator('.dtm-switch').click()
    await page.getByRole('button', { name: '保存' }).click()
    await page.getByText('回款规则已保存').waitFor()
    const { json } = await call('admin', 'GET', '/api/settings/deals')
    expect(json).toEqual({ allowOverpayment: true, version: expect.any(Number) })
  })

  it('answers a 回款规则 save over a newer one with the message to reload, keeping the newer rules', async () => {
    const page = pages.admin
    await page.goto(url('/settings/deals'))
    const row = page.locator('.settings-row', { hasText: '允许超额回款' })
    await row.locator('.dtm-switch').waitFor()
    const read = await call('admin', 'GET', '/api/settings/deals')
    const newer = { allowOverpayment: false, version: read.json.version }
    expect((await call('admin', 'PUT', '/api/settings/deals', newer)).status).toBe(200)

    await page.getByRole('button', { name: '保存' }).click()
    await page.locator('.settings-stale', { hasText: '设置已被他人修改，请重新加载后再保存' }).waitFor()
    const { json } = await call('admin', 'GET', '/api/settings/deals')
    expect(json.allowOverpayment).toBe(false)
  })

  it('makes sales2 a 经理 from the 用户角色 list', async () => {
    const page = pages.admin
    await page.goto(url('/settings/roles'))
    await page.getByRole('combobox', { name: '郑纬祺的角色' }).selectOption('manager')
    await page.getByText('郑纬祺 已设为经理').waitFor()
    await shot('admin', '07-roles')
    const { json } = await call('admin', 'GET', '/api/users?q=郑纬祺')
    const users = json.items as { id: string; role: string }[]
    expect(users.find((u) => u.id === 'sales2')?.role).toBe('manager')
  })

  it('keeps a settings form a centred column of at most 720 px beside the PC console’s menu', async () => {
    const page = pages.admin
    await page.setViewportSize(PC)
    await page.goto(url('/settings/stages'))
    await page.locator('.settings-add').waitFor()
    const box = (await page.locator('.page-body').boundingBox())!
    // centred in the console's screen area, beside the module menu
    const screen = (await page.locator('.console-main').boundingBox())!
    expect(box.width).toBeLessThanOrEqual(720)
    expect(Math.abs((box.x - screen.x) * 2 + box.width - screen.width)).toBeLessThan(2)
    await shot('admin', '09-stages-pc')
    await page.setViewportSize(PHONE)
  })

  it('does not show 设置 on a member’s home grid', async () => {
    const page = pages.sales1
    await page.goto(url('/'))
    await page.locator('[data-module=customers]').waitFor()
    await expect(page.locator('[data-module=settings]').count()).resolves.toBe(0)
  })

  it('shows a member who opens a settings URL directly 无权限 and no form', async () => {
    const page = pages.sales1
    await page.goto(url('/settings/pool'))
    await page.locator('.empty-title', { hasText: '无权限' }).waitFor()
    await expect(page.locator('input[name=dailyClaimLimit]').count()).resolves.toBe(0)
    await shot('sales1', '08-no-permission')
  })

  it('refuses a member’s settings save in the API with 403', async () => {
    const current = await call('sales1', 'GET', '/api/settings/pool')
    const saved = await call('sales1', 'PUT', '/api/settings/pool', { ...current.json, dailyClaimLimit: 99 })
    expect([saved.status, saved.json.error?.code]).toEqual([403, 'auth.forbidden'])
  })

  it('reported no console errors, page errors or failed requests besides the stale saves’ 409s', () => {
    // Chromium logs the expected 409 of each stale save (公海规则, 销售阶段, 回款规则) as a failed load
    const conflict = 'console: Failed to load resource: the server responded with a status of 409 (Conflict)'
    const errors = h5.errors()
    for (let staleSaves = 3; staleSaves > 0; staleSaves--) {
      const expected = errors.indexOf(conflict)
      if (expected >= 0) errors.splice(expected, 1)
    }
    expect(errors).toEqual([])
  })
})
