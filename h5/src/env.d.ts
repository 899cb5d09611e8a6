/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** where the API lives when the H5 files are hosted elsewhere (default: same origin) */
  readonly VITE_API_BASE?: string
  /** the DingTalk corpId when the entry URL carries none (DingTalk fills `?corpId=$CORPID$`) */
  readonly VITE_DINGTALK_CORP_ID?: string
}
