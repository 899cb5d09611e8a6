import { config } from '../config.js'
import { ddApi, ddCall, type DdFail } from '../host.js'
import { choicesFor, type Choice } from './names.js'
import { canUse, chooseFrom, toast } from './pickers.js'

/**
 * People from the company: DingTalk's own picker (`dd.complexChoose`, 选人与部门, searchable, by
 * department), whose userIds are our users' ids (the directory is DingTalk's); where this DingTalk lacks
 * it, an action sheet of our users' names.
 * https://open.dingtalk.com/document/development/jsapi-complex-choose
 */

export interface PeopleQuestion {
  title: string
  /** several people (the default) or one */
  multiple?: boolean
  /** ids already chosen: they come ticked */
  selected?: readonly string[]
  /** ids that may not be chosen (a customer's owner among its 协助跟进人) */
  exclude?: readonly string[]
  /** at most this many */
  max?: number
}

const USER = { name: 'userId', label: '', kind: 'user' } as const

/** Whether DingTalk's people picker is there (forms keep their sheet otherwise). */
export const hasPeoplePicker = (): boolean => canUse('complexChoose')

/** The people picked, as our users (id and name); undefined when cancelled. */
export async function pickPeople(question: PeopleQuestion): Promise<Choice[] | undefined> {
  const excluded = new Set(question.exclude ?? [])
  const users = (await choicesFor(USER).catch((): Choice[] => [])).filter((u) => !excluded.has(u.id))
  if (!users.length) return (toast('没有可选的人员'), undefined)
  if (hasPeoplePicker()) {
    const picked = await fromDingTalk(question, users)
    if (picked !== 'failed') return picked
  }
  return question.multiple === false ? fromSheetOne(question, users) : fromSheet(question, users)
}

/** a cancel is DingTalk's error 11 (or says 取消); anything else is a picker that did not work here */
const cancelled = (error: DdFail | undefined) =>
  error?.error === 11 || /取消|cancel/i.test(error?.errorMessage ?? '')

async function fromDingTalk(
  { title, multiple = true, selected = [], exclude = [], max = 20 }: PeopleQuestion,
  users: Choice[],
): Promise<Choice[] | undefined | 'failed'> {
  let failure: DdFail | undefined
  const answer = await ddCall<{ users?: { name: string; emplId: string }[] }>((callbacks) =>
    ddApi().complexChoose!({
      title,
      corpId: config.corpId,
      multiple,
      maxUsers: multiple ? max : 1,
      limitTips: `最多选择 ${max} 人`,
      // (the phone ignores pickedUsers in single choice)
      ...(multiple && { pickedUsers: [...selected] }),
      disabledUsers: [...exclude],
      responseUserOnly: true,
      ...callbacks,
    }),
  ).catch((error: DdFail) => void (failure = error))
  if (!answer) return cancelled(failure) ? undefined : 'failed'
  // DingTalk's userId (emplId) is our user's id; someone the CRM does not know (not synced yet, or
  // no longer active) cannot be chosen
  const ours = new Map(users.map((u) => [u.id, u]))
  const picked = answer.users ?? []
  const strangers = picked.filter((p) => !ours.has(p.emplId)).map((p) => p.name)
  if (strangers.length) toast(`${strangers.join('、')} 不是 CRM 的用户，未选入`)
  const known = picked.flatMap((p) => ours.get(p.emplId) ?? [])
  if (!known.length && strangers.length && !multiple) return undefined
  return known.slice(0, multiple ? max : 1)
}

/** Several in an action sheet: a tap ticks or unticks one, the first item (完成) ends. */
async function fromSheet(
  { title, selected = [], max = 20 }: PeopleQuestion,
  users: Choice[],
): Promise<Choice[] | undefined> {
  let chosen = [...selected]
  for (;;) {
    const index = await chooseFrom(title, [
      `完成（已选 ${chosen.length} 人）`,
      ...users.map((u) => (chosen.includes(u.id) ? `✓ ${u.name}` : u.name)),
    ])
    if (index < 0) return undefined
    // (someone chosen before who is no longer in the directory stays, by id)
    if (index === 0) return chosen.map((id) => users.find((u) => u.id === id) ?? { id, name: id })
    const id = users[index - 1].id
    if (chosen.includes(id)) chosen = chosen.filter((c) => c !== id)
    else if (chosen.length >= max) toast(`最多 ${max} 人`)
    else chosen = [...chosen, id]
  }
}

async function fromSheetOne({ title }: PeopleQuestion, users: Choice[]): Promise<Choice[] | undefined> {
  const index = await chooseFrom(
    title,
    users.map((u) => u.name),
  )
  return index < 0 ? undefined : [users[index]]
}
