import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { addDays, chinaToday, dateRangePresets } from '../../shared/view/format.js'
import { actionBar } from '../../shared/view/actions.js'
import { collaboratorsAction, recordActions } from '../../shared/view/record-actions.js'
import { SRC } from './axml.js'
import { LOGIN } from './fake-api.js'
import { fakeCrm } from './fake-crm.js'
import { fakeDd, loadPage, settle } from './host.js'

const PAGES = '../../miniapp/src/pages'
type Host = ReturnType<typeof fakeDd>
type Options = Parameters<typeof fakeDd>[0]

/** A page on the fake CRM with a session stored (as after the launch page), `onLoad(query)` not yet called. */
async function open(
  page: string,
  {
    crm = fakeCrm(),
    signedIn = true,
    role = 'member',
    ...dd
  }: Options & {
    crm?: ReturnType<typeof fakeCrm>
    signedIn?: boolean
    role?: 'member' | 'manager' | 'admin'
  } = {},
) {
  const host: Host = fakeDd({ http: crm.http, ...dd })
  if (signedIn)
    host.dd.setStorageSync({ key: 'crm.session', data: { ...LOGIN, user: { ...LOGIN.user, role } } })
  host.calls.length = 0
  return { host, crm, page: await loadPage(`${PAGES}/${page}.ts`, host.dd) }
}

const pick = (name: string, index: number) => ({
  currentTarget: { dataset: { name } },
  detail: { value: index },
})
const tap = (dataset: Record<string, string>) => ({ currentTarget: { dataset } })
/** the query of the n-th customer list request (the directory requests of the pickers aside) */
const queryOf = (host: Host, n: number) =>
  host.requests().filter((r) => r.url.pathname === '/api/customers')[n].url.searchParams

describe('customer list', () => {
  it('says 共有 N 条记录 from the API total and appends page two at the bottom', async () => {
    const { page } = await open('customer/list')
    await page.callMethod('onLoad', {})
    expect(page.data).toMatchObject({ summary: '共有 45 条记录', hasMore: true })
    expect(page.data.rows[0]).toEqual({
      id: 'C001',
      title: '客户 1',
      brief: 'B 类客户 · 展会 · 最近跟进 2026-02-02',
    })
    await page.callMethod('onReachBottom')
    expect(page.data.rows).toHaveLength(40)
    expect(page.data.summary).toBe('共有 45 条记录')
  })

  it('offers the shared filters: category, source and last follow-up range', async () => {
    const { page } = await open('customer/list')
    expect(page.data.filters.map((f: { label: string }) => f.label)).toEqual([
      '客户分类',
      '客户来源',
      '客户经理',
      '所属部门',
      '最近跟进日期',
    ])
    expect(page.data.filters[0].options).toEqual(['全部', 'A 类客户', 'B 类客户', 'C 类客户', 'D 类客户'])
  })

  it('fills the 客户经理 picker from the directory and filters by the chosen one', async () => {
    const { page, host } = await open('customer/list')
    await page.callMethod('onLoad', {})
    await settle()
    expect(page.data.filters[2].options).toEqual(['全部', '王靓依', '郑纬祺', '刘琦'])
    await page.callMethod('onFilterPick', pick('ownerId', 2))
    expect(queryOf(host, 1).get('ownerId')).toBe('sales2')
  })

  it('reloads page one with the chosen category and shows it on the filter', async () => {
    const { page, host } = await open('customer/list')
    await page.callMethod('onLoad', {})
    await page.callMethod('onFilterPick', pick('category', 1))
    expect(queryOf(host, 1).get('category')).toBe('A')
    expect(queryOf(host, 1).has('cursor')).toBe(false)
    expect(page.data.filters[0]).toMatchObject({ index: 1, text: 'A 类客户' })
    expect(page.data.rows.every((r: { brief: string }) => r.brief.startsWith('A 类客户'))).toBe(true)
    // a filtered list has no kept count: the rows say how many
    expect(page.data.summary).toBe('共有 11 条记录')
  })

  it('sends the last follow-up range of the chosen preset and combines it with the source', async () => {
    const { page, host } = await open('customer/list')
    await page.callMethod('onLoad', {})
    await page.callMethod('onFilterPick', pick('source', 1))
    await page.callMethod('onFilterPick', pick('lastFollowUpFrom', 2))
    const [, , sevenDays] = [undefined, ...dateRangePresets('past')]
    const query = queryOf(host, 2)
    expect(query.get('source')).toBe('电话营销')
    expect(query.get('lastFollowUpFrom')).toBe(sevenDays!.from)
    expect(query.get('lastFollowUpTo')).toBe(sevenDays!.to)
  })

  it('goes back to every customer when 全部 is chosen again', async () => {
    const { page, host } = await open('customer/list')
    await page.callMethod('onLoad', {})
    await page.callMethod('onFilterPick', pick('category', 2))
    await page.callMethod('onFilterPick', pick('category', 0))
    expect(queryOf(host, 2).has('category')).toBe(false)
    expect(page.data.summary).toBe('共有 45 条记录')
  })

  it('refreshes on pull-down and shows the empty state when nothing matches', async () => {
    const { page, host } = await open('customer/list', { crm: fakeCrm({ customers: 0 }) })
    await page.callMethod('onLoad', {})
    await page.callMethod('onPullDownRefresh')
    expect(host.callsTo('stopPullDownRefresh')).toHaveLength(1)
    expect(page.data).toMatchObject({ rows: [], empty: true, loaded: true })
  })
})

