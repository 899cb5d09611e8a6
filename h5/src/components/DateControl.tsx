import { useState } from 'react'
import { DatePicker } from 'dingtalk-design-mobile'
import type { FieldView } from '../../../shared/view/index.js'
import { cancelled, inDingTalk, pickDingTalkDate } from '../dingtalk.js'

const pad = (n: number) => String(n).padStart(2, '0')

/** 'YYYY-MM-DD[ HH:mm]' (the form's text, China time) → a Date showing those very numbers on the wheel. */
export function textToDate(text: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}))?/.exec(text)
  return m ? new Date(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0)) : undefined
}

/** The wheel's Date → the form's text. */
export const dateToText = (date: Date, withTime: boolean): string =>
  `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
  (withTime ? ` ${pad(date.getHours())}:${pad(date.getMinutes())}` : '')

const MIN = new Date(2000, 0, 1)
const MAX = new Date(2050, 11, 31, 23, 59)

/**
 * A date or date-time field: the chosen day (and time) as text that opens a picker — DingTalk's own wheel
 * inside DingTalk (`biz.util.datepicker`), dingtalk-design-mobile's DatePicker elsewhere (and where the
 * JSAPI fails) — never the browser's native input with its locale-bound text.
 */
export function DateControl(props: { field: FieldView; value: string; onChange: (text: string) => void }) {
  const { field, value, onChange } = props
  const withTime = field.kind === 'datetime'
  const [open, setOpen] = useState(false)
  const pick = () => {
    if (!inDingTalk()) return setOpen(true)
    pickDingTalkDate(withTime, value).then(
      (picked) => picked && onChange(picked),
      (error) => cancelled(error) || setOpen(true),
    )
  }
  return (
    <>
      <button
        type="button"
        className={value ? 'picker' : 'picker picker-empty'}
        data-field={field.name}
        onClick={pick}
      >
        {value || `请选择${field.label}`}
      </button>
      {value && !field.required ? (
        <button
          type="button"
          className="picker-clear"
          aria-label={`清除${field.label}`}
          onClick={() => onChange('')}
        >
          ×
        </button>
      ) : null}
      <DatePicker
        visible={open}
        mode={withTime ? 'datetime' : 'date'}
        title={`选择${field.label}`}
        value={textToDate(value)}
        minDate={MIN}
        maxDate={MAX}
        onChange={(date) => onChange(dateToText(date, withTime))}
        onVisibleChange={setOpen}
        onDismiss={() => setOpen(false)}
      />
    </>
  )
}
