import type { printRoutes } from '../shared/contract/print.js'
import type { Session } from './core/context.js'
import { AppError } from './core/errors.js'
import { signPrintTicket, verifyPrintTicket } from './core/session.js'
import { currentSession } from './domain/directory/sessions.js'
import { type RouteInput, type ServedRoute, serve } from './http/route.js'

/**
 * The print pages, loaded on first use: they read a record with all its tabs (contacts, plans, payments,
 * invoices...), code a function's cold start need not read for the requests it mostly answers.
 */
const pages = () => import('./domain/print/index.js')
type Pages = Awaited<ReturnType<typeof pages>>

/**
 * 打印's two routes of a collection (shared/contract/print.ts) bound to the page it renders: the page
 * answers a signed-in caller (Authorization) or a ticket for its own path; the link checks the caller
 * sees the record (404 otherwise) before it signs one.
 */
export function printServed(
  routes: ReturnType<typeof printRoutes>,
  page: {
    /** reads the record as the session may (404 outside its scope) */
    check(session: Session, id: string): Promise<unknown>
    /** the A4 page and its file name: its renderer in domain/print */
    render: {
      [K in keyof Pages]: Pages[K] extends (session: Session, id: string) => unknown ? K : never
    }[keyof Pages]
  },
): ServedRoute[] {
  return [
    serve(routes.print, async (input) => {
      const session = await printSession(input)
      const { html, title } = await (await pages())[page.render](session, input.params.id)
      return {
        body: Buffer.from(html),
        contentType: 'text/html; charset=utf-8',
        filename: `${title}.html`,
        inline: true,
      }
    }),
    serve(routes.printLink, async ({ session, params, event }) => {
      await page.check(session, params.id)
      const path = event.rawPath.replace(/-link$/, '')
      const { ticket, expiresAt } = await signPrintTicket(session, path)
      return { path: `${path}?ticket=${encodeURIComponent(ticket)}`, expiresAt }
    }),
  ]
}

/** The caller of a print page: the session of its Authorization header, else of its ticket. */
async function printSession({ event, query }: RouteInput<ReturnType<typeof printRoutes>['print']>) {
  if (event.authError) throw event.authError
  if (event.session) return currentSession(event.session)
  if (!query.ticket) throw new AppError(401, 'auth.required', '请先登录')
  const who = await verifyPrintTicket(query.ticket, event.rawPath)
  return currentSession({ ...who, name: '', role: 'member', deptIds: [], scopeDeptIds: [] })
}
