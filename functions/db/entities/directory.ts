import { Entity } from 'dynamodb-toolbox/entity'
import { boolean } from 'dynamodb-toolbox/schema/boolean'
import { item } from 'dynamodb-toolbox/schema/item'
import { list } from 'dynamodb-toolbox/schema/list'
import { number } from 'dynamodb-toolbox/schema/number'
import { string } from 'dynamodb-toolbox/schema/string'
import { table } from '../table.js'
import { recordKey, TAG } from './record.js'

const role = string().enum('admin', 'manager', 'member')

/** A DingTalk user of a tenant. Listed by gsi1 `T#t#USR` → name. */
export const UserEntity = new Entity({
  name: 'users',
  table,
  timestamps: false,
  schema: item({
    tenantId: string().key(),
    id: string().key(),
    name: string(),
    avatar: string(),
    mobile: string().optional(),
    title: string().optional(),
    /** DingTalk's unionId: to-dos name people by it */
    unionId: string().optional(),
    deptIds: list(string()),
    leaderDeptIds: list(string()),
    role,
    roleOverride: role.optional(),
    active: boolean(),
    createdAt: string(),
    updatedAt: string(),
    version: number(),
    gsi1pk: string(),
    gsi1sk: string(),
  }),
  computeKey: recordKey(TAG.user),
})

/** A DingTalk department. Listed by gsi1 `T#t#DPT` → path. */
export const DeptEntity = new Entity({
  name: 'depts',
  table,
  timestamps: false,
  schema: item({
    tenantId: string().key(),
    id: string().key(),
    name: string(),
    parentId: string().optional(),
    path: list(string()),
    updatedAt: string(),
    gsi1pk: string(),
    gsi1sk: string(),
  }),
  computeKey: recordKey(TAG.dept),
})
