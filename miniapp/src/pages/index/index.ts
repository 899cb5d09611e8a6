import { ddApi, definePage } from '../../host.js'

/**
 * The page a reminder card opens when its record type has no page of its own (RECORD_PAGES' fallback in
 * functions/domain/reminders.ts): 工作台, where my reminders are.
 */
definePage({
  data: {},
  onLoad() {
    ddApi().reLaunch({ url: '/pages/home/index' })
  },
})
