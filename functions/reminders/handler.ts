import { reminders } from '../../shared/contract/reminders.js'
import {
  createReminder,
  getReminder,
  listReminders,
  removeReminder,
  updateReminder,
} from '../domain/reminders/index.js'
import { apiFunction } from '../api-function.js'
import { crudRoutes } from '../http/crud.js'

/** 任务提醒: create and update compute the schedule. */
export const handler = apiFunction(
  crudRoutes(reminders, {
    list: listReminders,
    get: getReminder,
    create: createReminder,
    update: updateReminder,
    remove: removeReminder,
  }),
)
