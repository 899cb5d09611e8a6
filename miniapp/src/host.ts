/**
 * The globals the DingTalk runtime gives every mini-program module (`dd`, `Page`, `Component`, `getApp`),
 * typed as narrowly as this app uses them. They are read when called, never at import, so the tests can
 * install a fake host before a page module runs.
 */

export interface DdFail {
  error?: number
  errorMessage?: string
  /** set with error 19 (HTTP error): the answer's status and body */
  status?: number
  data?: unknown
  headers?: Record<string, string>
}

interface Callbacks<T> {
  success?: (result: T) => void
  fail?: (error: DdFail) => void
}

export interface DdHttpResponse {
  status: number
  headers: Record<string, string>
  data: unknown
}

export interface Dd {
  httpRequest(
    options: {
      url: string
      method: string
      headers: Record<string, string>
      data?: string
      dataType?: 'json' | 'text'
      timeout?: number
    } & Callbacks<DdHttpResponse>,
  ): void
  getAuthCode(options: { corpId: string } & Callbacks<{ authCode: string }>): void
  navigateTo(options: { url: string }): void
  redirectTo(options: { url: string }): void
  reLaunch(options: { url: string }): void
  navigateBack(options?: { delta?: number }): void
  stopPullDownRefresh(): void
  showToast(options: {
    content: string
    type?: 'success' | 'fail' | 'exception' | 'none'
    duration?: number
  }): void
  showLoading(options: { content: string }): void
  hideLoading(): void
  confirm(
    options: {
      title: string
      content: string
      confirmButtonText?: string
      cancelButtonText?: string
    } & Callbacks<{ confirm: boolean }>,
  ): void
  /** `format` 'yyyy-MM-dd' or 'yyyy-MM-dd HH:mm'; answers the chosen text in that format */
  datePicker(options: { format: string; currentDate?: string } & Callbacks<{ date: string }>): void
  /** `index` of the chosen item, -1 when cancelled */
  showActionSheet(
    options: { title?: string; items: string[]; cancelButtonText?: string } & Callbacks<{ index: number }>,
  ): void
  prompt(
    options: {
      title: string
      message?: string
      placeholder?: string
      okButtonText?: string
      cancelButtonText?: string
    } & Callbacks<{ ok: boolean; inputValue: string }>,
  ): void
  getLocation(
    options: { type?: number } & Callbacks<{ latitude: number; longitude: number; address?: string }>,
  ): void
  /** 附件: photos from the album or the camera */
  chooseImage(
    options: { count?: number; sourceType?: string[] } & Callbacks<{
      filePaths: string[]
      files?: { path: string; size: number }[]
    }>,
  ): void
  getFileInfo(options: { filePath: string } & Callbacks<{ size: number }>): void
  /** a multipart POST of `formData` and the file (as `fileName`) to `url`: the signed upload */
  uploadFile(
    options: {
      url: string
      filePath: string
      fileName: string
      fileType: 'image' | 'video' | 'audio' | 'file'
      formData?: Record<string, string>
      /** request headers (导入: the session's Authorization) */
      header?: Record<string, string>
    } & Callbacks<{ statusCode?: number; data?: string }>,
  ): UploadTask | void
  /** a GET of `url` to a local file (导出: the API's file, with the session's header) */
  downloadFile(
    options: { url: string; header?: Record<string, string> } & Callbacks<{
      filePath: string
      statusCode?: number
    }>,
  ): void
  /** opens a downloaded document (xlsx, csv, pdf...) in DingTalk's viewer, which can forward or save it */
  openDocument(options: { filePath: string; fileType: string } & Callbacks<Record<string, never>>): void
  /**
   * 导入: picks a local file (DingTalk 7.1.5+ on phones, 7.1.10+ on PCs; not on Harmony): `count` 1–9,
   * `multiSelection`; answers `files`, one object (several picked: a list on some clients) with the
   * file's virtual `path`, `name` and `size`.
   * https://open.dingtalk.com/document/development/jsapi-choose-file
   */
  chooseFile?(
    options: { count?: number; multiSelection?: boolean } & Callbacks<{
      files: DdFile | DdFile[]
    }>,
  ): void
  /**
   * Whether this client has an API (`'complexChoose'`) or one of its parameters
   * (`'getLocation.object.type'`); mini-programs on DingTalk 6.0.0+.
   * https://open.dingtalk.com/document/development/jsapi-can-i-use
   */
  canIUse?(key: string): boolean
  /**
   * DingTalk's own people picker (选人与部门) over the company's directory: `pickedUsers`,
   * `disabledUsers` are userIds; with `responseUserOnly` it answers only the people, `emplId` being
   * each one's userId. Mini-programs call it without 鉴权 (DingTalk 6.0.0+).
   * https://open.dingtalk.com/document/development/jsapi-complex-choose
   */
  complexChoose?(
    options: {
      title?: string
      corpId?: string
      multiple?: boolean
      maxUsers?: number
      limitTips?: string
      pickedUsers?: string[]
      disabledUsers?: string[]
      responseUserOnly?: boolean
    } & Callbacks<{
      users?: { name: string; avatar?: string; emplId: string }[]
      departments?: { id: string; name: string; number: number }[]
      selectedCount?: number
    }>,
  ): void
  /**
   * Copies `text` (DingTalk 6.0.0+; PC 6.5.60+).
   * https://app.unpkg.com/dingtalk-jsapi@3.1.1/files/api/union/setClipboard.d.ts
   */
  setClipboard?(options: { text: string } & Callbacks<Record<string, never>>): void
  /**
   * Opens a web page: on a PC, in the browser (or the DingTalk workbench when the org set it so); on a
   * phone, in DingTalk's built-in browser (DingTalk 6.0.0+).
   * https://open.dingtalk.com/document/development/jsapi-open-link
   */
  openLink?(options: { url: string } & Callbacks<Record<string, never>>): void
  setStorageSync(options: { key: string; data: unknown }): void
  getStorageSync(options: { key: string }): { data?: unknown }
  removeStorageSync(options: { key: string }): void
}

