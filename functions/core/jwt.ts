import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * HS256 JSON Web Tokens, the one kind this server signs and verifies (sessions, 扫码登录's state, print
 * tickets), on node:crypto: a general JOSE library weighs ~17 KB in every function's bundle.
 */
const b64 = (data: string | Buffer) => Buffer.from(data).toString('base64url')
const HEADER = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))

const mac = (secret: string, input: string) => createHmac('sha256', secret).update(input).digest()

export interface JwtClaims {
  sub?: string
  aud?: string
  jti?: string
  iat: number
  exp: number
  [claim: string]: unknown
}

export function signJwt(claims: JwtClaims, secret: string): string {
  const input = `${HEADER}.${b64(JSON.stringify(claims))}`
  return `${input}.${mac(secret, input).toString('base64url')}`
}

/**
 * The claims of a token signed with `secret`, not expired at `nowMs` and for `audience` (a token with an
 * audience passes only where that audience is asked for); throws otherwise.
 */
export function verifyJwt(
  token: string,
  secret: string,
  nowMs: number,
  audience?: string,
): Record<string, unknown> {
  const parts = token.split('.')
  if (parts.length !== 3) throw new Error('jwt.malformed')
  const [header, payload, signature] = parts
  const expected = mac(secret, `${header}.${payload}`)
  const given = Buffer.from(signature, 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error('jwt.signature')
  const { alg } = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown }
  if (alg !== 'HS256') throw new Error('jwt.alg')
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>
  if (typeof claims !== 'object' || claims === null) throw new Error('jwt.claims')
  if (typeof claims.exp !== 'number' || claims.exp <= Math.floor(nowMs / 1000)) throw new Error('jwt.expired')
  if (typeof claims.nbf === 'number' && claims.nbf > Math.floor(nowMs / 1000)) throw new Error('jwt.nbf')
  if ((claims.aud ?? undefined) !== audience) throw new Error('jwt.audience')
  return claims
}
