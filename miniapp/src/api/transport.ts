import type { Transport } from '../../../shared/api/client.js'
import type { Dd, DdFail, DdHttpResponse } from '../host.js'

/** DingTalk reports an HTTP error status through `fail` with error 19 and the answer attached. */
const HTTP_ERROR = 19

const headerText = (headers: Record<string, unknown> = {}): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), String(value)]))

const bodyText = (data: unknown): string =>
  data === undefined || data === null ? '' : typeof data === 'string' ? data : JSON.stringify(data)

/**
 * The API client's transport over `dd.httpRequest`. The body goes as the JSON text the client made and
 * comes back as text (`dataType: 'text'`), so the shared client decodes it with the shared schemas.
 */
export function ddTransport(dd: () => Dd, { timeout = 15_000 } = {}): Transport {
  return ({ method, url, headers, body }) =>
    new Promise((resolve, reject) => {
      dd().httpRequest({
        url,
        method,
        headers,
        data: body,
        dataType: 'text',
        timeout,
        success: (res: DdHttpResponse) =>
          resolve({ status: res.status, headers: headerText(res.headers), body: bodyText(res.data) }),
        fail: (err: DdFail) => {
          if (err.error === HTTP_ERROR && typeof err.status === 'number')
            resolve({ status: err.status, headers: headerText(err.headers), body: bodyText(err.data) })
          else reject(new NetworkError(err.errorMessage))
        },
      })
    })
}

/** No answer at all (offline, timeout, a domain not on the app's allow list). */
export class NetworkError extends Error {
  constructor(detail?: string) {
    super('网络连接失败，请检查网络后重试')
    this.name = 'NetworkError'
    this.cause = detail
  }
}
