import { parseTemplate, serializeTemplate, type Template, type TemplateAttribute } from "./template-text";

/**
 * A VM template as the console's form edits it, and its conversion to and from OpenNebula
 * template text. Pure and browser-safe: the form and the server share it.
 *
 * Known attributes become fields; whatever the form has no field for is kept as it was: sub-keys
 * of the known vectors in each part's `extra`, other top-level attributes (in their order) in the
 * spec's `extra` text. Numbers stay strings so that text → spec → text never rewrites a value;
 * the server validates them.
 */
export type Pairs = Record<string, string>;

export type NicSpec = { mode: "auto"; extra: Pairs } | { mode: "network"; network: string; extra: Pairs };

export type DiskSpec =
  | { kind: "image"; imageId: string; devPrefix: string; size: string; extra: Pairs }
  | { kind: "volatile"; type: "fs" | "swap"; size: string; extra: Pairs };

export interface VmTemplateSpec {
  cpu: string;
  vcpu: string;
  memoryMb: string;
  hypervisor: string;
  arch: string;
  /** OS sub-keys other than ARCH (BOOT, MACHINE…) */
  osExtra: Pairs;
  graphics: { type: "" | "VNC" | "SPICE"; listen: string; extra: Pairs };
  context: { network: boolean; sshPublicKey: string; extra: Pairs };
  nics: NicSpec[];
  disks: DiskSpec[];
  /** every other attribute, as template text */
  extra: string;
}

export const GRAPHICS_TYPES = ["VNC", "SPICE"] as const;
export const VOLATILE_DISK_TYPES = ["fs", "swap"] as const;

export function emptySpec(): VmTemplateSpec {
  return {
    cpu: "1",
    vcpu: "",
    memoryMb: "1024",
    hypervisor: "kvm",
    arch: "x86_64",
    osExtra: {},
    graphics: { type: "VNC", listen: "0.0.0.0", extra: {} },
    context: { network: true, sshPublicKey: "", extra: {} },
    nics: [],
    disks: [],
    extra: "",
  };
}

const vector = (v: TemplateAttribute["value"]): Pairs | null => (typeof v === "string" ? null : v);

/** Takes `key` out of `pairs`, returning its value ("" when absent). */
function take(pairs: Pairs, key: string): string {
  const v = pairs[key] ?? "";
  delete pairs[key];
  return v;
}

export function diskFromPairs(source: Pairs): DiskSpec {
  const pairs = { ...source };
  const type = (pairs.TYPE ?? "").toLowerCase();
  const byImage = "IMAGE_ID" in pairs || "IMAGE" in pairs;
  if (!byImage && (type === "fs" || type === "swap")) {
    delete pairs.TYPE;
    return { kind: "volatile", type, size: take(pairs, "SIZE"), extra: pairs };
  }
  return {
    kind: "image",
    imageId: take(pairs, "IMAGE_ID"),
    devPrefix: take(pairs, "DEV_PREFIX"),
    size: take(pairs, "SIZE"),
    extra: pairs,
  };
}

function nicFromPairs(source: Pairs): NicSpec {
  const pairs = { ...source };
  if ((pairs.NETWORK_MODE ?? "").toLowerCase() === "auto") {
    delete pairs.NETWORK_MODE;
    return { mode: "auto", extra: pairs };
  }
  return { mode: "network", network: take(pairs, "NETWORK"), extra: pairs };
}

/** Reads template text (without or with NAME: NAME goes to `extra` like any other attribute). */
export function templateToSpec(text: string): VmTemplateSpec {
  return attributesToSpec(parseTemplate(text));
}

