import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import net from 'node:net'
import path from 'node:path'

/**
 * AWS's own DynamoDB Local, started from the jar that ships inside the `amplify-dynamodb-simulator`
 * package. Used by `npm start` (data on disk) and by the test run (in memory).
 */
export interface DynamoDbLocal {
  endpoint: string
  stop(): Promise<void>
}

const JAVA_HELP = `DynamoDB Local needs a Java runtime (java 11+), and none was found on PATH.
  Debian/Ubuntu: apt-get install -y default-jre-headless
  macOS:         brew install openjdk`

export function assertJava(): void {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' })
  if (probe.error || probe.status !== 0) throw new Error(JAVA_HELP)
}

function emulatorDir(): string {
  const require = createRequire(import.meta.url)
  return path.join(path.dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator')
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${child.exitCode}`)
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1')
      socket.once('connect', () => (socket.destroy(), resolve(true)))
      socket.once('error', () => resolve(false))
    })
    if (open) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`DynamoDB Local did not open port ${port} within ${timeoutMs} ms`)
}

export async function startDynamoDbLocal(
  options: { dbPath?: string; port?: number } = {},
): Promise<DynamoDbLocal> {
  assertJava()
  const dir = emulatorDir()
  const port = options.port ?? (await freePort())
  const storage = options.dbPath ? ['-dbPath', options.dbPath] : ['-inMemory']
  const child = spawn(
    'java',
    [
      `-Djava.library.path=${path.join(dir, 'DynamoDBLocal_lib')}`,
      '-jar',
      path.join(dir, 'DynamoDBLocal.jar'),
      '-port',
      String(port),
      // one database whatever the credentials and region the client uses
      '-sharedDb',
      '-disableTelemetry',
      ...storage,
    ],
    { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] },
  )
  // Never leave the JVM behind: it dies with this process, however this process ends.
  const killChild = () => child.kill()
  process.once('exit', killChild)
  await waitForPort(port, child, 30_000)
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve()
        process.off('exit', killChild)
        child.once('exit', () => resolve())
        child.kill()
      }),
  }
}
