import { formatMoney } from '../../../../shared/view/format.js'
import { definePage } from '../../host.js'
import { recordDetailPage } from '../../lib/record-pages.js'
import { recordModules } from '../../modules/registry.js'

/** 合同详情: 合同金额 / 已回款 / 已开票 / 未回款 above the 回款, 发票 and 回款计划 tabs. */
definePage(
  recordDetailPage(recordModules.contracts, {
    afterLoad(page, record) {
      const money = (name: string) => formatMoney(record[name] as number)
      page.setData({
        amounts: [
          { label: '合同金额', value: money('amount') },
          { label: '已回款', value: money('receivedAmount') },
          { label: '已开票', value: money('invoicedAmount') },
          { label: '未回款', value: money('outstandingAmount') },
        ],
      })
    },
  }),
)
