import * as z from 'zod'
import { Id, ListQuery, Role, Timestamp } from './common.js'

export const LoginInput = z.strictObject({
  authCode: z.string().min(1, '缺少免登授权码 authCode').max(200),
  corpId: z.string().min(1, '缺少企业 corpId').max(100),
})

/** 部门 (synced from DingTalk). `path` lists the ancestors from the root down, for subtree scopes. */
export const Dept = z.object({
  id: Id,
  name: z.string(),
  parentId: Id.nullable(),
  path: z.array(Id),
  updatedAt: Timestamp,
})
export type Dept = z.infer<typeof Dept>

/** 用户 (synced from DingTalk; `role` may be set by an admin). */
export const User = z.object({
  id: Id,
  name: z.string(),
  avatar: z.string(),
  mobile: z.string().optional(),
  title: z.string().optional(),
  deptIds: z.array(Id),
  leaderDeptIds: z.array(Id),
  role: Role,
  /** the role an admin chose; wins over the one derived from DingTalk */
  roleOverride: Role.nullable(),
  active: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: z.int().min(1),
})
export type User = z.infer<typeof User>

export const Me = z.object({
  id: Id,
  name: z.string(),
  avatar: z.string(),
  deptIds: z.array(Id),
  role: Role,
  corpId: z.string(),
})
export type Me = z.infer<typeof Me>

export const LoginResult = z.object({ token: z.string(), expiresAt: Timestamp, user: Me })
export type LoginResult = z.infer<typeof LoginResult>

/**
 * 扫码登录 (a PC browser, outside DingTalk): where to send the browser, and the `state` that comes back
 * with DingTalk's code (signed by the server; the page keeps it to check the redirect is its own).
 */
export const ScanLoginQuery = z.strictObject({
  /** the app's page DingTalk returns to; its origin must be one the API serves (ALLOWED_ORIGINS) */
  redirect: z.url('redirect 须为完整网址').max(500),
})
export const ScanLoginStart = z.object({ url: z.url(), state: z.string() })
export type ScanLoginStart = z.infer<typeof ScanLoginStart>
export const ScanLoginInput = z.strictObject({
  authCode: z.string().min(1, '缺少授权码 authCode').max(200),
  state: z.string().min(1, '缺少 state').max(2000),
})

export const UserFilter = ListQuery.extend({
  deptId: Id.optional(),
  q: z.string().trim().min(1).max(50).optional(),
})
export const DeptFilter = UserFilter
export const RoleInput = z.strictObject({ role: Role })
