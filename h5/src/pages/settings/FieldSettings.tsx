import { useState } from 'react'
import {
  FieldCollection,
  type FieldOption,
  FieldsInput,
  type FieldType,
  type SavedField,
} from '../../../../shared/schemas/fields.js'
import { nouns } from '../../../../shared/nouns.js'
import { fieldTypeLabels } from '../../../../shared/view/settings.js'
import { api } from '../../api.js'
import { Page } from '../../components/Page.js'
import { Loading } from '../../components/Status.js'
import { loadFields } from '../../resources.js'
import { SaveBar, StaleBanner, useSettingsForm } from './common.js'

/** What an admin calls each type (shared/view/settings.ts: the phone's read-only page says the same). */
export { fieldTypeLabels }

type Field = Omit<SavedField, 'key'> & { key?: string; rowKey: string }
interface Form {
  collection: FieldCollection
  version: number
  fields: Field[]
}

let rowKeys = 0
const hasChoices = (f: Field) => f.type === 'select' || f.type === 'multiselect' || !!f.options

async function read(collection: FieldCollection): Promise<Form> {
  const { version, fields } = await api.fieldSettings.get(collection)
  return {
    collection,
    version,
    fields: (fields as SavedField[]).map((f) => ({ ...f, rowKey: f.key })),
  }
}

/** The list as the API takes it: the order is the row's position (hidden ones after). */
const toWire = (form: Form) => ({
  version: form.version,
  fields: form.fields.map(({ rowKey: _r, ...f }, order) => ({ ...f, order })),
})

/** The record types 全文检索 covers: their text fields may be marked 可搜索. */
const SEARCHED: ReadonlySet<FieldCollection> = new Set([
  'customers',
  'contacts',
  'leads',
  'opportunities',
  'contracts',
])

/**
 * 字段管理: per record type, add fields (text, number, money, dates, choices, yes/no, person, department,
 * phone, email, link, attachments), relabel the built-in ones and edit the built-in choice lists; a
 * removed field is hidden (its data stays) and can be restored. Saved with the version it was loaded at
 * (409 → 重新加载).
 */
