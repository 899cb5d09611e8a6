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
 * A date or date-time field: its text (typed on a keyboard as 2026-12-20 or 2026-12-20 09:30) beside a
 * 选择 button that opens a wheel — DingTalk's own inside DingTalk (`biz.util.datepicker`),
 * dingtalk-design-mobile's DatePicker elsewhere (and where the JSAPI fails) — never the browser's native
 * date input with its locale-bound text (12/07/2026, 02:25 AM).
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
    <span className="date-control">
      <input
        className="date-text"
        name={field.name}
        value={value}
        inputMode="numeric"
        autoComplete="off"
        placeholder={withTime ? '年-月-日 时:分' : '年-月-日'}
        onChange={(e) => onChange(e.target.value)}
        // 2026-12-20T09:30 (pasted) reads as the form writes it
        onBlur={() => value.includes('T') && onChange(value.replace('T', ' '))}
      />
      <button type="button" className="link-button" aria-label={`选择${field.label}`} onClick={pick}>
        {withTime ? '选择时间' : '选择日期'}
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
    </span>
  )
}
