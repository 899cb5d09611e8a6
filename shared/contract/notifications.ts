import * as z from 'zod'
import {
  NotificationSettings,
  NotificationSettingsInput,
  NotificationTestInput,
  NotificationTestResult,
  OutboxFilter,
  OutboxMessage,
  Page,
} from '../schemas/index.js'
import { route } from './route.js'

/** Where DingTalk messages go (team groups per department). */
export const notificationSettings = {
  get: route({
    method: 'GET',
    path: '/api/settings/notifications',
    roles: ['admin', 'manager'],
    response: NotificationSettings,
  }),
  put: route({
    method: 'PUT',
    path: '/api/settings/notifications',
    roles: ['admin'],
    body: NotificationSettingsInput.extend({ version: z.int().min(0).optional() }),
    response: NotificationSettings,
  }),
  /** 测试发送: one card to a department's group now (the saved group, or the one given) */
  test: route({
    method: 'POST',
    path: '/api/settings/notifications/test',
    roles: ['admin'],
    status: 200,
    body: NotificationTestInput,
    response: NotificationTestResult,
  }),
}

/** Admins: DingTalk messages parked after failing, and the queue. */
export const outbox = {
  list: route({
    method: 'GET',
    path: '/api/admin/outbox',
    roles: ['admin'],
    query: OutboxFilter,
    response: Page(OutboxMessage),
  }),
  retry: route({
    method: 'POST',
    path: '/api/admin/outbox/{id}/retry',
    roles: ['admin'],
    status: 200,
    response: OutboxMessage,
  }),
}
