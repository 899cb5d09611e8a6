import type { Collection } from '../nouns.js'
import {
  Activity,
  Comment,
  CommentInput,
  FeedQuery,
  Likes,
  ListQuery,
  Page,
  TimelineQuery,
} from '../schemas/index.js'
import { route } from './route.js'

/**
 * 动态, 评论 and 赞 on the records of one collection: `/api/<path>/{id}/timeline`, `…/comments`,
 * `…/likes` (the collections of shared/nouns.ts whose `social` and `timeline` say so).
 */
function socialRoutes<const Path extends string>(path: Path) {
  const base = `/api/${path}/{id}` as const
  return {
    timeline: route({
      method: 'GET',
      path: `${base}/timeline`,
      query: TimelineQuery,
      response: Page(Activity),
    }),
    comments: route({ method: 'GET', path: `${base}/comments`, query: ListQuery, response: Page(Comment) }),
    comment: route({ method: 'POST', path: `${base}/comments`, body: CommentInput, response: Comment }),
    likes: route({ method: 'GET', path: `${base}/likes`, response: Likes }),
    like: route({ method: 'POST', path: `${base}/likes`, status: 200, response: Likes }),
    unlike: route({ method: 'DELETE', path: `${base}/likes`, response: Likes }),
  }
}

/** Per collection as in its URL: `api.social[collection].like(id)`. */
export const social = {
  leads: socialRoutes('leads'),
  customers: socialRoutes('customers'),
  contacts: socialRoutes('contacts'),
  followups: socialRoutes('followups'),
  opportunities: socialRoutes('opportunities'),
  contracts: socialRoutes('contracts'),
  'payment-plans': socialRoutes('payment-plans'),
  payments: socialRoutes('payments'),
  invoices: socialRoutes('invoices'),
  targets: socialRoutes('targets'),
} satisfies Partial<Record<Collection, unknown>>
export type SocialCollection = keyof typeof social
export type SocialRoutes = (typeof social)[SocialCollection]

/** 工作台 动态: the newest activity across what the caller may see. */
export const feed = {
  list: route({ method: 'GET', path: '/api/feed', query: FeedQuery, response: Page(Activity) }),
}
