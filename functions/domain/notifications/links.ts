import { collectionOf, h5Path } from '../../../shared/nouns.js'
import { config } from '../../core/config.js'
import { miniAppLink } from '../../dingtalk/messages.js'

/** What a card or to-do opens: a mini-program page and its query (`{page: 'pages/lead/detail', query: {id}}`). */
export interface Link {
  page: string
  query: Record<string, string>
}

/**
 * The H5 page of the same record, for a PC (a to-do's `pcUrl`): `<H5_URL>/<collection>/<id>` when the
 * page is a record's detail and the H5 app's address is known; else undefined.
 */
export function webUrl({ page, query }: Link): string | undefined {
  const base = config.h5Url()
  const one = /^pages\/([a-z-]+)\/detail$/.exec(page)?.[1]
  const collection = one ? collectionOf(one) : undefined
  if (!base || !collection || !query.id) return undefined
  return `${base}${h5Path(collection, query.id)}`
}

/** The mini-program link (in DingTalk) and the PC one (the H5 page, else the same mini-program link). */
export function links(link: Link): { appUrl: string; pcUrl: string } {
  const appUrl = miniAppLink(link.page, link.query)
  return { appUrl, pcUrl: webUrl(link) ?? appUrl }
}
