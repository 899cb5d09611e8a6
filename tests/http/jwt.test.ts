import { describe, expect, it } from 'vitest'
import { signJwt, verifyJwt } from '../../functions/core/jwt.js'

describe('HS256 tokens', () => {
  const at = 1_800_000_000_000
  const token = signJwt({ sub: 'u1', iat: at / 1000, exp: at / 1000 + 60 }, 'secret')

  it('verifies its own signature and refuses a tampered payload, another secret, an expired token', () => {
    expect(verifyJwt(token, 'secret', at).sub).toBe('u1')
    const [h, , s] = token.split('.')
    const forged = `${h}.${Buffer.from('{"sub":"admin","iat":1,"exp":9999999999}').toString('base64url')}.${s}`
    expect(() => verifyJwt(forged, 'secret', at)).toThrow()
    expect(() => verifyJwt(token, 'other', at)).toThrow()
    expect(() => verifyJwt(token, 'secret', at + 60_000)).toThrow()
  })

  it('passes a token with an audience only where that audience is asked for', () => {
    const print = signJwt({ aud: 'print', iat: at / 1000, exp: at / 1000 + 60 }, 'secret')
    expect(verifyJwt(print, 'secret', at, 'print').aud).toBe('print')
    expect(() => verifyJwt(print, 'secret', at)).toThrow()
    expect(() => verifyJwt(token, 'secret', at, 'print')).toThrow()
  })
})
