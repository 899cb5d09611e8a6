/**
 * The scheduler under load: N due reminders across 3 tenants — each with its DingTalk to-do to create —
 * and a burst of group cards for 4 team groups, dispatched by back-to-back scheduler runs (each with the
 * production budget, as the minute timer would start them) through the production DingTalk client to
 * the emulator. Reports, per channel, the achieved rate against the rate DingTalk allows (work
 * notifications and to-dos 20 calls/s per app: the emulator answers 90018 / flowControlError beyond;
 * group robots 20 a minute per group: the emulator blocks the robot beyond), duplicates, lost messages,
 * and DynamoDB calls per delivered message.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { ulid } from 'ulid'
import type { Stack } from '../local/stack.js'
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut'
import { withIndexKeys } from '../functions/db/collection.js'
import { commit, type Write } from '../functions/db/commit.js'
import { UserEntity } from '../functions/db/entities/directory.js'
import { tenantKey, TAG } from '../functions/db/entities/record.js'
import { putWrite } from '../functions/db/records.js'
import { now, nowIso } from '../functions/core/clock.js'
import { AppError } from '../functions/core/errors.js'
import { type CustomerRecord, Customers } from '../functions/domain/customers/index.js'
import { LIMITS } from '../functions/domain/notifications/limits.js'
import { pendingIndex } from '../functions/domain/notifications/delivery.js'
import { outboxWrite } from '../functions/domain/notifications/outbox.js'
import { OutboxEntity } from '../functions/db/entities/outbox.js'
import { table } from '../functions/db/table.js'
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import { DEMO_ROBOT_CODE } from '../local/emulator/index.js'
import { type ReminderRecord, Reminders } from '../functions/domain/reminders/index.js'
import { runScheduler } from '../functions/domain/scheduler/run.js'
import { tenantRegistryWrite } from '../functions/domain/directory/tenants.js'
import { printTable } from './lib.js'

const ASYNC_SEND = '/topapi/message/corpconversation/asyncsend_v2'
const TENANTS = ['bench-t1', 'bench-t2', 'bench-t3']
const USERS = 100

/** people the emulator knows, so each card has a real recipient (100 cards each at most: under 500/day) */
function addBenchUsers(stack: Stack) {
  const users = stack.emulator.org.users
  for (let i = 0; i < USERS; i++) {
    const userId = `bench-u${i}`
    if (users.some((u) => u.userId === userId)) continue
    users.push({
      userId,
      unionId: `union-${userId}`,
      name: `压测用户${i}`,
      mobile: `1380000${String(i).padStart(4, '0')}`,
      title: '销售',
      jobNumber: `B${i}`,
      avatar: '',
      deptIds: [1],
      leaderOf: [],
      admin: false,
      boss: false,
    })
  }
}

const customerOf = (userIndex: number) => `BENCH-CUS-${userIndex}`

/**
 * The people and records the reminders are about: a card goes only to people who can see its record
 * (reminders.ts), so each bench user is in each tenant's directory and owns one customer there.
 */
async function seedAudience() {
  const at = nowIso()
  const writes: Write[] = TENANTS.flatMap((tenantId) =>
    Array.from({ length: USERS }, (_, i): Write[] => [
      {
        action: UserEntity.build(PutTransaction).item({
          tenantId,
          id: `bench-u${i}`,
          unionId: `union-bench-u${i}`,
          name: `压测用户${i}`,
          avatar: '',
          deptIds: ['1'],
          leaderDeptIds: [],
          role: 'member',
          active: true,
          createdAt: at,
          updatedAt: at,
          version: 1,
          gsi1pk: tenantKey(tenantId, TAG.user),
          gsi1sk: `压测用户${i}`,
        }),
      },
      {
        action: Customers.entity.build(PutTransaction).item(
          withIndexKeys(Customers, {
            tenantId,
            id: customerOf(i),
            name: `压测客户 ${i}`,
            ownerId: `bench-u${i}`,
            deptId: '1',
            wonAmount: 0,
            createdAt: at,
            createdBy: 'bench',
            updatedAt: at,
            version: 1,
          } as CustomerRecord),
        ),
      },
    ]),
  ).flat()
  for (let i = 0; i < writes.length; i += 50) await commit(writes.slice(i, i + 50))
}

