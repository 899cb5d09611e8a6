import { useState } from 'react'
import { Toast } from 'dingtalk-design-mobile'
import {
  NotificationSettingsInput,
  type DeptRouting,
  type NotificationDelivery,
  type NotificationEvent,
  type NotificationSettings,
} from '../../../../shared/schemas/index.js'
import { notificationDeliveryLabels, notificationEventLabels } from '../../../../shared/view/index.js'
import { api } from '../../api.js'
import { errorMessage } from '../../components/hooks.js'
import { Page } from '../../components/Page.js'
import { EmptyState, Loading } from '../../components/Status.js'
import { useNames } from '../../names.js'
import { SaveBar, StaleBanner, useSettingsForm } from './common.js'

type Group = NotificationSettings['groups'][number]
const emptyGroup: Group = { deptId: '', robotCode: '', openConversationId: '' }
const events = Object.keys(notificationEventLabels) as NotificationEvent[]
const deliveries = Object.keys(notificationDeliveryLabels) as NotificationDelivery[]

/**
 * 通知设置: each department's team group (group robot code + chat id) with 测试发送, and per department
 * and event whether its cards go to the person, the group or both (继承上级: the parent's choice, at
 * the top 发给个人).
 */
export default function NotificationSettingsPage() {
  const { directory } = useNames()
  const settings = useSettingsForm(async () => {
    const { groups, routing, version } = await api.notificationSettings.get()
    return { groups, routing, version }
  }, '通知设置已保存')
  const { errors, saving, stale, load } = settings
  const value = settings.value
  const [testing, setTesting] = useState<number | undefined>(undefined)

  if (!value)
    return (
      <Page title="通知设置" narrow>
        <Loading />
      </Page>
    )
  const { groups, routing, version } = value
  const setGroups = (next: Group[]) => settings.setValue({ ...value, groups: next })
  const change = (index: number, patch: Partial<Group>) =>
    setGroups(groups.map((g, i) => (i === index ? { ...g, ...patch } : g)))
  const depts = directory?.depts ?? []
  const deptName = (id: string) => depts.find((d) => d.id === id)?.name ?? id

  const choose = (deptId: string, event: NotificationEvent, delivery: NotificationDelivery | '') => {
    const current = routing.find((r) => r.deptId === deptId)?.events ?? {}
    const events: DeptRouting['events'] = { ...current }
    if (delivery) events[event] = delivery
    else delete events[event]
    const rest = routing.filter((r) => r.deptId !== deptId)
    settings.setValue({
      ...value,
      routing: Object.keys(events).length > 0 ? [...rest, { deptId, events }] : rest,
    })
  }

  const save = () =>
    settings.save(NotificationSettingsInput, { groups, routing }, async (input) => {
      const saved = await api.notificationSettings.put({ ...input, version })
      return { groups: saved.groups, routing: saved.routing, version: saved.version }
    })

  const testSend = async (index: number) => {
    const group = groups[index]
    if (!group.deptId) {
      Toast.fail({ content: '请先选择部门' })
      return
    }
    setTesting(index)
    try {
      const sent = await api.notificationSettings.test({
        deptId: group.deptId,
        robotCode: group.robotCode || undefined,
        openConversationId: group.openConversationId || undefined,
      })
      Toast.success({ content: `已发送「${sent.title}」到群` })
    } catch (error) {
      Toast.fail({ content: errorMessage(error) })
    } finally {
      setTesting(undefined)
    }
  }

  const fieldError = (i: number, name: keyof Group) =>
    errors[`groups.${i}.${name}`] ? <div className="form-error">{errors[`groups.${i}.${name}`]}</div> : null

  return (
    <Page title="通知设置" narrow>
      {stale ? <StaleBanner onReload={load} /> : null}
      <h3 className="settings-section">部门群</h3>
      <p className="muted settings-note">
        部门的卡片可发到该部门的钉钉群（群机器人）；没有群的部门用上级部门的群，再没有则只发给个人。
      </p>
      {groups.length === 0 ? <EmptyState title="还没有设置部门群" /> : null}
      <ul className="group-rows">
        {groups.map((group, i) => (
          <li key={i} className="group-row" data-group={group.deptId}>
            <select
              className="select"
              name={`groups.${i}.deptId`}
              aria-label="部门"
              value={group.deptId}
              onChange={(e) => change(i, { deptId: e.target.value })}
            >
              <option value="">请选择部门</option>
              {depts.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
            {fieldError(i, 'deptId')}
            <input
              name={`groups.${i}.robotCode`}
              aria-label="机器人编码"
              placeholder="机器人编码 robotCode"
              value={group.robotCode}
              onChange={(e) => change(i, { robotCode: e.target.value })}
            />
            {fieldError(i, 'robotCode')}
            <input
              name={`groups.${i}.openConversationId`}
              aria-label="群会话 ID"
              placeholder="群会话 openConversationId"
              value={group.openConversationId}
              onChange={(e) => change(i, { openConversationId: e.target.value })}
            />
            {fieldError(i, 'openConversationId')}
            <button
              type="button"
              className="link-button"
              disabled={testing !== undefined}
              onClick={() => void testSend(i)}
            >
              {testing === i ? '发送中…' : '测试发送'}
            </button>
            <button
              type="button"
              className="link-button"
              onClick={() => setGroups(groups.filter((_, j) => j !== i))}
            >
              删除
            </button>
          </li>
        ))}
      </ul>
      {errors.groups ? <div className="form-error">{errors.groups}</div> : null}
      <div className="settings-add">
        <button type="button" className="link-button" onClick={() => setGroups([...groups, emptyGroup])}>
          ＋ 添加部门群
        </button>
      </div>

      <h3 className="settings-section">各部门的通知方式</h3>
      <p className="muted settings-note">
        每类通知发给个人、发到部门群，或两者都发；「继承上级」用上级部门的选择（最上级默认发给个人）。
      </p>
      <div className="routing-table-wrap">
        <table className="routing-table">
          <thead>
            <tr>
              <th>部门</th>
              {events.map((event) => (
                <th key={event}>{notificationEventLabels[event]}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {depts.map((dept) => {
              const chosen = routing.find((r) => r.deptId === dept.id)?.events ?? {}
              return (
                <tr key={dept.id} data-dept={dept.name}>
                  <th scope="row">{deptName(dept.id)}</th>
                  {events.map((event) => (
                    <td key={event}>
                      <select
                        className="select"
                        name={`routing.${dept.id}.${event}`}
                        aria-label={`${dept.name} ${notificationEventLabels[event]}`}
                        value={chosen[event] ?? ''}
                        onChange={(e) => choose(dept.id, event, e.target.value as NotificationDelivery | '')}
                      >
                        <option value="">继承上级</option>
                        {deliveries.map((d) => (
                          <option key={d} value={d}>
                            {notificationDeliveryLabels[d]}
                          </option>
                        ))}
                      </select>
                    </td>
                  ))}
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
      {errors.routing ? <div className="form-error">{errors.routing}</div> : null}
      <SaveBar saving={saving} onSave={save} />
    </Page>
  )
}
