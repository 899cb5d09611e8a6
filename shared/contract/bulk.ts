import type * as z from 'zod'
import { BulkResult, type Role } from '../schemas/index.js'
import { route } from './route.js'

/**
 * A bulk route (`POST /api/<collection>/bulk/<action>`): the single route's body plus `ids`, answered
 * with what was done and what failed (200 even when some failed: each record has its own outcome).
 */
export const bulkRoute = <const Path extends string, Body extends z.ZodType>(
  path: Path,
  body: Body,
  roles?: readonly Role[],
) =>
  route({
    method: 'POST',
    path: `/api/${path}`,
    status: 200,
    body,
    response: BulkResult,
    ...(roles && { roles }),
    summary: '批量操作（最多 200 条）：每条记录按单条操作的规则处理，返回成功与失败（含原因）',
  })
