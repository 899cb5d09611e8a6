import { definePage } from '../../host.js'

/** A page of the API shown in a web-view: 打印 (the print page, its ticket in the URL). */
definePage({
  data: { url: '' },
  onLoad(query: { url?: string } = {}) {
    this.setData({ url: query.url ? decodeURIComponent(query.url) : '' })
  },
})
