import { describe, expect, it } from 'vitest'
import type { ApiClient } from '../../shared/api/client.js'
import { recordActions, type RecordAction, type Viewer } from '../../shared/view/record-actions.js'

/**
 * The buttons both apps show on a record, judged as the API judges the caller (functions/domain/scope.ts
 * canChange / canManage / canWork, the `roles` of the assign routes): what a member, a manager and an
 * admin see on a record they own, one they do not, and one in the pool.
 */
const member: Viewer = { id: 'sales1', role: 'member', deptIds: ['201'] }
const colleague: Viewer = { id: 'sales2', role: 'member', deptIds: ['201'] }
const manager: Viewer = { id: 'mgr1', role: 'manager', deptIds: ['201'] }
const admin: Viewer = { id: 'admin', role: 'admin', deptIds: ['1'] }

const customer = (extra: Record<string, unknown> = {}) => ({
  id: 'C1',
  version: 3,
  name: '杭州云端科技',
  ownerId: 'sales1',
  collaboratorIds: [] as string[],
  deptId: '201',
  ...extra,
})
const lead = (extra: Record<string, unknown> = {}) => ({
  id: 'L1',
  version: 1,
  title: '展会线索',
  status: 'new',
  assigneeId: 'sales1',
  deptId: '201',
  createdBy: 'mgr1',
  ...extra,
})

/** label → why it is refused ('' when allowed) */
const shown = (actions: RecordAction[]) =>
  Object.fromEntries(actions.map((a) => [a.label, a.disabledReason ?? '']))

describe('a customer', () => {
  it('gives its owner every customer action but 经理调整', () => {
    const actions = shown(recordActions('customers', customer(), member))
    expect(Object.keys(actions)).toEqual([
      '写跟进',
      '提醒',
      '分类调整',
      '返回公海',
      '客户合并',
      '编辑',
      '删除',
    ])
    expect(Object.values(actions).every((reason) => reason === '')).toBe(true)
  })

  it('greys out the owner actions for a collaborator, with the reason, but lets them follow up', () => {
    const actions = shown(recordActions('customers', customer({ collaboratorIds: ['sales2'] }), colleague))
    expect(actions['写跟进']).toBe('')
    expect(actions['返回公海']).toBe('只有负责人或其上级可以将客户退回公海')
    expect(actions['编辑']).toBe('只有负责人或其上级可以修改客户')
    expect(actions['删除']).toBe('只有负责人或其上级可以删除客户')
    expect(actions['经理调整']).toBeUndefined()
  })

  it('greys out 写跟进 for a member who does not even assist on it', () => {
    expect(shown(recordActions('customers', customer(), colleague))['写跟进']).toBe(
      '只有负责人、协助跟进人或其上级可以写跟进',
    )
  })

  it('lets the manager of the owner’s department reassign and change it', () => {
    const actions = shown(recordActions('customers', customer(), manager))
    expect(actions).toMatchObject({ 经理调整: '', 返回公海: '', 编辑: '', 删除: '' })
  })

  it('refuses 经理调整 to a manager who only assists on a customer of another department', () => {
    const record = customer({ ownerId: 'sales9', deptId: '999', collaboratorIds: ['mgr1'] })
    const actions = shown(recordActions('customers', record, manager))
    expect(actions['经理调整']).toBe('只有经理或管理员可以调整负责人')
    expect(actions['写跟进']).toBe('')
  })

  it('lets an admin do everything on anyone’s customer', () => {
    const actions = shown(recordActions('customers', customer({ ownerId: 'sales9', deptId: '999' }), admin))
    expect(Object.values(actions).every((reason) => reason === '')).toBe(true)
    expect(actions).toHaveProperty('经理调整')
  })
})

describe('a pool customer', () => {
  const pooled = customer({ ownerId: null, deptId: null })

  it('offers a member only 领取', () => {
    expect(shown(recordActions('customers', pooled, member))).toEqual({ 领取: '' })
  })

  it('offers a manager 领取, 分配, 编辑 and 删除', () => {
    expect(Object.keys(shown(recordActions('customers', pooled, manager)))).toEqual([
      '领取',
      '分配',
      '编辑',
      '删除',
    ])
  })
})

