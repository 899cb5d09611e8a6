import { isCollection, nouns, recordLink } from '../../../shared/nouns.js'
import type { Comment, ReminderRecordType } from '../../../shared/schemas/index.js'
import type { Session } from '../../core/context.js'
import { unprocessable } from '../../core/errors.js'
import type { Write } from '../../db/commit.js'
import { outboxWrite } from '../notifications/outbox.js'
import { directoryOf, recordAccess } from '../reminders/audience.js'
import { addComment, type Target } from './activity.js'

/**
 * A comment that @mentions people: each must be an active person who can see the record (422 naming the
 * first who cannot, and nothing is written); they get one DingTalk card, in the comment's transaction,
 * that opens the record. Mentioning oneself tells no one.
 */
export async function comment(
  session: Session,
  target: Target,
  { content, mentionIds = [] }: { content: string; mentionIds?: string[] },
): Promise<Comment> {
  const mentioned = [...new Set(mentionIds)].filter((id) => id !== session.userId)
  const alongside = mentioned.length ? [await mentionCard(session, target, content, mentioned)] : []
  return addComment(session, target, content, { mentionIds: mentioned, alongside })
}

async function mentionCard(
  session: Session,
  target: Target,
  content: string,
  userIds: string[],
): Promise<Write> {
  const collection = target.recordType
  if (!isCollection(collection)) throw new Error(`comments on an unknown record type: ${collection}`)
  const noun = nouns[collection].label
  // who may see the record: as the target's own scope says, else as a reminder's audience
  const canSee: (s: Session) => Promise<boolean> =
    target.canSee ??
    (await recordAccess(session.tenantId, nouns[collection].one as ReminderRecordType, target.recordId).then(
      (access) => async (s: Session) => !!access?.canSee(s),
    ))
  const person = directoryOf(session.tenantId)
  for (const userId of userIds) {
    const found = await person(userId)
    if (!found) {
      throw unprocessable('comment.mention_invalid', `@ 的人 ${userId} 不存在或已离职`, { userId })
    }
    if (!(await canSee(found.session))) {
      throw unprocessable('comment.mention_cannot_see', `${found.name}看不到该${noun}，不能 @ 他`, { userId })
    }
  }
  return outboxWrite(session.tenantId, {
    kind: 'comment.mentioned',
    userIds,
    title: `${session.name}在评论中 @ 了你`,
    markdown: `### ${session.name}在评论中 @ 了你\n${noun}「${target.label}」：${content.slice(0, 200)}`,
    link: recordLink(collection, target.recordId),
    recordType: target.recordType,
    recordId: target.recordId,
  })
}
