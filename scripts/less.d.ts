/** The part of `less` (which ships no types) the mini-program build uses. */
declare module 'less' {
  const less: {
    render(input: string, options?: { filename?: string; paths?: string[] }): Promise<{ css: string }>
  }
  export default less
}
