/**
 * Starts the DingTalk emulator on an ephemeral port, mounted under `/dingtalk` as the local server mounts
 * it, and builds real clients pointed at it. Only the clock, sleep and random are injected.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  createDingTalkClient,
  type DingTalkClient,
  type DingTalkClientOptions,
} from '../../functions/dingtalk/client.js'
import {
  createEmulator,
  DEMO_AGENT_ID,
  DEMO_APP_KEY,
  DEMO_APP_SECRET,
  type Emulator,
} from '../../local/emulator/index.js'

export class FakeClock {
  /** 09:00 in Shanghai */
  private t = Date.parse('2026-03-02T01:00:00Z')
  readonly now = (): number => this.t
  advance(ms: number): void {
    this.t += ms
  }
}

export interface Harness {
  baseUrl: string
  emulator: Emulator
  clock: FakeClock
  /** the delays the clients asked to sleep, in order */
  sleeps: number[]
  client(options?: DingTalkClientOptions): DingTalkClient
  /** calls an emulator path (below `/dingtalk`) directly */
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>
  close(): Promise<void>
}

export async function startEmulator(): Promise<Harness> {
  const clock = new FakeClock()
  const emulator = createEmulator({ now: clock.now })
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/'
    if (!url.startsWith('/dingtalk/')) {
      res.writeHead(404).end()
      return
    }
    void emulator.handle(req, res, url.slice('/dingtalk'.length))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const baseUrl = `http://127.0.0.1:${port}/dingtalk`
  const sleeps: number[] = []

  return {
    baseUrl,
    emulator,
    clock,
    sleeps,
    client: (options = {}) =>
      createDingTalkClient({
        oapiUrl: `${baseUrl}/oapi`,
        apiUrl: `${baseUrl}/api`,
        appKey: DEMO_APP_KEY,
        appSecret: DEMO_APP_SECRET,
        agentId: DEMO_AGENT_ID,
        now: clock.now,
        sleep: async (ms) => {
          sleeps.push(ms)
        },
        random: () => 0.5,
        ...options,
      }),
    request: (method, path, body, headers = {}) =>
      fetch(`${baseUrl}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** a fresh auth code for a demo user, through the helper endpoint the login page uses */
export async function authCodeFor(h: Harness, userId: string): Promise<string> {
  const response = await h.request('POST', '/__authcode', { userId })
  const body = (await response.json()) as { authCode: string }
  return body.authCode
}

export interface ListedMessage {
  id: string
  kind: string
  to: { userIds?: string[]; chatId?: string; robotCode?: string }
  title: string
  text: string
  links: string[]
  msg: unknown
  at: string
}

export async function listMessages(h: Harness, query = ''): Promise<ListedMessage[]> {
  const response = await h.request('GET', `/__messages${query}`)
  return ((await response.json()) as { items: ListedMessage[] }).items
}

export async function armFault(h: Harness, fault: Record<string, unknown>): Promise<void> {
  const response = await h.request('POST', '/__faults', fault)
  if (!response.ok) throw new Error(`fault refused: ${await response.text()}`)
}