describe('公海', () => {
  it('claims a customer with 领取, takes it off the list and counts it out of the total', async () => {
    const { page, host, crm } = await open('pool/index')
    await page.callMethod('onLoad', {})
    expect(page.data).toMatchObject({ rowAction: '领取', summary: '共有 3 条记录' })
    await page.callMethod('onRowAction', 'C101')
    expect(crm.posted).toEqual([{ path: 'POST /api/customers/C101/claim', body: undefined }])
    expect(page.data.rows.map((r: { id: string }) => r.id)).toEqual(['C100', 'C102'])
    expect(page.data.summary).toBe('共有 2 条记录')
    expect(host.callsTo('showToast')).toEqual([{ content: '已领取，客户已加入我的客户', type: 'success' }])
  })

  it('marks the customer list stale after a claim, so it reloads when shown again', async () => {
    const { page } = await open('pool/index')
    await page.callMethod('onLoad', {})
    await page.callMethod('onRowAction', 'C100')
    // the module instance the page imported (modules stay cached until the next loadPage)
    const { takeStale } = await import('../../miniapp/src/lib/stale.js')
    expect(takeStale('customers')).toBe(true)
  })

  it('keeps the row and shows the API message when the claim is refused', async () => {
    const { page, host } = await open('pool/index')
    await page.callMethod('onLoad', {})
    await page.callMethod('onRowAction', 'C999')
    expect(page.data.rows).toHaveLength(3)
    expect(host.callsTo('showToast')).toEqual([{ content: '记录不存在', type: 'fail' }])
  })
})