/** A file `dd.chooseFile` picked. */
export interface DdFile {
  path: string
  size: number
  name: string
}

/** What `dd.uploadFile` answers where the client supports it: the upload's progress as it goes. */
export interface UploadTask {
  onProgressUpdate?(
    listener: (p: {
      progress: number
      totalBytesWritten?: number
      totalBytesExpectedToWrite?: number
    }) => void,
  ): void
}

/** What a page sees as `this`. */
export interface PageInstance<D> {
  data: D
  setData(patch: Partial<D>, callback?: () => void): void
}

/** What a component sees as `this` (component2: props, including the handlers its parent passed). */
export interface ComponentInstance<P, D> {
  props: P
  data: D
  setData(patch: Partial<D>, callback?: () => void): void
}

export type PageOptions<D, M> = { data: D } & M & ThisType<PageInstance<D> & M>

export type ComponentOptions<P, D, M> = {
  props: P
  data: D
  methods: M
  didMount?(): void
  didUpdate?(prevProps: P, prevData: D): void
} & ThisType<ComponentInstance<P, D> & M>

declare const dd: Dd
declare function Page(options: object): void
declare function Component(options: object): void
declare function getApp(): { globalData: Record<string, unknown> }

export const ddApi = (): Dd => dd

export const definePage = <D, M>(options: PageOptions<D, M>): void => Page(options)

export const defineComponent = <P, D, M>(options: ComponentOptions<P, D, M>): void => Component(options)

export const appGlobals = (): Record<string, unknown> => getApp().globalData

/** dd's callback APIs as promises. */
export function ddCall<T>(start: (callbacks: Required<Callbacks<T>>) => void): Promise<T> {
  return new Promise((resolve, reject) => start({ success: resolve, fail: reject }))
}
