import { config } from '../config.js'
import { ddApi, ddCall } from '../host.js'
import { canUse, copyText, toast } from './pickers.js'

/**
 * A link to the H5 app's page at `path` (the PC console from 1024 px: 设置 an admin changes, 导入 from a
 * PC): copied (`dd.setClipboard`) to paste on a computer, or opened with `dd.openLink`, which a PC's
 * DingTalk opens in the browser and a phone's in DingTalk's own browser (the H5 app at phone width).
 * No JSAPI sends a page from the phone to the user's PC.
 * https://open.dingtalk.com/document/development/jsapi-open-link
 */
export interface ConsoleLink {
  url: string
  /** this DingTalk has openLink */
  canOpen: boolean
}

export const consoleLink = (path: string): ConsoleLink => ({
  url: `${(config.h5Url || config.apiBaseUrl).replace(/\/$/, '')}${path}`,
  canOpen: canUse('openLink'),
})

export const copyLink = (url: string): Promise<boolean> => copyText(url, '已复制')

export async function openLink(url: string): Promise<void> {
  const dd = ddApi()
  if (!dd.openLink || !canUse('openLink')) return toast('请复制链接，在电脑上打开')
  await ddCall((callbacks) => dd.openLink!({ url, ...callbacks })).catch(() =>
    toast('无法打开链接，请复制后在电脑上打开', 'fail'),
  )
}
