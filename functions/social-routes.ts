import type { SocialRoutes } from '../shared/contract/social.js'
import type { Activity, Page } from '../shared/schemas/index.js'
import type { Session } from './core/context.js'
import { like, likes, listComments, type Target, timeline } from './domain/activity/index.js'
import { comment } from './domain/activity/mentions.js'
import { serve } from './http/route.js'

/**
 * 动态, 评论 and 赞 on the records of one collection, bound to its declarations (shared/contract/social.ts).
 * `target` reads the record through its scope (404 outside) and names the timelines that show a comment;
 * the record's 动态 is its own timeline unless the noun reads it its own way (`timelineOf`: masked phones).
 */
export function socialRoutes(
  routes: SocialRoutes,
  target: (session: Session, id: string) => Promise<Target>,
  timelineOf?: (
    session: Session,
    id: string,
    page: { limit: number; cursor?: string },
  ) => Promise<Page<Activity>>,
) {
  return [
    serve(routes.timeline, async ({ session, params, query }) =>
      timelineOf
        ? timelineOf(session, params.id, query)
        : timeline(session, (await target(session, params.id)).timeline, query),
    ),
    serve(routes.comments, async ({ session, params, query }) =>
      listComments(session, await target(session, params.id), query),
    ),
    serve(routes.comment, async ({ session, params, body }) =>
      comment(session, await target(session, params.id), body),
    ),
    serve(routes.likes, async ({ session, params }) => likes(session, await target(session, params.id))),
    serve(routes.like, async ({ session, params }) => like(session, await target(session, params.id), true)),
    serve(routes.unlike, async ({ session, params }) =>
      like(session, await target(session, params.id), false),
    ),
  ]
}
