/**
 * Where the app finds its API and organisation. The build fills these from `MINIAPP_API_BASE_URL` and
 * `MINIAPP_CORP_ID` (esbuild `define`); the defaults point at the local stack (`npm start`). The corpId
 * DingTalk passes in the launch query (`$CORPID$` in the app's home page) wins over the built one.
 */
declare const MINIAPP_API_BASE_URL: string | undefined
declare const MINIAPP_CORP_ID: string | undefined

export interface MiniappConfig {
  /** origin of the API, without `/api` */
  apiBaseUrl: string
  corpId: string
}

export const config: MiniappConfig = {
  apiBaseUrl: typeof MINIAPP_API_BASE_URL === 'string' ? MINIAPP_API_BASE_URL : 'http://127.0.0.1:3000',
  corpId: typeof MINIAPP_CORP_ID === 'string' ? MINIAPP_CORP_ID : 'ding-demo',
}

export function configure(changes: Partial<MiniappConfig>): void {
  Object.assign(config, changes)
}
