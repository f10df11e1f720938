// Dockerfiles parsed with dockerfile-ast (the parser editors use) into typed instructions, with Docker's errors by line.
import { DockerfileParser, type Instruction as AstInstruction } from "dockerfile-ast";
import { ContainerError } from "./errors.js";
import { suggest } from "../core/suggest.js";

/** A command in exec form (JSON array) or shell form (a string run by /bin/sh -c). */
export type CommandForm = { readonly exec: readonly string[] } | { readonly shell: string };

export type Instruction = { readonly line: number; readonly text: string } & (
  | { readonly kind: "FROM"; readonly image: string; readonly stage?: string }
  | { readonly kind: "RUN"; readonly command: CommandForm }
  | { readonly kind: "COPY" | "ADD"; readonly sources: readonly string[]; readonly dest: string; readonly chown?: string; readonly from?: string }
  | { readonly kind: "ENV" | "LABEL"; readonly pairs: readonly (readonly [string, string])[] }
  | { readonly kind: "ARG"; readonly name: string; readonly value?: string }
  | { readonly kind: "CMD" | "ENTRYPOINT"; readonly command: CommandForm }
  | { readonly kind: "WORKDIR" | "USER" | "STOPSIGNAL"; readonly value: string }
  | { readonly kind: "EXPOSE"; readonly ports: readonly string[] }
);

export const SUPPORTED = ["FROM", "RUN", "COPY", "ADD", "ENV", "ARG", "CMD", "ENTRYPOINT", "WORKDIR", "EXPOSE", "USER", "LABEL", "STOPSIGNAL"] as const;
const KNOWN_UNSUPPORTED = ["HEALTHCHECK", "ONBUILD", "SHELL", "VOLUME", "MAINTAINER"];

function parseError(file: string, line: number, message: string, hint: string): ContainerError {
  return new ContainerError("DOCKERFILE_PARSE", `dockerfile parse error on line ${line}: ${message}`, { exitCode: 1, where: { file, line }, hint });
}

/** Exec form if the arguments are a JSON array of strings, else shell form. */
function commandForm(raw: string): CommandForm {
  const t = raw.trim();
  if (t.startsWith("[")) {
    try {
      const v = JSON.parse(t) as unknown;
      if (Array.isArray(v) && v.every((x) => typeof x === "string")) return { exec: v as string[] };
    } catch {
      // Docker treats an invalid JSON array as shell form.
    }
  }
  return { shell: t };
}

function unquote(s: string): string {
  if (s.length >= 2 && ((s.startsWith('"') && s.endsWith('"')) || (s.startsWith("'") && s.endsWith("'")))) return s.slice(1, -1).replace(/\\(.)/g, "$1");
  return s.replace(/\\(.)/g, "$1");
}

