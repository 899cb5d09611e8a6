import { ReminderInput, ReminderUpdate, type Reminder } from '../schemas/reminders.js'
import { formatDateTime } from './format.js'
import {
  labelOf,
  recordTypeLabels,
  remindBeforeLabels,
  reminderRepeatLabels,
  reminderStatusLabels,
} from './labels.js'
import type { RecordView } from './record-view.js'

/**
 * 任务提醒 on any record: the record (type, id, name) comes from where the reminder is created (the
 * record's detail), so the form carries it without showing it.
 */
export const reminderView: RecordView<Reminder> = {
  collection: 'reminders',
  noun: '任务提醒',
  title: (r) => r.title,
  brief: (r) =>
    [
      formatDateTime(r.dueAt),
      r.recordName ? `${labelOf(recordTypeLabels, r.recordType)}：${r.recordName}` : undefined,
      labelOf(reminderStatusLabels, r.status),
    ]
      .filter(Boolean)
      .join(' · '),
  fields: [
    {
      name: 'recordType',
      label: '关联类型',
      kind: 'enum',
      options: recordTypeLabels,
      hidden: true,
      createOnly: true,
    },
    { name: 'recordId', label: '关联记录', kind: 'text', hidden: true, createOnly: true },
    { name: 'recordName', label: '关联记录', kind: 'text', hidden: true },
    { name: 'title', label: '提醒标题', kind: 'text', required: true, placeholder: '如：回访客户' },
    { name: 'content', label: '提醒内容', kind: 'textarea', placeholder: '请输入提醒内容' },
    { name: 'assigneeIds', label: '提醒对象', kind: 'users', required: true },
    { name: 'dueAt', label: '提醒时间', kind: 'datetime', required: true },
    {
      name: 'remindBeforeMinutes',
      label: '提前提醒',
      kind: 'enum',
      options: remindBeforeLabels,
      numeric: true,
      initial: '0',
    },
    { name: 'repeat', label: '重复', kind: 'enum', options: reminderRepeatLabels, initial: 'none' },
    { name: 'repeatUntil', label: '重复截止', kind: 'datetime' },
    { name: 'status', label: '状态', kind: 'enum', options: reminderStatusLabels, readOnly: true },
  ],
  columns: ['title', 'recordName', 'dueAt', 'assigneeIds', 'repeat', 'status', 'createdAt'],
  filters: [{ name: 'status', label: '状态', options: reminderStatusLabels }],
  searchPlaceholder: '搜索提醒标题、关联记录',
  input: ReminderInput,
  update: ReminderUpdate,
}
