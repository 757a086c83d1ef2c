/** One GitHub Actions workflow command that shows a finding as an annotation on the pull request. */
export interface Annotation {
  readonly level: "error" | "warning" | "notice";
  /** Path relative to the repository root; without it the annotation shows on the run, not on a file. */
  readonly file?: string;
  /** 1-based line; only used with `file`. */
  readonly line?: number;
  /** 1-based column; only used with `line`. */
  readonly col?: number;
  readonly title?: string;
  readonly message: string;
}

// GitHub's escaping (actions/toolkit command.ts): the message escapes %, CR and LF; property values also
// escape ':' and ',' because they separate properties.
function escapeData(value: string): string {
  return value.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}

function escapeProperty(value: string): string {
  return escapeData(value).replaceAll(":", "%3A").replaceAll(",", "%2C");
}

/** `::error file=a.ts,line=3,col=5,title=…::message`: one line, whatever the message holds. */
export function formatAnnotation(annotation: Annotation): string {
  const properties: string[] = [];
  if (annotation.file !== undefined) {
    properties.push(`file=${escapeProperty(annotation.file)}`);
    if (annotation.line !== undefined) {
      properties.push(`line=${annotation.line}`);
      if (annotation.col !== undefined) properties.push(`col=${annotation.col}`);
    }
  }
  if (annotation.title !== undefined) properties.push(`title=${escapeProperty(annotation.title)}`);
  const head = properties.length > 0 ? `${annotation.level} ${properties.join(",")}` : annotation.level;
  return `::${head}::${escapeData(annotation.message)}`;
}
