// Errors in a C input: one line, `file:line:col: message`, as a compiler prints them.

export interface CLoc {
  readonly file: string;
  /** 1-based, as editors and compilers count */
  readonly line: number;
  readonly col: number;
}

export const fmtLoc = (l: CLoc): string => `${l.file}:${l.line}:${l.col}`;

/** Bad C input (syntax, unknown macro or helper, bad patch): the CLI prints the message, exit 2. */
export class CFrontError extends Error {
  override readonly name = 'CFrontError';
  constructor(readonly loc: CLoc | null, readonly detail: string) {
    super(loc ? `${fmtLoc(loc)}: ${detail}` : detail);
  }
}
