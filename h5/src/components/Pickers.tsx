import { useCallback, useEffect, useState } from 'react'
import type { FieldView, RefCollection } from '../../../shared/view/index.js'
import { cancelled, inDingTalk, pickDingTalkContacts } from '../dingtalk.js'
import { deptName, lookupName, rememberName, useNames } from '../names.js'
import { resources } from '../resources.js'
import { session } from '../session.js'
import { OptionSheet, type Option } from './Sheet.js'

/** The users of the directory as options (name, then their departments). */
export function useUserOptions(): Option[] | undefined {
  const { directory } = useNames()
  return directory?.users
    .filter((u) => u.active)
    .map((u) => ({
      value: u.id,
      label: u.name,
      brief: [u.title, u.deptIds.map((id) => deptName(id) ?? id).join('、')].filter(Boolean).join(' · '),
    }))
}

/**
 * 选人 / 选部门 inside DingTalk: its own picker (biz.contact.complexPicker) and the ids picked, `[]` when
 * the user closed it; `null` outside DingTalk or where the JSAPI fails: the caller opens the in-app sheet.
 */
export async function pickInDingTalk(options: {
  title: string
  kind: 'user' | 'dept'
  multiple: boolean
  picked: string[]
}): Promise<string[] | null> {
  const corpId = session.user()?.corpId
  if (!inDingTalk() || !corpId) return null
  try {
    return (await pickDingTalkContacts({ corpId, ...options })).map((p) => p.id)
  } catch (error) {
    return cancelled(error) ? [] : null
  }
}

/** A user picker as a sheet (分配, 经理调整...): calls `onPick` with the chosen user id. */
export function UserSheet(props: {
  title: string
  open: boolean
  onClose: () => void
  onPick: (userId: string) => void
}) {
  const options = useUserOptions()
  return (
    <OptionSheet
      title={props.title}
      open={props.open}
      onClose={props.onClose}
      options={options}
      onPick={([id]) => id && props.onPick(id)}
    />
  )
}

/** Records of a collection as options, searched through the API (`q`) and narrowed by `scope`. */
function useRecordOptions(ref: RefCollection, open: boolean, scope: Record<string, string | undefined>) {
  const [options, setOptions] = useState<Option[] | undefined>(undefined)
  const [q, setQ] = useState('')
  const scopeKey = JSON.stringify(scope)
  const load = useCallback(async () => {
    const { view, client } = resources[ref]
    const page = await client.list({ limit: 50, q: q || undefined, ...scope })
    setOptions(page.items.map((r) => ({ value: r.id, label: view.title(r), brief: view.brief?.(r) })))
  }, [ref, q, scopeKey])
  useEffect(() => {
    if (open) load().catch(() => setOptions([]))
  }, [open, load])
  return { options, search: setQ }
}

/**
 * The form control of the id fields: a button showing the chosen name(s) that opens a picker of users,
 * departments, stages or records. `values` are the form's other values (for `scopeBy` and `subject`).
 */
export function PickerControl(props: {
  field: FieldView
  value: string | string[]
  values: Record<string, unknown>
  onChange: (value: string | string[]) => void
  disabled?: boolean
}) {
  const { field } = props
  const [open, setOpen] = useState(false)
  const { directory } = useNames()
  const users = useUserOptions()
  const kind = field.kind === 'subject' ? (props.values.scope === 'dept' ? 'dept' : 'user') : field.kind
  const scopeValue = field.scopeBy ? String(props.values[field.scopeBy] ?? '') : undefined
  const records = useRecordOptions(
    field.ref ?? 'customers',
    open && kind === 'ref',
    field.scopeBy ? { [field.scopeBy]: scopeValue || undefined } : {},
  )
  const options: Option[] | undefined =
    kind === 'user' || kind === 'users'
      ? users
      : kind === 'dept'
        ? directory?.depts.map((d) => ({ value: d.id, label: d.name }))
        : kind === 'stage'
          ? directory?.stages.filter((s) => s.kind === 'open').map((s) => ({ value: s.id, label: s.name }))
          : records.options
  const selected = Array.isArray(props.value) ? props.value : props.value ? [props.value] : []
  const text = selected.length
    ? selected.map((id) => lookupName({ ...field, kind }, id) ?? id).join('、')
    : field.scopeBy && !scopeValue
      ? `请先选择${field.scopeBy === 'customerId' ? '客户' : '合同'}`
      : `请选择${field.label}`

  // inside DingTalk people and departments come from its own 选人 / 选部门 (the sheet where it fails)
  const pick = () => {
    if (!(kind === 'user' || kind === 'users' || kind === 'dept')) return setOpen(true)
    void pickInDingTalk({
      title: `选择${field.label}`,
      kind: kind === 'dept' ? 'dept' : 'user',
      multiple: field.kind === 'users',
      picked: selected,
    }).then((picked) => {
      if (picked === null) return setOpen(true)
      if (!picked.length) return
      props.onChange(field.kind === 'users' ? picked : picked[0])
    })
  }

  return (
    <>
      <button
        type="button"
        className={selected.length ? 'picker' : 'picker picker-empty'}
        data-field={field.name}
        disabled={props.disabled || (field.scopeBy !== undefined && !scopeValue)}
        onClick={pick}
      >
        {text}
      </button>
      {selected.length && !field.required && !props.disabled ? (
        <button
          type="button"
          className="picker-clear"
          aria-label={`清除${field.label}`}
          onClick={() => props.onChange(field.kind === 'users' ? [] : '')}
        >
          ×
        </button>
      ) : null}
      <OptionSheet
        title={`选择${field.label}`}
        open={open}
        onClose={() => setOpen(false)}
        options={options}
        multiple={field.kind === 'users'}
        selected={selected}
        onSearch={kind === 'ref' ? records.search : undefined}
        onPick={(values) => {
          if (kind === 'ref' && field.ref)
            for (const id of values) {
              const label = options?.find((o) => o.value === id)?.label
              if (label) rememberName(field.ref, id, label)
            }
          props.onChange(field.kind === 'users' ? values : (values[0] ?? ''))
        }}
      />
    </>
  )
}
