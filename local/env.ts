import { DEMO_AGENT_ID, DEMO_APP_KEY, DEMO_APP_SECRET, DEMO_CORP_ID } from './emulator/index.js'

/**
 * The environment of local mode and tests: the very variables production sets, pointed at DynamoDB
 * Local and the DingTalk emulator served by the same process.
 */
export function localEnv({
  baseUrl,
  ddbEndpoint,
  tableName,
  dataDir,
}: {
  baseUrl: string
  ddbEndpoint: string
  tableName: string
  dataDir: string
}) {
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: ddbEndpoint,
    AWS_REGION: 'local',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    // Node 20 is Function Compute's newest runtime; the SDK's notice about Node 22 is known
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    TABLE_NAME: tableName,
    JWT_SECRET: process.env.JWT_SECRET ?? 'local-development-secret-not-for-production-use',
    DINGTALK_CORP_ID: DEMO_CORP_ID,
    DINGTALK_APP_KEY: DEMO_APP_KEY,
    DINGTALK_APP_SECRET: DEMO_APP_SECRET,
    DINGTALK_AGENT_ID: DEMO_AGENT_ID,
    DINGTALK_OAPI_URL: `${baseUrl}/dingtalk/oapi`,
    DINGTALK_API_URL: `${baseUrl}/dingtalk/api`,
    DINGTALK_LOGIN_URL: `${baseUrl}/dingtalk/login`,
    CRM_LOCAL: '1',
    // attachments: files under DATA_DIR/objects, through the local server's signed-URL doors
    DATA_DIR: dataDir,
    STORAGE_URL: `${baseUrl}/storage`,
    // the local server's own origin, by either name (the H5 app is served there)
    ALLOWED_ORIGINS: [baseUrl, baseUrl.replace('//127.0.0.1:', '//localhost:')].join(','),
  })
}
