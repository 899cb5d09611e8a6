/**
 * Field definitions and the schemas derived from them: each type's values, the required rule on create
 * and patch, unknown and removed keys, disabled options, and the list filters a definition allows.
 */
import { describe, expect, it } from 'vitest'
import type * as z from 'zod'
import {
  customFilterSchema,
  customSchema,
  FieldDefinition,
  FieldsInput,
  type SavedField,
} from '../../shared/schemas/fields.js'

const field = (key: string, rest: Partial<SavedField> & Pick<SavedField, 'type'>): SavedField =>
  FieldDefinition.parse({ key, label: key, order: 0, ...rest }) as SavedField

const level = field('cf_level', {
  type: 'select',
  label: '客户等级',
  options: [
    { value: 'vip', label: '重要' },
    { value: 'old', label: '旧等级', disabled: true },
  ],
})
const visit = field('cf_visit', { type: 'date', label: '首次拜访', required: true })
const budget = field('cf_budget', { type: 'money', label: '预算' })
const gone = field('cf_gone', { type: 'text', label: '已删字段', removed: true })
const fields = [level, visit, budget, gone]

const issues = (schema: z.ZodType, value: unknown) => {
  const result = schema.safeParse(value)
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
}

describe('the values of a create', () => {
  const create = customSchema(fields, { partial: false })

  it('accepts good values and turns money into fen', () => {
    expect(create.parse({ cf_level: 'vip', cf_visit: '2026-03-01', cf_budget: 12.5 })).toMatchObject({
      cf_level: 'vip',
      cf_visit: '2026-03-01',
      cf_budget: 1250,
    })
  })

  it('refuses a missing required field, naming its label', () => {
    expect(issues(create, { cf_level: 'vip' })).toEqual(['cf_visit: 「首次拜访」为必填项'])
  })

  it('refuses an empty required field as missing', () => {
    expect(issues(create, { cf_visit: '' })).toEqual(['cf_visit: 「首次拜访」为必填项'])
  })

  it('refuses a disabled option and an unknown one', () => {
    expect(issues(create, { cf_visit: '2026-03-01', cf_level: 'old' })).toEqual([
      'cf_level: 「客户等级」没有这个选项（或已停用）',
    ])
    expect(issues(create, { cf_visit: '2026-03-01', cf_level: 'nope' })).toHaveLength(1)
  })

  it('refuses an unknown key and a removed field by name', () => {
    expect(issues(create, { cf_visit: '2026-03-01', cf_zzz: 1 }).join()).toContain('cf_zzz')
    expect(issues(create, { cf_visit: '2026-03-01', cf_gone: 'x' }).join()).toContain('cf_gone')
  })

  it('refuses a value of the wrong type', () => {
    expect(issues(create, { cf_visit: '2026/03/01' })).toHaveLength(1)
    expect(issues(create, { cf_visit: '2026-03-01', cf_budget: '12' })).toHaveLength(1)
    expect(issues(create, { cf_visit: '2026-03-01', cf_budget: 1.234 })).toHaveLength(1)
  })
})

describe('the values of a patch', () => {
  const patch = customSchema(fields, { partial: true })

  it('may leave a required field out', () => {
    expect(patch.parse({ cf_level: 'vip' })).toMatchObject({ cf_level: 'vip' })
  })

  it('may not clear a required field', () => {
    expect(issues(patch, { cf_visit: null })).toEqual(['cf_visit: 「首次拜访」为必填项，不能清空'])
  })

  it('clears an optional field with null', () => {
    expect(patch.parse({ cf_level: null })).toEqual({ cf_level: null })
  })
})

describe('each type', () => {
  const cases: [SavedField['type'], unknown, unknown][] = [
    ['text', '你好', 'x'.repeat(201)],
    ['textarea', '多行\n文本', 'x'.repeat(2001)],
    ['number', 3.5, '3.5'],
    ['datetime', '2026-03-01T09:00:00+08:00', '2026-03-01'],
    ['multiselect', ['vip'], ['vip', 'vip']],
    ['boolean', true, 'true'],
    ['user', 'sales1', 7],
    ['dept', '201', ''.padEnd(65, '1')],
    ['phone', '138 0013 8000', '12345'],
    ['email', 'a@b.cn', 'not-mail'],
    ['url', 'https://example.com', 'example'],
    ['attachments', ['att1'], Array(21).fill('a')],
  ]
  for (const [type, good, bad] of cases) {
    it(`${type}: takes a good value and refuses a bad one`, () => {
      const options = type === 'multiselect' ? [{ value: 'vip', label: '重要' }] : undefined
      const schema = customSchema([field('cf_each', { type, options })], { partial: false })
      expect(issues(schema, { cf_each: good })).toEqual([])
      expect(issues(schema, { cf_each: bad })).toHaveLength(1)
    })
  }
})

describe('a definition', () => {
  it('of a choice needs options, unique ones', () => {
    expect(FieldDefinition.safeParse({ label: '等级', type: 'select', order: 0 }).success).toBe(false)
    const twice = [
      { value: 'a', label: 'A' },
      { value: 'a', label: 'B' },
    ]
    expect(
      FieldDefinition.safeParse({ label: '等级', type: 'select', order: 0, options: twice }).success,
    ).toBe(false)
  })

  it('of a built-in field cannot be removed', () => {
    const builtIn = { key: 'source', label: '客户来源', type: 'text', order: 0, builtIn: true, removed: true }
    expect(FieldDefinition.safeParse(builtIn).success).toBe(false)
  })

  it('list may not name two fields alike', () => {
    const twoLabels = { version: 1, fields: [visit, { ...budget, label: '首次拜访' }] }
    expect(issues(FieldsInput, twoLabels)).toEqual(['fields.1.label: 字段名称「首次拜访」重复'])
  })
})

describe('the list filters', () => {
  const filters = customFilterSchema(fields)

  it('take a choice by value and a date by range', () => {
    expect(
      filters.parse({
        'custom.cf_level': 'vip',
        'custom.cf_visitFrom': '2026-01-01',
        'custom.cf_visitTo': '2026-02-01',
      }),
    ).toEqual({
      'custom.cf_level': 'vip',
      'custom.cf_visitFrom': '2026-01-01',
      'custom.cf_visitTo': '2026-02-01',
    })
  })

  it('refuse a value filter on a range field and a filter on a removed field', () => {
    expect(filters.safeParse({ 'custom.cf_visit': '2026-01-01' }).success).toBe(false)
    expect(filters.safeParse({ 'custom.cf_gone': 'x' }).success).toBe(false)
  })
})
