import { useEffect, useMemo, useState } from 'react'
import { Button, InputItem, Switch, TextareaItem, Toast } from 'dingtalk-design-mobile'
import { useLocation, useNavigate, useParams } from 'react-router-dom'
import {
  checkForm,
  clearedFields,
  formFields,
  formValues,
  saveErrors,
  type FieldView,
  type FormLocation,
  type FormValue,
  type FormValues,
} from '../../../shared/view/index.js'
import type { AnyRecord, Resource } from '../resources.js'
import { AttachmentsControl } from './Attachments.js'
import { DateControl } from './DateControl.js'
import { DuplicateHints } from './DuplicateHints.js'
import { errorMessage } from './hooks.js'
import { Page } from './Page.js'
import { LinesEditor } from './Lines.js'
import { PickerControl } from './Pickers.js'
import { Loading } from './Status.js'

const PICKER_KINDS = new Set(['user', 'users', 'dept', 'ref', 'stage', 'subject'])

/** 定位: the browser's position (inside DingTalk the H5 page gets the same through the WebView). */
function LocationControl(props: {
  value: FormLocation | null
  onChange: (value: FormLocation | null) => void
}) {
  const [busy, setBusy] = useState(false)
  const locate = () => {
    if (!navigator.geolocation) return Toast.fail({ content: '当前环境不支持定位' })
    setBusy(true)
    navigator.geolocation.getCurrentPosition(
      ({ coords }) => {
        setBusy(false)
        props.onChange({
          lat: Number(coords.latitude.toFixed(6)),
          lng: Number(coords.longitude.toFixed(6)),
          label: `${coords.latitude.toFixed(5)}, ${coords.longitude.toFixed(5)}`,
        })
      },
      () => {
        setBusy(false)
        Toast.fail({ content: '无法获取位置，请检查定位权限' })
      },
      { timeout: 10_000 },
    )
  }
  return (
    <span className="location">
      <span className={props.value ? '' : 'muted'}>{props.value?.label ?? '未定位'}</span>
      <button type="button" className="link-button" onClick={locate} disabled={busy}>
        {busy ? '定位中…' : props.value ? '重新定位' : '获取定位'}
      </button>
      {props.value ? (
        <button type="button" className="link-button" onClick={() => props.onChange(null)}>
          清除
        </button>
      ) : null}
    </span>
  )
}

/** The input of one field. */
function Control(props: {
  field: FieldView
  value: FormValue | undefined
  values: FormValues
  onChange: (value: FormValue) => void
}) {
  const { field, value, onChange } = props
  const text = typeof value === 'string' ? value : ''
  if (field.kind === 'boolean') return <Switch checked={Boolean(value)} onChange={(on) => onChange(on)} />
  if (field.kind === 'textarea')
    return (
      <TextareaItem
        value={text}
        onChange={(v) => onChange(v ?? '')}
        rows={3}
        autoHeight
        placeholder={field.placeholder}
        name={field.name}
      />
    )
  if (field.kind === 'attachments')
    return (
      <AttachmentsControl name={field.name} value={Array.isArray(value) ? value : []} onChange={onChange} />
    )
  if (field.kind === 'multiselect') {
    const chosen = Array.isArray(value) ? value : []
    return (
      <div className="chips" role="group" aria-label={field.label}>
        {Object.entries(field.offered ?? field.options ?? {}).map(([option, label]) => (
          <button
            type="button"
            role="checkbox"
            aria-checked={chosen.includes(option)}
            key={option}
            className={chosen.includes(option) ? 'chip chip-on' : 'chip'}
            onClick={() =>
              onChange(chosen.includes(option) ? chosen.filter((c) => c !== option) : [...chosen, option])
            }
          >
            {label}
          </button>
        ))}
      </div>
    )
  }
  if (field.kind === 'enum') {
    // a disabled choice is offered no more, but a record holding it keeps showing it
    const offered = field.offered ?? field.options ?? {}
    const options = Object.entries({
      ...offered,
      ...(text && !offered[text] && field.options?.[text] ? { [text]: field.options[text] } : {}),
    })
    if (options.length <= 10)
      return (
        <div className="chips" role="radiogroup" aria-label={field.label}>
          {options.map(([option, label]) => (
            <button
              type="button"
              role="radio"
              aria-checked={text === option}
              key={option}
              className={text === option ? 'chip chip-on' : 'chip'}
              onClick={() => onChange(text === option && !field.required ? '' : option)}
            >
              {label}
            </button>
          ))}
        </div>
      )
    return (
      <select className="select" name={field.name} value={text} onChange={(e) => onChange(e.target.value)}>
        <option value="">请选择</option>
        {options.map(([option, label]) => (
          <option key={option} value={option}>
            {label}
          </option>
        ))}
      </select>
    )
  }
  if (field.kind === 'date' || field.kind === 'datetime')
    return <DateControl field={field} value={text} onChange={onChange} />
  if (field.kind === 'location')
    return <LocationControl value={(value as FormLocation | null) ?? null} onChange={onChange} />
  if (field.kind === 'lines') return <LinesEditor value={text} onChange={onChange} />
  if (field.kind === 'months') {
    const months = Array.isArray(value) ? value : Array.from({ length: 12 }, () => '')
    return (
      <div className="months">
        {months.map((month, i) => (
          <label key={i} className="month">
            <span>{i + 1} 月</span>
            <input
              name={`${field.name}.${i}`}
              inputMode="decimal"
              value={month}
              placeholder="0"
              onChange={(e) => onChange(months.map((m, j) => (j === i ? e.target.value : m)))}
            />
          </label>
        ))}
      </div>
    )
  }
  if (PICKER_KINDS.has(field.kind))
    return (
      <PickerControl
        field={field}
        value={Array.isArray(value) ? value : text}
        values={props.values}
        onChange={onChange}
      />
    )
  return (
    <InputItem
      value={text}
      onChange={(v) => onChange(v)}
      clear
      placeholder={field.placeholder}
      name={field.name}
      type={field.kind === 'phone' ? 'tel' : 'text'}
    />
  )
}

