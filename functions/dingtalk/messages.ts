/** The messages the client sends (work-notification and robot action cards) and the deep links in them. */
import type * as z from 'zod'
import { type robotMsgParams, type RobotMsgKey, type WorkMessage } from './schemas.js'

// ---------- message builders ----------

export interface ActionCardInput {
  title: string
  /** markdown body; DingTalk shows the title only in the chat list, so repeat it here if it matters */
  markdown: string
  singleTitle: string
  singleUrl: string
  /**
   * the same thing's page for a PC (the H5 app, `h5Link(url, { pcSlide: true })`): a second button,
   * 「电脑端打开」, beside the mini-program's
   */
  pcUrl?: string
}

export const PC_BUTTON = '电脑端打开'

/** A work-notification action card: one button (整体跳转), or with `pcUrl` two (独立跳转). */
export const actionCard = (card: ActionCardInput): WorkMessage =>
  card.pcUrl
    ? actionCardWithButtons({
        title: card.title,
        markdown: card.markdown,
        buttons: [
          { title: card.singleTitle, url: card.singleUrl },
          { title: PC_BUTTON, url: card.pcUrl },
        ],
      })
    : {
        msgtype: 'action_card',
        action_card: {
          title: card.title,
          markdown: card.markdown,
          single_title: card.singleTitle,
          single_url: card.singleUrl,
        },
      }

/** A work-notification action card with up to five buttons (独立跳转); `vertical` stacks them. */
export const actionCardWithButtons = (card: {
  title: string
  markdown: string
  buttons: { title: string; url: string }[]
  vertical?: boolean
}): WorkMessage => ({
  msgtype: 'action_card',
  action_card: {
    title: card.title,
    markdown: card.markdown,
    btn_orientation: card.vertical ? '0' : '1',
    btn_json_list: card.buttons.map((b) => ({ title: b.title, action_url: b.url })),
  },
})

export interface RobotMessage<K extends RobotMsgKey = RobotMsgKey> {
  msgKey: K
  msgParam: z.input<(typeof robotMsgParams)[K]>
}

/** The same card for a robot (`sampleActionCard`, two buttons `sampleActionCard2`), for group chats and robot 1:1 messages. */
export const robotActionCard = (
  card: ActionCardInput,
): RobotMessage<'sampleActionCard'> | RobotMessage<'sampleActionCard2'> =>
  card.pcUrl
    ? {
        msgKey: 'sampleActionCard2',
        msgParam: {
          title: card.title,
          text: card.markdown,
          actionTitle1: card.singleTitle,
          actionURL1: card.singleUrl,
          actionTitle2: PC_BUTTON,
          actionURL2: card.pcUrl,
        },
      }
    : {
        msgKey: 'sampleActionCard',
        msgParam: {
          title: card.title,
          text: card.markdown,
          singleTitle: card.singleTitle,
          singleURL: card.singleUrl,
        },
      }

export const robotMarkdown = (title: string, text: string): RobotMessage<'sampleMarkdown'> => ({
  msgKey: 'sampleMarkdown',
  msgParam: { title, text },
})

// ---------- deep links ----------

/**
 * A link that opens a page of our mini-program inside DingTalk:
 * `dingtalk://dingtalkclient/action/open_mini_app?miniAppId=<id>&page=<URL-encoded path?query>`.
 * Found: open.dingtalk.com「设置快捷入口（群插件）URL」(updated 2025-09) lists `open_mini_app` (miniAppId
 * required, `page` may carry GET parameters) and, for an org's own apps, `open_micro_app?corpId&agentId`;
 * DingTalk's own cards use `open_mini_app` (the todo API's example `appUrl` is
 * `…open_mini_app?miniAppId={0}&ddMode=push&page=pages%2ftask-detail%2ftask-detail%3ftaskId%3d{1}`).
 * 「消息链接说明」adds `eapp://pages/x/x?query`, valid only in messages a mini-program app sends itself.
 */
export function miniAppLink(
  page: string,
  query: Record<string, string> = {},
  miniAppId = process.env.DINGTALK_MINIAPP_ID ?? '',
): string {
  // %20 rather than URLSearchParams' '+': the page string is decoded once more inside DingTalk
  const search = Object.entries(query)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&')
  const target = search ? `${page.replace(/^\//, '')}?${search}` : page.replace(/^\//, '')
  return (
    'dingtalk://dingtalkclient/action/open_mini_app' +
    `?miniAppId=${encodeURIComponent(miniAppId)}&page=${encodeURIComponent(target)}`
  )
}

/**
 * A link that opens an H5 page inside DingTalk. Found (open.dingtalk.com「消息链接说明」and「单聊相关跳转
 * 协议」): `dingtalk://dingtalkclient/page/link?url=<urlencoded>`; `pc_slide=true` opens it in the PC
 * side panel instead of a browser.
 */
export function h5Link(url: string, options: { pcSlide?: boolean } = {}): string {
  const slide = options.pcSlide ? '&pc_slide=true' : ''
  return `dingtalk://dingtalkclient/page/link?url=${encodeURIComponent(url)}${slide}`
}
