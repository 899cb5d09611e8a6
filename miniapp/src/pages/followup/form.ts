import { formatDateTime } from '../../../../shared/view/format.js'
import { definePage } from '../../host.js'
import { recordFormPage } from '../../lib/record-pages.js'
import { recordModules } from '../../modules/registry.js'

/** 写跟进: method, content, time (now), 位置 from dd.getLocation, next follow-up. */
definePage(
  recordFormPage(recordModules.followups, {
    defaults: () => ({ followedAt: formatDateTime(new Date().toISOString()) }),
  }),
)
