/**
 * Every module of the H5 app as a salesperson meets it, at a phone's 390×844 and a PC's 1440×900: a
 * screenshot of each (kept under test-output/h5/modules-*), then what the lists, the detail's action bar
 * and the reports must show at both widths. One browser, two pages, reused throughout.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { now } from '../../functions/core/clock.js'
import { consoleMenu } from '../../shared/view/console.js'
import { chinaToday } from '../../shared/view/format.js'
import { reportChoices, reportTabs } from '../../shared/view/reports.js'
import { PC, useH5 } from './browser.js'

const h5 = useH5('modules', { users: { sales1: '王靓依' } })
const tag = Date.now().toString(36).slice(-5)
let phone: Page
let pc: Page
let customer: { id: string }
let deal: { id: string }

/** A screen is drawn: its chunk and its first answer are in (no spinner left). */
const settled = async (page: Page) => {
  await page.locator('.page').first().waitFor()
  await page.locator('.spinner').first().waitFor({ state: 'detached' })
}

beforeAll(async () => {
  customer = await h5.post('sales1', '/api/customers', { name: `模块截图客户${tag}-1`, category: 'A' })
  await h5.post('sales1', '/api/customers', { name: `模块截图客户${tag}-2`, category: 'B' })
  // the older customer was followed up: first when sorted by 最近跟进日期
  await h5.post('sales1', '/api/followups', {
    customerId: customer.id,
    method: 'phone',
    content: '电话沟通需求',
    followedAt: new Date(now()).toISOString(),
  })
  deal = await h5.post('sales1', '/api/opportunities', {
    name: `模块截图商机${tag}`,
    customerId: customer.id,
    amount: 50_000,
  })
  // 销售目标 are set by a manager: sales1's year, for 目标达成
  const year = Number(chinaToday(now()).slice(0, 4))
  const { status } = await h5.t.http('POST', '/api/targets', {
    token: await h5.t.login('mgr1'),
    body: {
      scope: 'user',
      subjectId: 'sales1',
      metric: 'contractAmount',
      year,
      months: Array(12).fill(10_000),
    },
  })
  expect(status).toBe(201)
  phone = h5.pages.sales1
  pc = await h5.signIn('sales1', '王靓依', PC)
  // signIn names the new page after the user: the phone keeps that name, the PC page gets its own
  h5.pages.pc = pc
  h5.pages.sales1 = phone
})

const modules = consoleMenu('member').flatMap((group) => group.items.map((item) => item.path))

describe('every module', () => {
  it.each([
    ['phone', () => phone],
    ['pc', () => pc],
  ])(
    'opens each module on a %s and keeps a screenshot of it',
    async (width, page) => {
      expect(modules.length).toBeGreaterThanOrEqual(18)
      for (const path of ['', ...modules]) {
        await page().goto(h5.url(`/${path}`))
        await settled(page())
        expect(await page().locator('.failed-state').count(), path).toBe(0)
        await h5.shot(width === 'phone' ? 'sales1' : 'pc', `${width}-${path.replace('/', '-') || 'home'}`)
      }
    },
    180_000,
  )
})

describe('a list', () => {
  it('says 共有 N 条记录 with a search and a filter on', async () => {
    await pc.goto(h5.url(`/customers?q=${encodeURIComponent(`模块截图客户${tag}`)}`))
    await pc.locator('.list-count', { hasText: '共有 2 条记录' }).waitFor()
    await pc.getByRole('group', { name: '客户分类' }).getByRole('button', { name: /^A/ }).click()
    await pc.locator('.list-count', { hasText: '共有 1 条记录' }).waitFor()
    expect(await pc.locator('.record-table tbody tr').count()).toBe(1)
    await h5.shot('pc', 'pc-customers-filtered')
  })

  it('sorts the PC customer table by 最近跟进日期 where the API sorts', async () => {
    await pc.goto(h5.url(`/customers?q=${encodeURIComponent(`模块截图客户${tag}`)}`))
    const rows = pc.locator('.record-table tbody tr td:nth-child(2)')
    await expect.poll(() => rows.allInnerTexts()).toEqual([`模块截图客户${tag}-2`, `模块截图客户${tag}-1`])
    const asked = pc.waitForRequest((r) => r.url().includes('sort=lastFollowUpAt'))
    await pc.getByRole('button', { name: '最近跟进日期' }).click()
    await asked
    await expect.poll(() => rows.allInnerTexts()).toEqual([`模块截图客户${tag}-1`, `模块截图客户${tag}-2`])
    expect(await pc.locator('th[aria-sort=descending]').innerText()).toBe('最近跟进日期')
  })
})

describe('a detail’s tabs', () => {
  it('lists a customer’s 商机 as a table on a PC: amounts right-aligned and whole, 共有 N 条, rows open', async () => {
    await pc.goto(h5.url(`/customers/${customer.id}?tab=opportunities`))
    const table = pc.locator('.child-list .record-table')
    await table.waitFor()
    const heads = await table.locator('th').allInnerTexts()
    expect(heads.slice(0, 3)).toEqual(['商机名称', '销售阶段', '商机金额（元）'])
    // the customer the tab is under is not a column
    expect(heads).not.toContain('客户')
    const amount = table.locator('tbody tr').first().locator('td.num')
    expect(await amount.innerText()).toBe('¥50,000.00')
    expect(
      await amount.evaluate((td) => ({
        align: getComputedStyle(td).textAlign,
        cut: td.scrollWidth > td.clientWidth,
      })),
    ).toEqual({ align: 'right', cut: false })
    expect(await pc.locator('.child-list .list-count').innerText()).toBe('共有 1 条记录')
    await h5.shot('pc', 'pc-customer-opportunities')
    await amount.click()
    await pc.waitForURL(new RegExp(`/opportunities/${deal.id}$`))
  })

  it('shows each column’s own value under its header: 跟进时间 first, not the follow-up’s title', async () => {
    await pc.goto(h5.url(`/customers/${customer.id}?tab=followups`))
    const table = pc.locator('.child-list .record-table')
    await table.waitFor()
    expect((await table.locator('th').allInnerTexts())[0]).toBe('跟进时间')
    const first = await table.locator('tbody tr').first().locator('td').first().innerText()
    expect(first).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/)
  })

  it('keeps the tab a list on a phone', async () => {
    await phone.goto(h5.url(`/customers/${customer.id}?tab=opportunities`))
    await phone.locator('.child-list .dtm-list-item', { hasText: `模块截图商机${tag}` }).waitFor()
    expect(await phone.locator('.child-list table').count()).toBe(0)
  })
})

