/**
 * Where the app finds its API, its H5 app and organisation. The build fills these from
 * `MINIAPP_API_BASE_URL`, `MINIAPP_H5_URL` and `MINIAPP_CORP_ID` (esbuild `define`); the defaults point
 * at the local stack (`npm start`, which serves the H5 app beside the API). The corpId DingTalk passes in
 * the launch query (`$CORPID$` in the app's home page) wins over the built one.
 */
declare const MINIAPP_API_BASE_URL: string | undefined
declare const MINIAPP_H5_URL: string | undefined
declare const MINIAPP_CORP_ID: string | undefined

export interface MiniappConfig {
  /** origin of the API, without `/api` */
  apiBaseUrl: string
  /** origin of the H5 app (the PC console at 1024 px and wider); '' = the API's origin */
  h5Url: string
  corpId: string
}

export const config: MiniappConfig = {
  apiBaseUrl: typeof MINIAPP_API_BASE_URL === 'string' ? MINIAPP_API_BASE_URL : 'http://127.0.0.1:3000',
  h5Url: typeof MINIAPP_H5_URL === 'string' ? MINIAPP_H5_URL : '',
  corpId: typeof MINIAPP_CORP_ID === 'string' ? MINIAPP_CORP_ID : 'ding-demo',
}

export function configure(changes: Partial<MiniappConfig>): void {
  Object.assign(config, changes)
}
