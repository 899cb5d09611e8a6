import * as z from 'zod'
import {
  NotificationSettings,
  NotificationSettingsInput,
  OutboxFilter,
  OutboxMessage,
  Page,
} from '../../shared/schemas/index.js'
import {
  getNotificationSettings,
  listOutbox,
  putNotificationSettings,
  retryOutbox,
} from '../domain/notifications/index.js'
import { apiFunction } from '../api-function.js'
import { idOf } from '../http/crud.js'
import { route } from '../http/route.js'

/** Where DingTalk messages go (team groups per department) and, for admins, the ones that did not go. */
export const handler = apiFunction([
  route({
    method: 'GET',
    path: '/api/settings/notifications',
    roles: ['admin', 'manager'],
    response: NotificationSettings,
    handler: ({ session }) => getNotificationSettings(session),
  }),
  route({
    method: 'PUT',
    path: '/api/settings/notifications',
    roles: ['admin'],
    body: NotificationSettingsInput.extend({ version: z.int().min(0).optional() }),
    response: NotificationSettings,
    handler: ({ body, session }) => putNotificationSettings(session, body),
  }),
  route({
    method: 'GET',
    path: '/api/admin/outbox',
    roles: ['admin'],
    query: OutboxFilter,
    response: Page(OutboxMessage),
    handler: ({ query, session }) => listOutbox(session, query),
  }),
  route({
    method: 'POST',
    path: '/api/admin/outbox/{id}/retry',
    roles: ['admin'],
    status: 200,
    response: OutboxMessage,
    handler: ({ params, session }) => retryOutbox(session, idOf(params)),
  }),
])
