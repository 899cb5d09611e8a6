import { Reminder, ReminderFilter, ReminderInput, ReminderUpdate } from '../schemas/index.js'
import { crud } from './route.js'

/** 任务提醒: `update` also closes (`status: 'done' | 'cancelled'`) or reopens one. */
export const reminders = crud('reminders', {
  record: Reminder,
  input: ReminderInput,
  patch: ReminderUpdate,
  filter: ReminderFilter,
})
