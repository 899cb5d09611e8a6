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
}
export interface DeliveredCard {
  id: string
  kind: 'work_notification' | 'group' | 'robot_o2o'
  to: { userIds?: string[]; chatId?: string }
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
