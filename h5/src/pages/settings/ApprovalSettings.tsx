import { Switch } from 'dingtalk-design-mobile'
import {
  ApprovalCollection,
  ApprovalSettingsInput,
  conditionFields,
  type ApprovalSettings,
  type Flow,
} from '../../../../shared/schemas/index.js'
import { MODE_LABEL, ROLE_LABEL } from '../../../../shared/view/approvals.js'
import { collectionLabel } from '../../../../shared/view/index.js'
import { api } from '../../api.js'
import { Page } from '../../components/Page.js'
import { EmptyState, Loading } from '../../components/Status.js'
import { useNames } from '../../names.js'
import { SaveBar, StaleBanner, useSettingsForm } from './common.js'

type Step = Flow['steps'][number]
/** A flow as the form holds it: the condition's value as typed (`100000`, `A,B`), none when `field` is empty. */
interface FlowForm extends Omit<Flow, 'id' | 'condition'> {
  id?: string
  condition: { field: string; op: 'gte' | 'lte' | 'eq' | 'in'; value: string }
}

const APPROVER_TYPES = {
  manager: '提交人的主管',
  deptLeader: '指定部门负责人',
  users: '指定成员',
  role: '指定角色',
}
const OPS = { gte: '≥', lte: '≤', eq: '等于', in: '属于（逗号分隔）' }
const ON = { create: '新建时', update: '修改时' }

const newStep = (): Step => ({ approver: { type: 'manager' }, mode: 'or' })
const newFlow = (): FlowForm => ({
  name: '',
  collection: 'contracts',
  on: 'create',
  condition: { field: '', op: 'gte', value: '' },
  steps: [newStep()],
  enabled: true,
})

const toForm = (settings: ApprovalSettings) => ({
  version: settings.version,
  flows: settings.flows.map((f): FlowForm => ({
    ...f,
    condition: f.condition
      ? {
          ...f.condition,
          value: Array.isArray(f.condition.value) ? f.condition.value.join(',') : String(f.condition.value),
        }
      : { field: '', op: 'gte', value: '' },
  })),
})

/** The flows as the API takes them: a money condition's value is a number, `in` a list. */
function toWire(flows: FlowForm[]) {
  return flows.map(({ condition, ...flow }) => {
    if (!condition.field) return flow
    const money = conditionFields[flow.collection][condition.field]?.kind === 'money'
    const one = (text: string) =>
      money && text.trim() !== '' && !Number.isNaN(Number(text)) ? Number(text) : text.trim()
    const value =
      condition.op === 'in' ? condition.value.split(/[,，]/).filter(Boolean).map(one) : one(condition.value)
    return { ...flow, condition: { ...condition, value } }
  })
}

