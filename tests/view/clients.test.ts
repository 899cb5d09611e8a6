/** Which roles see 新建: what the create route of the collection allows, in both apps. */
import { describe, expect, it } from 'vitest'
import { mayCreate } from '../../shared/view/clients.js'

describe('新建', () => {
  it('is not offered to a member where the API refuses members (销售目标)', () => {
    expect(mayCreate('targets', 'member')).toBe(false)
    expect(mayCreate('targets', 'manager')).toBe(true)
    expect(mayCreate('targets', 'admin')).toBe(true)
  })

  it('is offered to everyone where the create route names no roles', () => {
    expect(mayCreate('customers', 'member')).toBe(true)
    expect(mayCreate('pool', 'member')).toBe(true)
  })

  it('is not offered before anyone has signed in to a route that names roles', () => {
    expect(mayCreate('targets', undefined)).toBe(false)
  })
})
