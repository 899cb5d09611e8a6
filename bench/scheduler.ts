/**
 * The scheduler under load: N due reminders across 3 tenants, dispatched by back-to-back scheduler runs
 * (each with the production budget, as the minute timer would start them) through the production
 * DingTalk client to the emulator. Reports the time to dispatch all, the achieved rate against the rate
 * DingTalk allows an app on the work-notification API (20 calls/s: the emulator answers 90018 beyond it,
 * and the delivery's window limiter keeps under it), duplicates, lost cards, and DynamoDB calls per
 * delivered message.
 */
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
  // a reminder and its assignee entry: 40 reminders stay within a transaction's 100 items
  for (let i = 0; i < reminders.length; i += 40) chunks.push(reminders.slice(i, i + 40))
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

export async function benchScheduler(stack: Stack, count = 1000) {
  addBenchUsers(stack)
  const reminders = await seedReminders(count)
  const callsBefore = stack.emulator.calls(ASYNC_SEND)

  const started = performance.now()
  let runs = 0
  let ddbCalls = 0
  let delivered = 0
  let fired = 0
  for (;;) {
    const report = await runScheduler({ concurrency: Number(process.env.BENCH_CONCURRENCY ?? 8) })
    runs += 1
    ddbCalls += report.ddbCalls
    delivered += report.outbox.delivered
    fired += report.reminders.fired
    if (report.reminders.fired === 0 && report.outbox.delivered === 0 && report.outbox.retried === 0) break
  }
  const seconds = (performance.now() - started) / 1000

  // who got which reminder: the card's button carries the reminder id
  const cardsPerReminder = new Map<string, number>()
  for (const message of stack.emulator.messages({ kind: 'work_notification' })) {
    const id = /reminderId%3D([0-9A-Z]{26})/.exec(message.links[0] ?? '')?.[1]
    if (id) cardsPerReminder.set(id, (cardsPerReminder.get(id) ?? 0) + 1)
  }
  const sendCalls = stack.emulator.calls(ASYNC_SEND) - callsBefore
  const lost = reminders.filter((r) => !cardsPerReminder.has(r.id)).length
  // DingTalk (and the emulator) hide a same-day repeat of a card, so a duplicate shows as an extra call
  const duplicates = sendCalls - cardsPerReminder.size
  const allowed = LIMITS.workNotification.perSecond
  const rate = delivered / seconds

  printTable(`Scheduler: ${count} due reminders across ${TENANTS.length} tenants`, [
    {
      reminders: count,
      fired,
      delivered,
      runs,
      seconds: Number(seconds.toFixed(1)),
      'cards/s': Number(rate.toFixed(1)),
      'allowed/s': allowed,
      'of allowed': `${((rate / allowed) * 100).toFixed(1)} %`,
      duplicates,
      lost,
      'ddb calls/msg': Number((ddbCalls / Math.max(1, delivered)).toFixed(2)),
    },
  ])
  return { seconds, rate, allowed, duplicates, lost, ddbCallsPerMessage: ddbCalls / Math.max(1, delivered) }
}
