/**
 * Input read as UTF-8 that was written in another encoding. Windows PowerShell's `>` (and `Out-File`)
 * writes UTF-16, and its `-Encoding utf8` writes a UTF-8 byte order mark: both are common for
 * `terraform show -json plan.tfplan > plan.json` on Windows. Pure text checks, no I/O.
 */

/** The text without a leading UTF-8 byte order mark (U+FEFF), which JSON.parse rejects. */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Whether text decoded as UTF-8 is really UTF-16: its byte order mark (FF FE or FE FF, each byte not UTF-8,
 * so two U+FFFD) followed by NUL bytes, or ASCII text without a mark, every other byte NUL.
 */
export function isUtf16(text: string): boolean {
  const marked = text.startsWith("\ufffd\ufffd");
  const head = marked ? text.slice(2, 66) : text.slice(0, 64);
  if (head.length < 2) return false;
  let nuls = 0;
  // Which of the two positions in each pair holds the NUL (0 or 1), while they alternate; -1 once they do not.
  let nulAt = head.charCodeAt(0) === 0 ? 0 : head.charCodeAt(1) === 0 ? 1 : -1;
  for (let i = 0; i < head.length; i++) {
    const nul = head.charCodeAt(i) === 0;
    if (nul) nuls++;
    if (nulAt !== -1 && nul !== (i % 2 === nulAt)) nulAt = -1;
  }
  return nulAt !== -1 || (marked && nuls * 3 >= head.length);
}

/** The one-line explanation for UTF-16 input, after the file's name. */
export const UTF16_MESSAGE =
  "is UTF-16 text (as Windows PowerShell's `>` writes), expected UTF-8: write it with `| Out-File -Encoding utf8 FILE` or convert it (`iconv -f UTF-16 -t UTF-8`)";
