/**
 * Text as the pipeline reads and writes it: CRLF line endings turned into LF, and nothing else
 * changed (no trimming; a lone CR stays). A checkout made with git's `core.autocrlf=true` (the
 * Windows default) has CRLF files where the repository has LF ones; read through this, spec/
 * builds the same outputs and generated/ compares equal. Any other whitespace difference is
 * still a difference. (Redocly's own file reader, which loads redocly.yaml and the files a
 * fragment `$ref`s, does the same replacement.)
 */
export function toLf(text: string): string {
  return text.includes("\r\n") ? text.replace(/\r\n/g, "\n") : text;
}