describe('deep links from DingTalk cards', () => {
  /** every `pages/<module>/<page>` the backend's outbox writers put on a card */
  const linkedPages = () => {
    const dir = path.resolve(SRC, '../../functions/domain')
    const found = (readdirSync(dir, { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) =>
        [...readFileSync(path.join(dir, f), 'utf8').matchAll(/'(pages\/[\w-]+\/[\w-]+)'/g)].map((m) => m[1]),
      )
    return [...new Set(found)].sort()
  }

  it('finds a page in app.json for every page a card links to', () => {
    const { pages } = JSON.parse(readFileSync(path.join(SRC, 'app.json'), 'utf8')) as { pages: string[] }
    const linked = linkedPages()
    expect(linked).toEqual(
      expect.arrayContaining(['pages/customer/detail', 'pages/lead/detail', 'pages/contract/detail']),
    )
    expect(linked.filter((page) => !pages.includes(page))).toEqual([])
  })

  it('logs in once and shows the customer when a card opens its detail with no session', async () => {
    const { page, host } = await open('customer/detail', { signedIn: false })
    await page.callMethod('onLoad', { id: 'C001', reminderId: 'R1' })
    expect(host.callsTo('getAuthCode')).toHaveLength(1)
    expect(page.data).toMatchObject({ title: '客户 1', error: '', loaded: true })
    expect(page.data.fields).toContainEqual({ label: '客户经理', value: '王靓依' })
    const paths = host.requests().map((r) => `${r.method} ${r.url.pathname}`)
    expect(paths.slice(0, 3)).toEqual([
      'GET /api/customers/C001',
      'POST /api/auth/login',
      'GET /api/customers/C001',
    ])
  })

  it('opens a lead card the same way', async () => {
    const { page, host } = await open('lead/detail', { signedIn: false })
    await page.callMethod('onLoad', { id: 'L1' })
    expect(host.callsTo('getAuthCode')).toHaveLength(1)
    expect(page.data.title).toBe('线索 1')
  })

  it('sends the fallback page of a reminder card to 工作台', async () => {
    const { page, host } = await open('index/index')
    await page.callMethod('onLoad', { id: 'X' })
    expect(host.callsTo('reLaunch')).toEqual([{ url: '/pages/home/index' }])
  })
})

describe('customer detail', () => {
  async function detail(dd: Parameters<typeof open>[1] = {}) {
    const opened = await open('customer/detail', dd)
    await opened.page.callMethod('onLoad', { id: 'C001' })
    return opened
  }

  it('has the tabs 客户信息 / 动态 / 跟进 / 商机 / 合同 / 联系人 and the customer actions', async () => {
    const { page } = await detail()
    expect(page.data.tabs.map((t: { label: string }) => t.label)).toEqual([
      '客户信息',
      '动态',
      '跟进',
      '商机',
      '合同',
      '联系人',
    ])
    expect(page.data.actions.map((a: { label: string }) => a.label)).toEqual(
      expect.arrayContaining(['写跟进', '返回公海', '分类调整', '提醒', '编辑', '删除']),
    )
  })

  it('shows 动态 with the likes, and counts a like', async () => {
    const { page } = await detail()
    await page.callMethod('onTabTap', tap({ key: 'timeline' }))
    expect(page.data.timeline).toEqual([
      { id: 'A1', text: '创建了客户「客户 1」', brief: '王靓依 · 2026-03-01 09:00' },
    ])
    expect(page.data.likes).toEqual({ count: 2, likedByMe: false })
    await page.callMethod('onLike')
    expect(page.data.likes).toEqual({ count: 3, likedByMe: true })
  })

  it('posts a comment and reloads 动态', async () => {
    const { page, crm } = await detail()
    await page.callMethod('onTabTap', tap({ key: 'timeline' }))
    await page.callMethod('onCommentInput', { detail: { value: '客户很有意向' } })
    await page.callMethod('onComment')
    expect(crm.posted).toContainEqual({
      path: 'POST /api/customers/C001/comments',
      body: { content: '客户很有意向' },
    })
    expect(page.data.comment).toBe('')
  })

  it('lists the customer contracts in the 合同 tab and opens one', async () => {
    const { page, host } = await detail()
    await page.callMethod('onTabTap', tap({ key: 'contracts' }))
    expect(host.requests().at(-1)!.url.searchParams.get('customerId')).toBe('C001')
    expect(page.data.tabRows.map((r: { title: string }) => r.title)).toEqual(['云盘年度合同'])
    await page.callMethod('onTabRowTap', 'K1')
    expect(host.callsTo('navigateTo')).toEqual([{ url: '/pages/contract/detail?id=K1' }])
  })

  it('returns the customer to the pool once a reason is given, then goes back', async () => {
    const { page, crm, host } = await detail({ prompt: ['客户暂无需求'] })
    await page.callMethod('onAction', tap({ key: 'release' }))
    expect(host.callsTo('prompt')[0].placeholder).toBe('请填写将「客户 1」退回公海的原因')
    expect(crm.posted).toEqual([
      { path: 'POST /api/customers/C001/release', body: { reason: '客户暂无需求' } },
    ])
    expect(host.callsTo('navigateBack')).toHaveLength(1)
  })

  it('does nothing when the reason for 返回公海 is cancelled', async () => {
    const { page, crm } = await detail()
    await page.callMethod('onAction', tap({ key: 'release' }))
    expect(crm.posted).toEqual([])
  })

  it('changes the category with 分类调整 and shows the new one', async () => {
    const { page, crm } = await detail({ choose: [3] })
    await page.callMethod('onAction', tap({ key: 'category' }))
    expect(crm.posted).toEqual([{ path: 'POST /api/customers/C001/category', body: { category: 'D' } }])
    expect(page.data.fields).toContainEqual({ label: '客户分类', value: 'D 类客户' })
  })

  it('lets a manager hand the customer to the chosen user (经理调整)', async () => {
    const { page, crm, host } = await detail({ choose: [1], role: 'manager' })
    await page.callMethod('onAction', tap({ key: 'assign' }))
    expect(host.callsTo('showActionSheet')[0]).toMatchObject({
      title: '经理调整：选择新的客户经理',
      items: ['王靓依', '郑纬祺', '刘琦'],
    })
    expect(crm.posted).toEqual([{ path: 'POST /api/customers/C001/assign', body: { ownerId: 'sales2' } }])
  })

  it('does not offer 经理调整 to a member', async () => {
    const { page } = await detail()
    expect(page.data.actions.map((a: { label: string }) => a.label)).not.toContain('经理调整')
  })

  it('opens the reminder form for this customer, for me, with 提醒', async () => {
    const { page, host } = await detail()
    await page.callMethod('onAction', tap({ key: 'remind' }))
    const name = encodeURIComponent('客户 1')
    expect(host.callsTo('navigateTo')).toEqual([
      {
        url: `/pages/reminder/form?recordType=customer&recordId=C001&recordName=${name}&title=${encodeURIComponent('跟进客户：客户 1')}&assigneeIds=sales1`,
      },
    ])
  })

  it('deletes only after the confirmation', async () => {
    const { page, crm, host } = await detail({ confirm: false })
    await page.callMethod('onAction', tap({ key: 'delete' }))
    expect(host.callsTo('confirm')[0].content).toBe('确定删除「客户 1」吗？删除后可在回收站恢复。')
    expect(crm.posted).toEqual([])
  })
})

describe('detail actions', () => {
  it('shows the shared actions of the record in the bar’s order, 客户合并 and 协助跟进人 included', async () => {
    const me = { id: 'sales1', role: 'member' as const, deptIds: ['201'] }
    for (const [dir, id, collection] of [
      ['customer', 'C001', 'customers'],
      ['lead', 'L1', 'leads'],
      ['opportunity', 'O1', 'opportunities'],
    ] as const) {
      const { page } = await open(`${dir}/detail`)
      await page.callMethod('onLoad', { id })
      const extra = collection === 'customers' ? [collaboratorsAction(page.data.record, me)!] : []
      const { primary, more } = actionBar([...recordActions(collection, page.data.record, me), ...extra])
      const shared = [primary!, ...more].map((a) => a.key)
      expect(
        page.data.actions.map((a: { key: string }) => a.key),
        dir,
      ).toEqual(shared)
    }
  })

  it('offers a member only 领取 on a pool customer, and the owner actions once it is theirs', async () => {
    const { page, crm } = await open('customer/detail')
    await page.callMethod('onLoad', { id: 'C100' })
    expect(page.data.actions.map((a: { label: string }) => a.label)).toEqual(['领取'])
    await page.callMethod('onAction', tap({ key: 'claim' }))
    expect(crm.posted).toEqual([{ path: 'POST /api/customers/C100/claim', body: undefined }])
    expect(page.data.actions.map((a: { label: string }) => a.label)).toContain('返回公海')
  })

  it('offers a manager 分配, 编辑 and 删除 on a pool customer too', async () => {
    const { page } = await open('customer/detail', { role: 'manager' })
    await page.callMethod('onLoad', { id: 'C100' })
    expect(page.data.actions.map((a: { label: string }) => a.label)).toEqual(['领取', '分配', '编辑', '删除'])
  })

  it('greys out an action the API would refuse and says why on a tap', async () => {
    const crm = fakeCrm({ first: { ownerId: 'sales2', collaboratorIds: ['sales1'] } })
    const { page, host } = await open('customer/detail', { crm })
    await page.callMethod('onLoad', { id: 'C001' })
    const release = page.data.actions.find((a: { key: string }) => a.key === 'release')
    expect(release.type).toBe('refused')
    await page.callMethod('onAction', tap({ key: 'release' }))
    expect(host.callsTo('showToast')).toEqual([
      { content: '只有负责人或其上级可以将客户退回公海', type: 'none' },
    ])
    expect(crm.posted).toEqual([])
  })
})

describe('reminder form', () => {
  it('creates a reminder on the record it was opened from, for me by default', async () => {
    const { page, crm } = await open('reminder/form')
    await page.callMethod('onLoad', {
      recordType: 'customer',
      recordId: 'C001',
      recordName: encodeURIComponent('客户 1'),
    })
    expect(page.data.fields.map((f: { name: string }) => f.name)).not.toContain('recordId')
    expect(page.data.fields.find((f: { name: string }) => f.name === 'assigneeIds').text).toBe('王靓依')
    await page.callMethod('onFieldChange', 'title', '回访')
    await page.callMethod('onFieldChange', 'dueAt', '2026-04-01 09:00')
    await page.callMethod('onSubmit')
    expect(page.data.error).toBe('')
    expect(crm.posted[0]).toEqual({
      path: 'POST /api/reminders',
      body: {
        recordType: 'customer',
        recordId: 'C001',
        recordName: '客户 1',
        title: '回访',
        assigneeIds: ['sales1'],
        dueAt: '2026-04-01T09:00:00+08:00',
        remindBeforeMinutes: 0,
        repeat: 'none',
      },
    })
  })
})

describe('lead detail', () => {
  it('lets a manager assign the lead to the chosen user (分配)', async () => {
    const { page, crm } = await open('lead/detail', { choose: [1], role: 'manager' })
    await page.callMethod('onLoad', { id: 'L1' })
    await page.callMethod('onAction', tap({ key: 'assign' }))
    expect(crm.posted).toEqual([{ path: 'POST /api/leads/L1/assign', body: { assigneeId: 'sales2' } }])
    expect(page.data.fields).toContainEqual({ label: '负责人', value: '郑纬祺' })
  })

  it('converts the lead into a customer after the confirmation and opens the customer (转为新客户)', async () => {
    const { page, crm, host } = await open('lead/detail')
    await page.callMethod('onLoad', { id: 'L1' })
    await page.callMethod('onAction', tap({ key: 'convert' }))
    expect(crm.posted).toEqual([{ path: 'POST /api/leads/L1/convert', body: {} }])
    expect(host.callsTo('redirectTo')).toEqual([{ url: '/pages/customer/detail?id=C900' }])
  })
})

describe('lead 动态', () => {
  it('shows what happened to the lead under its 动态 tab', async () => {
    const { page } = await open('lead/detail')
    await page.callMethod('onLoad', { id: 'L1' })
    expect(page.data.tabs.map((t: { label: string }) => t.label)).toEqual(['线索信息', '动态'])
    await page.callMethod('onTabTap', tap({ key: 'timeline' }))
    expect(page.data.timeline).toEqual([
      expect.objectContaining({ id: 'A2', text: expect.stringContaining('分配了线索') }),
    ])
  })
})

describe('converted lead detail', () => {
  it('offers its customer instead of 分配 and 转为新客户, which the API would refuse', async () => {
    const { page, host } = await open('lead/detail')
    await page.callMethod('onLoad', { id: 'L3' })
    expect(page.data.actions.map((a: { label: string }) => a.label)).toEqual(['查看客户', '删除'])
    await page.callMethod('onAction', tap({ key: 'openCustomer' }))
    expect(host.callsTo('navigateTo')).toEqual([{ url: '/pages/customer/detail?id=C001' }])
  })
})

describe('follow-up form', () => {
  it('sends method, content, time, the device location and the next follow-up date', async () => {
    const location = { latitude: 30.27415, longitude: 120.15515, address: '杭州市西湖区' }
    const { page, crm, host } = await open('followup/form', { location, date: ['2026-04-02 10:30'] })
    await page.callMethod('onLoad', { customerId: 'C001' })
    const field = (name: string) => page.data.fields.find((f: { name: string }) => f.name === name)
    expect(field('customerId')).toMatchObject({ text: '客户 1' })
    expect(field('method')).toMatchObject({
      control: 'enum',
      text: '电话',
      options: ['电话', '拜访', '钉钉', '微信', '邮件', '其他'],
    })
    expect(field('followedAt').value).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/)
    await page.callMethod('onFieldChange', 'method', 'visit')
    await page.callMethod('onFieldChange', 'content', '上门演示了云盘')
    await page.callMethod('onFieldChange', 'followedAt', '2026-03-30 15:00')
    await page.callMethod('onTapField', 'location')
    expect(field('location').text).toBe('杭州市西湖区')
    await page.callMethod('onTapField', 'nextFollowUpAt')
    expect(host.callsTo('datePicker')[0].format).toBe('yyyy-MM-dd HH:mm')
    await page.callMethod('onSubmit')
    expect(page.data.error).toBe('')
    expect(crm.posted).toEqual([
      {
        path: 'POST /api/followups',
        body: {
          customerId: 'C001',
          method: 'visit',
          content: '上门演示了云盘',
          followedAt: '2026-03-30T15:00:00+08:00',
          location: { lat: 30.27415, lng: 120.15515, label: '杭州市西湖区' },
          nextFollowUpAt: '2026-04-02T10:30:00+08:00',
        },
      },
    ])
    expect(host.callsTo('redirectTo')).toEqual([{ url: '/pages/followup/detail?id=F1' }])
  })

  it('says so and sends nothing when the content is missing', async () => {
    const { page, crm } = await open('followup/form')
    await page.callMethod('onLoad', { customerId: 'C001' })
    await page.callMethod('onSubmit')
    expect(page.data.fields.find((f: { name: string }) => f.name === 'content').error).toBe('请填写跟进内容')
    expect(crm.posted).toEqual([])
  })
})

