import { describe, expect, it } from "vitest";
import { isUtf16, withoutBom } from "./text-encoding.ts";

/** Bytes as Node's readFile(…, "utf8") gives them. */
const asUtf8 = (bytes: Buffer) => bytes.toString("utf8");
const PLAN = '{"format_version":"1.2","terraform_version":"1.14.4"}';

describe("isUtf16", () => {
  it("recognises UTF-16 LE and BE with a byte order mark, as PowerShell writes", () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(PLAN, "utf16le")]);
    const be = Buffer.from(le);
    be.swap16();
    expect(isUtf16(asUtf8(le))).toBe(true);
    expect(isUtf16(asUtf8(be))).toBe(true);
  });

  it("recognises UTF-16 without a byte order mark", () => {
    expect(isUtf16(asUtf8(Buffer.from(PLAN, "utf16le")))).toBe(true);
  });

  it("does not take UTF-8 text, a UTF-8 BOM or random binary for UTF-16", () => {
    expect(isUtf16(PLAN)).toBe(false);
    expect(isUtf16(`\ufeff${PLAN}`)).toBe(false);
    expect(isUtf16("\u0000\u0000\u0000\u0000PK\u0003\u0004\u0000\u0000")).toBe(false);
    expect(isUtf16("")).toBe(false);
  });
});

describe("withoutBom", () => {
  it("drops a leading UTF-8 byte order mark only", () => {
    expect(withoutBom(`\ufeff${PLAN}`)).toBe(PLAN);
    expect(withoutBom(PLAN)).toBe(PLAN);
    expect(withoutBom(`a\ufeff`)).toBe(`a\ufeff`);
  });
});
