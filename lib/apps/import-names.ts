import { db } from "@/lib/db/client";
import { conflict } from "@/lib/errors";
import type { ImportNames } from "./import-layout";

type Kind = "image" | "vm" | "service";

/** Names of a user's images and templates, and the ones this import has chosen. */
export class NameBook implements ImportNames {
  private chosen = { image: new Set<string>(), vm: new Set<string>(), service: new Set<string>() };
  constructor(private ownerId: number) {}

  private async taken(kind: Kind, name: string) {
    if (this.chosen[kind].has(name)) return true;
    const where = { ownerId: this.ownerId, name };
    const row =
      kind === "image"
        ? await db().image.findFirst({ where, select: { id: true } })
        : kind === "vm"
          ? await db().vmTemplate.findFirst({ where, select: { id: true } })
          : await db().serviceTemplate.findFirst({ where, select: { id: true } });
    return row !== null;
  }

  private async exact(kind: Kind, name: string, label: string) {
    if (await this.taken(kind, name)) throw conflict("name", `you already have ${label} named "${name}"`);
    this.chosen[kind].add(name);
    return name;
  }

  private async free(kind: Kind, base: string) {
    const stem = Array.from(base).slice(0, 120).join("").trim();
    for (let n = 1; ; n++) {
      const name = n === 1 ? stem : `${stem}_${n}`;
      if (await this.taken(kind, name)) continue;
      this.chosen[kind].add(name);
      return name;
    }
  }

  exactImage = (name: string) => this.exact("image", name, "an image");
  exactVm = (name: string) => this.exact("vm", name, "a VM template");
  exactService = (name: string) => this.exact("service", name, "a service template");
  image = (base: string) => this.free("image", base);
  vm = (base: string) => this.free("vm", base);
}
