import type { CatalogApp } from "./appliance";

/**
 * A marketplace's VM disks as a simplestreams server (what `incus remote add <name> <url>
 * --protocol=simplestreams` reads): `streams/v1/index.json` names `streams/v1/images.json`,
 * which lists each qcow2 IMAGE app as a `virtual-machine` product with one version holding its
 * disk (`disk-kvm.img`, served at `files/<appId>/disk.qcow2`). Pure: the caller picks the apps.
 */

export const IMAGES_PATH = "streams/v1/images.json";
export const diskPath = (appId: number) => `files/${appId}/disk.qcow2`;
export const metadataPath = (appId: number) => `files/${appId}/lxd.tar.xz`;

/** An app's metadata tarball (lxd-metadata.ts) and, once known, sha256(tarball ‖ disk). */
export interface StreamsMetadata {
  size: number;
  sha256: string;
  combined: string | null;
}

/** OpenNebula's ARCH → the architecture names of simplestreams (an app for any host is offered as amd64). */
const ARCH: Record<string, string> = { x86_64: "amd64", aarch64: "arm64", "": "amd64" };

/** Whether an app is offered: a qcow2 disk of an architecture simplestreams can name. */
export const isStreamable = (app: Pick<CatalogApp, "type" | "format" | "architecture" | "sha256">) =>
  app.type === "IMAGE" && app.format === "qcow2" && ARCH[app.architecture] !== undefined && app.sha256 !== "";

/** `YYYYMMDD_HH:MM`, the version key Incus and LXD servers use (the app's creation, UTC). */
export function versionKey(date: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${date.getUTCFullYear()}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}_${p(date.getUTCHours())}:${p(date.getUTCMinutes())}`;
}

/** A product id without the ":" that separates its parts: `bazaar-<appId>:<version>:<arch>:default`. */
const productId = (app: CatalogApp) =>
  [`bazaar-${app.id}`, app.version.replace(/[:\s]+/g, "-") || "0.0", ARCH[app.architecture], "default"].join(":");

/** An alias users type (`incus launch <remote>:<alias> --vm`): the app's name, lower-case, dashes for the rest. */
export function aliasOf(app: Pick<CatalogApp, "id" | "name">): string {
  const slug = app.name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9.]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug || `app-${app.id}`;
}

/**
 * The product list. An app whose metadata is given gets its `lxd.tar.xz` item too (Incus lists a
 * VM version only with it), with the combined fingerprint when it is known.
 */
export function streamsImages(apps: CatalogApp[], metadata: Map<number, StreamsMetadata> = new Map()) {
  const products: Record<string, unknown> = {};
  const aliases = new Set<string>();
  for (const app of apps.filter(isStreamable)) {
    // an alias names one product; a second app of the same name is reached by its id
    let alias = aliasOf(app);
    if (aliases.has(alias)) alias = `${alias}-${app.id}`;
    aliases.add(alias);
    const meta = metadata.get(app.id);
    products[productId(app)] = {
      aliases: alias,
      arch: ARCH[app.architecture],
      os: app.name,
      release: app.version || "0.0",
      release_title: app.version || "0.0",
      variant: "default",
      versions: {
        [versionKey(app.createdAt)]: {
          items: {
            "disk-kvm.img": {
              ftype: "disk-kvm.img",
              path: diskPath(app.id),
              size: Number(app.sizeBytes),
              sha256: app.sha256,
              ...(app.md5 && { md5: app.md5 }),
            },
            ...(meta && {
              "lxd.tar.xz": {
                ftype: "lxd.tar.xz",
                path: metadataPath(app.id),
                size: meta.size,
                sha256: meta.sha256,
                ...(meta.combined && { "combined_disk-kvm-img_sha256": meta.combined }),
              },
            }),
          },
        },
      },
    };
  }
  return { content_id: "images", datatype: "image-downloads", format: "products:1.0", products };
}

export function streamsIndex(apps: CatalogApp[]) {
  return {
    format: "index:1.0",
    index: {
      images: {
        datatype: "image-downloads",
        format: "products:1.0",
        path: IMAGES_PATH,
        products: Object.keys(streamsImages(apps).products),
      },
    },
  };
}
