import { Comment, CommentInput, Likes, ListQuery, Page } from '../schemas/index.js'
import { route } from './route.js'

/** 评论 and 赞 on the records of one collection: `/api/<path>/{id}/comments`, `/api/<path>/{id}/likes`. */
function socialRoutes<const Path extends string>(path: Path) {
  const base = `/api/${path}/{id}` as const
  return {
    comments: route({ method: 'GET', path: `${base}/comments`, query: ListQuery, response: Page(Comment) }),
    comment: route({ method: 'POST', path: `${base}/comments`, body: CommentInput, response: Comment }),
    likes: route({ method: 'GET', path: `${base}/likes`, response: Likes }),
    like: route({ method: 'POST', path: `${base}/likes`, status: 200, response: Likes }),
    unlike: route({ method: 'DELETE', path: `${base}/likes`, response: Likes }),
  }
}

/** Per collection as in its URL: `api.social[collection].like(id)`. */
export const social = {
  customers: socialRoutes('customers'),
  contacts: socialRoutes('contacts'),
  followups: socialRoutes('followups'),
  leads: socialRoutes('leads'),
}
export type SocialCollection = keyof typeof social
export type SocialRoutes = (typeof social)[SocialCollection]
