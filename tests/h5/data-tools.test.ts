import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHUNK_ROWS } from '../../functions/domain/imports/index.js'
import { readXlsx, xlsx } from '../imports/files.js'
import { PC, PHONE, recordAction, useH5 } from './browser.js'

/**
 * 导入, 导出 and 客户合并 in the H5 app, in headless Chromium against the real local stack: an XLSX of
 * customers imported through the import page, a filtered customer list exported, and two customers
 * merged from the detail page. Every assertion is on what the page shows or the file it saved.
 */
const h5 = useH5('data-tools', { users: { sales1: '王靓依' } })
const { t, url } = h5
const files = mkdtempSync(path.join(os.tmpdir(), 'h5-data-files-'))

let page: Page
const tag = Date.now().toString(36).slice(-5)
const shot = (name: string) => h5.shot('sales1', name)
const post = (pathname: string, body: unknown) => h5.post('sales1', pathname, body)

/** the titles of the list's rows (each row's content holds the title, then its brief) */
const listNames = (list: Page) =>
  list
    .locator('.record-list .dtm-list-content')
    .evaluateAll((rows) => rows.map((row) => row.childNodes[0]?.textContent ?? ''))

beforeAll(() => {
  page = h5.pages.sales1
})

afterAll(() => rmSync(files, { recursive: true, force: true }))

