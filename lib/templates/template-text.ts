import { AppError } from "@/lib/errors";

/**
 * OpenNebula's template text syntax, as `onetemplate create` reads it and `onetemplate show`
 * prints it: `CPU = "1"`, `DISK = [ IMAGE_ID = "3", DEV_PREFIX = "vd" ]`, `#` comments.
 *
 * Quoted values follow OpenNebula's lexer: `\"` is a quote and every other backslash is literal,
 * so scripts with `\n` or `\\` in them travel to and from OpenNebula unchanged. The price is
 * that no value can end with a backslash (its closing quote would read as escaped), which
 * OpenNebula cannot express either; the serializer refuses such a value instead of corrupting it.
 */
export type TemplateValue = string | Record<string, string>;
export type TemplateAttribute = { key: string; value: TemplateValue };
/** Attributes in their written order; a key may repeat (several DISK or NIC). */
export type Template = TemplateAttribute[];

export const MAX_TEMPLATE_BYTES = 64 * 1024;
export const MAX_TEMPLATE_ATTRIBUTES = 1000;

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** What ends a key or an unquoted value (OpenNebula's lexer also stops at these). */
const DELIMITER = /[\s=#,[\]]/;

export function isTemplateKey(key: string): boolean {
  return KEY.test(key);
}

export class TemplateSyntaxError extends AppError {
  readonly line: number;
  readonly column: number;

  constructor(line: number, column: number, reason: string) {
    super("INVALID", `line ${line}, column ${column}: ${reason}`);
    this.name = "TemplateSyntaxError";
    this.line = line;
    this.column = column;
  }
}

export function parseTemplate(text: string): Template {
  return new Parser(text).parse();
}

/** The values of every attribute named `key` (any case), in order. */
export function getAll(template: Template, key: string): TemplateValue[] {
  const wanted = key.toUpperCase();
  return template.filter((a) => a.key === wanted).map((a) => a.value);
}

/** The first single (non-vector) value named `key` (any case). */
export function getFirst(template: Template, key: string): string | undefined {
  return getAll(template, key).find((v): v is string => typeof v === "string");
}

/** Canonical text: one attribute a line, values always quoted, vectors one pair a line. */
export function serializeTemplate(template: Template): string {
  const lines = template.map(({ key, value }) => {
    const name = checkedKey(key);
    if (typeof value === "string") return `${name} = ${quote(value, name)}`;
    const seen = new Set<string>();
    const pairs = Object.entries(value).map(([k, v]) => {
      const sub = checkedKey(k);
      if (seen.has(sub)) throw new AppError("INVALID", `${sub} appears twice in ${name}`);
      seen.add(sub);
      return `  ${sub} = ${quote(v, `${name}/${sub}`)}`;
    });
    return pairs.length === 0 ? `${name} = [ ]` : `${name} = [\n${pairs.join(",\n")} ]`;
  });
  return lines.map((l) => `${l}\n`).join("");
}

function checkedKey(key: string): string {
  if (!isTemplateKey(key)) throw new AppError("INVALID", `invalid attribute name ${JSON.stringify(key)}`);
  return key.toUpperCase();
}

function quote(value: string, where: string): string {
  if (value.endsWith("\\")) {
    throw new AppError("INVALID", `${where}: a template value cannot end with a backslash`);
  }
  return `"${value.replaceAll('"', '\\"')}"`;
}

function describeChar(c: string | undefined): string {
  if (c === undefined) return "end of input";
  if (c === "\n" || c === "\r") return "end of line";
  return JSON.stringify(c);
}

class Parser {
  private i = 0;
  /** The vector being read, so that running out of input blames its "[". */
  private open: { key: string; at: number } | null = null;

  constructor(private readonly src: string) {}

  parse(): Template {
    this.checkSize();
    const out: Template = [];
    for (;;) {
      this.skip(true);
      if (this.i >= this.src.length) return out;
      const start = this.i;
      const key = this.key("an attribute name");
      if (out.length === MAX_TEMPLATE_ATTRIBUTES) {
        this.fail(start, `more than ${MAX_TEMPLATE_ATTRIBUTES} attributes`);
      }
      this.skip(false);
      this.expect("=", `after ${key}`);
      this.skip(false);
      const c = this.src[this.i];
      // `KEY =` alone on its line is an empty value, as in OpenNebula
      const empty = c === undefined || c === "\n";
      out.push({ key, value: c === "[" ? this.vector(key) : empty ? "" : this.value(key) });
      this.endOfLine(key);
    }
  }

  private vector(key: string): Record<string, string> {
    const openedAt = this.i++;
    this.open = { key, at: openedAt };
    const pairs: Record<string, string> = {};
    for (;;) {
      this.skip(true);
      if (this.src[this.i] === "]") break;
      const start = this.i;
      const sub = this.key(`an attribute name or "]" in ${key}`);
      this.skip(false);
      this.expect("=", `after ${sub} in ${key}`);
      this.skip(false);
      if (this.src[this.i] === "[") {
        const line = this.locate(openedAt).line;
        this.fail(this.i, `${sub} cannot be a vector inside ${key} (opened on line ${line}); is a "]" missing?`);
      }
      if (Object.hasOwn(pairs, sub)) this.fail(start, `${sub} appears twice in ${key}`);
      pairs[sub] = this.value(sub);
      const afterValue = this.i;
      this.skip(true);
      const c = this.src[this.i];
      if (c === "]") break;
      if (c !== ",") this.fail(afterValue, `expected "," or "]" after the value of ${sub} in ${key}`);
      this.i++;
    }
    this.i++;
    this.open = null;
    return pairs;
  }

  /** A quoted string or an unquoted token. */
  private value(key: string): string {
    if (this.src[this.i] === '"') return this.quoted();
    const start = this.i;
    while (this.i < this.src.length && !DELIMITER.test(this.src[this.i])) this.i++;
    if (this.i === start) this.fail(start, `expected a value for ${key}, found ${describeChar(this.src[start])}`);
    return this.src.slice(start, this.i);
  }

  private quoted(): string {
    const start = this.i;
    let out = "";
    for (let j = start + 1; j < this.src.length; j++) {
      const c = this.src[j];
      if (c === "\\" && this.src[j + 1] === '"') {
        out += '"';
        j++;
      } else if (c === '"') {
        this.i = j + 1;
        return out;
      } else {
        out += c;
      }
    }
    return this.fail(start, 'unterminated string: the quote opened here has no closing "');
  }

  private key(what: string): string {
    const start = this.i;
    while (this.i < this.src.length && !DELIMITER.test(this.src[this.i]) && this.src[this.i] !== '"') this.i++;
    const word = this.src.slice(start, this.i);
    if (!word) this.fail(start, `expected ${what}, found ${describeChar(this.src[start])}`);
    if (!isTemplateKey(word)) {
      this.fail(
        start,
        `invalid attribute name ${JSON.stringify(word)} (letters, digits and "_", not starting with a digit)`,
      );
    }
    return word.toUpperCase();
  }

  private expect(token: string, context: string): void {
    const c = this.src[this.i];
    if (c !== token) this.fail(this.i, `expected "${token}" ${context}, found ${describeChar(c)}`);
    this.i++;
  }

  /** After a top-level value only blanks and a comment may follow on its line. */
  private endOfLine(key: string): void {
    this.skip(false);
    const c = this.src[this.i];
    if (c === undefined || c === "\n" || c === "#") return; // a trailing comment is skipped with the next line
    const hint = c === "," ? ' (commas only separate the attributes inside "[ ]")' : "";
    this.fail(this.i, `unexpected ${describeChar(c)} after the value of ${key}${hint}`);
  }

  /** Skips blanks; with `lines`, also line breaks and `#` comments. */
  private skip(lines: boolean): void {
    for (;;) {
      const c = this.src[this.i];
      if (c === " " || c === "\t" || c === "\r" || (lines && c === "\n")) this.i++;
      else if (lines && c === "#") while (this.i < this.src.length && this.src[this.i] !== "\n") this.i++;
      else return;
    }
  }

  private checkSize(): void {
    // Every character takes at least one byte, so encoding one past the limit is enough.
    const bytes = new TextEncoder().encode(this.src.slice(0, MAX_TEMPLATE_BYTES + 1));
    if (bytes.length <= MAX_TEMPLATE_BYTES) return;
    const within = new TextDecoder().decode(bytes.subarray(0, MAX_TEMPLATE_BYTES)).length;
    this.fail(within, `the template is larger than ${MAX_TEMPLATE_BYTES / 1024} KiB`);
  }

  private locate(at: number): { line: number; column: number } {
    const before = this.src.slice(0, at);
    const lineStart = before.lastIndexOf("\n") + 1;
    return { line: before.split("\n").length, column: at - lineStart + 1 };
  }

  private fail(at: number, reason: string): never {
    if (this.open && this.i >= this.src.length) {
      at = this.open.at;
      reason = `vector ${this.open.key} is never closed: "]" missing`;
    }
    const { line, column } = this.locate(at);
    throw new TemplateSyntaxError(line, column, reason);
  }
}
