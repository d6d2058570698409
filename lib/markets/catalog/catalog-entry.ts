/** One appliance of a public catalog, as Bazaar stores it (identity: upstreamId + version). */
export interface CatalogEntry {
  upstreamId: string;
  version: string;
  name: string;
  type: "IMAGE" | "VMTEMPLATE" | "SERVICE_TEMPLATE";
  publisher: string;
  /** one line */
  shortDescription: string;
  description: string;
  tags: string[];
  /** x86_64, aarch64 or "" */
  architecture: string;
  hypervisor: string;
  /** qcow2, raw, … ("" for composite apps) */
  format: string;
  createdAt: Date | null;
  logoUrl: string;
  /** IMAGE apps: the file to download (size in bytes, checksums as the catalog gives them, "" when absent) */
  file: { url: string; size: number; md5: string; sha256: string } | null;
  /** what an image import recreates: the image type (OS, DATABLOCK, CDROM…) and its DEV_PREFIX when given */
  imageTemplate: { type: string; devPrefix?: string };
  /** the OpenNebula VM template text the app carries ("" for none) */
  vmTemplate: string;
  /** OneFlow JSON of a SERVICE_TEMPLATE app ("" otherwise) */
  serviceTemplate: string;
  /** composite apps: their parts by the upstream NAME the catalog uses (disks in order; roles with the role name as slot) */
  parts: { slot: string; name: string }[];
}

/** What a catalog answer held: the entries, and what was left out and why. */
export interface CatalogParse {
  entries: CatalogEntry[];
  skipped: { upstreamId: string; name: string; reason: string }[];
}
