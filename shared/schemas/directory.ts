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

export const UserFilter = ListQuery.extend({
  deptId: Id.optional(),
  q: z.string().trim().min(1).max(50).optional(),
})
export const DeptFilter = UserFilter
export const RoleInput = z.strictObject({ role: Role })
