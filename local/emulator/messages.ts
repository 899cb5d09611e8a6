/** Title, text and links of a delivered message, as `GET /__messages` lists them. */
import type { RobotMsgKey, WorkMessage } from '../../functions/dingtalk/schemas.js'

export interface MessageSummary {
  title: string
  text: string
  links: string[]
}

const compact = (links: (string | undefined)[]): string[] => links.filter((l): l is string => !!l)

export function describeWorkMessage(msg: WorkMessage): MessageSummary {
  switch (msg.msgtype) {
    case 'text':
      return { title: '', text: msg.text.content, links: [] }
    case 'markdown':
      return { title: msg.markdown.title, text: msg.markdown.text, links: [] }
    case 'link':
      return { title: msg.link.title, text: msg.link.text, links: [msg.link.messageUrl] }
    case 'action_card': {
      const card = msg.action_card
      const links = 'single_url' in card ? [card.single_url] : card.btn_json_list.map((b) => b.action_url)
      return { title: card.title, text: card.markdown, links }
    }
    case 'oa': {
      const { body, head } = msg.oa
      const form = (body.form ?? []).map((f) => `${f.key}${f.value}`).join('\n')
      return {
        title: body.title ?? head.text ?? '',
        text: [body.content, form].filter(Boolean).join('\n'),
        links: compact([msg.oa.message_url, msg.oa.pc_message_url]),
      }
    }
  }
}

export function describeRobotMessage(msgKey: RobotMsgKey, param: Record<string, unknown>): MessageSummary {
  const text = String(param.text ?? param.content ?? '')
  // every URL-ish field of the template (singleURL, messageUrl, actionURL1...) is a link
  const links = Object.entries(param)
    .filter(([key, value]) => /url\d*$/i.test(key) && key !== 'picUrl' && typeof value === 'string')
    .map(([, value]) => value as string)
  return { title: msgKey === 'sampleText' ? '' : String(param.title ?? ''), text, links }
}
