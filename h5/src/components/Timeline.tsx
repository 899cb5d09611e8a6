import { useCallback, useEffect, useState } from 'react'
import { Button, Toast } from 'dingtalk-design-mobile'
import type { SocialCollection } from '../../../shared/contract/index.js'
import type { Activity } from '../../../shared/schemas/index.js'

interface Likes {
  count: number
  likedByMe: boolean
}
import { activityActionLabels, formatDateTime, labelOf } from '../../../shared/view/index.js'
import { api } from '../api.js'
import { userName, useNames } from '../names.js'
import { errorMessage } from './hooks.js'
import { useUserOptions } from './Pickers.js'
import { OptionSheet } from './Sheet.js'

/**
 * 动态 of a record: what happened to it (newest first, paged), 赞 and 评论. A comment is a
 * timeline entry too, so posting one reloads the list.
 */
export function Timeline({ collection, id }: { collection: SocialCollection; id: string }) {
  useNames()
  const [items, setItems] = useState<Activity[] | undefined>(undefined)
  const [cursor, setCursor] = useState<string | null>(null)
  const [likes, setLikes] = useState<Likes | undefined>(undefined)
  const [comment, setComment] = useState('')
  const [mentionIds, setMentionIds] = useState<string[]>([])
  const [picking, setPicking] = useState(false)
  const [posting, setPosting] = useState(false)
  const people = useUserOptions()
  const timeline = api.social[collection].timeline

  const load = useCallback(
    async (from?: string) => {
      const page = await timeline(id, { limit: 20, cursor: from })
      setItems((current) => (from ? [...(current ?? []), ...page.items] : page.items))
      setCursor(page.nextCursor)
    },
    [id, timeline],
  )
  useEffect(() => {
    load().catch((error) => {
      setItems([])
      Toast.fail({ content: errorMessage(error) })
    })
    api.social[collection].likes(id).then(setLikes, () => undefined)
  }, [collection, id, load])

  const toggleLike = async () => {
    try {
      const social = api.social[collection]
      setLikes(await (likes?.likedByMe ? social.unlike(id) : social.like(id)))
      await load()
    } catch (error) {
      Toast.fail({ content: errorMessage(error) })
    }
  }
  const post = async () => {
    if (!comment.trim()) return Toast.info({ content: '请填写评论内容' })
    setPosting(true)
    try {
      await api.social[collection].comment(id, {
        content: comment.trim(),
        ...(mentionIds.length && { mentionIds }),
      })
      setComment('')
      setMentionIds([])
      await load()
    } catch (error) {
      Toast.fail({ content: errorMessage(error) })
    } finally {
      setPosting(false)
    }
  }

  return (
    <div className="timeline">
      <div className="social">
        <button
          type="button"
          className={likes?.likedByMe ? 'like like-on' : 'like'}
          onClick={toggleLike}
          aria-pressed={likes?.likedByMe ?? false}
        >
          {likes?.likedByMe ? '已赞' : '赞'} {likes?.count ?? 0}
        </button>
        <input
          className="comment-input"
          placeholder="写评论…"
          value={comment}
          maxLength={2000}
          onChange={(e) => setComment(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && void post()}
        />
        <Button size="small" onClick={() => setPicking(true)} aria-label="提及同事">
          @
        </Button>
        <Button size="small" type="primary" loading={posting} onClick={post}>
          评论
        </Button>
      </div>
      {mentionIds.length ? (
        <div className="mentions">
          {mentionIds.map((userId) => (
            <button
              key={userId}
              type="button"
              className="tag mention"
              title="不再提及"
              onClick={() => setMentionIds(mentionIds.filter((m) => m !== userId))}
            >
              @{userName(userId) ?? userId} ×
            </button>
          ))}
          <span className="muted">将收到钉钉通知</span>
        </div>
      ) : null}
      <OptionSheet
        title="提及同事（须能看到该记录）"
        open={picking}
        multiple
        selected={mentionIds}
        options={people}
        onClose={() => setPicking(false)}
        onPick={(ids) => {
          setMentionIds(ids)
          setPicking(false)
        }}
      />
      {items?.length === 0 ? <div className="muted center">还没有动态</div> : null}
      <ul className="activities">
        {(items ?? []).map((a) => (
          <li key={a.id} className={`activity activity-${a.action}`}>
            <div className="activity-head">
              <b>{a.actorName}</b>
              <span className="activity-tag">{labelOf(activityActionLabels, a.action)}</span>
              <span className="muted">{formatDateTime(a.at)}</span>
            </div>
            <div className="activity-summary">{a.summary}</div>
          </li>
        ))}
      </ul>
      {cursor ? (
        <div className="table-more">
          <Button size="small" onClick={() => load(cursor)}>
            加载更多
          </Button>
        </div>
      ) : null}
    </div>
  )
}