describe('customer edit form', () => {
  it('sends remark: null in the PATCH when the user empties the remark, and leaves untouched fields out', async () => {
    const crm = fakeCrm({ first: { remark: '老客户，年底续约', industry: '制造业' } })
    const { page, host } = await open('customer/form', { crm })
    await page.callMethod('onLoad', { id: 'C001' })
    const field = (name: string) => page.data.fields.find((f: { name: string }) => f.name === name)
    expect(field('remark').value).toBe('老客户，年底续约')
    await page.callMethod('onFieldChange', 'remark', '')
    await page.callMethod('onSubmit')
    expect(page.data.error).toBe('')
    const [patch] = crm.posted
    expect(patch.path).toBe('PATCH /api/customers/C001')
    expect(patch.body).toMatchObject({ remark: null, industry: '制造业', version: 1 })
    expect(Object.entries(patch.body).filter(([, value]) => value === null)).toEqual([['remark', null]])
    expect(host.callsTo('navigateBack')).toHaveLength(1)
  })
})

describe('new customer form: 查重 while typing', () => {
  it('lists customers with a similar name, the pool ones marked, once the typing pauses', async () => {
    const { page, host } = await open('customer/form')
    await page.callMethod('onLoad', {})
    await page.callMethod('onFieldChange', 'name', '客户')
    await page.callMethod('onFieldChange', 'name', '客户 10')
    await new Promise((resolve) => setTimeout(resolve, 400))
    await settle()
    const checks = host.requests().filter((r) => r.url.pathname === '/api/customers/duplicates')
    expect(checks.map((r) => r.url.searchParams.get('name'))).toEqual(['客户 10'])
    expect(page.data.hints.map((h: { text: string }) => h.text)).toEqual([
      '客户 10（名称相近，客户经理 王靓依）',
      '客户 100（名称相近，在公海）',
      '客户 101（名称相近，在公海）',
    ])
  })
})

