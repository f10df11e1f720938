// Rendered views: what every display helper returns — an HTML or SVG body plus a plain-text fallback.

/** The two kinds of rich output the helpers produce; each maps to one Jupyter MIME type. */
export type RenderedKind = "html" | "svg";

/** A display-ready value: the rich body for Jupyter and a plain-text rendering for terminals and logs. */
export interface Rendered {
  readonly kind: RenderedKind;
  /** HTML fragment (kind "html") or a complete `<svg>` document (kind "svg"). */
  readonly body: string;
  /** The same content as plain text, used when no rich display is available. */
  readonly text: string;
}

/** Builds an HTML view. */
export function html(body: string, text: string): Rendered {
  return { kind: "html", body, text };
}

/** Builds an SVG view. */
export function svg(body: string, text: string): Rendered {
  return { kind: "svg", body, text };
}

/** Escapes text for use inside HTML element content and attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/**
 * Wraps an SVG document in an HTML `<img>` with a data URI. Jupyter front ends draw it, and so does
 * nbconvert's HTML export, whose sanitizer strips the elements of inline `image/svg+xml` outputs; an image
 * also keeps the ids inside one chart (vega's clip paths) from clashing with another chart's.
 */
export function svgImageHtml(svgDocument: string, alt: string): string {
  const data = Buffer.from(svgDocument, "utf8").toString("base64");
  return `<img class="vmlab-chart" alt="${escapeHtml(alt)}" src="data:image/svg+xml;base64,${data}">`;
}

/** Formats a value as an unsigned 32-bit hexadecimal word: 0x0000002a. */
export function hexWord(value: number): string {
  return "0x" + (value >>> 0).toString(16).padStart(8, "0");
}

/** Formats a value as two hexadecimal digits. */
export function hexByte(value: number): string {
  return (value & 0xff).toString(16).padStart(2, "0");
}

/** Formats a number for a table cell: integers with thousands separators, others with up to 3 decimals. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  return value.toLocaleString("en-US", { maximumFractionDigits: 3 });
}
