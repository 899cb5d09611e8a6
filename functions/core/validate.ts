import type * as z from 'zod'
import { validationFailure } from '../../shared/schemas/common.js'
import { AppError } from './errors.js'

/**
 * Input checked against its zod schema: the parsed value, or 400 `validation.failed` whose message
 * names the first field and whose details list every issue (`{ path, message }`, shared with the API
 * client, which refuses a body the same way before sending it). Every entry point (routes, uploads, the
 * local dev routes) answers bad input this one way.
 */
export function validate<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const { message, details } = validationFailure(result.error)
  throw new AppError(400, 'validation.failed', message, details)
}

/** A JSON request body, or 400 `validation.failed`. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw new AppError(400, 'validation.failed', '请求体不是合法的 JSON', [
      { path: [], message: '无法解析 JSON' },
    ])
  }
}