describe('任务提醒 list', () => {
  it('lists my reminders, as the H5 app does', async () => {
    const { page, host } = await open('reminder/list')
    await page.callMethod('onLoad', {})
    const asked = host.requests().find((r) => r.url.pathname === '/api/reminders')!.url.searchParams
    expect(asked.get('mine')).toBe('true')
  })
})

describe('工作台 board', () => {
  async function home(dd: Options = {}) {
    const opened = await open('home/index', dd)
    await opened.page.callMethod('onLoad', {})
    return opened
  }

  it('shows my reminders due by today, the overdue ones marked, and not the later or closed ones', async () => {
    const { page } = await home()
    expect(page.data.reminders.map((r: { title: string; extra: string }) => [r.title, r.extra])).toEqual([
      ['回访客户 1', '已逾期'],
    ])
  })

  it('asks the API for my open reminders due before the end of today in Shanghai', async () => {
    const { host } = await home()
    const asked = host.requests().find((r) => r.url.pathname === '/api/reminders')!.url.searchParams
    const tomorrow = addDays(chinaToday(), 1)
    expect([asked.get('mine'), asked.get('dueBefore')]).toEqual([
      'true',
      new Date(`${tomorrow}T00:00:00+08:00`).toISOString(),
    ])
  })

  it('shows the leads assigned to me that are still open', async () => {
    const { page, host } = await home()
    const asked = host.requests().find((r) => r.url.pathname === '/api/leads')!.url.searchParams
    expect([asked.get('assigneeId'), asked.get('open')]).toEqual(['sales1', 'true'])
    expect(page.data.leads.map((l: { title: string }) => l.title)).toEqual(['线索 1', '线索 2'])
  })

  it("shows today's briefing numbers", async () => {
    const { page } = await home()
    expect(page.data.briefing).toEqual([
      { label: '新增客户', value: '3' },
      { label: '跟进次数', value: '7' },
      { label: '新增商机', value: '2' },
      { label: '赢单商机', value: '1' },
      { label: '合同金额', value: '¥12,345.60' },
      { label: '回款金额', value: '¥5,000.00' },
    ])
  })

  it('opens the chosen form from the + quick add', async () => {
    const { page, host } = await home({ choose: [2] })
    await page.callMethod('onQuickAdd')
    expect(host.callsTo('showActionSheet')[0].items).toEqual(['新建线索', '新建客户', '写跟进', '新建商机'])
    expect(host.callsTo('navigateTo')).toEqual([{ url: '/pages/followup/form' }])
  })
})

