import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import {
  getAll,
  getFirst,
  MAX_TEMPLATE_ATTRIBUTES,
  MAX_TEMPLATE_BYTES,
  parseTemplate,
  serializeTemplate,
  type Template,
  TemplateSyntaxError,
} from "./template-text";

const VM_TEMPLATE = `# Ubuntu 24.04 for the web tier
NAME = "ubuntu-web"
CPU = 0.5
vcpu=2
MEMORY = "2048"
DESCRIPTION = "Says \\"hello\\" on boot"
OS = [ ARCH = "x86_64" ]
DISK = [ IMAGE_ID = "3", DEV_PREFIX = "vd" ]
DISK = [
  IMAGE_ID = 7,
  size = "10240",
]
NIC = [ NETWORK_MODE = "auto", MODEL = "virtio" ]

CONTEXT = [
  NETWORK = "YES",
  SSH_PUBLIC_KEY = "$USER[SSH_PUBLIC_KEY]",
  START_SCRIPT = "#!/bin/sh
printf 'ready\\n' > /tmp/ready" ]
GRAPHICS = [ TYPE = "VNC", LISTEN = "0.0.0.0" ]
LABELS = ""
`;

describe("parseTemplate", () => {
  it("reads a realistic VM template", () => {
    expect(parseTemplate(VM_TEMPLATE)).toEqual([
      { key: "NAME", value: "ubuntu-web" },
      { key: "CPU", value: "0.5" },
      { key: "VCPU", value: "2" },
      { key: "MEMORY", value: "2048" },
      { key: "DESCRIPTION", value: 'Says "hello" on boot' },
      { key: "OS", value: { ARCH: "x86_64" } },
      { key: "DISK", value: { IMAGE_ID: "3", DEV_PREFIX: "vd" } },
      { key: "DISK", value: { IMAGE_ID: "7", SIZE: "10240" } },
      { key: "NIC", value: { NETWORK_MODE: "auto", MODEL: "virtio" } },
      {
        key: "CONTEXT",
        value: {
          NETWORK: "YES",
          SSH_PUBLIC_KEY: "$USER[SSH_PUBLIC_KEY]",
          START_SCRIPT: "#!/bin/sh\nprintf 'ready\\n' > /tmp/ready",
        },
      },
      { key: "GRAPHICS", value: { TYPE: "VNC", LISTEN: "0.0.0.0" } },
      { key: "LABELS", value: "" },
    ]);
  });

  it("reads OpenNebula's compact style, empty values, empty vectors and trailing comments", () => {
    const text = 'CPU="1" # one core\r\nCONTEXT=[\r\n  # network first\r\n  NETWORK="YES" ]\r\nLOGO =\nPCI = [ ]\n';
    expect(parseTemplate(text)).toEqual([
      { key: "CPU", value: "1" },
      { key: "CONTEXT", value: { NETWORK: "YES" } },
      { key: "LOGO", value: "" },
      { key: "PCI", value: {} },
    ]);
    expect(parseTemplate("  \n# nothing\n")).toEqual([]);
  });

  it("keeps backslashes other than before a quote, as OpenNebula does", () => {
    const [attr] = parseTemplate(String.raw`SCRIPT = "sed 's/\\/\//' \n \"q\""`);
    expect(attr.value).toBe(String.raw`sed 's/\\/\//' \n "q"`);
  });
});

describe("getAll and getFirst", () => {
  const t = parseTemplate(VM_TEMPLATE);
  it("find attributes by key in any case, in order", () => {
    expect(getAll(t, "disk")).toEqual([
      { IMAGE_ID: "3", DEV_PREFIX: "vd" },
      { IMAGE_ID: "7", SIZE: "10240" },
    ]);
    expect(getFirst(t, "Memory")).toBe("2048");
    expect(getFirst(t, "OS")).toBeUndefined();
    expect(getFirst(t, "HYPERVISOR")).toBeUndefined();
  });
});

