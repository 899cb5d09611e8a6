import * as z from 'zod'
import { Timestamp } from '../schemas/index.js'
import { route } from './route.js'

/**
 * 打印: a record's A4 print page (HTML), in the caller's scope. A browser tab or the mini-program's
 * web-view cannot send the Authorization header, so the apps first ask for a link (`printLink`): the
 * page's URL with a ticket good for that record for a few minutes. With the header, the page opens as is.
 */
/** `path`: the page under the API's origin, ticket included */
export const PrintLink = z.object({ path: z.string(), expiresAt: Timestamp })
export const PrintQuery = z.strictObject({
  ticket: z.string().max(2000).optional(),
  /** opens the print dialog once the page is shown */
  autoprint: z.string().max(10).optional(),
})

export const printRoutes = <const C extends 'contracts' | 'customers' | 'opportunities'>(collection: C) => ({
  print: route({
    method: 'GET',
    path: `/api/${collection}/{id}/print`,
    public: true,
    query: PrintQuery,
    download: true,
    summary: '打印：A4 打印页（HTML）；需登录（Authorization）或 printLink 给出的 ticket',
  }),
  printLink: route({
    method: 'POST',
    path: `/api/${collection}/{id}/print-link`,
    status: 200,
    response: PrintLink,
    summary: '打印链接：打印页的地址（含几分钟内有效的 ticket），供浏览器新窗口或小程序 web-view 打开',
  }),
})
