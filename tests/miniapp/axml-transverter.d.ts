/** `@alipay/axml-transverter` ships no types: the compiler the template tests use. */
declare module '@alipay/axml-transverter' {
  export class TransformCompiler {
    constructor(
      options: { platform: 'ALIPAY' | 'WECHAT'; customMapping: Record<string, Record<string, string>> },
      plugins: unknown[],
    )
    /** the template for the platform; throws on a template error */
    compile(axml: string): string
  }
}
