import { Comment, CommentInput, ListQuery, Page, Likes } from '../shared/schemas/index.js'
import type { Session } from './core/context.js'
import { addComment, like, likes, listComments, type Target } from './domain/activity/index.js'
import { idOf } from './http/crud.js'
import { type AnyRoute, route } from './http/route.js'

/**
 * 评论 and 赞 on the records of one collection: `GET/POST /api/<path>/{id}/comments`,
 * `GET/POST/DELETE /api/<path>/{id}/likes`. `target` reads the record through its scope (404 outside)
 * and names the timeline that shows the comment.
 */
export function socialRoutes(
  path: string,
  target: (session: Session, id: string) => Promise<Target>,
): AnyRoute[] {
  const base = `/api/${path}/{id}`
  const resolve = (session: Session, params: Record<string, string>) => target(session, idOf(params))
  return [
    route({
      method: 'GET',
      path: `${base}/comments`,
      query: ListQuery,
      response: Page(Comment),
      handler: async ({ session, params, query }) =>
        listComments(session, await resolve(session, params), query),
    }),
    route({
      method: 'POST',
      path: `${base}/comments`,
      body: CommentInput,
      response: Comment,
      handler: async ({ session, params, body }) =>
        addComment(session, await resolve(session, params), body.content),
    }),
    route({
      method: 'GET',
      path: `${base}/likes`,
      response: Likes,
      handler: async ({ session, params }) => likes(session, await resolve(session, params)),
    }),
    route({
      method: 'POST',
      path: `${base}/likes`,
      status: 200,
      response: Likes,
      handler: async ({ session, params }) => like(session, await resolve(session, params), true),
    }),
    route({
      method: 'DELETE',
      path: `${base}/likes`,
      response: Likes,
      handler: async ({ session, params }) => like(session, await resolve(session, params), false),
    }),
  ]
}