describe("serializeTemplate", () => {
  it("writes canonical text in onetemplate show's layout", () => {
    const t: Template = [
      { key: "cpu", value: "1" },
      { key: "DISK", value: { IMAGE_ID: "3", DEV_PREFIX: "vd" } },
      { key: "PCI", value: {} },
      { key: "NOTE", value: 'a "b" c:\\d' },
    ];
    expect(serializeTemplate(t)).toBe(
      'CPU = "1"\nDISK = [\n  IMAGE_ID = "3",\n  DEV_PREFIX = "vd" ]\nPCI = [ ]\nNOTE = "a \\"b\\" c:\\d"\n',
    );
    expect(serializeTemplate([])).toBe("");
  });

  it("round-trips the VM template", () => {
    const parsed = parseTemplate(VM_TEMPLATE);
    const text = serializeTemplate(parsed);
    expect(parseTemplate(text)).toEqual(parsed);
    expect(serializeTemplate(parseTemplate(text))).toBe(text);
  });

  it("refuses what the syntax cannot express", () => {
    expect(() => serializeTemplate([{ key: "A", value: "ends with \\" }])).toThrow(/cannot end with a backslash/);
    expect(() => serializeTemplate([{ key: "9A", value: "" }])).toThrow(AppError);
    expect(() => serializeTemplate([{ key: "D", value: { a: "1", A: "2" } }])).toThrow(/A appears twice in D/);
  });
});

/** mulberry32: a small seeded PRNG, so that a failure reproduces. */
function prng(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  return { int, pick, chance: (p: number) => next() < p };
}

const KEYS = ["CPU", "disk", "Nic", "CONTEXT", "_x", "A1", "image_id", "DEV_PREFIX", "B"];
const CHARS = ['"', "\\", "\n", ",", "[", "]", "=", "#", " ", "\t", "a", "Z", "0", "é", "$", "'"];

function randomTemplate(r: ReturnType<typeof prng>): Template {
  const value = () => {
    let s = Array.from({ length: r.int(8) }, () => r.pick(CHARS)).join("");
    if (s.endsWith("\\")) s += "x";
    return s;
  };
  return Array.from({ length: r.int(6) }, () => {
    if (r.chance(0.5)) return { key: r.pick(KEYS), value: value() };
    const subKeys = [...new Set(Array.from({ length: r.int(4) }, () => r.pick(KEYS).toUpperCase()))];
    return { key: r.pick(KEYS), value: Object.fromEntries(subKeys.map((k) => [k, value()])) };
  });
}