/** KEY=VALUE pairs (ENV, LABEL), or the legacy `ENV KEY VALUE` form. */
function pairs(raw: string, kind: string, file: string, line: number): [string, string][] {
  const t = raw.trim();
  const tokens = t.match(/(?:[^\s"']+|"(?:\\.|[^"\\])*"|'[^']*')+/g) ?? [];
  if (tokens.length === 0) throw parseError(file, line, `${kind} requires at least one argument`, `write ${kind} KEY=VALUE`);
  if (!tokens[0]!.includes("=")) {
    if (kind === "LABEL") throw parseError(file, line, "LABEL must have two arguments", "write LABEL KEY=VALUE");
    const [k, ...rest] = t.split(/\s+/);
    if (rest.length === 0) throw parseError(file, line, `${kind} must have two arguments`, `write ${kind} ${k}=VALUE`);
    return [[k!, rest.join(" ")]];
  }
  return tokens.map((tok) => {
    const i = tok.indexOf("=");
    if (i <= 0) throw parseError(file, line, `${kind} names can not be blank`, `every word must read KEY=VALUE; quote values with spaces: ${kind} KEY="a b"`);
    return [unquote(tok.slice(0, i)), unquote(tok.slice(i + 1))];
  });
}

function flagsOf(inst: AstInstruction): Map<string, string> {
  const out = new Map<string, string>();
  const f = (inst as unknown as { getFlags?: () => { getName(): string; getValue(): string | null }[] }).getFlags;
  for (const flag of f ? f.call(inst) : []) out.set(flag.getName(), flag.getValue() ?? "");
  return out;
}

/** Parse a Dockerfile into instructions, or throw the first error with its line number and a fix. */
export function parseDockerfile(source: string, file = "Dockerfile"): Instruction[] {
  const df = DockerfileParser.parse(source);
  const out: Instruction[] = [];
  for (const inst of df.getInstructions()) {
    const line = inst.getRange().start.line + 1;
    const keyword = inst.getKeyword().toUpperCase();
    const raw = inst.getArgumentsContent() ?? "";
    const text = `${keyword} ${raw}`.trim().replace(/\s+/g, " ");
    const base = { line, text };
    if (!(SUPPORTED as readonly string[]).includes(keyword)) {
      if (KNOWN_UNSUPPORTED.includes(keyword)) throw parseError(file, line, `${keyword} is not modelled by vmlab`, `vmlab builds ${SUPPORTED.join(", ")}`);
      const near = suggest(keyword, SUPPORTED, { maxDistance: 2 });
      throw parseError(file, line, `unknown instruction: ${inst.getKeyword()}${near ? ` (did you mean ${near.toLowerCase()}?)` : ""}`, near ? `write ${near}` : `instructions are ${SUPPORTED.join(", ")}`);
    }
    if (raw.trim() === "" && keyword !== "RUN") throw parseError(file, line, `${keyword} requires at least one argument`, `see the Dockerfile reference for ${keyword}`);
    const flags = flagsOf(inst);
    const args = inst.getArguments().map((a) => a.getValue());
    switch (keyword) {
      case "FROM": {
        const asIndex = args.findIndex((a) => a.toUpperCase() === "AS");
        if (asIndex !== -1 && (asIndex !== args.length - 2 || asIndex === 0)) throw parseError(file, line, "FROM requires either one or three arguments", "write FROM IMAGE or FROM IMAGE AS NAME");
        const image = args[0]!;
        out.push({ ...base, kind: "FROM", image, ...(asIndex !== -1 ? { stage: args[asIndex + 1]!.toLowerCase() } : {}) });
        break;
      }
      case "RUN":
        if (raw.trim() === "") throw parseError(file, line, "RUN requires at least one argument", "write RUN COMMAND, e.g. RUN apk add curl");
        out.push({ ...base, kind: "RUN", command: commandForm(raw) });
        break;
      case "CMD": case "ENTRYPOINT":
        out.push({ ...base, kind: keyword, command: commandForm(raw) });
        break;
      case "COPY": case "ADD": {
        const form = commandForm(raw);
        const list = "exec" in form ? [...form.exec] : args;
        if (list.length < 2) throw parseError(file, line, `${keyword} requires at least two arguments, but only one was provided. Destination could not be determined`, `write ${keyword} SOURCE... DEST, e.g. ${keyword} app.sh /app/`);
        out.push({
          ...base, kind: keyword, sources: list.slice(0, -1), dest: list.at(-1)!,
          ...(flags.has("chown") ? { chown: flags.get("chown")! } : {}),
          ...(flags.has("from") ? { from: flags.get("from")! } : {}),
        });
        break;
      }
      case "ENV": case "LABEL":
        out.push({ ...base, kind: keyword, pairs: pairs(raw, keyword, file, line) });
        break;
      case "ARG": {
        const a = raw.trim();
        const i = a.indexOf("=");
        const name = i === -1 ? a : a.slice(0, i);
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw parseError(file, line, `invalid ARG name '${name}'`, "ARG NAME or ARG NAME=DEFAULT");
        out.push({ ...base, kind: "ARG", name, ...(i === -1 ? {} : { value: unquote(a.slice(i + 1)) }) });
        break;
      }
      case "WORKDIR": case "USER": case "STOPSIGNAL":
        out.push({ ...base, kind: keyword, value: raw.trim() });
        break;
      case "EXPOSE":
        for (const p of args) if (!/^\d+(-\d+)?(\/(tcp|udp|sctp))?$/.test(p) && !p.includes("$")) throw parseError(file, line, `invalid containerPort: ${p}`, "EXPOSE PORT[/tcp|udp], e.g. EXPOSE 80/tcp");
        out.push({ ...base, kind: "EXPOSE", ports: args });
        break;
    }
  }
  const firstReal = out.find((i) => i.kind !== "ARG");
  if (!firstReal) throw parseError(file, 1, "file with no instructions", "a Dockerfile starts with FROM IMAGE");
  if (firstReal.kind !== "FROM") throw parseError(file, firstReal.line, `${firstReal.kind} before FROM: no build stage in current context`, "start the Dockerfile with FROM IMAGE (only ARG may come before it)");
  return out;
}

/** Substitute $VAR, ${VAR}, ${VAR:-default} and ${VAR:+alt} as the Dockerfile frontend does (in FROM, COPY, ENV, WORKDIR, …). */
export function substitute(text: string, vars: ReadonlyMap<string, string>): string {
  return text.replace(/\\\$|\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (m, braced: string | undefined, op: string | undefined, word: string | undefined, plain: string | undefined) => {
    if (m === "\\$") return "$";
    const name = braced ?? plain!;
    const v = vars.get(name);
    if (op === "-") return v === undefined || v === "" ? (word ?? "") : v;
    if (op === "+") return v === undefined || v === "" ? "" : (word ?? "");
    return v ?? "";
  });
}
