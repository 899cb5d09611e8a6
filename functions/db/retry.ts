import { isAppError } from '../core/errors.js'

/**
 * Runs a read-then-write verb again when another write got in between (409 `version.conflict`), for
 * verbs whose caller sent no version to hold on to (a follow-up moving its customer, a claim). Each try
 * reads afresh, so the rules are checked against the state the write lands on.
 */
export async function retryOnConflict<T>(verb: () => Promise<T>, tries = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await verb()
    } catch (error) {
      if (attempt >= tries || !isAppError(error, 'version.conflict')) throw error
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20))
    }
  }
}
