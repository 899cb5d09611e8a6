import { reminders } from '../../shared/contract/reminders.js'
import { getRecord, removeRecord } from '../db/records.js'
import { createReminder, listReminders, Reminders, updateReminder } from '../domain/reminders/index.js'
import { apiFunction } from '../api-function.js'
import { crudRoutes } from '../http/crud.js'

/** 任务提醒: get and delete are the generic verbs; create and update compute the schedule. */
export const handler = apiFunction(
  crudRoutes(reminders, {
    list: listReminders,
    get: (session, id) => getRecord(Reminders, session, id),
    create: createReminder,
    update: updateReminder,
    remove: (session, id) => removeRecord(Reminders, session, id),
  }),
)
