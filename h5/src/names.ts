import { useEffect, useReducer } from 'react'
import { createNames, type Directory, type NameLookup } from '../../shared/view/index.js'
import { api } from './api.js'

/**
 * The names of the ids records hold (shared/view/names.ts: the same cache in both apps). Screens call
 * `useNames()`; a name arriving later re-renders them.
 */
const names = createNames(api)

export const { loadDirectory, reloadDirectory, rememberName, userName, deptName, stageName } = names
export const lookupName: NameLookup = names.nameOf

/** The lookup, plus a re-render whenever a name arrives; starts loading the directory. */
export function useNames(): { names: NameLookup; directory: Directory | undefined } {
  const [, bump] = useReducer((n: number) => n + 1, 0)
  useEffect(() => {
    const stop = names.onChange(bump)
    loadDirectory().catch(() => undefined)
    return stop
  }, [])
  return { names: lookupName, directory: names.directory() }
}
