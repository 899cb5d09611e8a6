import { collectionOf, h5Path } from '../../../shared/nouns.js'
import { config } from '../../core/config.js'
import { h5Link, miniAppLink } from '../../dingtalk/messages.js'

/** What a card or to-do opens: a mini-program page and its query (`{page: 'pages/lead/detail', query: {id}}`). */
export interface Link {
  page: string
  query: Record<string, string>
}

/** mini-program pages that are not a record's detail → their H5 path */
const H5_PAGES: Record<string, (query: Record<string, string>) => string | undefined> = {
  'pages/approval/detail': ({ id }) => (id ? `/approvals/${encodeURIComponent(id)}` : undefined),
  'pages/report/briefing': () => '/reports',
  'pages/home/index': () => '/',
  'pages/index/index': () => '/',
}

/**
 * The H5 page of the same thing, for a PC (a to-do's `pcUrl`): `<H5_URL>/<collection>/<id>` for a
 * record's detail, `<H5_URL>/approvals/<id>` for an approval...; undefined when the page has no H5 twin
 * or the H5 app's address is not known.
 */
export function webUrl({ page, query }: Link): string | undefined {
  const base = config.h5Url()
  if (!base) return undefined
  const one = /^pages\/([a-z-]+)\/detail$/.exec(page)?.[1]
  const collection = one ? collectionOf(one) : undefined
  const path = collection && query.id ? h5Path(collection, query.id) : H5_PAGES[page]?.(query)
  return path === undefined ? undefined : `${base}${path}`
}

/** The mini-program link (in DingTalk) and the PC one (the H5 page, else the same mini-program link). */
export function links(link: Link): { appUrl: string; pcUrl: string } {
  const appUrl = miniAppLink(link.page, link.query)
  return { appUrl, pcUrl: webUrl(link) ?? appUrl }
}

/**
 * A card's buttons: the mini-program page (查看详情), and, when the page has an H5 twin, the H5 page for
 * a PC (电脑端打开: DingTalk opens it in the PC client's side panel).
 */
export function cardLinks(link: Link): { singleUrl: string; pcUrl?: string } {
  const web = webUrl(link)
  return {
    singleUrl: miniAppLink(link.page, link.query),
    ...(web ? { pcUrl: h5Link(web, { pcSlide: true }) } : {}),
  }
}
