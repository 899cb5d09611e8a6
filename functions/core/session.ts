import { Role } from '../../shared/schemas/index.js'
import { now } from './clock.js'
import { config } from './config.js'
import type { Session } from './context.js'
import { AppError } from './errors.js'
import { signJwt, verifyJwt } from './jwt.js'
import * as z from 'zod'

/**
 * Session tokens: short-lived HS256 JWTs carrying everything the scope checks need, so authenticating a
 * request costs no DynamoDB call.
 */
const Claims = z.object({
  sub: z.string(),
  tid: z.string(),
  name: z.string(),
  role: Role,
  depts: z.array(z.string()),
  scope: z.array(z.string()),
  exp: z.number(),
})

export async function signSession(session: Session): Promise<{ token: string; expiresAt: string }> {
  const issuedAt = Math.floor(now() / 1000)
  const expiresAt = issuedAt + config.sessionMinutes() * 60
  const token = signJwt(
    {
      sub: session.userId,
      tid: session.tenantId,
      name: session.name,
      role: session.role,
      depts: session.deptIds,
      scope: session.scopeDeptIds,
      iat: issuedAt,
      exp: expiresAt,
    },
    config.jwtSecret(),
  )
  return { token, expiresAt: new Date(expiresAt * 1000).toISOString() }
}

// Verified tokens, remembered until they expire: a warm instance checks each token's signature once
// (WebCrypto HMAC costs ~0.15 ms a call, a lookup ~1 µs). Bounded; emptied when the secret changes.
const verified = new Map<string, { session: Session; exp: number }>()
const VERIFIED_MAX = 1000
let verifiedSecret: string | undefined

export async function verifySession(token: string): Promise<Session> {
  if (verifiedSecret !== config.jwtSecret()) verified.clear() // the secret was rotated
  verifiedSecret = config.jwtSecret()
  const hit = verified.get(token)
  if (hit && hit.exp * 1000 > now()) return hit.session
  try {
    const claims = Claims.parse(verifyJwt(token, config.jwtSecret(), now()))
    const session: Session = {
      tenantId: claims.tid,
      userId: claims.sub,
      name: claims.name,
      role: claims.role,
      deptIds: claims.depts,
      scopeDeptIds: claims.scope,
    }
    if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value!)
    verified.set(token, { session, exp: claims.exp })
    return session
  } catch {
    throw new AppError(401, 'auth.invalid', '登录已失效，请重新登录')
  }
}

/**
 * 扫码登录's `state`: the page DingTalk returns to, signed and short-lived, so that a code can only be
 * used by a login this server started. Its audience keeps it from ever passing for a session token (and
 * a session token from passing for it).
 */
const LOGIN_STATE = 'scan-login'
const LOGIN_STATE_MINUTES = 10

export async function signLoginState(redirect: string): Promise<string> {
  const issuedAt = Math.floor(now() / 1000)
  const claims = { redirect, aud: LOGIN_STATE, jti: crypto.randomUUID(), iat: issuedAt }
  return signJwt({ ...claims, exp: issuedAt + LOGIN_STATE_MINUTES * 60 }, config.jwtSecret())
}

export async function verifyLoginState(state: string): Promise<{ redirect: string }> {
  try {
    const payload = verifyJwt(state, config.jwtSecret(), now(), LOGIN_STATE)
    return z.object({ redirect: z.string() }).parse(payload)
  } catch {
    throw new AppError(401, 'auth.invalid', '扫码登录已过期，请重新扫码')
  }
}

/**
 * 打印's ticket: who may open one record's print page, for a few minutes, as a URL without headers can
 * carry it (a browser tab, the mini-program's web-view). Its audience keeps it from passing for a
 * session token, and it names the one path it opens.
 */
const PRINT = 'print'
const PRINT_MINUTES = 5

export async function signPrintTicket(
  session: Pick<Session, 'tenantId' | 'userId'>,
  path: string,
): Promise<{ ticket: string; expiresAt: string }> {
  const issuedAt = Math.floor(now() / 1000)
  const expiresAt = issuedAt + PRINT_MINUTES * 60
  const ticket = signJwt(
    { tid: session.tenantId, path, aud: PRINT, sub: session.userId, iat: issuedAt, exp: expiresAt },
    config.jwtSecret(),
  )
  return { ticket, expiresAt: new Date(expiresAt * 1000).toISOString() }
}

export async function verifyPrintTicket(
  ticket: string,
  path: string,
): Promise<{ tenantId: string; userId: string }> {
  try {
    const payload = verifyJwt(ticket, config.jwtSecret(), now(), PRINT)
    const claims = z.object({ sub: z.string(), tid: z.string(), path: z.literal(path) }).parse(payload)
    return { tenantId: claims.tid, userId: claims.sub }
  } catch {
    throw new AppError(401, 'auth.invalid', '打印链接已失效，请重新打开')
  }
}
