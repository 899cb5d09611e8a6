/** Both apps' view logic: the action bar (one primary, the rest under 更多), 共有 N 条, 简报's 范围. */
import { describe, expect, it } from 'vitest'
import { actionBar, type BarAction } from '../../shared/view/actions.js'
import { listCount } from '../../shared/view/list-count.js'
import { defaultQuery, reportChoices, reportScopes, startingQuery } from '../../shared/view/reports.js'
import { recordActions, type Viewer } from '../../shared/view/record-actions.js'

const member: Viewer = { id: 'sales1', role: 'member', deptIds: ['201'] }
const manager: Viewer = { id: 'mgr1', role: 'manager', deptIds: ['201'] }
const customer = { id: 'C1', version: 1, name: '杭州云端', ownerId: 'sales1', deptId: '201' }
const labels = (actions: BarAction[]) => actions.map((a) => a.label)

describe('the action bar', () => {
  it('puts a customer’s 写跟进 first and every other action under 更多, 删除 last', () => {
    const { primary, more } = actionBar(recordActions('customers', customer, manager))
    expect(primary?.label).toBe('写跟进')
    expect(labels(more)).toEqual(['提醒', '分类调整', '经理调整', '返回公海', '客户合并', '编辑', '删除'])
  })

  it('lists the actions a caller may not take after the others, with their reason, before 删除', () => {
    const other = { ...customer, ownerId: 'sales2' }
    const { primary, more } = actionBar(recordActions('customers', other, member))
    expect(primary?.label).toBe('提醒')
    expect(labels(more)).toEqual(['写跟进', '分类调整', '返回公海', '客户合并', '编辑', '删除'])
    expect(more[0].disabledReason).toContain('只有负责人')
  })

  it('never makes a destructive action the primary, and falls back to 编辑', () => {
    const { primary, more } = actionBar(
      recordActions('products', { id: 'P1', version: 1, name: 'x' }, member),
    )
    expect(primary?.label).toBe('编辑')
    expect(labels(more)).toEqual(['删除'])
    const onlyDanger = actionBar([{ key: 'delete', label: '删除', tone: 'danger' }])
    expect(onlyDanger.primary).toBeUndefined()
    expect(labels(onlyDanger.more)).toEqual(['删除'])
  })

  it('leaves out what the page shows elsewhere, with no second primary (商机’s 推进 beside its stages)', () => {
    const deal = { id: 'O1', version: 1, name: '年度采购', ownerId: 'sales1', stageId: 's1' }
    const { primary, more } = actionBar(recordActions('opportunities', deal, member), {
      shownElsewhere: ['advance'],
    })
    expect(primary).toBeUndefined()
    expect(labels(more)).toEqual(['新建合同', '提醒', '编辑', '删除'])
  })
})

describe('共有 N 条记录', () => {
  it('says the API’s count when it keeps one', () => {
    expect(listCount({ total: 42, loaded: 20, more: true })).toBe('共有 42 条记录')
  })

  it('counts the rows of a filtered list once every page is read, and says more are left otherwise', () => {
    expect(listCount({ total: null, loaded: 3, more: false })).toBe('共有 3 条记录')
    expect(listCount({ loaded: 0, more: false })).toBe('共有 0 条记录')
    expect(listCount({ total: null, loaded: 20, more: true })).toBe('已加载 20 条，还有更多')
  })
})

describe('简报’s 范围', () => {
  it('offers a salesperson without a team 仅本人 alone, already chosen', () => {
    expect(reportScopes('member').map((s) => s.label)).toEqual(['仅本人'])
    expect(defaultQuery('briefing', '2026-05-20', 'member').scope).toBe('self')
    // the choices both apps draw, and the query they start from
    const scope = reportChoices('briefing', '2026-05-20', 'member').find((c) => c.field === 'scope')
    expect(scope?.options.map((o) => o.label)).toEqual(['仅本人'])
    expect(startingQuery('briefing', { role: 'member' }, '2026-05-20').scope).toBe('self')
  })

  it('offers a manager 我的团队 first, and 仅本人', () => {
    expect(reportScopes('manager').map((s) => s.label)).toEqual(['我的团队', '仅本人'])
    expect(defaultQuery('briefing', '2026-05-20', 'manager').scope).toBe('team')
  })
})
