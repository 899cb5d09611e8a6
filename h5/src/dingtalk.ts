/** The DingTalk side of login: inside the DingTalk client, its JSAPI gives a one-time auth code. */

export const inDingTalk = (): boolean => /DingTalk/i.test(navigator.userAgent)

/** DingTalk opens the H5 entry with `?corpId=$CORPID$` filled in; a build may also fix it. */
export const corpIdFromUrl = (): string | undefined =>
  new URLSearchParams(location.search).get('corpId') ?? import.meta.env.VITE_DINGTALK_CORP_ID

/** `runtime.permission.requestAuthCode`; the JSAPI is loaded only inside DingTalk. */
export async function requestAuthCode(corpId: string): Promise<string> {
  const { requestAuthCode$ } = await import('dingtalk-jsapi/api/runtime/permission/requestAuthCode')
  const { code } = await requestAuthCode$({ corpId })
  return code
}

/** DingTalk's own title bar shows the screen's title (`biz.navigation.setTitle`); a failure keeps the old one. */
export function setDingTalkTitle(title: string): void {
  document.title = title
  import('dingtalk-jsapi/api/biz/navigation/setTitle')
    .then(({ setTitle$ }) => setTitle$({ title }))
    .catch(() => undefined)
}

/** 'YYYY-MM-DD' or 'YYYY-MM-DD HH:mm': DingTalk's own date (or date-time) wheel, `biz.util.datepicker`. */
export async function pickDingTalkDate(withTime: boolean, value: string): Promise<string> {
  if (withTime) {
    const { datetimepicker$ } = await import('dingtalk-jsapi/api/biz/util/datetimepicker')
    return (await datetimepicker$({ format: 'yyyy-MM-dd HH:mm', value: value || undefined })).value
  }
  const { datepicker$ } = await import('dingtalk-jsapi/api/biz/util/datepicker')
  return (await datepicker$({ format: 'yyyy-MM-dd', value: value || undefined })).value
}

/**
 * DingTalk's own 选人 / 选部门 (`biz.contact.complexPicker`): the ids picked (DingTalk's user and
 * department ids, which are the CRM's), with their names.
 */
export async function pickDingTalkContacts(options: {
  corpId: string
  title: string
  kind: 'user' | 'dept'
  multiple: boolean
  picked: string[]
}): Promise<{ id: string; name: string }[]> {
  const { complexPicker$ } = await import('dingtalk-jsapi/api/biz/contact/complexPicker')
  const users = options.kind === 'user'
  const result = await complexPicker$({
    corpId: options.corpId,
    title: options.title,
    multiple: options.multiple,
    maxUsers: options.multiple ? 100 : 1,
    pickedUsers: users ? options.picked : [],
    pickedDepartments: users ? [] : options.picked,
    responseUserOnly: users,
    permissionType: 'GLOBAL',
  })
  return users
    ? (result.users ?? []).map((u) => ({ id: u.emplId, name: u.name }))
    : (result.departments ?? []).map((d) => ({ id: String(d.id), name: d.name }))
}

/** A JSAPI picker the user closed without choosing (it rejects with code -1): nothing to fall back to. */
export const cancelled = (error: unknown): boolean =>
  String((error as { errorCode?: unknown } | undefined)?.errorCode) === '-1'
