import { useState } from 'react'
import { Toast } from 'dingtalk-design-mobile'
import { collaboratorsAction, viewerOf } from '../../../shared/view/index.js'
import { api } from '../api.js'
import { errorMessage } from '../components/hooks.js'
import { pickInDingTalk, useUserOptions } from '../components/Pickers.js'
import { OptionSheet } from '../components/Sheet.js'
import { useNames, userName } from '../names.js'
import { session } from '../session.js'
import { confirm, type ActionProps } from './actions.js'
import './collaborators.css'

/**
 * A customer's 协助跟进人 on its detail: who they are, by name; its owner or whoever manages it adds people
 * (DingTalk's 选人 inside DingTalk, the app's sheet in a browser) and removes one after a confirmation.
 * The verb and who may take it are the shared action (shared/view/record-actions.ts), as in the
 * mini-program; a pool customer has none, so nothing shows.
 */
export default function Collaborators({ record, reload }: ActionProps) {
  useNames() // names arrive with the directory
  const users = useUserOptions()
  const [picking, setPicking] = useState(false)
  const action = collaboratorsAction(record, viewerOf(session.user()))
  if (!action) return null
  const current = Array.isArray(record.collaboratorIds) ? (record.collaboratorIds as string[]) : []
  const may = !action.disabledReason
  const max = action.ask?.kind === 'users' ? action.ask.max : 20
  const nameOf = (id: string) => userName(id) ?? id

  const save = async (ids: string[]) => {
    try {
      const { done } = await action.run!(api, { values: ids })
      Toast.success({ content: done })
      await reload()
    } catch (error) {
      Toast.fail({ content: errorMessage(error) })
    }
  }
  /** the people picked join those already there (the owner is never one of them) */
  const add = (picked: string[]) => {
    const next = [...new Set([...current, ...picked])].filter((id) => id !== record.ownerId)
    if (next.length === current.length) return
    if (next.length > max) return Toast.info({ content: `协助跟进人最多 ${max} 位` })
    void save(next)
  }
  const startAdding = () =>
    void pickInDingTalk({ title: '添加协助跟进人', kind: 'user', multiple: true, picked: [] }).then(
      (picked) => (picked === null ? setPicking(true) : add(picked)),
    )
  const remove = async (id: string) => {
    if (await confirm('移除协助跟进人', `确定将「${nameOf(id)}」移出协助跟进人吗？`, '移除'))
      await save(current.filter((x) => x !== id))
  }

  return (
    <section className="collaborators" aria-label="协助跟进人">
      <span className="collaborators-label">协助跟进人</span>
      <ul className="collaborator-list">
        {current.map((id) => (
          <li key={id} className="collaborator">
            {nameOf(id)}
            {may ? (
              <button
                type="button"
                className="collaborator-remove"
                aria-label={`移除 ${nameOf(id)}`}
                onClick={() => void remove(id)}
              >
                ×
              </button>
            ) : null}
          </li>
        ))}
        {current.length ? null : <li className="muted">暂无</li>}
      </ul>
      {may ? (
        <button type="button" className="btn btn-small" onClick={startAdding}>
          ＋ 添加
        </button>
      ) : null}
      <OptionSheet
        title="添加协助跟进人"
        open={picking}
        onClose={() => setPicking(false)}
        options={users?.filter((u) => u.value !== record.ownerId && !current.includes(u.value))}
        multiple
        onPick={add}
      />
    </section>
  )
}