export default function FieldSettingsPage() {
  const [collection, setCollection] = useState<FieldCollection>('customers')
  const settings = useSettingsForm(() => read(collection), '字段已保存')
  const { value: form, setValue: setForm, errors, saving, stale, load } = settings

  const pick = async (next: FieldCollection) => {
    setCollection(next)
    setForm(await read(next))
  }
  if (!form)
    return (
      <Page title="字段管理" narrow>
        <Loading />
      </Page>
    )
  const setFields = (fields: Field[]) => setForm({ ...form, fields })
  const change = (index: number, patch: Partial<Field>) =>
    setFields(form.fields.map((f, i) => (i === index ? { ...f, ...patch } : f)))
  const move = (index: number, by: -1 | 1) => {
    const next = [...form.fields]
    ;[next[index], next[index + by]] = [next[index + by], next[index]]
    setFields(next)
  }
  const add = () =>
    setFields([
      ...form.fields,
      {
        rowKey: `new-${++rowKeys}`,
        label: '',
        type: 'text',
        required: false,
        showInList: false,
        searchable: false,
        order: form.fields.length,
        builtIn: false,
        removed: false,
      },
    ])
  const setOptions = (index: number, options: FieldOption[]) => change(index, { options })

  const save = () =>
    settings.save(FieldsInput, toWire(form), async (input) => {
      const saved = await api.fieldSettings.put(form.collection, input)
      // the forms, lists and filters follow at once
      void loadFields().catch(() => undefined)
      return {
        collection: form.collection,
        version: saved.version,
        fields: (saved.fields as SavedField[]).map((f) => ({ ...f, rowKey: f.key })),
      }
    })

  const error = (i: number, name: string) => errors[`fields.${i}.${name}`]
  return (
    <Page title="字段管理" narrow>
      {stale ? <StaleBanner onReload={load} /> : null}
      <div className="settings-row">
        <label className="settings-label" htmlFor="field-collection">
          业务对象
        </label>
        <select
          id="field-collection"
          className="select"
          name="collection"
          value={form.collection}
          onChange={(e) => void pick(e.target.value as FieldCollection)}
        >
          {FieldCollection.options.map((c) => (
            <option key={c} value={c}>
              {nouns[c].label}
            </option>
          ))}
        </select>
      </div>
      <p className="muted settings-note">
        系统字段可改名称和选项；删除的自定义字段会隐藏，数据保留，可随时恢复。已有数据的字段不能修改类型。
      </p>
      <ol className="field-rows">
        {form.fields.map((field, i) => (
          <li
            key={field.rowKey}
            className={`field-row${field.removed ? ' field-removed' : ''}`}
            data-field={field.key ?? 'new'}
          >
            <div className="field-row-main">
              <input
                className="field-label"
                name={`fields.${i}.label`}
                aria-label="字段名称"
                placeholder="字段名称"
                value={field.label}
                maxLength={30}
                onChange={(e) => change(i, { label: e.target.value })}
              />
              <select
                className="select"
                name={`fields.${i}.type`}
                aria-label="字段类型"
                value={field.type}
                disabled={field.builtIn}
                onChange={(e) => {
                  const type = e.target.value as FieldType
                  const choices = type === 'select' || type === 'multiselect'
                  change(i, {
                    type,
                    searchable: (type === 'text' || type === 'textarea') && field.searchable,
                    options: choices ? (field.options ?? [{ value: '选项1', label: '选项1' }]) : undefined,
                  })
                }}
              >
                {Object.entries(fieldTypeLabels).map(([type, label]) => (
                  <option key={type} value={type}>
                    {label}
                  </option>
                ))}
              </select>
              {field.builtIn ? <span className="muted">系统字段</span> : null}
            </div>
            {field.builtIn || field.removed ? null : (
              <div className="field-row-flags">
                <label>
                  <input
                    type="checkbox"
                    name={`fields.${i}.required`}
                    checked={field.required}
                    onChange={(e) => change(i, { required: e.target.checked })}
                  />
                  必填
                </label>
                <label>
                  <input
                    type="checkbox"
                    name={`fields.${i}.showInList`}
                    checked={field.showInList}
                    onChange={(e) => change(i, { showInList: e.target.checked })}
                  />
                  列表显示
                </label>
                {(field.type === 'text' || field.type === 'textarea') && SEARCHED.has(form.collection) ? (
                  <label>
                    <input
                      type="checkbox"
                      name={`fields.${i}.searchable`}
                      checked={field.searchable}
                      onChange={(e) => change(i, { searchable: e.target.checked })}
                    />
                    可搜索
                  </label>
                ) : null}
              </div>
            )}
            {hasChoices(field) && !field.removed ? (
              <ul className="field-options">
                {(field.options ?? []).map((option, j) => (
                  <li key={j} className={option.disabled ? 'option-disabled' : ''}>
                    <input
                      name={`fields.${i}.options.${j}.label`}
                      aria-label="选项名称"
                      value={option.label}
                      maxLength={50}
                      onChange={(e) =>
                        setOptions(
                          i,
                          field.options!.map((o, k) => (k === j ? { ...o, label: e.target.value } : o)),
                        )
                      }
                    />
                    <label>
                      <input
                        type="checkbox"
                        checked={!!option.disabled}
                        onChange={(e) =>
                          setOptions(
                            i,
                            field.options!.map((o, k) =>
                              k === j ? { ...o, disabled: e.target.checked || undefined } : o,
                            ),
                          )
                        }
                      />
                      停用
                    </label>
                  </li>
                ))}
                <li>
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => {
                      const label = `选项${(field.options?.length ?? 0) + 1}`
                      setOptions(i, [...(field.options ?? []), { value: label, label }])
                    }}
                  >
                    ＋ 添加选项
                  </button>
                </li>
              </ul>
            ) : null}
            <div className="field-row-buttons">
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
                disabled={i === form.fields.length - 1}
                onClick={() => move(i, 1)}
              >
                ↓
              </button>
              {field.builtIn ? null : field.removed ? (
                <button type="button" className="link-button" onClick={() => change(i, { removed: false })}>
                  恢复
                </button>
              ) : (
                <button
                  type="button"
                  className="link-button"
                  onClick={() =>
                    field.key
                      ? change(i, { removed: true })
                      : setFields(form.fields.filter((_, k) => k !== i))
                  }
                >
                  删除
                </button>
              )}
            </div>
            {['label', 'options', 'type'].map((name) =>
              error(i, name) ? (
                <div key={name} className="form-error">
                  {error(i, name)}
                </div>
              ) : null,
            )}
          </li>
        ))}
      </ol>
      <div className="settings-add">
        <button type="button" className="link-button" onClick={add}>
          ＋ 添加字段
        </button>
      </div>
      <SaveBar saving={saving} onSave={save} />
    </Page>
  )
}
