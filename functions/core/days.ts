/** A day in ms (Asia/Shanghai has no DST). Its own module: the clock is in every function, this is not. */
export const DAY_MS = 24 * 3600 * 1000
