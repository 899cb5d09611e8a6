import { useEffect, useState } from 'react'

/** PC layout (tables instead of lists) from this width up. */
export const WIDE_QUERY = '(min-width: 1024px)'

export function useWide(): boolean {
  const [wide, setWide] = useState(() => window.matchMedia(WIDE_QUERY).matches)
  useEffect(() => {
    const media = window.matchMedia(WIDE_QUERY)
    const onChange = () => setWide(media.matches)
    media.addEventListener('change', onChange)
    return () => media.removeEventListener('change', onChange)
  }, [])
  return wide
}

/** The message to show for a failed call: the API's Chinese message, or a generic one. */
export const errorMessage = (error: unknown): string =>
  error instanceof Error && error.message ? error.message : '操作失败，请稍后重试'