/**
 * Create (no `:id`) or edit a record. The values are checked with the collection's shared zod schema before
 * anything is sent; its Chinese messages are shown under the fields, as are those of a save the API
 * refuses naming a field (`saveErrors`). Edits carry the version last seen.
 * A new record may start from the URL (`?customerId=…` from a customer's tab) and `?returnTo=` says where
 * to go once it is saved.
 */
export function RecordForm({ resource }: { resource: Resource }) {
  const { view, client } = resource
  const { id } = useParams()
  const navigate = useNavigate()
  const search = new URLSearchParams(useLocation().search)
  const returnTo = search.get('returnTo')
  const editing = id !== undefined
  const [record, setRecord] = useState<AnyRecord | undefined>(undefined)
  const [values, setValues] = useState<FormValues | undefined>(undefined)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [saving, setSaving] = useState(false)
  const fields = useMemo(() => formFields(view, editing), [view, editing])

  useEffect(() => {
    if (id) {
      client.get(id).then(
        (found) => {
          setRecord(found)
          setValues(formValues(view, found))
        },
        (error) => Toast.fail({ content: errorMessage(error) }),
      )
      return
    }
    // a new record: what the URL names, and now for a required time (跟进时间, 提醒时间)
    const preset: Record<string, unknown> = {}
    for (const field of view.fields) {
      const given = search.get(field.name)
      // (money in the URL is fen, like everywhere on this side)
      if (given !== null)
        preset[field.name] =
          field.kind === 'users' ? given.split(',') : field.kind === 'money' ? Number(given) : given
      else if (field.kind === 'datetime' && field.required) preset[field.name] = new Date().toISOString()
    }
    setValues(formValues(view, preset))
  }, [client, id, view])

  const setValue = (name: string, value: FormValue) => {
    setValues((v) => ({ ...v, [name]: value }))
    setErrors(({ [name]: _, ...rest }) => rest)
  }

  const submit = async () => {
    if (!values) return
    const check = checkForm(view, values, { editing, before: record && formValues(view, record) })
    if (!check.ok) {
      setErrors(check.errors)
      return
    }
    setErrors({})
    setSaving(true)
    try {
      let saved: AnyRecord
      if (record) {
        // a field emptied by the user is sent as null (PATCH: a missing field stays as it is)
        const clears = clearedFields(view, formValues(view, record), values)
        saved = await client.update(record.id, { ...check.value, version: record.version, ...clears })
      } else {
        saved = await client.create(check.value)
        const hints = (saved as { duplicateHints?: { name: string }[] }).duplicateHints
        if (hints?.length) Toast.info({ content: `已保存。可能重复：${hints.map((h) => h.name).join('、')}` })
      }
      if (!(saved as { duplicateHints?: unknown[] }).duplicateHints?.length)
        Toast.success({ content: '已保存' })
      navigate(returnTo ?? `/${view.collection}/${saved.id}`, { replace: true })
    } catch (error) {
      // (on success the page is gone: no state to reset)
      setSaving(false)
      // a 4xx naming a field's path (附件 `attachments.1`) shows under that field; the values stay
      const refused = saveErrors(
        view,
        error,
        fields.map((f) => f.name),
        errorMessage(error),
      )
      setErrors(refused.errors)
      if (refused.message) Toast.fail({ content: refused.message })
    }
  }

  const title = `${editing ? '编辑' : '新建'}${view.noun}`
  if (!values)
    return (
      <Page title={title}>
        <Loading />
      </Page>
    )

  const nameField = !editing && (view.collection === 'customers' || view.collection === 'pool')
  return (
    <Page title={title}>
      <form
        className="record-form"
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
      >
        {fields.map((field) => (
          <div key={field.name} className={`form-row field-${field.name} form-${field.kind}`}>
            <label className="form-label">
              {field.required ? <span className="required">*</span> : null}
              {field.label}
            </label>
            <div className="form-control">
              <Control
                field={field}
                value={values[field.name]}
                values={values}
                onChange={(value) => setValue(field.name, value)}
              />
            </div>
            {errors[field.name] ? <div className="form-error">{errors[field.name]}</div> : null}
            {nameField && field.name === 'name' ? <DuplicateHints name={String(values.name ?? '')} /> : null}
          </div>
        ))}
      </form>
      <div className="actions">
        <Button type="primary" loading={saving} onClick={submit}>
          保存
        </Button>
      </div>
    </Page>
  )
}
