import type { RecordView } from './record-view.js'
import { competitorView, productView } from './catalog.js'
import {
  contractView,
  invoiceView,
  opportunityView,
  paymentPlanView,
  paymentView,
  targetView,
} from './deals.js'
import { contactView, customerView, followUpView, leadView, poolView } from './lifecycle.js'
import { reminderView } from './reminders.js'

/** Every collection's view by its URL name (`customers`, `payment-plans`...), for generic screens. */
export const recordViews = {
  leads: leadView,
  pool: poolView,
  customers: customerView,
  contacts: contactView,
  followups: followUpView,
  opportunities: opportunityView,
  contracts: contractView,
  'payment-plans': paymentPlanView,
  payments: paymentView,
  invoices: invoiceView,
  targets: targetView,
  reminders: reminderView,
  products: productView,
  competitors: competitorView,
} as const satisfies Record<string, RecordView<never>>

export type ViewCollection = keyof typeof recordViews

/** A list's fixed filter and its title: 任务提醒 lists the caller's own reminders (both apps). */
export const listPresets: Partial<Record<ViewCollection, { filter: Record<string, string>; title: string }>> =
  {
    reminders: { filter: { mine: 'true' }, title: '我的提醒' },
  }
