// .dockerignore: which build-context files are left out, with Docker's pattern rules (moby/patternmatcher).
//
// One pattern per line, `#` comments, paths relative to the context root and cleaned; `*` and `?`
// stay within one path component, `**` spans any number; a pattern that matches a directory excludes
// everything inside it; `!pattern` re-includes; the last pattern that matches a path decides.

interface Rule {
  readonly negate: boolean;
  readonly re: RegExp;
}

function clean(p: string): string {
  const parts: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return parts.join("/");
}

function toRegExp(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*") {
      if (pattern[i + 1] === "*") {
        i++;
        if (pattern[i + 1] === "/") { i++; re += "(?:.*/)?"; } else re += ".*";
      } else re += "[^/]*";
    } else if (c === "?") re += "[^/]";
    else if (c === "\\" && i + 1 < pattern.length) re += "\\" + pattern[++i];
    else re += c.replace(/[.+^${}()|[\]]/g, "\\$&");
  }
  // A pattern also matches everything below a directory it matches.
  return new RegExp(`^${re}(?:/.*)?$`);
}

/** Parse a .dockerignore file. */
export function parseDockerignore(text: string): Rule[] {
  const rules: Rule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const negate = line.startsWith("!");
    if (negate) line = line.slice(1).trim();
    const pattern = clean(line);
    if (pattern === "") continue;
    rules.push({ negate, re: toRegExp(pattern) });
  }
  return rules;
}

/** Is a context path (relative, forward slashes) excluded by the rules? */
export function isIgnored(rules: readonly Rule[], path: string): boolean {
  const p = clean(path);
  let ignored = false;
  for (const r of rules) if (r.re.test(p)) ignored = !r.negate;
  return ignored;
}
