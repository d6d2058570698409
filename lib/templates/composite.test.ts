import { describe, expect, it } from "vitest";
import { appDisks, imageDisks, templateForImage, templateForMarket, templateFromMarket } from "./composite";
import { parseTemplate, serializeTemplate } from "./template-text";

const source = parseTemplate(`NAME = "web"
CPU = "1"
MEMORY = "512"
DISK = [ IMAGE_ID = "7", DEV_PREFIX = "vd" ]
DISK = [ TYPE = "fs", SIZE = "1024" ]
DISK = [ IMAGE = "data", IMAGE_UNAME = "pat", IMAGE_ID = "9" ]
NIC = [ NETWORK = "public", NETWORK_UNAME = "oneadmin", SECURITY_GROUPS = "0", MODEL = "virtio" ]
CONTEXT = [ NETWORK = "YES", SSH_PUBLIC_KEY = "$USER[SSH_PUBLIC_KEY]" ]
`);

describe("composite templates", () => {
  it("finds the image disks by position, skipping volatile ones", () => {
    expect(imageDisks(source)).toEqual([
      { index: 0, imageId: 7 },
      { index: 2, imageId: 9 },
    ]);
  });

  it("names child apps by id in the market, drops networks and the name, keeps the rest in order", () => {
    const market = templateForMarket(
      source,
      new Map([
        [0, 41],
        [2, 42],
      ]),
    );
    expect(serializeTemplate(market)).toBe(`CPU = "1"
MEMORY = "512"
DISK = [
  APP_ID = "41",
  DEV_PREFIX = "vd" ]
DISK = [
  TYPE = "fs",
  SIZE = "1024" ]
DISK = [
  APP_ID = "42" ]
NIC = [
  NETWORK_MODE = "auto",
  MODEL = "virtio" ]
CONTEXT = [
  NETWORK = "YES",
  SSH_PUBLIC_KEY = "$USER[SSH_PUBLIC_KEY]" ]
`);
    expect(appDisks(market)).toEqual([
      { index: 0, appId: 41 },
      { index: 2, appId: 42 },
    ]);
  });

  it("points the imported template's disks at the new images", () => {
    const market = templateForMarket(
      source,
      new Map([
        [0, 41],
        [2, 42],
      ]),
    );
    const imported = templateFromMarket(
      market,
      new Map([
        [41, 100],
        [42, 101],
      ]),
    );
    expect(imageDisks(imported)).toEqual([
      { index: 0, imageId: 100 },
      { index: 2, imageId: 101 },
    ]);
    expect(serializeTemplate(imported)).not.toContain("APP_ID");
    expect(() => templateFromMarket(market, new Map([[41, 100]]))).toThrow(/app 42/);
  });

  it("makes the imported image the first disk of the VM template an IMAGE app carries", () => {
    const t = templateForImage(source, 55);
    expect(t.filter((a) => a.key === "DISK").map((a) => a.value)).toEqual([
      { IMAGE_ID: "55" },
      { TYPE: "fs", SIZE: "1024" },
    ]);
    expect(t.find((a) => a.key === "NAME")).toBeUndefined();
    expect(templateForImage(parseTemplate(`CPU = "1"`), 3)).toEqual([
      { key: "CPU", value: "1" },
      { key: "DISK", value: { IMAGE_ID: "3" } },
    ]);
  });
});