describe('opportunity detail', () => {
  it('shows the stage steps and moves to the chosen stage with 推进', async () => {
    const { page, crm } = await open('opportunity/detail', { choose: [1] })
    await page.callMethod('onLoad', { id: 'O1' })
    const states = () => page.data.steps.map((s: { name: string; state: string }) => `${s.name}:${s.state}`)
    expect(states()).toEqual([
      '初步沟通:done',
      '见面拜访:current',
      '确定意向:todo',
      '商务谈判:todo',
      '赢单:todo',
    ])
    await page.callMethod('onAction', tap({ key: 'advance' }))
    expect(crm.posted).toEqual([{ path: 'POST /api/opportunities/O1/stage', body: { stageId: 's3' } }])
    expect(states()).toEqual([
      '初步沟通:done',
      '见面拜访:done',
      '确定意向:current',
      '商务谈判:todo',
      '赢单:todo',
    ])
  })

  it('asks the reason before moving to 输单', async () => {
    const { page, crm } = await open('opportunity/detail', { choose: [4], prompt: ['预算取消'] })
    await page.callMethod('onLoad', { id: 'O1' })
    await page.callMethod('onAction', tap({ key: 'advance' }))
    expect(crm.posted).toEqual([
      { path: 'POST /api/opportunities/O1/stage', body: { stageId: 'lost', lostReason: '预算取消' } },
    ])
    expect(page.data.steps.at(-1)).toMatchObject({ name: '输单', state: 'lost' })
  })
})