describe('H5 导入 / 导出 / 客户合并', () => {
  it('imports an XLSX of customers from the list toolbar, shows the counts, the bad row and its error report, and lists the new customers', async () => {
    const file = path.join(files, 'customers.xlsx')
    writeFileSync(
      file,
      await xlsx([
        ['客户名称', '客户分类', '手机', '地址'],
        [`导入客户甲 ${tag}`, 'A 类客户', '13800000001', '杭州'],
        [`导入客户乙 ${tag}`, 'B', '', '上海'],
        [`导入客户丙 ${tag}`, 'C', '12345', ''],
      ]),
    )
    await page.goto(url('/customers'))
    await page.getByRole('link', { name: '导入' }).click()
    await page.waitForURL(url('/import/customers?target=mine'))
    await page.locator('input[type=file]').setInputFiles(file)
    await page.getByRole('group', { name: '重复数据处理' }).getByRole('button', { name: '跳过' }).click()
    await shot('01-import-form')
    await page.getByRole('button', { name: '开始导入' }).click()

    const result = page.getByRole('status', { name: '导入结果' })
    await result.getByText('导入完成').waitFor()
    await expect(result.locator('.import-processed').innerText()).resolves.toBe('已处理 3 / 3 行')
    const counts = await result.locator('.import-count').allInnerTexts()
    expect(counts.map((c) => c.replace(/\s+/g, ''))).toEqual(['2新建', '0更新', '0跳过', '1失败'])
    await expect(result.locator('.import-errors li').allInnerTexts()).resolves.toEqual([
      expect.stringMatching(/^第 4 行：.*手机/),
    ])
    await shot('02-import-result')

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      result.getByRole('button', { name: '下载错误报告' }).click(),
    ])
    const report = await readXlsx(readFileSync((await download.path())!))
    expect(report.map((row) => row[0])).toEqual(['客户名称', `导入客户丙 ${tag}`])

    await result.getByRole('link', { name: '查看客户' }).click()
    await page.waitForURL(url('/customers'))
    await page.goto(url(`/customers?q=${encodeURIComponent(`导入客户`)}`))
    await page.locator('.record-list').getByText(`导入客户甲 ${tag}`).waitFor()
    const names = await listNames(page)
    expect(names).toContain(`导入客户乙 ${tag}`)
    expect(names).not.toContain(`导入客户丙 ${tag}`)
  })

  it('follows an import the server runs on by polling it, with 重试 only on a stalled job, importing into the 公海 from the pool list', async () => {
    // one chunk per request: the job stays `running` after the upload and after a retry
    process.env.IMPORT_BUDGET_MS = '1'
    const total = 2 * CHUNK_ROWS + 10
    const file = path.join(files, 'pool.xlsx')
    writeFileSync(
      file,
      await xlsx([['客户名称'], ...Array.from({ length: total }, (_, i) => [`公海导入 ${tag} ${i}`])]),
    )
    const resumes: string[] = []
    const polls: string[] = []
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/resume')) resumes.push(request.url())
      if (request.method() === 'GET' && /\/api\/imports\/\w+$/.test(request.url())) polls.push(request.url())
    })
    try {
      await page.goto(url('/pool'))
      await page.getByRole('link', { name: '导入' }).click()
      await page.waitForURL(url('/import/customers?target=pool'))
      await expect(page.getByRole('group', { name: '导入到' }).locator('.chip-on').innerText()).resolves.toBe(
        '公海',
      )
      await page.locator('input[type=file]').setInputFiles(file)
      await page.getByRole('button', { name: '开始导入' }).click()
      const result = page.getByRole('status', { name: '导入结果' })
      const processed = result.locator('.import-processed')
      await processed.getByText(`已处理 ${CHUNK_ROWS} / ${total} 行`).waitFor()
      // no scheduler run for minutes: the page offers a retry, which runs it on once
      await page.clock.fastForward('03:00')
      await result.getByRole('button', { name: '重试' }).click()
      await processed.getByText(`已处理 ${2 * CHUNK_ROWS} / ${total} 行`).waitFor()
      expect(resumes).toHaveLength(1)
      // the scheduler's run finishes it; the page only polls
      const { status } = await t.http('POST', '/__dev/scheduler/run', { body: {} })
      expect(status).toBe(200)
      await result.getByText('导入完成').waitFor({ timeout: 30_000 })
      await expect(processed.innerText()).resolves.toBe(`已处理 ${total} / ${total} 行`)
      await expect(result.locator('.import-count').first().innerText()).resolves.toMatch(
        new RegExp(`^${total}\\s*新建$`),
      )
      expect(resumes).toHaveLength(1)
      expect(polls.length).toBeGreaterThanOrEqual(2)
      await expect(result.getByRole('button', { name: '重试' }).count()).resolves.toBe(0)
      await expect(result.getByRole('button', { name: '下载错误报告' }).count()).resolves.toBe(0)
    } finally {
      delete process.env.IMPORT_BUDGET_MS
    }
    await page.getByRole('link', { name: '查看公海' }).click()
    await page.waitForURL(url('/pool'))
    await page.goto(url(`/pool?q=${encodeURIComponent(`公海导入 ${tag} 0`)}`))
    await page.locator('.record-list').getByText(`公海导入 ${tag} 0`).first().waitFor()
    await expect(listNames(page)).resolves.toContain(`公海导入 ${tag} 0`)
  }, 120_000)

  it('reaches the product import, with its expected columns, from 数据导入 on the home page', async () => {
    await page.goto(url('/'))
    await page.getByRole('link', { name: /数据导入/ }).click()
    await page.getByRole('link', { name: '导入产品' }).click()
    await page.waitForURL(url('/import/products'))
    await expect(page.locator('.dtm-nav-bar').innerText()).resolves.toContain('导入产品')
    await expect(page.locator('.tool-section').first().innerText()).resolves.toContain(
      '产品名称、产品编码、单位、单价',
    )
    await expect(page.getByRole('group', { name: '导入到' }).count()).resolves.toBe(0)
  })

  it('exports the customer list with its search and filter, and the file has exactly the rows the list shows', async () => {
    for (const [name, category] of [
      [`导出客户一 ${tag}`, 'A'],
      [`导出客户二 ${tag}`, 'A'],
      [`导出客户三 ${tag}`, 'B'],
    ])
      await post('/api/customers', { name, category })
    await page.goto(url(`/customers?q=${encodeURIComponent(`导出客户`)}&category=A`))
    await page.locator('.record-list').getByText(`导出客户一 ${tag}`).waitFor()
    const shown = await listNames(page)
    expect([...shown].sort()).toEqual([`导出客户一 ${tag}`, `导出客户二 ${tag}`].sort())

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '导出 Excel' }).click(),
    ])
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/)
    const rows = await readXlsx(readFileSync((await download.path())!))
    expect(rows[0][0]).toBe('客户名称')
    expect(rows.slice(1).map((row) => row[0])).toEqual(shown)
    const [csvDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '导出 CSV' }).click(),
    ])
    expect(csvDownload.suggestedFilename()).toMatch(/\.csv$/)
    const csvLines = readFileSync((await csvDownload.path())!, 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/)
    expect(csvLines.slice(1).map((line) => line.split(',')[0].replace(/"/g, ''))).toEqual(shown)
    await shot('03-exported-list')
    await page.setViewportSize(PC)
    await page.locator('.record-table').getByText(`导出客户一 ${tag}`).waitFor()
    await shot('03-exported-list-pc')
    await page.setViewportSize(PHONE)
  })

  it('merges a duplicate into a customer from its detail page after the recycle-bin confirmation, moving its follow-ups and contacts', async () => {
    const target = await post('/api/customers', { name: `合并保留客户 ${tag}`, phone: '13900000001' })
    const source = await post('/api/customers', {
      name: `合并重复客户 ${tag}`,
      address: '杭州市西湖区',
    })
    await post('/api/contacts', { customerId: source.id, name: `重复客户联系人 ${tag}` })
    await post('/api/followups', {
      customerId: source.id,
      method: 'phone',
      content: `重复客户的跟进 ${tag}`,
      followedAt: '2026-05-01T10:00:00+08:00',
    })

    await page.goto(url(`/customers/${target.id}`))
    await page.locator('.detail-title', { hasText: `合并保留客户 ${tag}` }).waitFor()
    await recordAction(page, '客户合并')
    await page.getByRole('button', { name: '选择客户' }).click()
    const sheet = page.getByRole('dialog', { name: '选择要合并的客户' })
    await sheet.getByRole('searchbox').fill(`合并重复客户 ${tag}`)
    await sheet.getByRole('button', { name: new RegExp(`合并重复客户 ${tag}`) }).click()
    await sheet.getByRole('button', { name: /确定/ }).click()
    await page.getByRole('group', { name: '地址' }).getByRole('button', { name: '杭州市西湖区' }).click()
    await shot('04-merge-form')
    await page.getByRole('button', { name: '合并', exact: true }).click()
    const confirm = page.getByRole('dialog').filter({ hasText: '确认合并客户' })
    await expect(confirm.innerText()).resolves.toContain('回收站')
    await confirm.getByRole('button', { name: '合并' }).click()

    await page.waitForURL(url(`/customers/${target.id}`))
    await page.locator('.detail-title', { hasText: `合并保留客户 ${tag}` }).waitFor()
    await page
      .locator('.detail-fields .dtm-list-item', { hasText: '地址' })
      .getByText('杭州市西湖区')
      .waitFor()
    await page.getByRole('tab', { name: '跟进' }).click()
    await page.locator('.child-list').getByText(`重复客户的跟进 ${tag}`).waitFor()
    await page.getByRole('tab', { name: '联系人' }).click()
    await page.locator('.child-list').getByText(`重复客户联系人 ${tag}`).waitFor()
    await shot('05-merged-customer')
    const { status } = await t.http('GET', `/api/customers/${source.id}`, { token: h5.tokens.sales1 })
    expect(status).toBe(404)
  })

  it('reported no console errors, page errors or failed requests during the run', () => {
    expect(h5.errors()).toEqual([])
  })
})