describe('a lead', () => {
  it('lets its assignee convert, mark invalid, remind, edit and delete, but not assign', () => {
    expect(Object.keys(shown(recordActions('leads', lead(), member)))).toEqual([
      '转为新客户',
      '标记无效',
      '提醒',
      '编辑',
      '删除',
    ])
  })

  it('lets a manager assign it', () => {
    expect(shown(recordActions('leads', lead(), manager))['分配']).toBe('')
  })

  it('lets whoever entered it work on it after it went to someone else', () => {
    const actions = shown(recordActions('leads', lead({ createdBy: 'sales2' }), colleague))
    expect(actions).toMatchObject({ 转为新客户: '', 标记无效: '', 编辑: '' })
  })

  it('greys out its verbs for a member neither assigned nor its author', () => {
    const actions = shown(recordActions('leads', lead(), colleague))
    expect(actions['转为新客户']).toBe('无权转换该线索')
    expect(actions['编辑']).toBe('无权修改该线索')
  })

  it('offers only its customer and 删除 once converted', () => {
    const converted = lead({ status: 'converted', convertedCustomerId: 'C9' })
    const [open, remove] = recordActions('leads', converted, member)
    expect([open.label, remove.label]).toEqual(['查看客户', '删除'])
    expect(open.to).toEqual({ open: 'customers', id: 'C9' })
  })

  it('no longer offers 转为新客户 once invalid', () => {
    const labels = recordActions('leads', lead({ status: 'invalid' }), manager).map((a) => a.label)
    expect(labels).toEqual(['分配', '编辑', '删除'])
  })
})

describe('what the actions do', () => {
  const api = () => {
    const calls: unknown[][] = []
    const spy =
      (name: string, answer: unknown = {}) =>
      (...args: unknown[]) => (calls.push([name, ...args]), Promise.resolve(answer))
    const client = {
      customers: { release: spy('release'), assign: spy('assign'), remove: spy('remove') },
      leads: { convert: spy('convert', { customerId: 'C9' }) },
      reminders: { update: spy('update') },
    }
    return { client: client as unknown as ApiClient, calls }
  }
  const action = (actions: RecordAction[], key: string) => actions.find((a) => a.key === key)!

  it('returns a customer to the pool with the reason, then goes back to the list', async () => {
    const { client, calls } = api()
    const release = action(recordActions('customers', customer(), member), 'release')
    expect(release.ask).toEqual({
      kind: 'reason',
      title: '返回公海',
      message: '请填写将「杭州云端科技」退回公海的原因',
    })
    await expect(release.run!(client, { reason: '暂无预算' })).resolves.toEqual({
      done: '已退回公海',
      then: 'list',
    })
    expect(calls).toEqual([['release', 'C1', { reason: '暂无预算' }]])
  })

  it('converts a lead after the confirmation and opens the new customer in its place', async () => {
    const { client } = api()
    const convert = action(recordActions('leads', lead(), member), 'convert')
    expect(convert.confirm?.ok).toBe('转换')
    await expect(convert.run!(client, {})).resolves.toMatchObject({ then: { open: 'customers', id: 'C9' } })
  })

  it('closes a reminder with the version last seen', async () => {
    const { client, calls } = api()
    const reminder = {
      id: 'R1',
      version: 4,
      title: '回访',
      status: 'pending',
      recordType: 'customer',
      recordId: 'C1',
    }
    const actions = recordActions('reminders', reminder, member)
    expect(actions.map((a) => a.label)).toEqual(['查看客户', '完成', '取消提醒', '编辑', '删除'])
    await action(actions, 'done').run!(client, {})
    expect(calls).toEqual([['update', 'R1', { status: 'done', version: 4 }]])
  })

  it('creates a reminder about the record, for me, coming back to it', () => {
    const remind = action(recordActions('customers', customer(), member), 'remind')
    expect(remind.to).toEqual({
      create: 'reminders',
      preset: {
        recordType: 'customer',
        recordId: 'C1',
        recordName: '杭州云端科技',
        title: '跟进客户：杭州云端科技',
        assigneeIds: 'sales1',
      },
      back: {},
    })
  })

  it('deletes through the collection’s own client', async () => {
    const { client, calls } = api()
    const remove = action(recordActions('customers', customer(), member), 'delete')
    await remove.run!(client, {})
    expect(calls).toEqual([['remove', 'C1']])
  })
})