async function seedReminders(count: number): Promise<ReminderRecord[]> {
  await commit(TENANTS.map((tenantId) => tenantRegistryWrite(tenantId)))
  await seedAudience()
  // due a minute ago on the clock the scheduler reads (the tests start it away from the wall clock)
  const due = new Date(now() - 60_000).toISOString()
  const reminders: ReminderRecord[] = Array.from({ length: count }, (_, i) => ({
    tenantId: TENANTS[i % TENANTS.length],
    id: ulid(),
    createdAt: due,
    createdBy: 'bench',
    updatedAt: due,
    version: 1,
    recordType: 'customer',
    recordId: customerOf(i % USERS),
    recordName: `压测客户 ${i % USERS}`,
    title: `回访 ${i}`,
    assigneeIds: [`bench-u${i % USERS}`],
    dueAt: due,
    remindBeforeMinutes: 0,
    repeat: 'none',
    status: 'pending',
    fireAt: due,
    anchorAt: due,
    sentCount: 0,
  }))
  const duplicate = () => new AppError(409, 'reminder.duplicate', 'id 冲突')
  const chunks: ReminderRecord[][] = []
  // a reminder, its assignee entry, its to-do and the to-do's message: 20 stay within 100 items
  for (let i = 0; i < reminders.length; i += 20) chunks.push(reminders.slice(i, i + 20))
  // seeding is not measured: a few transactions at a time
  for (let i = 0; i < chunks.length; i += 8) {
    await Promise.all(
      chunks
        .slice(i, i + 8)
        .map((chunk) =>
          commit(
            chunk.flatMap((r) => [
              putWrite(Reminders, r, { attr: 'id', exists: false }, duplicate),
              ...Reminders.sideWrites!(undefined, r),
            ]),
          ),
        ),
    )
  }
  return reminders
}

const GROUPS = 4

/** group cards as the delivery writes them (one outbox message each), `perGroup` for each of 4 groups */
async function seedGroupCards(perGroup: number) {
  // a group chat belongs to one company: group g is tenant g's (mod 3)
  const cards = Array.from({ length: GROUPS * perGroup }, (_, i) => ({
    tenantId: TENANTS[(i % GROUPS) % TENANTS.length],
    chat: `cid-bench-${i % GROUPS}`,
    title: `群卡片 ${i}`,
  }))
  for (let i = 0; i < cards.length; i += 25) {
    await commit(
      cards.slice(i, i + 25).map((card) =>
        outboxWrite(card.tenantId, {
          kind: 'lead.assigned',
          userIds: [],
          title: card.title,
          markdown: `### ${card.title}`,
          link: { page: 'pages/lead/detail', query: { id: card.title } },
          group: { deptId: '1', robotCode: DEMO_ROBOT_CODE, openConversationId: card.chat },
        }),
      ),
    )
  }
  return cards
}

/** the earliest message still waiting in any bench tenant's outbox (undefined: none) */
async function earliestPending(): Promise<number | undefined> {
  let earliest: number | undefined
  for (const tenantId of TENANTS) {
    const { Items = [] } = await table
      .build(QueryCommand)
      .entities(OutboxEntity)
      .query({ index: 'gsi3', partition: pendingIndex(tenantId) })
      .options({ limit: 1 })
      .send()
    const at = Items[0]?.gsi3sk && Date.parse(Items[0].gsi3sk.split('#')[0])
    if (at) earliest = Math.min(earliest ?? at, at)
  }
  return earliest
}

const share = (value: number) => `${(value * 100).toFixed(1)} %`

/**
 * CPU time (ms) used so far by this process and by DynamoDB Local (the JVM listening on the stack's
 * DynamoDB port, found in /proc; 0 where /proc is missing): what a message costs, whatever else the
 * machine runs — the rates above are wall-clock and fall with the machine's load.
 */
