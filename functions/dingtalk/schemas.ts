/**
 * zod schemas of the DingTalk requests and responses this project uses. The client checks every answer
 * against them, so a changed or broken answer fails at the call, not three functions later; the emulator
 * uses the message schemas to validate what it is sent.
 */
import * as z from 'zod'

// ---------- envelopes ----------

/** oapi host: HTTP 200 with `errcode` (0 = ok) and `errmsg`; `errcode 88` adds `sub_code`/`sub_msg`. */
export const oapiEnvelope = z.looseObject({
  errcode: z.number(),
  errmsg: z.string().optional(),
  sub_code: z.union([z.string(), z.number()]).optional(),
  sub_msg: z.string().optional(),
  request_id: z.string().optional(),
})

/** api host (v1.0): an error is HTTP 4xx/5xx with this body. */
export const apiErrorBody = z.looseObject({
  code: z.string(),
  message: z.string().optional(),
  requestid: z.string().optional(),
})

// ---------- token ----------

export const oapiTokenResponse = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
})
export const apiTokenResponse = z.object({ accessToken: z.string().min(1), expireIn: z.number().positive() })

// ---------- users and departments ----------

export const userInfoByCode = z.object({
  userid: z.string().min(1),
  unionid: z.string().optional(),
  name: z.string(),
  sys: z.boolean().optional(),
  /** 1 主管理员, 2 子管理员, 100 老板, 0 其他 */
  sys_level: z.number().optional(),
  device_id: z.string().optional(),
  associated_unionid: z.string().optional(),
})
export type UserInfoByCode = z.infer<typeof userInfoByCode>

export const leaderInDept = z.object({ dept_id: z.number(), leader: z.boolean() })

export const userDetail = z.object({
  userid: z.string().min(1),
  unionid: z.string().optional(),
  name: z.string(),
  avatar: z.string().optional().default(''),
  mobile: z.string().optional(),
  state_code: z.string().optional(),
  title: z.string().optional(),
  job_number: z.string().optional(),
  email: z.string().optional(),
  dept_id_list: z.array(z.number()),
  dept_order_list: z.array(z.object({ dept_id: z.number(), order: z.number() })).optional(),
  leader_in_dept: z.array(leaderInDept).optional().default([]),
  admin: z.boolean().optional().default(false),
  boss: z.boolean().optional().default(false),
  active: z.boolean().optional().default(true),
})
export type DingTalkUser = z.infer<typeof userDetail>

/** an entry of `topapi/v2/user/list`: `leader` is about the department that was listed */
export const userListItem = z.object({
  userid: z.string().min(1),
  unionid: z.string().optional(),
  name: z.string(),
  avatar: z.string().optional().default(''),
  mobile: z.string().optional(),
  title: z.string().optional(),
  job_number: z.string().optional(),
  dept_id_list: z.array(z.number()),
  leader: z.boolean().optional().default(false),
  admin: z.boolean().optional().default(false),
  boss: z.boolean().optional().default(false),
  active: z.boolean().optional().default(true),
})
export type DingTalkListedUser = z.infer<typeof userListItem>

export const userListPage = z.object({
  has_more: z.boolean(),
  next_cursor: z.number().optional(),
  list: z.array(userListItem),
})
export type UserListPage = z.infer<typeof userListPage>

export const subDepartment = z.object({
  dept_id: z.number(),
  name: z.string(),
  parent_id: z.number(),
})
export type DingTalkSubDepartment = z.infer<typeof subDepartment>

export const departmentDetail = z.object({
  dept_id: z.number(),
  name: z.string(),
  /** absent on the root department (1) */
  parent_id: z.number().optional(),
  order: z.number().optional(),
  dept_manager_userid_list: z.array(z.string()).optional().default([]),
})
export type DingTalkDepartment = z.infer<typeof departmentDetail>

export const subDepartmentIds = z.object({ dept_id_list: z.array(z.number()) })

// ---------- messages ----------

const httpUrl = z.string().min(1).max(500)

