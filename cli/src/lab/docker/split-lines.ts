import { StringDecoder } from 'node:string_decoder';

/** The longest line kept whole; the rest of a longer one, up to its newline, is dropped. */
export const MAX_LINE_CHARS = 1024 * 1024;

/**
 * Byte chunks as lines, in time linear in their size: an unfinished line is kept as pieces, never
 * joined again with each chunk (a log line without a newline made that quadratic), and is cut at
 * `maxLine` characters, since the log's writer (a lab's container) decides how long it gets.
 * Characters split across chunks are decoded whole.
 */
export async function* splitLines(chunks: AsyncIterable<Buffer | string>, maxLine = MAX_LINE_CHARS): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let pieces: string[] = [];
  let held = 0;
  const keep = (text: string) => {
    if (held < maxLine) pieces.push(text.slice(0, maxLine - held));
    held += text.length;
  };
  const take = () => {
    const line = pieces.join('');
    pieces = [];
    held = 0;
    return line;
  };
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      keep(text.slice(start, nl));
      const line = take();
      if (line) yield line;
      start = nl + 1;
    }
    if (start < text.length) keep(text.slice(start));
  }
  keep(decoder.end());
  const last = take();
  if (last) yield last;
}
