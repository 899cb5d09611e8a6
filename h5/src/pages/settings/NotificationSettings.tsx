import { NotificationSettingsInput, type NotificationSettings } from '../../../../shared/schemas/index.js'
import { api } from '../../api.js'
import { Page } from '../../components/Page.js'
import { EmptyState, Loading } from '../../components/Status.js'
import { useNames } from '../../names.js'
import { SaveBar, StaleBanner, useSettingsForm } from './common.js'

type Group = NotificationSettings['groups'][number]
const emptyGroup: Group = { deptId: '', robotCode: '', openConversationId: '' }

/** 通知设置: a department's cards also go to its team group (group robot code + chat id). */
export default function NotificationSettingsPage() {
  const { directory } = useNames()
  const settings = useSettingsForm(async () => {
    const { groups, version } = await api.notificationSettings.get()
    return { groups, version }
  }, '通知设置已保存')
  const { errors, saving, stale, load } = settings
  const groups = settings.value?.groups
  const version = settings.value?.version ?? 0
  const setGroups = (next: Group[]) => settings.setValue({ groups: next, version })

  if (!groups)
    return (
      <Page title="通知设置" narrow>
        <Loading />
      </Page>
    )

  const change = (index: number, patch: Partial<Group>) =>
    setGroups(groups.map((g, i) => (i === index ? { ...g, ...patch } : g)))

  const save = () =>
    settings.save(NotificationSettingsInput, { groups }, async (input) => {
      const saved = await api.notificationSettings.put({ groups: input.groups, version })
      return { groups: saved.groups, version: saved.version }
    })

  const fieldError = (i: number, name: keyof Group) =>
    errors[`groups.${i}.${name}`] ? <div className="form-error">{errors[`groups.${i}.${name}`]}</div> : null

  return (
    <Page title="通知设置" narrow>
      {stale ? <StaleBanner onReload={load} /> : null}
      <p className="muted settings-note">部门的工作通知卡片会同时发到该部门的钉钉群（群机器人）。</p>
      {groups.length === 0 ? <EmptyState title="还没有设置部门群" /> : null}
      <ul className="group-rows">
        {groups.map((group, i) => (
          <li key={i} className="group-row">
            <select
              className="select"
              name={`groups.${i}.deptId`}
              aria-label="部门"
              value={group.deptId}
              onChange={(e) => change(i, { deptId: e.target.value })}
            >
              <option value="">请选择部门</option>
              {(directory?.depts ?? []).map((d) => (
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
      <SaveBar saving={saving} onSave={save} />
    </Page>
  )
}
