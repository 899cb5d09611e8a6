import { chinaToday, formatMoney } from '../../../../shared/view/format.js'
import { api } from '../../api/session.js'
import { definePage, type PageInstance } from '../../host.js'
import { errorText } from '../../lib/errors.js'

interface BriefingData {
  range: string
  figures: { label: string; value: string }[]
  error: string
  loaded: boolean
}
type BriefingThis = PageInstance<BriefingData> & { query: { from?: string; to?: string } }

async function load(page: BriefingThis, from: string, to: string) {
  page.setData({ error: '' })
  try {
    const b = await api().reports.briefing({ from, to })
    page.setData({
      range: b.from === b.to ? b.from : `${b.from} 至 ${b.to}`,
      figures: [
        { label: '新增客户', value: String(b.newCustomers) },
        { label: '跟进', value: String(b.followUps) },
        { label: '新增商机', value: String(b.newOpportunities) },
        { label: '赢单商机', value: String(b.wonOpportunities) },
        { label: '合同金额', value: formatMoney(b.contractAmount) },
        { label: '回款金额', value: formatMoney(b.paymentAmount) },
      ],
      loaded: true,
    })
  } catch (error) {
    page.setData({ error: errorText(error) })
  }
}

/** 简报 of a day or range (`?from&to`, what the daily briefing card opens), within my data scope. */
definePage({
  data: { range: '', figures: [], error: '', loaded: false } as BriefingData,
  onLoad(this: BriefingThis, query: { from?: string; to?: string } = {}) {
    const today = chinaToday()
    this.query = { from: query.from ?? today, to: query.to ?? query.from ?? today }
    return load(this, this.query.from!, this.query.to!)
  },
  onRetry(this: BriefingThis) {
    return load(this, this.query.from!, this.query.to!)
  },
})
