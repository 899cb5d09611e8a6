import type { CrudRoutes } from '../../shared/contract/route.js'
import type { Session } from '../core/context.js'
import { type RouteInput, type ServedRoute, serve } from './route.js'

type Body<R extends CrudRoutes[keyof CrudRoutes]> = RouteInput<R>['body']

/** The five verbs behind a collection's CRUD routes, typed by its declarations. */
export interface CrudVerbs<S extends CrudRoutes> {
  list(session: Session, query: RouteInput<S['list']>['query']): Promise<unknown>
  get(session: Session, id: string): Promise<unknown>
  create(session: Session, body: Body<S['create']>): Promise<unknown>
  update(session: Session, id: string, body: Body<S['update']>): Promise<unknown>
  remove(session: Session, id: string): Promise<unknown>
}

/**
 * The one CRUD binder: a collection's declared CRUD routes (`crud(...)` in shared/contract) bound to its
 * verbs. Plain collections take the generic record verbs from their domain (`productVerbs`); domains with
 * scope rules or derived amounts pass their own.
 */
export function crudRoutes<S extends CrudRoutes>(routes: S, verbs: CrudVerbs<S>): ServedRoute[] {
  // (each verb was checked against its own declaration where crudRoutes is called)
  const { list, create, get, update, remove } = routes as CrudRoutes
  const v = verbs as unknown as CrudVerbs<CrudRoutes>
  return [
    serve(list, ({ session, query }) => v.list(session, query)),
    serve(create, ({ session, body }) => v.create(session, body)),
    serve(get, ({ session, params }) => v.get(session, params.id)),
    serve(update, ({ session, params, body }) => v.update(session, params.id, body)),
    serve(remove, ({ session, params }) => v.remove(session, params.id)),
  ]
}