describe('contract detail', () => {
  it('shows the contract, received and invoiced amounts and the payments in the 回款 tab', async () => {
    const { page } = await open('contract/detail')
    await page.callMethod('onLoad', { id: 'K1' })
    expect(page.data.amounts).toEqual([
      { label: '合同金额', value: '¥100,000.00' },
      { label: '已回款', value: '¥30,000.00' },
      { label: '已开票', value: '¥50,000.00' },
      { label: '未回款', value: '¥70,000.00' },
    ])
    expect(page.data.tabs.map((t: { label: string }) => t.label)).toEqual(
      expect.arrayContaining(['回款', '发票']),
    )
    await page.callMethod('onTabTap', tap({ key: 'payments' }))
    expect(page.data.tabRows).toHaveLength(1)
    await page.callMethod('onTabTap', tap({ key: 'invoices' }))
    expect(page.data).toMatchObject({ tabRows: [], tabEmpty: true })
  })
})

describe('payment detail and form', () => {
  it('names the linked payment plan by its due date and its amount in yuan', async () => {
    const { page } = await open('payment/detail')
    await page.callMethod('onLoad', { id: 'PM1' })
    expect(page.data.fields).toContainEqual({ label: '回款计划', value: '2026-03-31 计划回款 ¥40,000.00' })
  })

  it("offers the contract's payment plans with their amounts in yuan in the 回款计划 picker", async () => {
    const { page, host } = await open('payment/form')
    await page.callMethod('onLoad', { contractId: 'K1' })
    await page.callMethod('onTapField', 'planId')
    const [sheet] = host.callsTo('showActionSheet')
    expect(sheet.items).toEqual(['2026-03-31 计划回款 ¥40,000.00'])
    expect(host.requests().at(-1)!.url.searchParams.get('contractId')).toBe('K1')
  })
})

