import type { LoginResult, Me } from '../../shared/schemas/index.js'

/**
 * The signed-in user for this browser tab: sessionStorage, so closing the tab signs out and two tabs can
 * be two demo users. `local` records that the login went through the DingTalk emulator (local mode).
 */
const KEY = 'crm.session'

interface Stored {
  token: string
  user: Me
  local: boolean
}

const read = (): Stored | undefined => {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) ?? 'null') ?? undefined
  } catch {
    return undefined
  }
}

export const session = {
  token: (): string | undefined => read()?.token,
  user: (): Me | undefined => read()?.user,
  /** signed in through the local DingTalk emulator */
  isLocal: (): boolean => read()?.local ?? false,
  save(result: LoginResult, local: boolean): void {
    sessionStorage.setItem(KEY, JSON.stringify({ token: result.token, user: result.user, local }))
  },
  clear(): void {
    sessionStorage.removeItem(KEY)
  },
}
