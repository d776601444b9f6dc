/** A half-open range [start, end) of UTF-16 offsets into the query source. */
export interface Span { readonly start: number; readonly end: number }

export const span = (start: number, end: number): Span => ({ start, end });
export const join = (a: Span, b: Span): Span => ({ start: a.start, end: b.end });
