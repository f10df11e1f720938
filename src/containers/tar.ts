// Deterministic tar archives (POSIX ustar, with pax headers for long names), written and read in memory.
//
// Layer blobs must hash the same every time the same changes are archived, so the writer takes every
// header field from the entry (no clock, no user database, no host umask) and the caller decides the
// order. Written by hand rather than with tar-stream or node-tar: both are stream- and file-system
// oriented and asynchronous, while a layer here is a few kilobytes built in memory and hashed at once.
import { ContainerError } from "./errors.js";

/** One member of an archive. `name` is relative (no leading slash); directories may end with "/". */
export interface TarMember {
  readonly name: string;
  readonly type: "file" | "dir" | "symlink";
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly mtime: number;
  readonly content?: Uint8Array;
  readonly linkname?: string;
}

const BLOCK = 512;
const enc = new TextEncoder();
const dec = new TextDecoder();

const TYPEFLAG = { file: "0", dir: "5", symlink: "2" } as const;

function octal(value: number, width: number): string {
  // width - 1 digits and a NUL, as ustar requires.
  const s = Math.floor(value).toString(8);
  if (s.length > width - 1) throw new ContainerError("OCI_TAR_FIELD", `tar: value ${value} does not fit a ${width}-byte header field`);
  return s.padStart(width - 1, "0") + "\0";
}

function put(header: Uint8Array, offset: number, width: number, value: string | Uint8Array): void {
  const bytes = typeof value === "string" ? enc.encode(value) : value;
  header.set(bytes.subarray(0, width), offset);
}

/** Split a long name into ustar's prefix (≤155 bytes) and name (≤100 bytes) at a slash, if possible. */
function splitName(name: string): { prefix: string; name: string } | undefined {
  const bytes = enc.encode(name);
  if (bytes.length <= 100) return { prefix: "", name };
  for (let i = name.length - 1; i > 0; i--) {
    if (name[i] !== "/") continue;
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (enc.encode(prefix).length <= 155 && enc.encode(rest).length <= 100 && rest.length > 0) return { prefix, name: rest };
  }
  return undefined;
}

function header(fields: { name: string; prefix: string; mode: number; uid: number; gid: number; size: number; mtime: number; typeflag: string; linkname: string }): Uint8Array {
  const h = new Uint8Array(BLOCK);
  put(h, 0, 100, fields.name);
  put(h, 100, 8, octal(fields.mode, 8));
  put(h, 108, 8, octal(fields.uid, 8));
  put(h, 116, 8, octal(fields.gid, 8));
  put(h, 124, 12, octal(fields.size, 12));
  put(h, 136, 12, octal(fields.mtime, 12));
  put(h, 148, 8, "        ");
  put(h, 156, 1, fields.typeflag);
  put(h, 157, 100, fields.linkname);
  put(h, 257, 6, "ustar\0");
  put(h, 263, 2, "00");
  put(h, 329, 8, octal(0, 8));
  put(h, 337, 8, octal(0, 8));
  put(h, 345, 155, fields.prefix);
  let sum = 0;
  for (const b of h) sum += b;
  put(h, 148, 8, sum.toString(8).padStart(6, "0") + "\0 ");
  return h;
}

/** A pax extended-header record: "<len> key=value\n", where len counts the whole record. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = enc.encode(body).length + 1;
  while (String(len).length + enc.encode(body).length !== len) len = String(len).length + enc.encode(body).length;
  return `${len}${body}`;
}

function padded(data: Uint8Array): Uint8Array[] {
  const rest = data.length % BLOCK;
  return rest === 0 ? [data] : [data, new Uint8Array(BLOCK - rest)];
}

/** Write an archive of the members, in the order given, ending with two zero blocks. */
export function writeTar(members: readonly TarMember[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  for (const m of members) {
    const name = m.type === "dir" && !m.name.endsWith("/") ? m.name + "/" : m.name;
    const content = m.type === "file" ? (m.content ?? new Uint8Array(0)) : new Uint8Array(0);
    const linkname = m.type === "symlink" ? (m.linkname ?? "") : "";
    const split = splitName(name);
    const pax: string[] = [];
    if (split === undefined) pax.push(paxRecord("path", name));
    if (enc.encode(linkname).length > 100) pax.push(paxRecord("linkpath", linkname));
    if (pax.length > 0) {
      const body = enc.encode(pax.join(""));
      const paxName = `PaxHeaders/${name.replace(/\/$/, "").split("/").pop()!.slice(0, 80)}`;
      chunks.push(header({ name: paxName, prefix: "", mode: 0o644, uid: 0, gid: 0, size: body.length, mtime: m.mtime, typeflag: "x", linkname: "" }));
      chunks.push(...padded(body));
    }
    const short = split ?? { prefix: "", name: name.slice(0, 100) };
    chunks.push(header({ name: short.name, prefix: short.prefix, mode: m.mode, uid: m.uid, gid: m.gid, size: content.length, mtime: m.mtime, typeflag: TYPEFLAG[m.type], linkname: linkname.slice(0, 100) }));
    if (content.length > 0) chunks.push(...padded(content));
  }
  chunks.push(new Uint8Array(2 * BLOCK));
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function field(h: Uint8Array, offset: number, width: number): string {
  const bytes = h.subarray(offset, offset + width);
  const nul = bytes.indexOf(0);
  return dec.decode(nul === -1 ? bytes : bytes.subarray(0, nul));
}

function number(h: Uint8Array, offset: number, width: number): number {
  const s = field(h, offset, width).trim();
  return s === "" ? 0 : parseInt(s, 8);
}

/** Read an archive written by `writeTar` (or any ustar/pax archive of files, directories and symlinks). */
export function readTar(data: Uint8Array): TarMember[] {
  const out: TarMember[] = [];
  let at = 0;
  let pax: Record<string, string> = {};
  while (at + BLOCK <= data.length) {
    const h = data.subarray(at, at + BLOCK);
    if (h.every((b) => b === 0)) break;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
    if (sum !== number(h, 148, 8)) throw new ContainerError("OCI_TAR_CHECKSUM", `tar: bad header checksum at offset ${at}`, { hint: "the layer blob is damaged" });
    const size = number(h, 124, 12);
    const typeflag = String.fromCharCode(h[156]!);
    const body = data.subarray(at + BLOCK, at + BLOCK + size);
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (typeflag === "x") {
      pax = {};
      for (const rec of dec.decode(body).split("\n")) {
        const m = /^\d+ ([^=]+)=(.*)$/s.exec(rec);
        if (m) pax[m[1]!] = m[2]!;
      }
      continue;
    }
    const prefix = field(h, 345, 155);
    const base = field(h, 0, 100);
    const name = pax.path ?? (prefix ? `${prefix}/${base}` : base);
    const type = typeflag === "5" ? "dir" : typeflag === "2" ? "symlink" : "file";
    const member: TarMember = {
      name,
      type,
      mode: number(h, 100, 8),
      uid: number(h, 108, 8),
      gid: number(h, 116, 8),
      mtime: number(h, 136, 12),
      ...(type === "file" ? { content: body.slice() } : {}),
      ...(type === "symlink" ? { linkname: pax.linkpath ?? field(h, 157, 100) } : {}),
    };
    out.push(member);
    pax = {};
  }
  return out;
}
