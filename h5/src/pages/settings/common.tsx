import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react'
import { Button, Toast } from 'dingtalk-design-mobile'
import type * as z from 'zod'
import { ApiError } from '../../../../shared/api/client.js'
import { errorMessage } from '../../components/hooks.js'

/** Number inputs hold text; an empty one is `null` (不限 for the nullable rules). */
export const numberOrNull = (text: string): number | null => (text.trim() === '' ? null : Number(text))
export const numberText = (value: number | null | undefined): string =>
  value === null || value === undefined ? '' : String(value)

/** The zod issues by dotted path (`recycle.A.noFollowUpDays`), the first message of each. */
export function issuesByPath(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {}
  for (const issue of error.issues) errors[issue.path.join('.')] ??= issue.message
  return errors
}

export const STALE_MESSAGE = '设置已被他人修改，请重新加载后再保存'

/**
 * A failed save: a 409 (someone saved since this page loaded) tells the admin to reload, and `onStale`
 * shows the 重新加载 banner; any other failure shows the API's message.
 */
export function saveFailed(error: unknown, onStale: () => void): void {
  if (error instanceof ApiError && error.status === 409) {
    onStale()
    Toast.fail({ content: STALE_MESSAGE })
    return
  }
  Toast.fail({ content: errorMessage(error) })
}

export function StaleBanner(props: { onReload: () => void }) {
  return (
    <div className="settings-stale" role="alert">
      <span>{STALE_MESSAGE}</span>
      <Button size="small" inline onClick={props.onReload}>
        重新加载
      </Button>
    </div>
  )
}

/** A labelled row of a settings form, with the schema's message under it. */
export function SettingRow(props: { label: string; hint?: string; error?: string; children: ReactNode }) {
  return (
    <div className="settings-row">
      <div className="settings-row-main">
        <label className="settings-label">
          {props.label}
          {props.hint ? <span className="settings-hint">{props.hint}</span> : null}
        </label>
        <div className="settings-control">{props.children}</div>
      </div>
      {props.error ? <div className="form-error">{props.error}</div> : null}
    </div>
  )
}

/** A whole-number input (days, counts, percent) with its unit after it. */
export function NumberInput(props: {
  name: string
  value: string
  onChange: (text: string) => void
  unit?: string
  placeholder?: string
  min?: number
  max?: number
}) {
  return (
    <span className="settings-number">
      <input
        name={props.name}
        type="number"
        inputMode="numeric"
        step={1}
        min={props.min}
        max={props.max}
        value={props.value}
        placeholder={props.placeholder}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {props.unit ? <span className="muted">{props.unit}</span> : null}
    </span>
  )
}

export function SaveBar(props: { saving: boolean; onSave: () => void }) {
  return (
    <div className="actions">
      <Button type="primary" loading={props.saving} onClick={props.onSave}>
        保存
      </Button>
    </div>
  )
}

/**
 * A settings page's life: `read` loads it (and again from the 409 banner); `save` checks the wire value
 * with the group's shared schema, shows the messages by field when it fails, else sends it with `write`
 * and shows what the API answers; a 409 raises `stale`.
 */
export function useSettingsForm<T>(read: () => Promise<T>, savedMessage: string) {
  const [value, setValue] = useState<T | undefined>(undefined)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [saving, setSaving] = useState(false)
  const [stale, setStale] = useState(false)
  const reader = useRef(read)

  const load = useCallback(() => {
    setStale(false)
    setErrors({})
    reader.current().then(setValue, (error) => Toast.fail({ content: errorMessage(error) }))
  }, [])
  useEffect(load, [load])

  const save = async <S extends z.ZodType>(
    schema: S,
    wire: unknown,
    write: (input: z.output<S>) => Promise<T>,
  ) => {
    const check = schema.safeParse(wire)
    if (!check.success) {
      setErrors(issuesByPath(check.error))
      Toast.fail({ content: '请检查标红的项' })
      return
    }
    setErrors({})
    setSaving(true)
    try {
      setValue(await write(check.data))
      Toast.success({ content: savedMessage })
    } catch (error) {
      saveFailed(error, () => setStale(true))
    } finally {
      setSaving(false)
    }
  }

  return { value, setValue, errors, saving, stale, load, save }
}
