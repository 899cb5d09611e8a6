import { beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { PC, useH5 } from './browser.js'

/**
 * 字段管理 in headless Chromium: the admin adds a choice field (shown in the list) and a required date
 * field to 客户; a salesperson's form shows both, picks the date on a wheel and refuses to save without
 * it; forms have no native date or file inputs; the PC table shows the column and filters by it; the
 * merge offers the field's values; an image attachment uploads with its progress and previews; a form
 * keeps its input across the phone/PC width; a save refused for an attachment marks the 附件 field.
 */

const h5 = useH5('fields', { users: { admin: '王二' } })
const { t, url, pages, shot } = h5
let pc: Page

beforeAll(async () => {
  h5.tokens.sales1 = await t.login('sales1')
  pc = await h5.signIn('sales1', '王靓依', PC)
})

const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
)

describe('H5 字段管理', () => {
  it('lets the admin add a choice field and a required date field to 客户', async () => {
    const page = pages.admin
    await page.goto(url('/settings/fields'))
    await page.locator('[data-field=source]').waitFor()
    // the built-in 客户来源 already offers the demo data's sources
    const sources = await page
      .locator('[data-field=source] .field-options input[aria-label=选项名称]')
      .evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value))
    expect(sources).toEqual(expect.arrayContaining(['转介绍', '官网', '陌拜', '市场活动']))

    await page.getByRole('button', { name: '＋ 添加字段' }).click()
    const star = page.locator('[data-field=new]').last()
    await star.locator('input.field-label').fill('客户星级')
    await star.locator('select[aria-label=字段类型]').selectOption('select')
    await star.locator('input[aria-label=选项名称]').first().fill('五星')
    await star.getByRole('button', { name: '＋ 添加选项' }).click()
    await star.locator('input[aria-label=选项名称]').nth(1).fill('三星')
    await star.getByText('列表显示').click()

    await page.getByRole('button', { name: '＋ 添加字段' }).click()
    const date = page.locator('[data-field=new]').last()
    await date.locator('input.field-label').fill('签约意向日期')
    await date.locator('select[aria-label=字段类型]').selectOption('date')
    await date.getByText('必填').click()
    await shot('admin', '01-fields-form')
    await page.getByRole('button', { name: '保存' }).click()
    await page.getByText('字段已保存').waitFor()

    const { json } = await t.http('GET', '/api/settings/fields/customers', { token: h5.tokens.admin })
    const added = json.fields.filter((f: { builtIn: boolean }) => !f.builtIn)
    expect(
      added.map((f: { label: string; type: string; required: boolean }) => [f.label, f.type, f.required]),
    ).toEqual([
      ['客户星级', 'select', false],
      ['签约意向日期', 'date', true],
    ])
  })

  it('shows the fields on a salesperson’s form and refuses to save without the required date', async () => {
    // a save shows on other sessions within the directory window (functions/core/field-cache.ts)
    await expect
      .poll(
        async () => {
          await pc.goto(url('/customers/new'))
          await pc.locator('input[name=name]').waitFor()
          return pc.locator('.form-row', { hasText: '客户星级' }).count()
        },
        { timeout: 20_000 },
      )
      .toBe(1)
    await pc.locator('input[name=name]').fill('星级客户甲')
    await pc.locator('.form-row', { hasText: '客户星级' }).getByRole('radio', { name: '五星' }).click()
    await pc.getByRole('button', { name: '保存' }).click()
    await pc
      .locator('.form-row', { hasText: '签约意向日期' })
      .locator('.form-error', { hasText: '必填' })
      .waitFor()
    await shot('sales1', '02-form-required')
    // a date is picked on a wheel, not typed into the browser's own date input
    const dateRow = pc.locator('.form-row', { hasText: '签约意向日期' })
    await dateRow.getByRole('button', { name: '选择签约意向日期' }).click()
    await pc.locator('.dtm-picker-popup-title', { hasText: '选择签约意向日期' }).waitFor()
    await shot('sales1', '02b-date-picker')
    await pc.getByText('确定', { exact: true }).click()
    const picked = await dateRow.locator('input').inputValue()
    expect(picked).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    await pc.getByRole('button', { name: '保存' }).click()
    await pc.waitForURL(/\/customers\/[0-9A-Z]{26}$/)
    await pc.locator('.detail-fields .dtm-list-item', { hasText: '客户星级' }).getByText('五星').waitFor()
    await pc.locator('.detail-fields .dtm-list-item', { hasText: '签约意向日期' }).getByText(picked).waitFor()
  })

  it('offers pickers, not the browser’s own date and file inputs, on a form', async () => {
    await pc.goto(url('/followups/new'))
    await pc.locator('.form-row.field-followedAt').getByRole('button', { name: '选择跟进时间' }).waitFor()
    expect(await pc.locator('input[type=date], input[type=datetime-local]').count()).toBe(0)
    expect(await pc.locator('input[type=file]:visible').count()).toBe(0)
    await pc.locator('.form-row', { hasText: '附件' }).getByText('上传附件').waitFor()
  })

  it('shows the column in the PC table and filters by it', async () => {
    await h5.post('sales1', '/api/customers', {
      name: '星级客户乙',
      custom: await customOf({ 客户星级: '三星', 签约意向日期: '2026-12-21' }),
    })
    await pc.goto(url('/customers'))
    await pc.locator('.record-table th', { hasText: '客户星级' }).waitFor()
    await pc.locator('.record-table td', { hasText: '三星' }).first().waitFor()
    await pc.locator('.filter-row[aria-label=客户星级]').getByRole('button', { name: '五星' }).click()
    await expect
      .poll(() => pc.locator('.record-table tbody tr').allInnerTexts(), { timeout: 5000 })
      .toEqual([expect.stringContaining('星级客户甲')])
    await shot('sales1', '03-list-filtered')
  })

  it('offers a custom field in the merge’s choice of values', async () => {
    const list = await t.http('GET', '/api/customers?q=星级客户&limit=10', { token: h5.tokens.sales1 })
    const byName = Object.fromEntries(
      list.json.items.map((c: { name: string; id: string }) => [c.name, c.id]),
    )
    await pc.goto(url(`/customers/${byName['星级客户甲']}/merge`))
    await pc.getByRole('button', { name: '选择客户' }).click()
    const sheet = pc.getByRole('dialog', { name: '选择要合并的客户' })
    await sheet.getByRole('button', { name: /星级客户乙/ }).click()
    await sheet.getByRole('button', { name: /确定/ }).click()
    await pc.getByRole('group', { name: '客户星级' }).getByRole('button', { name: '三星' }).click()
    await pc.getByRole('button', { name: '合并', exact: true }).click()
    await pc
      .getByRole('dialog')
      .filter({ hasText: '确认合并客户' })
      .getByRole('button', { name: '合并' })
      .click()
    await pc.waitForURL(url(`/customers/${byName['星级客户甲']}`))
    await pc.locator('.detail-fields .dtm-list-item', { hasText: '客户星级' }).getByText('三星').waitFor()
  })

  it('keeps what was typed in a form when the window crosses the phone width', async () => {
    await pc.goto(url('/customers/new'))
    await pc.locator('input[name=name]').fill('未存客户')
    // (a full-page screenshot resizes the window too: the form used to be mounted afresh, empty)
    await pc.setViewportSize({ width: 800, height: 900 })
    await pc.locator('.console-menu').waitFor({ state: 'detached' })
    await pc.setViewportSize(PC)
    await pc.locator('.console-menu').waitFor()
    expect(await pc.locator('input[name=name]').inputValue()).toBe('未存客户')
  })

  it('uploads an image attachment with its progress and previews it', async () => {
    const customer = await h5.post('sales1', '/api/customers', {
      name: '附件客户',
      custom: await customOf({ 签约意向日期: '2026-12-22' }),
    })
    await pc.goto(url(`/customers/${customer.id}/edit`))
    const row = pc.locator('.form-row', { hasText: '附件' }).first()
    await row.waitFor()
    // the upload's progress shows while the bytes go
    await pc.route('**/storage/upload', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 400))
      await route.continue()
    })
    await row
      .locator('input[type=file]')
      .setInputFiles({ name: '拜访.png', mimeType: 'image/png', buffer: png })
    await row.locator('progress').waitFor()
    await row.locator('.attachment[data-id] img.attachment-preview').waitFor({ timeout: 10_000 })
    await shot('sales1', '04-attachment-uploaded')
    await pc.getByRole('button', { name: '保存' }).click()
    await pc.waitForURL(url(`/customers/${customer.id}`))
    const preview = pc.locator('.detail-fields img.attachment-preview')
    await preview.waitFor()
    expect(await preview.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(1)
  })

  it('marks the 附件 field with the server’s message when the save is refused for an attachment', async () => {
    const customer = await h5.post('sales1', '/api/customers', {
      name: '附件被拒客户',
      custom: await customOf({ 签约意向日期: '2026-12-23' }),
    })
    await pc.goto(url(`/customers/${customer.id}/edit`))
    await pc.locator('input[name=name]').fill('附件被拒客户（改）')
    // the save names an attachment nobody uploaded: the API refuses it (422 on `attachments.0`)
    await pc.route(`**/api/customers/${customer.id}`, (route) =>
      route.request().method() === 'PATCH'
        ? route.continue({
            postData: JSON.stringify({ ...route.request().postDataJSON(), attachments: ['ATTNOBODY'] }),
          })
        : route.continue(),
    )
    await pc.getByRole('button', { name: '保存' }).click()
    await pc.locator('.form-row.field-attachments .form-error', { hasText: '附件不存在或无权使用' }).waitFor()
    await shot('sales1', '05-attachment-refused')
    expect(await pc.locator('input[name=name]').inputValue()).toBe('附件被拒客户（改）')
    expect(pc.url()).toBe(url(`/customers/${customer.id}/edit`))
  })
})

/** Custom values by label, with the keys the admin's save gave. */
async function customOf(byLabel: Record<string, string>) {
  const { json } = await t.http('GET', '/api/settings/fields/customers', { token: h5.tokens.admin })
  const fields = json.fields as { key: string; label: string; options?: { value: string; label: string }[] }[]
  return Object.fromEntries(
    Object.entries(byLabel).map(([label, value]) => {
      const field = fields.find((f) => f.label === label)!
      return [field.key, field.options?.find((o) => o.label === value)?.value ?? value]
    }),
  )
}
