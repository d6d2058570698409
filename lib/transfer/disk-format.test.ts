import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { convertImage, probeImage, rawLooksLikeDisk } from "./disk-format";

/** Format detection and refusals, on real files made by qemu-img. */
const dir = mkdtempSync(path.join(tmpdir(), "bazaar-disk-"));
const file = (name: string) => path.join(dir, name);
const qemuImg = (...args: string[]) => execFileSync("qemu-img", args, { stdio: "pipe" });
const MiB = 1024 * 1024;

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("probeImage", () => {
  it.each([
    ["qcow2", []],
    ["vmdk", []],
    ["vmdk", ["-o", "subformat=streamOptimized"]],
    ["vdi", []],
  ])("recognises %s %j", async (format, options) => {
    const f = file(`disk-${format}-${options.length}.${format}`);
    qemuImg("create", "-q", "-f", format, ...options, f, "16M");
    expect(await probeImage(f)).toEqual({ format, virtualSize: 16 * MiB, refusal: null });
  });

  it("takes other bytes as raw, with their size as the virtual size", async () => {
    writeFileSync(file("disk.raw"), randomBytes(MiB));
    expect(await probeImage(file("disk.raw"))).toEqual({ format: "raw", virtualSize: MiB, refusal: null });
  });

  it("recognises an ISO 9660 image (CD001 at 0x8001), which qemu-img calls raw", async () => {
    const iso = Buffer.alloc(64 * 1024);
    iso.write("\x01CD001\x01", 0x8000, "latin1");
    writeFileSync(file("cd.iso"), iso);
    expect(await probeImage(file("cd.iso"))).toEqual({ format: "iso", virtualSize: iso.length, refusal: null });
  });

  it("refuses a qcow2 with a backing file", async () => {
    qemuImg("create", "-q", "-f", "qcow2", file("base.qcow2"), "16M");
    qemuImg("create", "-q", "-f", "qcow2", "-b", file("base.qcow2"), "-F", "qcow2", file("overlay.qcow2"));
    expect(await probeImage(file("overlay.qcow2"))).toMatchObject({
      format: "qcow2",
      refusal: "qcow2 images with a backing file are refused",
    });
  });

  it("refuses a qcow2 with an external data file", async () => {
    qemuImg("create", "-q", "-f", "qcow2", "-o", `data_file=${file("external.data")}`, file("data-file.qcow2"), "16M");
    expect(await probeImage(file("data-file.qcow2"))).toMatchObject({
      refusal: "qcow2 images with an external data file are refused",
    });
  });

  it("refuses a VMDK descriptor whose extent is another file of the host", async () => {
    writeFileSync(file("secret"), Buffer.alloc(512, "s"));
    const descriptor = (createType: string) =>
      [
        "# Disk DescriptorFile",
        "version=1",
        "CID=fffffffe",
        "parentCID=ffffffff",
        `createType="${createType}"`,
        `RW 1 FLAT "${file("secret")}" 0`,
        "",
      ].join("\n");
    writeFileSync(file("flat.vmdk"), descriptor("monolithicFlat"));
    expect(await probeImage(file("flat.vmdk"))).toMatchObject({
      format: "vmdk",
      refusal: expect.stringMatching(/^VMDK images of type "monolithicFlat" are refused/),
    });
    // lying about the type does not help
    writeFileSync(file("liar.vmdk"), descriptor("monolithicSparse"));
    expect((await probeImage(file("liar.vmdk"))).refusal).toEqual(expect.any(String));
  });

  it("refuses a VMDK split over several files", async () => {
    qemuImg("create", "-q", "-f", "vmdk", "-o", "subformat=twoGbMaxExtentSparse", file("split.vmdk"), "16M");
    expect(await probeImage(file("split.vmdk"))).toMatchObject({
      refusal: expect.stringContaining("twoGbMaxExtentSparse"),
    });
  });
});

describe("rawLooksLikeDisk", () => {
  const check = async (name: string, data: Buffer) => {
    writeFileSync(file(name), data);
    return rawLooksLikeDisk(file(name), data.length);
  };

  it("takes whole sectors of binary data", async () => {
    expect(await check("sectors.raw", randomBytes(4096))).toBeNull();
    expect(await check("zeros.raw", Buffer.alloc(4096))).toBeNull();
  });

  it("refuses text, a size that is not whole sectors, and an empty file", async () => {
    expect(await check("notes.txt", Buffer.from("<html>an error page</html>\n".padEnd(1024, " ")))).toBe(
      "the file is text, not a disk image",
    );
    expect(await check("odd.raw", randomBytes(1000))).toBe(
      "the file is not a disk image (raw disks are a multiple of 512 bytes; this is 1000 bytes)",
    );
    expect(await check("empty.raw", Buffer.alloc(0))).toBe("the file is empty");
  });
});

describe("convertImage", () => {
  it("converts qcow2 to raw with the same content, reporting progress up to 1", async () => {
    const raw = file("source.raw");
    writeFileSync(raw, Buffer.concat([randomBytes(MiB), Buffer.alloc(3 * MiB)]));
    qemuImg("convert", "-q", "-f", "raw", "-O", "qcow2", raw, file("source.qcow2"));
    const progress: number[] = [];
    await convertImage(file("source.qcow2"), file("back.raw"), "qcow2", "raw", { onProgress: (f) => progress.push(f) });
    expect(readFileSync(file("back.raw")).equals(readFileSync(raw))).toBe(true);
    expect(statSync(file("back.raw")).size).toBe(4 * MiB);
    expect(progress.at(-1)).toBe(1);
  });

  it("rejects with qemu-img's reason when it fails", async () => {
    writeFileSync(file("not.qcow2"), randomBytes(4096));
    await expect(convertImage(file("not.qcow2"), file("never.raw"), "qcow2", "raw")).rejects.toThrow(
      /^qemu-img convert failed: /,
    );
  });
});
