import type { HttpAnswer, HttpCall } from './host.js'

export const LOGIN = { token: 'token-1', expiresAt: '2030-01-01T00:00:00Z', user: me('王靓依') }

function me(name: string) {
  return { id: 'sales1', name, avatar: '', deptIds: ['201'], role: 'member', corpId: 'ding-demo' }
}

export const product = (n: number) => ({
  id: `P${String(n).padStart(3, '0')}`,
  name: `产品 ${n}`,
  code: `C-${n}`,
  price: n * 10.5,
  enabled: true,
  createdAt: '2026-01-01T00:00:00Z',
  createdBy: 'sales1',
  updatedAt: '2026-01-01T00:00:00Z',
  version: 1,
})

/**
 * A fake API over `total` products, 20 a page (cursor = the next offset), that accepts only `validToken`
 * (401 for anything else) and hands out `LOGIN` for any auth code.
 */
export function fakeApi({ total = 45, validToken = 'token-1' } = {}) {
  let products = Array.from({ length: total }, (_, i) => product(i + 1))
  const created: unknown[] = []
  const http = (request: HttpCall): HttpAnswer => {
    const url = new URL(request.url)
    if (url.pathname === '/api/auth/login') return { status: 200, body: { ...LOGIN, token: validToken } }
    if (request.headers.authorization !== `Bearer ${validToken}`)
      return { status: 401, body: { error: { code: 'auth.invalid', message: '登录已过期，请重新登录' } } }
    if (request.method === 'GET' && url.pathname === '/api/products') {
      const from = Number(url.searchParams.get('cursor') ?? 0)
      const limit = Number(url.searchParams.get('limit'))
      const q = url.searchParams.get('q')
      const matching = q ? products.filter((p) => p.name.includes(q)) : products
      const items = matching.slice(from, from + limit)
      return {
        status: 200,
        body: { items, nextCursor: from + limit < matching.length ? String(from + limit) : null },
      }
    }
    if (request.method === 'POST' && url.pathname === '/api/products') {
      const record = { ...product(999), ...request.body, id: 'NEW1' }
      created.push(request.body)
      products = [record, ...products]
      return { status: 201, body: record }
    }
    const match = /^\/api\/products\/(\w+)$/.exec(url.pathname)
    if (match && request.method === 'GET') {
      const found = products.find((p) => p.id === match[1])
      return found
        ? { status: 200, body: found }
        : { status: 404, body: { error: { code: 'product.not_found', message: '产品不存在' } } }
    }
    return { status: 404, body: { error: { code: 'route.not_found', message: '没有这个接口' } } }
  }
  return {
    http,
    created,
    empty: () => void (products = []),
  }
}
