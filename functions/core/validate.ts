import type * as z from 'zod'
import { AppError } from './errors.js'

/**
 * Input checked against its zod schema: the parsed value, or 400 `validation.failed` whose message
 * names the first field and whose details list every issue (`{ path, message }`). Every entry point
 * (routes, uploads, the local dev routes) answers bad input this one way. An unknown parameter or field
 * comes first: a misspelt name (`?qq=`) explains the required one it leaves missing.
 */
export function validate<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const unknownFirst = [...result.error.issues].sort(
    (a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'),
  )
  const details = unknownFirst.map((issue) => ({ path: issue.path, message: issue.message }))
  const first = details[0]
  const where = first?.path.length ? `${first.path.join('.')}: ` : ''
  throw new AppError(400, 'validation.failed', `${where}${first?.message ?? '输入有误'}`, details)
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
