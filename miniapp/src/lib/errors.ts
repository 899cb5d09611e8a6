import { ApiError } from '../../../shared/api/client.js'
import { NetworkError } from '../api/transport.js'
import { AuthCodeError } from '../api/session.js'

/** The sentence a page shows for a failure: the API's own Chinese message where there is one. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError || error instanceof NetworkError || error instanceof AuthCodeError)
    return error.message
  return '出错了，请稍后重试'
}
