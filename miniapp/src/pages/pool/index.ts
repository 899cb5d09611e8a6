import { claimAction, viewerOf } from '../../../../shared/view/record-actions.js'
import { api, currentUser } from '../../api/session.js'
import { definePage } from '../../host.js'
import { errorText } from '../../lib/errors.js'
import { toast } from '../../lib/pickers.js'
import { recordListPage } from '../../lib/record-pages.js'
import { markStale } from '../../lib/stale.js'
import { recordModules } from '../../modules/registry.js'

const claim = (id: string) => claimAction(id, viewerOf(currentUser()))

/** 公海: customers without an owner; 领取 (the shared action) makes one mine and takes it off the list. */
const page = recordListPage(
  recordModules.pool,
  { detailPage: '/pages/customer/detail', formPage: undefined, staleKey: 'pool' },
  {
    async onRowAction(id: string) {
      try {
        const { done } = await claim(id).run!(api(), {})
        this.removeRow(id)
        markStale('customers')
        toast(done, 'success')
      } catch (error) {
        toast(errorText(error), 'fail')
      }
    },
  },
)
page.data.rowAction = claim('').label
definePage(page)