export function attributesToSpec(template: Template): VmTemplateSpec {
  const spec: VmTemplateSpec = { ...emptySpec(), cpu: "", memoryMb: "", hypervisor: "", arch: "" };
  spec.graphics = { type: "", listen: "", extra: {} };
  spec.context = { network: false, sshPublicKey: "", extra: {} };
  const rest: Template = [];
  const seen = new Set<string>();
  // the first of each single attribute is a field; a repeated one stays in `extra`
  const first = (key: string) => {
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };

  for (const attr of template) {
    const { key, value } = attr;
    const vec = vector(value);
    if (key === "DISK" && vec) spec.disks.push(diskFromPairs(vec));
    else if (key === "NIC" && vec) spec.nics.push(nicFromPairs(vec));
    else if ((key === "CPU" || key === "VCPU" || key === "MEMORY" || key === "HYPERVISOR") && !vec && first(key)) {
      if (key === "CPU") spec.cpu = value as string;
      if (key === "VCPU") spec.vcpu = value as string;
      if (key === "MEMORY") spec.memoryMb = value as string;
      if (key === "HYPERVISOR") spec.hypervisor = value as string;
    } else if (key === "OS" && vec && first(key)) {
      const pairs = { ...vec };
      spec.arch = take(pairs, "ARCH");
      spec.osExtra = pairs;
    } else if (key === "GRAPHICS" && vec && first(key) && isGraphicsType(vec.TYPE ?? "")) {
      const pairs = { ...vec };
      const type = take(pairs, "TYPE").toUpperCase() as "VNC" | "SPICE";
      spec.graphics = { type, listen: take(pairs, "LISTEN"), extra: pairs };
    } else if (key === "CONTEXT" && vec && first(key)) {
      const pairs = { ...vec };
      const network = (pairs.NETWORK ?? "").toUpperCase() === "YES";
      if (network) delete pairs.NETWORK;
      spec.context = { network, sshPublicKey: take(pairs, "SSH_PUBLIC_KEY"), extra: pairs };
    } else rest.push(attr);
  }
  spec.extra = rest.length ? serializeTemplate(rest) : "";
  return spec;
}

function isGraphicsType(t: string): boolean {
  return (GRAPHICS_TYPES as readonly string[]).includes(t.toUpperCase());
}

const nonEmpty = (pairs: Pairs): Pairs => Object.fromEntries(Object.entries(pairs).filter(([, v]) => v !== ""));

/** The attributes a spec stands for; throws TemplateSyntaxError when `extra` is not template text. */
export function specToAttributes(spec: VmTemplateSpec): Template {
  const out: Template = [];
  const single = (key: string, value: string) => {
    if (value.trim() !== "") out.push({ key, value: value.trim() });
  };
  single("CPU", spec.cpu);
  single("VCPU", spec.vcpu);
  single("MEMORY", spec.memoryMb);
  single("HYPERVISOR", spec.hypervisor);
  const os = nonEmpty({ ARCH: spec.arch.trim(), ...spec.osExtra });
  if (Object.keys(os).length) out.push({ key: "OS", value: os });
  for (const d of spec.disks) {
    const pairs: Pairs =
      d.kind === "volatile"
        ? { TYPE: d.type, SIZE: d.size.trim() }
        : { IMAGE_ID: d.imageId.trim(), DEV_PREFIX: d.devPrefix.trim(), SIZE: d.size.trim() };
    out.push({ key: "DISK", value: { ...nonEmpty(pairs), ...d.extra } });
  }
  for (const n of spec.nics) {
    const pairs = n.mode === "auto" ? { NETWORK_MODE: "auto" } : nonEmpty({ NETWORK: n.network.trim() });
    out.push({ key: "NIC", value: { ...pairs, ...n.extra } });
  }
  if (spec.graphics.type) {
    const pairs = nonEmpty({ TYPE: spec.graphics.type, LISTEN: spec.graphics.listen.trim() });
    out.push({ key: "GRAPHICS", value: { ...pairs, ...spec.graphics.extra } });
  }
  const context = {
    ...(spec.context.network ? { NETWORK: "YES" } : {}),
    ...nonEmpty({ SSH_PUBLIC_KEY: spec.context.sshPublicKey.trim() }),
    ...spec.context.extra,
  };
  if (Object.keys(context).length) out.push({ key: "CONTEXT", value: context });
  if (spec.extra.trim()) out.push(...parseTemplate(spec.extra));
  return out;
}

export function specToTemplate(spec: VmTemplateSpec): string {
  return serializeTemplate(specToAttributes(spec));
}

export interface TemplateDisk {
  /** the disk's position among the DISK vectors (OpenNebula's DISK_ID), from 0 */
  index: number;
  /** its attributes (IMAGE_ID, DEV_PREFIX, SIZE, TYPE…) */
  attributes: Pairs;
  /** the image it uses, when it names one by id */
  imageId: number | null;
}

/** The DISK vectors of a template, in order; a DISK that is not a vector is skipped. */
export function templateDisks(text: string | Template): TemplateDisk[] {
  const template = typeof text === "string" ? parseTemplate(text) : text;
  const disks = template.flatMap((a) => (a.key === "DISK" && typeof a.value !== "string" ? [a.value] : []));
  return disks.map((attributes, index) => {
    const id = attributes.IMAGE_ID ?? "";
    return { index, attributes, imageId: /^\d{1,9}$/.test(id) ? Number(id) : null };
  });
}
