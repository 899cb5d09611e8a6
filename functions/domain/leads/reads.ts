import type { Session } from '../../core/context.js'
import { TAG } from '../../db/entities/record.js'
import { getRecord } from '../../db/records.js'
import { audienceOf, type Target } from '../activity/activity.js'
import { Leads, seesLead } from './record.js'

/** A lead the caller sees (404 outside their scope). */
export const getLead = (session: Session, leadId: string) => getRecord(Leads, session, leadId)

/** What 动态, 评论 and 赞 on a lead point at: the lead, on its own timeline. */
export async function leadTarget(session: Session, leadId: string): Promise<Target> {
  const lead = await getLead(session, leadId)
  return {
    tag: TAG.lead,
    recordType: 'leads',
    recordId: lead.id,
    label: lead.title,
    timeline: { tag: TAG.lead, id: lead.id },
    audience: audienceOf({ ownerId: lead.assigneeId, deptId: lead.deptId }),
    canSee: async (s) => seesLead(s, lead),
  }
}
