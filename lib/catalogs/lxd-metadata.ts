import type { CatalogApp } from "./appliance";

/**
 * The metadata tarball Incus and LXD want next to a VM disk (`lxd.tar.xz` item): an
 * uncompressed tar (they read the compression from the bytes, not from the name) holding
 * `metadata.yaml`. Deterministic, so that its sha256 and the combined fingerprint do not change
 * between requests.
 */

const ARCH: Record<string, string> = { x86_64: "x86_64", aarch64: "aarch64", "": "x86_64" };

/** One 512-byte ustar header for a regular file. */
function header(name: string, size: number, mtime: number): Buffer {
  const h = Buffer.alloc(512, 0);
  const put = (text: string, offset: number, length: number) => h.write(text, offset, length, "ascii");
  const octal = (n: number, length: number) => n.toString(8).padStart(length - 1, "0") + "\0";
  put(name, 0, 100);
  put(octal(0o644, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(size, 12), 124, 12);
  put(octal(mtime, 12), 136, 12);
  put("        ", 148, 8); // the checksum counts its own field as spaces
  put("0", 156, 1);
  put("ustar\0", 257, 6);
  put("00", 263, 2);
  put("root", 265, 32);
  put("root", 297, 32);
  let sum = 0;
  for (const byte of h) sum += byte;
  put(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8);
  return h;
}

function tar(files: { name: string; data: Buffer }[], mtime: number): Buffer {
  const parts: Buffer[] = [];
  for (const f of files) {
    parts.push(header(f.name, f.data.length, mtime), f.data);
    const pad = (512 - (f.data.length % 512)) % 512;
    if (pad) parts.push(Buffer.alloc(pad, 0));
  }
  parts.push(Buffer.alloc(1024, 0));
  return Buffer.concat(parts);
}

/** metadata.yaml: JSON strings are YAML double-quoted scalars, so every value is quoted safely. */
export function metadataYaml(app: CatalogApp): string {
  const q = (v: string) => JSON.stringify(v);
  const arch = ARCH[app.architecture] ?? "x86_64";
  return [
    `architecture: ${q(arch)}`,
    `creation_date: ${Math.floor(app.createdAt.getTime() / 1000)}`,
    "properties:",
    `  architecture: ${q(arch)}`,
    `  description: ${q(app.shortDescription || app.name)}`,
    `  os: ${q(app.name)}`,
    `  release: ${q(app.version || "0.0")}`,
    `  variant: "default"`,
    `  type: "virtual-machine"`,
    "",
  ].join("\n");
}

export function metadataTarball(app: CatalogApp): Buffer {
  const mtime = Math.floor(app.createdAt.getTime() / 1000);
  return tar([{ name: "metadata.yaml", data: Buffer.from(metadataYaml(app), "utf8") }], mtime);
}
