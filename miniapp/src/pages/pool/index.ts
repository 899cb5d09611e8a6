import { api } from '../../api/session.js'
import { definePage } from '../../host.js'
import { errorText } from '../../lib/errors.js'
import { toast } from '../../lib/pickers.js'
import { recordListPage } from '../../lib/record-pages.js'
import { markStale } from '../../lib/stale.js'
import { recordModules } from '../../modules/registry.js'

/** 公海: customers without an owner; 领取 makes one mine and takes it off the list. */
const page = recordListPage(
  recordModules.pool,
  { detailPage: '/pages/customer/detail', formPage: undefined, staleKey: 'pool' },
  {
    async onRowAction(id: string) {
      try {
        await api().customers.claim(id)
        this.removeRow(id)
        markStale('customers')
        toast('已领取，可在「客户」中查看', 'success')
      } catch (error) {
        toast(errorText(error), 'fail')
      }
    },
  },
)
page.data.rowAction = '领取'
definePage(page)
