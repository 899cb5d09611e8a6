import { currentUser } from '../../api/session.js'
import { definePage } from '../../host.js'
import { recordFormPage } from '../../lib/record-pages.js'
import { recordModules } from '../../modules/registry.js'

/** 新建提醒 from a record's detail (`?recordType&recordId&recordName`): for me unless I choose others. */
definePage(
  recordFormPage(recordModules.reminders, {
    defaults: (): Record<string, string[]> => {
      const me = currentUser()
      return me ? { assigneeIds: [me.id] } : {}
    },
  }),
)
