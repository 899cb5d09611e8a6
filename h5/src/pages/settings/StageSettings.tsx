import { StagesInput, type Stage, type StageKind } from '../../../../shared/schemas/index.js'
import { stageKindLabels } from '../../../../shared/view/index.js'
import { ifMatch, versioned } from '../../../../shared/api/client.js'
import { api } from '../../api.js'
import { Page } from '../../components/Page.js'
import { Loading } from '../../components/Status.js'
import { reloadDirectory } from '../../names.js'
import { NumberInput, numberOrNull, SaveBar, StaleBanner, useSettingsForm } from './common.js'

/** A row of the form: a new stage has no id yet (the API gives it one). */
interface Row {
  key: string
  id?: string
  name: string
  probability: string
  kind: StageKind
}

let newKeys = 0
const toRows = (stages: Stage[]): Row[] =>
  [...stages]
    .sort((a, b) => a.order - b.order)
    .map((s) => ({ key: s.id, id: s.id, name: s.name, probability: String(s.probability), kind: s.kind }))

/** The list as the API takes it: the order is the row's position. */
const toWire = (rows: Row[]) =>
  rows.map((row, i) => ({
    ...(row.id ? { id: row.id } : {}),
    name: row.name,
    probability: numberOrNull(row.probability),
    order: i + 1,
    kind: row.kind,
  }))

/** The form: the rows and the settings version they were loaded at (sent back as If-Match). */
interface Form {
  rows: Row[]
  version?: number
}
const toForm = ({ value: stages, version }: { value: Stage[]; version?: number }): Form => ({
  rows: toRows(stages),
  version,
})

/**
 * 销售阶段: rename, set the win probability, reorder, add and remove. The ids of kept stages go back
 * unchanged, so existing opportunities keep their stage; a removed stage is archived by the API. A save
 * over someone else's newer one answers 409 (If-Match) and shows the 重新加载 banner.
 */
export default function StageSettingsPage() {
  const settings = useSettingsForm(
    async () => toForm(await versioned((options) => api.stages.list(options))),
    '销售阶段已保存',
  )
  const { value: form, setValue: setForm, errors, saving, stale, load } = settings

  if (!form)
    return (
      <Page title="销售阶段" narrow>
        <Loading />
      </Page>
    )

  const { rows } = form
  const setRows = (next: Row[]) => setForm({ ...form, rows: next })
  const change = (index: number, patch: Partial<Row>) =>
    setRows(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)))
  const move = (index: number, by: -1 | 1) => {
    const next = [...rows]
    ;[next[index], next[index + by]] = [next[index + by], next[index]]
    setRows(next)
  }
  const remove = (index: number) => setRows(rows.filter((_, i) => i !== index))
  // a new stage goes after the last open one (before 赢单/输单)
  const add = () => {
    const at = rows.reduce((last, row, i) => (row.kind === 'open' ? i + 1 : last), 0)
    const row: Row = { key: `new-${++newKeys}`, name: '', probability: '', kind: 'open' }
    setRows([...rows.slice(0, at), row, ...rows.slice(at)])
  }

  const save = () =>
    settings.save(StagesInput, toWire(rows), async (input) => {
      const saved = toForm(
        await versioned((options) =>
          api.stages.replace(input, { ...options, headers: ifMatch(form.version) }),
        ),
      )
      // pickers and record pages read the stage names from the directory cache
      void reloadDirectory().catch(() => undefined)
      return saved
    })

  const listError = errors['']
  return (
    <Page title="销售阶段" narrow>
      {stale ? <StaleBanner onReload={load} /> : null}
      <p className="muted settings-note">
        改名、调整顺序不影响已有商机；删除的阶段会停用，已在该阶段的商机仍显示原名称。
      </p>
      <ol className="stage-rows">
        {rows.map((row, i) => (
          <li key={row.key} className="stage-row" data-stage={row.id ?? 'new'}>
            <div className="stage-row-fields">
              <input
                className="stage-name"
                name={`stages.${i}.name`}
                aria-label="阶段名称"
                placeholder="阶段名称"
                value={row.name}
                maxLength={20}
                onChange={(e) => change(i, { name: e.target.value })}
              />
              <NumberInput
                name={`stages.${i}.probability`}
                value={row.probability}
                onChange={(text) => change(i, { probability: text })}
                unit="%"
                placeholder="赢率"
                min={0}
                max={100}
              />
              <select
                className="select"
                name={`stages.${i}.kind`}
                aria-label="阶段类型"
                value={row.kind}
                onChange={(e) => change(i, { kind: e.target.value as StageKind })}
              >
                {Object.entries(stageKindLabels).map(([kind, label]) => (
                  <option key={kind} value={kind}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
            <div className="stage-row-buttons">
              <button
                type="button"
                className="link-button"
                aria-label="上移"
                disabled={i === 0}
                onClick={() => move(i, -1)}
              >
                ↑
              </button>
              <button
                type="button"
                className="link-button"
                aria-label="下移"
                disabled={i === rows.length - 1}
                onClick={() => move(i, 1)}
              >
                ↓
              </button>
              <button type="button" className="link-button" onClick={() => remove(i)}>
                删除
              </button>
            </div>
            {['name', 'probability', 'kind'].map((name) =>
              errors[`${i}.${name}`] ? (
                <div key={name} className="form-error">
                  {errors[`${i}.${name}`]}
                </div>
              ) : null,
            )}
          </li>
        ))}
      </ol>
      {listError ? <div className="form-error">{listError}</div> : null}
      <div className="settings-add">
        <button type="button" className="link-button" onClick={add}>
          ＋ 添加阶段
        </button>
      </div>
      <SaveBar saving={saving} onSave={save} />
    </Page>
  )
}
