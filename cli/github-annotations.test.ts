import { describe, expect, it } from "vitest";
import { formatAnnotation } from "./github-annotations.ts";

describe("formatAnnotation", () => {
  it("writes a workflow command with file, line, col and title", () => {
    expect(
      formatAnnotation({
        level: "error",
        file: "infra/main.ts",
        line: 12,
        col: 3,
        title: "Naming",
        message: "bad name",
      }),
    ).toBe("::error file=infra/main.ts,line=12,col=3,title=Naming::bad name");
  });

  it("escapes %, CR and LF in the message but keeps : and ,", () => {
    expect(formatAnnotation({ level: "warning", message: "50% done\r\nnext: a, b" })).toBe(
      "::warning::50%25 done%0D%0Anext: a, b",
    );
  });

  it("escapes %, CR, LF, : and , in properties so they cannot end a property early", () => {
    expect(
      formatAnnotation({
        level: "notice",
        file: "a,b:c%.tf",
        title: "x: y,\nz",
        message: "m",
      }),
    ).toBe("::notice file=a%2Cb%3Ac%25.tf,title=x%3A y%2C%0Az::m");
  });

  it("drops line without file and col without line", () => {
    expect(formatAnnotation({ level: "error", line: 4, col: 2, message: "m" })).toBe("::error::m");
    expect(formatAnnotation({ level: "error", file: "f", col: 2, message: "m" })).toBe("::error file=f::m");
  });
});