function cpuMs(): number {
  const own = process.cpuUsage()
  let ddb = 0
  try {
    const port = new URL(process.env.AWS_ENDPOINT_URL_DYNAMODB ?? '').port
    for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
      if (!cmdline.some((arg) => arg.endsWith('DynamoDBLocal.jar'))) continue
      if (cmdline[cmdline.indexOf('-port') + 1] !== port) continue
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
      // utime and stime (fields 14 and 15 of stat), in clock ticks of 10 ms
      ddb = (Number(fields[11]) + Number(fields[12])) * 10
    }
  } catch {
    // no /proc (not Linux): this process only
  }
  return (own.user + own.system) / 1000 + ddb
}

export async function benchScheduler(
  stack: Stack,
  count = 1000,
  perGroup = Math.min(50, Math.ceil(count / 20)),
) {
  addBenchUsers(stack)
  const reminders = await seedReminders(count)
  const groupCards = await seedGroupCards(perGroup)
  const callsBefore = stack.emulator.calls(ASYNC_SEND)
  const throttledBefore = stack.emulator.throttled(ASYNC_SEND)
  const [loadBefore] = loadavg()
  const cpuBefore = cpuMs()

  const started = now()
  let runs = 0
  let ddbCalls = 0
  let handled = 0
  let fired = 0
  for (;;) {
    const report = await runScheduler({ concurrency: Number(process.env.BENCH_CONCURRENCY ?? 8) })
    runs += 1
    ddbCalls += report.ddbCalls
    handled += report.outbox.delivered + report.outbox.todos + report.outbox.groups
    fired += report.reminders.fired
    const next = await earliestPending()
    if (process.env.BENCH_VERBOSE) {
      const o = report.outbox
      console.log(
        `run ${runs}: fired ${report.reminders.fired}, cards ${o.delivered}, to-dos ${o.todos}, groups ${o.groups}, queued ${o.queued}, retried ${o.retried}, failed ${o.failed}, ${report.ms} ms; next ${next === undefined ? '-' : Math.round((next - now()) / 1000)} s`,
      )
    }
    if (next === undefined) break
    // the timer starts the next run; here as soon as something is due again
    if (next > now()) await new Promise((resolve) => setTimeout(resolve, Math.min(60_000, next - now())))
  }
  const seconds = (now() - started) / 1000
  const cpu = cpuMs() - cpuBefore

  // who got which reminder: the card's button carries the reminder id
  const cardsPerReminder = new Map<string, number>()
  const noticeTimes: number[] = []
  for (const message of stack.emulator.messages({ kind: 'work_notification' })) {
    const id = /reminderId%3D([0-9A-Z]{26})/.exec(message.links[0] ?? '')?.[1]
    if (id) cardsPerReminder.set(id, (cardsPerReminder.get(id) ?? 0) + 1)
    if (id) noticeTimes.push(Date.parse(message.at))
  }
  const sendCalls = stack.emulator.calls(ASYNC_SEND) - callsBefore
  // calls DingTalk refused for the app's rate (90018): retried, not duplicates, but none should happen
  const cardsThrottled = stack.emulator.throttled(ASYNC_SEND) - throttledBefore
  // DingTalk (and the emulator) hide a same-day repeat of a card, so a duplicate shows as an extra call
  const cardDuplicates = sendCalls - cardsThrottled - cardsPerReminder.size
  const cardsLost = reminders.filter((r) => !cardsPerReminder.has(r.id)).length

  // to-dos: one task per reminder (sourceId crm.rem.<id>.0)
  const tasks = new Map<string, number>()
  const taskTimes: number[] = []
  for (const task of stack.emulator.todos()) {
    const id = /^crm\.rem\.([0-9A-Z]{26})\./.exec(task.sourceId)?.[1]
    if (!id) continue
    tasks.set(id, (tasks.get(id) ?? 0) + 1)
    taskTimes.push(task.createdTime)
  }
  const todosLost = reminders.filter((r) => !tasks.has(r.id)).length
  const todoDuplicates = [...tasks.values()].reduce((sum, n) => sum + n - 1, 0)

  // group cards: each title once, in each group no more than DingTalk allows
  const groupMessages = stack.emulator
    .messages({ kind: 'group' })
    .filter((m) => m.title.startsWith('群卡片 '))
  const perTitle = new Map<string, number>()
  for (const m of groupMessages) perTitle.set(m.title, (perTitle.get(m.title) ?? 0) + 1)
  const groupsLost = groupCards.filter((c) => !perTitle.has(c.title)).length
  const groupDuplicates = [...perTitle.values()].reduce((sum, n) => sum + n - 1, 0)
  // a group's ideal: 20 at once, then 20 more each minute; its share = ideal time / time taken
  const groupShares = Array.from({ length: GROUPS }, (_, g) => {
    const times = groupMessages
      .filter((m) => m.to.chatId === `cid-bench-${g}`)
      .map((m) => Date.parse(m.at))
      .sort((a, b) => a - b)
    const ideal = Math.floor((times.length - 1) / 20) * 60_000
    const taken = times[times.length - 1] - times[0]
    return ideal === 0 ? 1 : Math.min(1, ideal / Math.max(taken, 1))
  })

  const allowed = LIMITS.workNotification.perSecond
  // a channel's rate while it was sending: from its first delivery to its last
  const rateOf = (times: number[]) =>
    times.length < 2
      ? 0
      : (times.length - 1) / Math.max(0.001, (Math.max(...times) - Math.min(...times)) / 1000)
  const cardRate = rateOf(noticeTimes)
  const todoRate = rateOf(taskTimes)
  const groupShare = groupShares.reduce((a, b) => a + b, 0) / GROUPS
  const duplicates = cardDuplicates + todoDuplicates + groupDuplicates
  const lost = cardsLost + todosLost + groupsLost

  printTable(
    `Scheduler: ${count} due reminders (cards + to-dos) and ${groupCards.length} group cards in ${GROUPS} groups, ${TENANTS.length} tenants`,
    [
      {
        channel: '工作通知 (cards)',
        sent: cardsPerReminder.size,
        'per s': Number(cardRate.toFixed(1)),
        allowed: `${allowed}/s`,
        'of allowed': share(cardRate / allowed),
        duplicates: cardDuplicates,
        lost: cardsLost,
        'refused (90018)': cardsThrottled,
      },
      {
        channel: '待办 (to-dos)',
        sent: tasks.size,
        'per s': Number(todoRate.toFixed(1)),
        allowed: `${LIMITS.todo.perSecond}/s`,
        'of allowed': share(todoRate / LIMITS.todo.perSecond),
        duplicates: todoDuplicates,
        lost: todosLost,
      },
      {
        channel: '群消息 (group cards)',
        sent: perTitle.size,
        'per s': `${perGroup} per group`,
        allowed: '20/min per group',
        'of allowed': share(groupShare),
        duplicates: groupDuplicates,
        lost: groupsLost,
      },
    ],
  )
  printTable('Scheduler runs', [
    {
      // the machine's load (1-minute average) before and after: the rates above are what it allowed
      load: `${loadBefore.toFixed(1)} → ${loadavg()[0].toFixed(1)}`,
      runs,
      seconds: Number(seconds.toFixed(1)),
      fired,
      handled,
      'ddb calls/msg': Number((ddbCalls / Math.max(1, handled)).toFixed(2)),
      // CPU per delivered message, this process and DynamoDB Local together: 2 idle cores deliver
      // 2000 / (this) messages a second
      'cpu ms/msg': Number((cpu / Math.max(1, handled)).toFixed(1)),
    },
  ])
  return {
    seconds,
    rate: cardRate,
    allowed,
    shares: { cards: cardRate / allowed, todos: todoRate / LIMITS.todo.perSecond, groups: groupShare },
    duplicates,
    lost,
    ddbCallsPerMessage: ddbCalls / Math.max(1, handled),
  }
}