describe('统计分析', () => {
  it('shows the briefing of the day a daily briefing card names', async () => {
    const { page, host } = await open('report/briefing')
    await page.callMethod('onLoad', { from: '2026-03-01', to: '2026-03-01' })
    expect(host.requests()[0].url.search).toBe('?from=2026-03-01&to=2026-03-01')
    expect(page.data.range).toBe('2026-03-01')
    expect(page.data.figures).toContainEqual({ label: '合同金额', value: '¥12,345.60' })
  })

  it('draws target achievement as bars capped at 100 % and switches to the funnel on a tap', async () => {
    const { page } = await open('report/index')
    await page.callMethod('onLoad', {})
    expect(page.data.bars.map((b: { label: string; width: number }) => [b.label, b.width])).toEqual([
      ['王靓依', 25],
      ['郑纬祺', 100],
    ])
    await page.callMethod('onChartTap', tap({ key: 'funnel' }))
    expect(page.data.chart).toBe('funnel')
    // lost is not a step of the funnel; the widest bar is the first stage
    expect(page.data.bars.map((b: { width: number }) => b.width)).toEqual([100, 90, 80, 70, 60])
  })

  it('draws planned and received payments per month', async () => {
    const { page } = await open('report/index')
    await page.callMethod('onLoad', {})
    await page.callMethod('onChartTap', tap({ key: 'payments' }))
    expect(page.data.bars).toHaveLength(12)
    expect(page.data.bars[11]).toMatchObject({ label: '12 月', width: 100, width2: 50 })
  })
})

describe('new customer form: saving', () => {
  it('creates a customer with a phone number, sent as its normalised digits', async () => {
    const { page, crm } = await open('customer/form')
    await page.callMethod('onLoad', {})
    await page.callMethod('onFieldChange', 'name', '杭州新客户')
    await page.callMethod('onFieldChange', 'phone', '138 0000 1111')
    await page.callMethod('onSubmit')
    expect(page.data.error).toBe('')
    expect(crm.posted[0]).toEqual({
      path: 'POST /api/customers',
      body: expect.objectContaining({ name: '杭州新客户', phone: '13800001111' }),
    })
  })
})

describe('通知设置', () => {
  it("shows each department's group and choices, saves a new choice and test-sends a card", async () => {
    const { page, host, crm } = await open('settings/notifications', { role: 'admin' })
    await page.callMethod('onLoad')
    expect(page.data.readOnly).toBe(false)
    const [row] = page.data.rows
    expect(row).toMatchObject({ name: '销售一部', openConversationId: 'cid-demo-sales1' })
    expect(row.events[0]).toMatchObject({ label: '线索分配', text: '个人和部门群' })
    expect(row.events[4]).toMatchObject({ label: '每日简报', text: '继承上级' })
    expect(row.events[5]).toMatchObject({ label: '审批结果', text: '继承上级' })
    // 每日简报 → 发到部门群 (option 2)
    await page.callMethod('onPick', {
      currentTarget: { dataset: { id: '201', event: 'report.briefing' } },
      detail: { value: 2 },
    })
    await page.callMethod('onSave')
    const saved = crm.posted.find((p) => p.path === 'PUT /api/settings/notifications')!
    expect(saved.body).toEqual({
      groups: [{ deptId: '201', robotCode: 'ding-demo-key', openConversationId: 'cid-demo-sales1' }],
      routing: [{ deptId: '201', events: { 'lead.assigned': 'both', 'report.briefing': 'group' } }],
      version: 3,
    })
    await page.callMethod('onTest', tap({ id: '201' }))
    expect(host.callsTo('showToast').at(-1)).toMatchObject({ content: '已发送「测试消息 · 销售一部」到群' })
  })

  it('is opened from 工作台 by an admin; a manager reads it without saving; a member has no entry', async () => {
    const admin = await open('home/index', { role: 'admin' })
    await admin.page.callMethod('onLoad', {})
    expect(admin.page.data.settings).toMatchObject([{ label: '通知设置' }, { label: '设置' }])
    await admin.page.callMethod('onSettingsTap', tap({ url: admin.page.data.settings[0].url }))
    expect(admin.host.callsTo('navigateTo')).toEqual([{ url: '/pages/settings/notifications' }])

    const manager = await open('home/index', { role: 'manager' })
    await manager.page.callMethod('onLoad', {})
    expect(manager.page.data.settings[0].brief).toContain('只读')
    const settings = await open('settings/notifications', { role: 'manager' })
    await settings.page.callMethod('onLoad')
    expect(settings.page.data).toMatchObject({ readOnly: true, loaded: true })

    const member = await open('home/index', { role: 'member' })
    await member.page.callMethod('onLoad', {})
    expect(member.page.data.settings).toEqual([])
  })
})