/** 审批流程: per record type and write, an optional condition and the steps (who, 或签 / 会签). */
export default function ApprovalSettingsPage() {
  const { directory } = useNames()
  const settings = useSettingsForm(async () => toForm(await api.approvalSettings.get()), '审批流程已保存')
  const { errors, saving, stale, load } = settings
  const form = settings.value
  if (!form)
    return (
      <Page title="审批流程" narrow>
        <Loading />
      </Page>
    )

  const setFlows = (flows: FlowForm[]) => settings.setValue({ ...form, flows })
  const change = (i: number, patch: Partial<FlowForm>) =>
    setFlows(form.flows.map((f, j) => (j === i ? { ...f, ...patch } : f)))
  const changeStep = (i: number, s: number, patch: Partial<Step>) =>
    change(i, { steps: form.flows[i].steps.map((step, k) => (k === s ? { ...step, ...patch } : step)) })
  const error = (path: string) => (errors[path] ? <div className="form-error">{errors[path]}</div> : null)

  const save = () =>
    settings.save(
      ApprovalSettingsInput,
      { version: form.version, flows: toWire(form.flows) },
      async (input) => toForm(await api.approvalSettings.put(input)),
    )

  return (
    <Page title="审批流程" narrow>
      {stale ? <StaleBanner onReload={load} /> : null}
      <p className="muted settings-note">
        符合流程的记录保存后进入审批，审批通过才计入业绩与金额；审批中的记录不能修改或删除。
      </p>
      {form.flows.length === 0 ? <EmptyState title="还没有审批流程" /> : null}
      {form.flows.map((flow, i) => {
        const fields = conditionFields[flow.collection]
        return (
          <div key={flow.id ?? `new-${i}`} className="flow-card" data-flow={i}>
            <div className="flow-row">
              <input
                name={`flows.${i}.name`}
                aria-label="流程名称"
                placeholder="流程名称"
                value={flow.name}
                onChange={(e) => change(i, { name: e.target.value })}
              />
              <select
                className="select"
                name={`flows.${i}.collection`}
                aria-label="记录类型"
                value={flow.collection}
                onChange={(e) =>
                  change(i, {
                    collection: e.target.value as FlowForm['collection'],
                    condition: { field: '', op: 'gte', value: '' },
                  })
                }
              >
                {ApprovalCollection.options.map((c) => (
                  <option key={c} value={c}>
                    {collectionLabel(c)}
                  </option>
                ))}
              </select>
              <select
                className="select"
                name={`flows.${i}.on`}
                aria-label="触发"
                value={flow.on}
                onChange={(e) => change(i, { on: e.target.value as FlowForm['on'] })}
              >
                {Object.entries(ON).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
              <label className="muted">
                启用 <Switch checked={flow.enabled} onChange={(on) => change(i, { enabled: on })} />
              </label>
            </div>
            {error(`flows.${i}.name`)}
            <div className="flow-row">
              <span className="muted">条件</span>
              <select
                className="select"
                name={`flows.${i}.condition.field`}
                aria-label="条件字段"
                value={flow.condition.field}
                onChange={(e) => change(i, { condition: { ...flow.condition, field: e.target.value } })}
              >
                <option value="">全部记录</option>
                {Object.entries(fields).map(([name, field]) => (
                  <option key={name} value={name}>
                    {field.label}
                  </option>
                ))}
              </select>
              {flow.condition.field ? (
                <>
                  <select
                    className="select"
                    name={`flows.${i}.condition.op`}
                    aria-label="比较"
                    value={flow.condition.op}
                    onChange={(e) =>
                      change(i, {
                        condition: { ...flow.condition, op: e.target.value as FlowForm['condition']['op'] },
                      })
                    }
                  >
                    {Object.entries(OPS).map(([value, label]) => (
                      <option key={value} value={value}>
                        {label}
                      </option>
                    ))}
                  </select>
                  <input
                    name={`flows.${i}.condition.value`}
                    aria-label="条件值"
                    placeholder={fields[flow.condition.field]?.kind === 'money' ? '金额（元）' : '值'}
                    value={flow.condition.value}
                    onChange={(e) => change(i, { condition: { ...flow.condition, value: e.target.value } })}
                  />
                </>
              ) : null}
            </div>
            {error(`flows.${i}.condition.field`)}
            {error(`flows.${i}.condition.op`)}
            {error(`flows.${i}.condition.value`)}
            {flow.steps.map((step, s) => (
              <div key={s} className="flow-row" data-step={s}>
                <span className="muted">第 {s + 1} 步</span>
                <select
                  className="select"
                  name={`flows.${i}.steps.${s}.type`}
                  aria-label="审批人"
                  value={step.approver.type}
                  onChange={(e) =>
                    changeStep(i, s, { approver: { type: e.target.value as Step['approver']['type'] } })
                  }
                >
                  {Object.entries(APPROVER_TYPES).map(([value, label]) => (
                    <option key={value} value={value}>
                      {label}
                    </option>
                  ))}
                </select>
                {step.approver.type === 'users' ? (
                  <select
                    multiple
                    className="select"
                    name={`flows.${i}.steps.${s}.userIds`}
                    aria-label="审批成员"
                    value={step.approver.userIds ?? []}
                    onChange={(e) =>
                      changeStep(i, s, {
                        approver: {
                          type: 'users',
                          userIds: [...e.target.selectedOptions].map((o) => o.value),
                        },
                      })
                    }
                  >
                    {(directory?.users ?? [])
                      .filter((u) => u.active)
                      .map((u) => (
                        <option key={u.id} value={u.id}>
                          {u.name}
                        </option>
                      ))}
                  </select>
                ) : null}
                {step.approver.type === 'deptLeader' ? (
                  <select
                    className="select"
                    name={`flows.${i}.steps.${s}.deptId`}
                    aria-label="部门"
                    value={step.approver.deptId ?? ''}
                    onChange={(e) =>
                      changeStep(i, s, {
                        approver: { type: 'deptLeader', deptId: e.target.value || undefined },
                      })
                    }
                  >
                    <option value="">请选择部门</option>
                    {(directory?.depts ?? []).map((d) => (
                      <option key={d.id} value={d.id}>
                        {d.name}
                      </option>
                    ))}
                  </select>
                ) : null}
                {step.approver.type === 'role' ? (
                  <select
                    className="select"
                    name={`flows.${i}.steps.${s}.role`}
                    aria-label="角色"
                    value={step.approver.role ?? ''}
                    onChange={(e) =>
                      changeStep(i, s, {
                        approver: {
                          type: 'role',
                          role: (e.target.value || undefined) as Step['approver']['role'],
                        },
                      })
                    }
                  >
                    <option value="">请选择角色</option>
                    {Object.entries(ROLE_LABEL).map(([value, label]) => (
                      <option key={value} value={value}>
                        {label}
                      </option>
                    ))}
                  </select>
                ) : null}
                <select
                  className="select"
                  name={`flows.${i}.steps.${s}.mode`}
                  aria-label="签批方式"
                  value={step.mode}
                  onChange={(e) => changeStep(i, s, { mode: e.target.value as Step['mode'] })}
                >
                  {Object.entries(MODE_LABEL).map(([value, label]) => (
                    <option key={value} value={value}>
                      {label}
                    </option>
                  ))}
                </select>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => change(i, { steps: flow.steps.filter((_, k) => k !== s) })}
                >
                  删除步骤
                </button>
                {error(`flows.${i}.steps.${s}.approver.userIds`)}
                {error(`flows.${i}.steps.${s}.approver.deptId`)}
                {error(`flows.${i}.steps.${s}.approver.role`)}
              </div>
            ))}
            {error(`flows.${i}.steps`)}
            <div className="flow-row">
              <button
                type="button"
                className="link-button"
                onClick={() => change(i, { steps: [...flow.steps, newStep()] })}
              >
                ＋ 添加步骤
              </button>
              <button
                type="button"
                className="link-button"
                onClick={() => setFlows(form.flows.filter((_, j) => j !== i))}
              >
                删除流程
              </button>
            </div>
          </div>
        )
      })}
      <div className="settings-add">
        <button type="button" className="link-button" onClick={() => setFlows([...form.flows, newFlow()])}>
          ＋ 添加审批流程
        </button>
      </div>
      <SaveBar saving={saving} onSave={save} />
    </Page>
  )
}
