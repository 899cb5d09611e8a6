import type { Session } from '../../core/context.js'
import { TAG } from '../../db/entities/record.js'
import { getRecord } from '../../db/records.js'
import { timeline, type Target } from '../activity/activity.js'
import { Leads } from './record.js'

/** A lead the caller sees (404 outside their scope). */
export const getLead = (session: Session, leadId: string) => getRecord(Leads, session, leadId)

/** A lead's 动态, for a caller who sees it. */
export async function leadTimeline(
  session: Session,
  leadId: string,
  page: { limit: number; cursor?: string },
) {
  await getLead(session, leadId)
  return timeline(session, { tag: TAG.lead, id: leadId }, page)
}

/** What 评论 and 赞 on a lead point at: the lead, shown on its own timeline. */
export async function leadTarget(session: Session, leadId: string): Promise<Target> {
  const lead = await getLead(session, leadId)
  return {
    tag: TAG.lead,
    recordType: 'leads',
    recordId: lead.id,
    label: lead.title,
    timeline: { tag: TAG.lead, id: lead.id },
  }
}
