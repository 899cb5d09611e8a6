import { thingLabel } from '../../shared/nouns.js'

/**
 * The one error class of the backend. `code` is dotted (`customer.not_found`) and stable: clients match
 * on it. The HTTP error handler turns it into `{ error: { code, message, details } }`.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'AppError'
  }
}

export const isAppError = (error: unknown, codePrefix = ''): error is AppError =>
  error instanceof AppError && error.code.startsWith(codePrefix)

/** 404 `<thing>.not_found`, said in Chinese: 「客户不存在」 (shared/nouns.ts names the thing). */
export const notFound = (thing: string, message = `${thingLabel(thing)}不存在`) =>
  new AppError(404, `${thing}.not_found`, message)
export const forbidden = (message = '无权执行此操作') => new AppError(403, 'auth.forbidden', message)
/** No route answers this method and path (or its path parameters are not what the route takes). */
export const routeNotFound = () => new AppError(404, 'route.not_found', '接口不存在')
export const conflict = (code: string, message: string, details?: unknown) =>
  new AppError(409, code, message, details)
export const unprocessable = (code: string, message: string, details?: unknown) =>
  new AppError(422, code, message, details)
