import * as z from 'zod'
import { configure } from './config.js'

// Mini-programs refuse `new Function`: zod validates without its compiled fast path.
z.config({ jitless: true })

/** The launch query carries the organisation when the app's home page is `...?corpId=$CORPID$`. */
App({
  globalData: {},
  onLaunch(options: { query?: { corpId?: string } } = {}) {
    if (options.query?.corpId) configure({ corpId: options.query.corpId })
  },
})

declare function App(options: object): void