/** The same template, written by hand: unquoted where possible, odd spacing, comments. */
function looseText(t: Template, r: ReturnType<typeof prng>): string {
  const sp = () => r.pick(["", " ", "  ", "\t"]);
  const val = (v: string) => (/^[A-Za-z0-9_.$'é]+$/.test(v) && r.chance(0.5) ? v : `"${v.replaceAll('"', '\\"')}"`);
  return t
    .map(({ key, value }) => {
      const head = `${sp()}${key}${sp()}=${sp()}`;
      if (typeof value === "string") return head + val(value) + (r.chance(0.2) ? " # note" : "");
      const pairs = Object.entries(value).map(([k, v]) => `${k.toLowerCase()}${sp()}=${sp()}${val(v)}`);
      const sep = r.pick([",", ", ", ",\n  ", "\n, # c\n"]);
      return `${head}[${r.pick(["", "\n"])}${pairs.join(sep)}${r.chance(0.3) && pairs.length ? "," : ""}${sp()}]`;
    })
    .join(r.pick(["\n", "\n\n# comment\n"]));
}

describe("round trips over generated templates", () => {
  const upper = (t: Template): Template => t.map(({ key, value }) => ({ key: key.toUpperCase(), value }));

  it("parse(serialize(t)) is t and serialize is stable", () => {
    const r = prng(20240605);
    for (let n = 0; n < 500; n++) {
      const t = randomTemplate(r);
      const text = serializeTemplate(t);
      expect(parseTemplate(text), text).toEqual(upper(t));
      expect(serializeTemplate(parseTemplate(text))).toBe(text);
    }
  });

  it("reads hand-written text and round-trips what it read", () => {
    const r = prng(42);
    for (let n = 0; n < 500; n++) {
      const t = randomTemplate(r);
      const text = looseText(t, r);
      const parsed = parseTemplate(text);
      expect(parsed, text).toEqual(upper(t));
      expect(parseTemplate(serializeTemplate(parsed))).toEqual(parsed);
    }
  });
});

describe("syntax errors", () => {
  const errorOf = (text: string): TemplateSyntaxError => {
    try {
      parseTemplate(text);
    } catch (err) {
      if (err instanceof TemplateSyntaxError) return err;
      throw err;
    }
    throw new Error("no error");
  };

  it.each([
    ["missing =", 'CPU = "1"\n\nDISK [ IMAGE_ID = "3" ]', 3, 6, 'expected "=" after DISK, found "["'],
    [
      "missing = in a vector",
      'DISK = [\n  IMAGE_ID = "3",\n  DEV_PREFIX "vd" ]',
      3,
      14,
      'expected "=" after DEV_PREFIX in DISK',
    ],
    ["unterminated string", 'CPU = "1"\nSCRIPT = "echo hi\nMEMORY = 2\n', 2, 10, "unterminated string"],
    ["unterminated string in a vector", 'CONTEXT = [\n  A = "x",\n  B = "y\n ]', 3, 7, "unterminated string"],
    [
      "unterminated vector",
      'CPU = 1\nDISK = [\n  IMAGE_ID = "3",\n  SIZE = 4',
      2,
      8,
      'vector DISK is never closed: "]" missing',
    ],
    [
      "nested vector",
      'DISK = [\n  IMAGE_ID = "3",\nNIC = [ NETWORK_MODE = "auto" ]',
      3,
      7,
      "NIC cannot be a vector inside DISK (opened on line 1)",
    ],
    [
      "missing comma in a vector",
      'DISK = [\n  IMAGE_ID = "3"\n  SIZE = 4 ]',
      2,
      17,
      'expected "," or "]" after the value of IMAGE_ID in DISK',
    ],
    ["duplicate key in a vector", "OS = [ ARCH = x86_64,\n  arch = aarch64 ]", 2, 3, "ARCH appears twice in OS"],
    ["bad key", 'CPU = 1\n  1ST = "a"', 2, 3, 'invalid attribute name "1ST"'],
    ["bad key in a vector", "OS = [\n  BOOT-ORDER = disk0 ]", 2, 3, 'invalid attribute name "BOOT-ORDER"'],
    ["= without key", 'CPU = 1\n= "3"', 2, 1, 'expected an attribute name, found "="'],
    ["garbage after a value", 'CPU = "1" x\nMEMORY = 2', 1, 11, 'unexpected "x" after the value of CPU'],
    ["garbage after an unquoted value", "ARCH = x86=64", 1, 11, 'unexpected "=" after the value of ARCH'],
    ["garbage after a vector", 'OS = [ ARCH = "x86_64" ] ]', 1, 26, 'unexpected "]" after the value of OS'],
    ["comma outside a vector", 'CPU = "1", MEMORY = "2"', 1, 10, "commas only separate the attributes inside"],
    [
      "missing value in a vector",
      "DISK = [ IMAGE_ID = , SIZE = 1 ]",
      1,
      21,
      'expected a value for IMAGE_ID, found ","',
    ],
  ])("%s", (_name, text, line, column, message) => {
    const err = errorOf(text);
    expect({ line: err.line, column: err.column }).toEqual({ line, column });
    expect(err.message).toContain(`line ${line}, column ${column}: `);
    expect(err.message).toContain(message);
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe("INVALID");
  });

  it("limits the size, on the line where the limit is crossed", () => {
    const line = `DESCRIPTION = "${"x".repeat(1000)}"\n`;
    const err = errorOf(line.repeat(Math.ceil(MAX_TEMPLATE_BYTES / line.length) + 1));
    expect(err.message).toContain("larger than 64 KiB");
    expect(err.line).toBe(Math.floor(MAX_TEMPLATE_BYTES / line.length) + 1);
  });

  it("limits the number of attributes", () => {
    const err = errorOf("A = 1\n".repeat(MAX_TEMPLATE_ATTRIBUTES + 1));
    expect(err.line).toBe(MAX_TEMPLATE_ATTRIBUTES + 1);
    expect(err.message).toContain(`more than ${MAX_TEMPLATE_ATTRIBUTES} attributes`);
    expect(parseTemplate("A = 1\n".repeat(MAX_TEMPLATE_ATTRIBUTES))).toHaveLength(MAX_TEMPLATE_ATTRIBUTES);
  });
});
