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
