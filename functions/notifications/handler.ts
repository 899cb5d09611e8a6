import { notificationSettings, outbox } from '../../shared/contract/notifications.js'
import { listOutbox, retryOutbox } from '../domain/notifications/index.js'
import {
  getNotificationSettings,
  putNotificationSettings,
  testSendGroup,
} from '../domain/notifications/index.js'
import { apiFunction } from '../api-function.js'
import { serve } from '../http/route.js'

/** Where DingTalk messages go (team groups per department, per event), a test card, and, for admins, the ones that did not go. */
export const handler = apiFunction([
  serve(notificationSettings.get, ({ session }) => getNotificationSettings(session)),
  serve(notificationSettings.put, ({ body, session }) => putNotificationSettings(session, body)),
  serve(notificationSettings.test, ({ body, session }) => testSendGroup(session, body)),
  serve(outbox.list, ({ query, session }) => listOutbox(session, query)),
  serve(outbox.retry, ({ params, session }) => retryOutbox(session, params.id)),
])
