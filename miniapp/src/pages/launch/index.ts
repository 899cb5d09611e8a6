import { login } from '../../api/session.js'
import { definePage, ddApi } from '../../host.js'
import { errorText } from '../../lib/errors.js'
import { refreshFields } from '../../lib/fields.js'

const HOME = '/pages/home/index'

/** 免登, then 工作台 (or the page a deep link asked for in `?redirect=`). */
definePage({
  data: { signingIn: true, error: '', redirect: HOME },
  onLoad(query: { redirect?: string } = {}) {
    if (query.redirect) this.setData({ redirect: decodeURIComponent(query.redirect) })
    return this.signIn()
  },
  async signIn() {
    this.setData({ signingIn: true, error: '' })
    try {
      await login()
      // the tenant's field definitions, for the forms (without them: the built-in fields)
      await refreshFields().catch(() => undefined)
      ddApi().reLaunch({ url: this.data.redirect })
    } catch (error) {
      this.setData({ signingIn: false, error: errorText(error) })
    }
  },
  onRetry() {
    return this.signIn()
  },
})