describe('a record’s action bar', () => {
  it('shows one primary action and the rest under 更多, 删除 last, as a sheet on a phone', async () => {
    await phone.goto(h5.url(`/customers/${customer.id}`))
    const bar = phone.locator('.action-bar')
    await bar.waitFor()
    expect(await bar.locator('.action-primary').allInnerTexts()).toEqual(['写跟进'])
    expect(await bar.locator('.dtm-button-primary, .btn-primary').count()).toBe(1)
    await bar.getByRole('button', { name: '更多' }).click()
    const items = await phone.getByRole('menu', { name: '更多操作' }).getByRole('menuitem').allInnerTexts()
    expect(items.at(-1)).toBe('删除')
    expect(items).toEqual(expect.arrayContaining(['提醒', '返回公海', '编辑', '打印']))
    // a salesperson may not reassign: 经理调整 is not offered at all
    expect(items).not.toContain('经理调整')
    await h5.shot('sales1', 'phone-customer-more')
    await phone.getByRole('button', { name: '取消' }).click()
  })

  it('opens 更多 as a dropdown under the button on a PC', async () => {
    await pc.goto(h5.url(`/customers/${customer.id}`))
    await pc.locator('.action-bar').getByRole('button', { name: '更多' }).click()
    const menu = pc.getByRole('menu', { name: '更多操作' })
    await menu.waitFor()
    expect(await menu.evaluate((el) => el.className)).toBe('more-menu')
    await h5.shot('pc', 'pc-customer-more')
    await menu.getByRole('menuitem', { name: '编辑' }).click()
    await pc.waitForURL(/\/edit$/)
  })
})

describe('统计分析 on a phone', () => {
  it('selects 仅本人 for a salesperson, who has no team', async () => {
    await phone.goto(h5.url('/reports'))
    const scope = phone.getByRole('group', { name: '范围' })
    await scope.waitFor()
    expect(await scope.locator('.chip').allInnerTexts()).toEqual(['仅本人'])
    expect(await scope.locator('.chip-on').innerText()).toBe('仅本人')
  })

  it('offers each report the choices of shared/view/reports.ts, as the mini-program does', async () => {
    const today = chinaToday(now())
    for (const { key } of reportTabs) {
      await phone.goto(h5.url(`/reports?tab=${key}`))
      const rows = phone.locator('.report .filter-row')
      await rows.first().waitFor()
      const shown = await rows.evaluateAll((els) =>
        els.map((el) => [
          el.getAttribute('aria-label'),
          [...el.querySelectorAll('.chip')].map((c) => c.textContent),
        ]),
      )
      const shared = reportChoices(key, today, 'member').map((c) => [c.label, c.options.map((o) => o.label)])
      expect(shown, key).toEqual(shared)
    }
  })

  it('shows each funnel stage’s whole name', async () => {
    await phone.goto(h5.url('/reports?tab=funnel'))
    const names = phone.locator('.funnel-name')
    await names.first().waitFor()
    expect(await names.allInnerTexts()).toContain('商务谈判')
    // nothing cut: each name fits its box, inside the screen
    const clipped = await names.evaluateAll((els) =>
      els
        .filter((el) => {
          const box = el.getBoundingClientRect()
          return el.scrollWidth > el.clientWidth || box.left < 0 || box.right > window.innerWidth
        })
        .map((el) => el.textContent),
    )
    expect(clipped).toEqual([])
    await h5.shot('sales1', 'phone-funnel')
  })

  it('scrolls 目标达成’s table sideways rather than cutting 达成率', async () => {
    await phone.goto(h5.url('/reports?tab=targets'))
    const wrap = phone.locator('.report .table-wrap')
    await wrap.waitFor()
    const { scrollable, cut } = await wrap.evaluate((el) => ({
      scrollable: el.scrollWidth > el.clientWidth && getComputedStyle(el).overflowX === 'auto',
      // a header cell whose text is cut short
      cut: [...el.querySelectorAll('th')].filter((th) => th.scrollWidth > th.clientWidth).length,
    }))
    expect(scrollable).toBe(true)
    expect(cut).toBe(0)
    await wrap.evaluate((el) => el.scrollTo({ left: el.scrollWidth }))
    const rate = wrap.locator('td .rate-text').first()
    await expect.poll(() => rate.innerText()).toMatch(/%$/)
    const [box, view] = await Promise.all([rate.boundingBox(), wrap.boundingBox()])
    expect(box!.x + box!.width).toBeLessThanOrEqual(view!.x + view!.width)
    await h5.shot('sales1', 'phone-targets-scrolled')
  })
})

it('reports no console errors, page errors or failed requests', () => {
  expect(h5.errors()).toEqual([])
})
