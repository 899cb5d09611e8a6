import {
  Page,
  Patch,
  Reminder,
  ReminderFilter,
  ReminderInput,
  ReminderUpdate,
} from '../../shared/schemas/index.js'
import { getRecord, removeRecord } from '../db/records.js'
import { createReminder, listReminders, Reminders, updateReminder } from '../domain/reminders/index.js'
import { apiFunction } from '../api-function.js'
import { idOf } from '../http/crud.js'
import { route } from '../http/route.js'

/** 任务提醒: get and delete are the generic verbs; create and update compute the schedule. */
export const handler = apiFunction([
  route({
    method: 'GET',
    path: '/api/reminders',
    query: ReminderFilter,
    response: Page(Reminder),
    handler: ({ query, session }) => listReminders(session, query),
  }),
  route({
    method: 'POST',
    path: '/api/reminders',
    body: ReminderInput,
    response: Reminder,
    handler: ({ body, session }) => createReminder(session, body),
  }),
  route({
    method: 'GET',
    path: '/api/reminders/{id}',
    response: Reminder,
    handler: ({ params, session }) => getRecord(Reminders, session, idOf(params)),
  }),
  route({
    method: 'PATCH',
    path: '/api/reminders/{id}',
    body: Patch(ReminderUpdate, Reminder),
    response: Reminder,
    handler: ({ params, body, session }) => updateReminder(session, idOf(params), body),
  }),
  route({
    method: 'DELETE',
    path: '/api/reminders/{id}',
    status: 204,
    handler: ({ params, session }) => removeRecord(Reminders, session, idOf(params)),
  }),
])