/** 整体跳转 action card: one button */
export const actionCardSingle = z.object({
  title: z.string().min(1).max(64),
  markdown: z.string().min(1).max(5000),
  single_title: z.string().min(1).max(20),
  single_url: httpUrl,
})

/** 独立跳转 action card: several buttons */
export const actionCardButtons = z.object({
  title: z.string().min(1).max(64),
  markdown: z.string().min(1).max(5000),
  btn_orientation: z.enum(['0', '1']).optional(),
  btn_json_list: z
    .array(z.object({ title: z.string().min(1), action_url: httpUrl }))
    .min(1)
    .max(5),
})

export const workMessage = z.discriminatedUnion('msgtype', [
  z.object({ msgtype: z.literal('text'), text: z.object({ content: z.string().min(1) }) }),
  z.object({
    msgtype: z.literal('markdown'),
    markdown: z.object({ title: z.string().min(1), text: z.string().min(1) }),
  }),
  z.object({
    msgtype: z.literal('link'),
    link: z.object({
      messageUrl: httpUrl,
      picUrl: z.string().optional(),
      title: z.string().min(1),
      text: z.string().min(1),
    }),
  }),
  z.object({
    msgtype: z.literal('action_card'),
    action_card: z.union([actionCardSingle, actionCardButtons]),
  }),
  z.object({
    msgtype: z.literal('oa'),
    oa: z.object({
      message_url: httpUrl,
      pc_message_url: z.string().optional(),
      head: z.object({ bgcolor: z.string().optional(), text: z.string().optional() }),
      body: z.object({
        title: z.string().optional(),
        form: z.array(z.object({ key: z.string(), value: z.string() })).optional(),
        content: z.string().optional(),
        author: z.string().optional(),
      }),
    }),
  }),
])
export type WorkMessage = z.infer<typeof workMessage>

export const asyncSendResponse = z.object({ task_id: z.number() })

export const sendResult = z.object({
  invalid_user_id_list: z.array(z.string()).optional().default([]),
  forbidden_user_id_list: z.array(z.string()).optional().default([]),
  failed_user_id_list: z.array(z.string()).optional().default([]),
  read_user_id_list: z.array(z.string()).optional().default([]),
  unread_user_id_list: z.array(z.string()).optional().default([]),
  invalid_dept_id_list: z.array(z.number()).optional().default([]),
  /** why a user was filtered: code 143105 = daily limit, 143106 = same content today */
  forbidden_list: z
    .array(z.object({ code: z.string(), count: z.number(), userid: z.string() }))
    .optional()
    .default([]),
})
export type SendResult = z.infer<typeof sendResult>

/** robot `msgKey`s and their `msgParam` (sent as a JSON string) */
export const robotMsgParams = {
  sampleText: z.object({ content: z.string().min(1) }),
  sampleMarkdown: z.object({ title: z.string().min(1), text: z.string().min(1) }),
  sampleLink: z.object({
    title: z.string().min(1),
    text: z.string().min(1),
    messageUrl: z.string().min(1),
    picUrl: z.string().optional(),
  }),
  sampleActionCard: z.object({
    title: z.string().min(1),
    text: z.string().min(1),
    singleTitle: z.string().min(1),
    singleURL: z.string().min(1),
  }),
  /** two buttons, one above the other (机器人发送消息的消息类型「卡片消息：两个按钮」) */
  sampleActionCard2: z.object({
    title: z.string().min(1),
    text: z.string().min(1),
    actionTitle1: z.string().min(1),
    actionURL1: z.string().min(1),
    actionTitle2: z.string().min(1),
    actionURL2: z.string().min(1),
  }),
} as const
export type RobotMsgKey = keyof typeof robotMsgParams
export const robotMsgKeys = Object.keys(robotMsgParams) as RobotMsgKey[]

export const groupMessageResponse = z.object({ processQueryKey: z.string().min(1) })

export const oToBatchSendResponse = z.object({
  processQueryKey: z.string().min(1),
  invalidStaffIdList: z.array(z.string()).optional().default([]),
  flowControlledStaffIdList: z.array(z.string()).optional().default([]),
})
export type OToBatchSendResult = z.infer<typeof oToBatchSendResponse>
