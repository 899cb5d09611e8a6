import { ddApi, ddCall } from '../host.js'

/**
 * dd's dialogs as promises that answer what the user chose (or nothing when they cancelled), so a
 * handler reads as one line per question.
 */

/**
 * A date ('2026-12-01') or a China date-time ('2026-12-01 09:00', as the shared form holds it) from
 * DingTalk's picker; '' when cancelled.
 */
export async function pickDate(kind: 'date' | 'datetime', current = ''): Promise<string> {
  const withTime = kind === 'datetime'
  const shown = current.slice(0, withTime ? 16 : 10)
  const answer = await ddCall<{ date: string }>((callbacks) =>
    ddApi().datePicker({
      format: withTime ? 'yyyy-MM-dd HH:mm' : 'yyyy-MM-dd',
      ...(shown ? { currentDate: shown } : {}),
      ...callbacks,
    }),
  ).catch(() => undefined)
  if (!answer?.date) return ''
  return answer.date.slice(0, withTime ? 16 : 10)
}

/** The index of the chosen item, or -1. */
export async function chooseFrom(title: string, items: string[]): Promise<number> {
  const answer = await ddCall<{ index: number }>((callbacks) =>
    ddApi().showActionSheet({ title, items, cancelButtonText: '取消', ...callbacks }),
  ).catch(() => undefined)
  return answer?.index ?? -1
}

/** Asks before a destructive action. */
export async function confirmAction(title: string, content: string, confirmText = title): Promise<boolean> {
  const answer = await ddCall<{ confirm: boolean }>((callbacks) =>
    ddApi().confirm({
      title,
      content,
      confirmButtonText: confirmText,
      cancelButtonText: '取消',
      ...callbacks,
    }),
  ).catch(() => undefined)
  return answer?.confirm ?? false
}

/** A line of text (a reason...); undefined when cancelled. */
export async function askText(title: string, placeholder: string): Promise<string | undefined> {
  const answer = await ddCall<{ ok: boolean; inputValue: string }>((callbacks) =>
    ddApi().prompt({ title, placeholder, okButtonText: '确定', cancelButtonText: '取消', ...callbacks }),
  ).catch(() => undefined)
  return answer?.ok ? answer.inputValue.trim() : undefined
}

export function toast(content: string, type: 'success' | 'fail' | 'none' = 'none'): void {
  ddApi().showToast({ content, type })
}

/** The device's position with its address, for a follow-up's 定位; undefined when refused. */
export async function locate(): Promise<{ lat: number; lng: number; label?: string } | undefined> {
  const answer = await ddCall<{ latitude: number; longitude: number; address?: string }>((callbacks) =>
    ddApi().getLocation({ type: 1, ...callbacks }),
  ).catch(() => undefined)
  if (!answer) return undefined
  return { lat: Number(answer.latitude), lng: Number(answer.longitude), label: answer.address || undefined }
}

/**
 * Whether this DingTalk has an API: the function is there and, where the client has `dd.canIUse`, it
 * says so (a client may carry a name it does not support on this platform, e.g. chooseFile on Harmony).
 */
export function canUse(name: 'chooseFile' | 'complexChoose' | 'setClipboard' | 'openLink'): boolean {
  const dd = ddApi()
  if (typeof dd[name] !== 'function') return false
  return typeof dd.canIUse === 'function' ? dd.canIUse(name) !== false : true
}

/** Copies a text (a link) and says so; false where this DingTalk cannot. */
export async function copyText(text: string, done = '已复制'): Promise<boolean> {
  const dd = ddApi()
  if (!dd.setClipboard || !canUse('setClipboard'))
    return (toast('当前钉钉版本不能复制，请长按文字复制'), false)
  const copied = await ddCall((callbacks) => dd.setClipboard!({ text, ...callbacks })).then(
    () => true,
    () => false,
  )
  toast(copied ? done : '复制失败，请长按文字复制', copied ? 'success' : 'fail')
  return copied
}
