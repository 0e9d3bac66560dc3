import { StringDecoder } from 'node:string_decoder';

/**
 * Lines of a byte stream, cut on newlines by hand (CRLF too, empty lines skipped): readline's async
 * iterator buffered lines ahead of a slow consumer. Feed it 64 KiB chunks: lines are slices that
 * keep their chunk alive, and 1 MiB chunks doubled the file source's peak RSS in the bench.
 */
export async function* textLines(input: AsyncIterable<Buffer | Uint8Array>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of input) {
    const text = rest + decoder.write(chunk);
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const line = text.charCodeAt(nl - 1) === 13 ? text.slice(start, nl - 1) : text.slice(start, nl);
      start = nl + 1;
      if (line !== '') yield line;
    }
    rest = text.slice(start);
  }
  rest += decoder.end();
  if (rest !== '') yield rest;
}
