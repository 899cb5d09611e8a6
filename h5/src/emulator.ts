import { api } from './api.js'

/** The local DingTalk emulator's helpers (local mode only; a deployed API has no `/dingtalk`). */
export interface OrgUser {
  userId: string
  name: string
  title: string
  avatar: string
  deptIds: number[]
}
export interface Org {
  corpId: string
  corpName: string
  depts: { deptId: number; name: string }[]
  users: OrgUser[]
  /** the group chats of the demo company (a team's robot cards go to one) */
  chats?: { openConversationId: string; name: string; deptId: number }[]
}
/** a DingTalk to-do (待办) the emulator holds */
export interface EmulatedTodo {
  id: string
  subject: string
  description: string
  done: boolean
  dueAt?: string
  executors: string[]
  detailUrl: { appUrl?: string; pcUrl?: string }
  createdTime: number
}
export interface DeliveredCard {
  id: string
  kind: 'work_notification' | 'group' | 'robot_o2o'
  to: { userIds?: string[]; chatId?: string; openConversationId?: string }
  title: string
  text: string
  links: string[]
  at: string
}

/** the demo organisation, or undefined when there is no emulator (not local mode) */
export async function fetchOrg(): Promise<Org | undefined> {
  try {
    const org = await api.request<Org>('GET', '/dingtalk/__org')
    return org && Array.isArray(org.users) ? org : undefined
  } catch {
    return undefined
  }
}

export const fetchMessages = (userId: string) =>
  api.request<{ items: DeliveredCard[] }>('GET', '/dingtalk/__messages', { query: { userId } })

export const fetchGroupMessages = (openConversationId: string) =>
  api.request<{ items: DeliveredCard[] }>('GET', '/dingtalk/__messages', { query: { openConversationId } })

export const fetchTodos = (userId: string) =>
  api.request<{ items: EmulatedTodo[] }>('GET', '/dingtalk/__todos', { query: { userId } })
